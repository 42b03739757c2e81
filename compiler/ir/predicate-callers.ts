// Which handler cases ask which kernel predicate (`is_hwpoison_entry(h)` in a guard or a body, directly or through
// an arch helper). A proposal that changes what a predicate means changes the dispatch of exactly these cases: `check`
// names them, and `diff` lists them as the callers to audit.
import type { IrExpr, IrSpec, IrStmt } from './types.js';

export interface PredicateCaller {
  readonly path: string;
  readonly index: number;
  /** The case's kind; undefined for `default`. */
  readonly kind?: string;
}

export function predicateCallers(ir: IrSpec): Map<string, PredicateCaller[]> {
  const fnPreds = new Map<string, Set<string>>();
  const fnBodies = new Map(ir.fns.map((f) => [f.name, f.body]));
  const predsOfFn = (name: string): Set<string> => {
    const done = fnPreds.get(name);
    if (done) return done;
    const out = new Set<string>();
    fnPreds.set(name, out);
    const body = fnBodies.get(name);
    if (body) exprPreds(body, out);
    return out;
  };
  const exprPreds = (e: IrExpr, out: Set<string>): void => {
    switch (e.k) {
      case 'pred':
        out.add(e.name);
        exprPreds(e.arg, out);
        return;
      case 'fn':
        for (const p of predsOfFn(e.name)) out.add(p);
        for (const a of e.args) exprPreds(a, out);
        return;
      case 'prim':
        for (const a of e.args) exprPreds(a, out);
        return;
      case 'field':
        exprPreds(e.base, out);
        return;
      case 'with':
        exprPreds(e.base, out);
        for (const s of e.sets) exprPreds(s.value, out);
        return;
      case 'make':
        for (const s of e.sets) exprPreds(s.value, out);
        return;
      case 'truthy':
      case 'toInt':
      case 'unary':
        exprPreds(e.operand, out);
        return;
      case 'binary':
        exprPreds(e.left, out);
        exprPreds(e.right, out);
        return;
      default:
        return;
    }
  };
  const stmtPreds = (list: readonly IrStmt[], out: Set<string>): void => {
    for (const s of list) {
      switch (s.s) {
        case 'set':
        case 'copy':
        case 'let':
          exprPreds(s.value, out);
          break;
        case 'do':
          exprPreds(s.expr, out);
          break;
        case 'if':
          exprPreds(s.cond, out);
          stmtPreds(s.then, out);
          stmtPreds(s.else, out);
          break;
        case 'call':
          for (const a of s.args) exprPreds(a.value, out);
          break;
        default:
          break;
      }
    }
  };
  const callers = new Map<string, PredicateCaller[]>();
  for (const p of ir.paths) {
    for (const c of p.cases) {
      const preds = new Set<string>();
      if (c.guard) exprPreds(c.guard, preds);
      stmtPreds(c.body, preds);
      for (const name of preds) {
        const list = callers.get(name) ?? [];
        list.push({ path: p.name, index: c.index, ...(c.kind ? { kind: c.kind } : {}) });
        callers.set(name, list);
      }
    }
  }
  return callers;
}

/** "do_swap_page (hwpoison, pte_marker), pagemap_pte (default)": the callers grouped by path, in path order. */
export function callersText(list: readonly PredicateCaller[]): string {
  const byPath = new Map<string, string[]>();
  for (const c of list) byPath.set(c.path, [...(byPath.get(c.path) ?? []), c.kind ?? 'default']);
  return [...byPath].map(([p, kinds]) => `${p} (${[...new Set(kinds)].join(', ')})`).join(', ');
}
