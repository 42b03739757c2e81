// Cases whose `when` guard is false for every value of their kind, decided exactly on the layout: the kernel
// dispatch-order cases (docs/handlers.md, "Kernel dispatch order") are guarded by "an earlier kernel test is true, or
// my own is false", and with the bundled layouts each kernel predicate's value set (its cubes) either contains or
// misses a kind entirely, so the guard is a constant. A case whose guard is constantly false never runs: deleting or
// emptying it is an equivalent mutant, for a reason the spec itself proves (a proposal that changes a predicate's
// meaning makes the guard satisfiable again, and the mutant is judged like any other).
import * as C from '../../compiler/bits/cube-set.js';
import type { IrCase, IrExpr, IrSpec } from '../../compiler/ir/types.js';

type Tri = boolean | undefined;

const setOf = (cubes: readonly (readonly [bigint, bigint])[]): C.CubeSet => C.simplify(cubes.map(([mask, value]) => ({ mask, value })));

/**
 * The predicates that make `c`'s guard false for every value of its kind, as "is_migration_entry (false for every
 * swap entry), ..." text; undefined when the guard is absent, can hold, or is not decided by predicates of the
 * bound entry alone.
 */
export function deadGuard(ir: IrSpec, c: IrCase): string | undefined {
  if (!c.guard || !c.kind || !c.binding) return undefined;
  const kind = ir.kinds.find((k) => k.name === c.kind);
  if (!kind) return undefined;
  const values = setOf(kind.cubes);
  if (C.isEmpty(values)) return undefined;
  const preds = new Map(ir.predicates.map((p) => [p.name, setOf(p.cubes)]));
  const decided = new Map<string, boolean>();
  const binding = c.binding;

  const evalExpr = (e: IrExpr): Tri => {
    switch (e.k) {
      case 'bool':
        return e.value;
      case 'pred': {
        if (e.arg.k !== 'local' || e.arg.name !== binding) return undefined;
        const p = preds.get(e.name);
        if (!p) return undefined;
        const v = C.isSubset(values, p) ? true : C.isEmpty(C.intersect(values, p)) ? false : undefined;
        if (v !== undefined) decided.set(e.name, v);
        return v;
      }
      case 'truthy':
        return evalExpr(e.operand);
      case 'unary': {
        if (e.op !== '!') return undefined;
        const v = evalExpr(e.operand);
        return v === undefined ? undefined : !v;
      }
      case 'binary': {
        if (e.op !== '&&' && e.op !== '||') return undefined;
        const l = evalExpr(e.left);
        const r = evalExpr(e.right);
        if (e.op === '&&') return l === false || r === false ? false : l === true && r === true ? true : undefined;
        return l === true || r === true ? true : l === false && r === false ? false : undefined;
      }
      default:
        return undefined;
    }
  };
  if (evalExpr(c.guard) !== false) return undefined;
  const text = [...decided].map(([name, v]) => `${name} is ${v ? 'true' : 'false'}`).join(', ');
  return `its guard is false for every ${c.kind} entry (${text} for every value of the kind, proven on the layout): the case never runs`;
}
