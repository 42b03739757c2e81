// The kernel predicates whose meaning (exact value set) differs between a base and a design, with the handler cases
// that ask them: the paths whose dispatch the change affects. `check` prints it for a proposal; `diff` lists the same
// as "callers to audit".
import * as C from '../compiler/bits/cube-set.js';
import { callersText, predicateCallers, type PredicateCaller } from '../compiler/ir/predicate-callers.js';
import type { IrSpec } from '../compiler/ir/types.js';

export interface ChangedPredicate {
  readonly name: string;
  readonly callers: readonly PredicateCaller[];
}

const setOf = (cubes: readonly (readonly [bigint, bigint])[]) => C.simplify(cubes.map(([mask, value]) => ({ mask, value })));

export function changedPredicates(base: IrSpec, ir: IrSpec, only?: readonly string[]): ChangedPredicate[] {
  const before = new Map(base.predicates.map((p) => [p.name, setOf(p.cubes)]));
  const callers = predicateCallers(ir);
  return ir.predicates
    .filter((p) => (only ? only.includes(p.name) : true))
    .filter((p) => {
      const b = before.get(p.name);
      return !b || !C.equals(b, setOf(p.cubes));
    })
    .map((p) => ({ name: p.name, callers: callers.get(p.name) ?? [] }));
}

/** "is_hwpoison_entry: do_swap_page (hwpoison, pte_marker); is_pte_marker: ..." (callers, or "no handler asks it"). */
export function dispatchText(list: readonly ChangedPredicate[]): string {
  return list.map((p) => `${p.name}: ${p.callers.length > 0 ? callersText(p.callers) : 'no handler asks it'}`).join('; ');
}
