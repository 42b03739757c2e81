// Which handler cases ask which kernel predicate (`is_hwpoison_entry(h)` in a guard or a body, directly or through
// an arch helper). A proposal that changes what a predicate means changes the dispatch of exactly these cases: `check`
// names them, and `diff` lists them as the callers to audit.
import type { IrSpec } from './types.js';
import { walkExpr, walkStmts, type IrVisitor } from './visit.js';

export interface PredicateCaller {
  readonly path: string;
  readonly index: number;
  /** The case's kind; undefined for `default`. */
  readonly kind?: string;
}

export function predicateCallers(ir: IrSpec): Map<string, PredicateCaller[]> {
  const fnPreds = new Map<string, Set<string>>();
  const fnBodies = new Map(ir.fns.map((f) => [f.name, f.body]));
  // Every predicate an expression asks, directly or through the arch helpers it calls (each helper walked once).
  const visitor = (out: Set<string>): IrVisitor => ({
    expr: (e) => {
      if (e.k === 'pred') out.add(e.name);
      else if (e.k === 'fn') for (const p of predsOfFn(e.name)) out.add(p);
    },
  });
  const predsOfFn = (name: string): Set<string> => {
    const done = fnPreds.get(name);
    if (done) return done;
    const out = new Set<string>();
    fnPreds.set(name, out);
    const body = fnBodies.get(name);
    if (body) walkExpr(body, visitor(out));
    return out;
  };
  const callers = new Map<string, PredicateCaller[]>();
  for (const p of ir.paths) {
    for (const c of p.cases) {
      const preds = new Set<string>();
      if (c.guard) walkExpr(c.guard, visitor(preds));
      walkStmts(c.body, visitor(preds));
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
