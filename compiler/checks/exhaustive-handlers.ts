// PTE050-PTE053: every kind has somewhere to go. An entry path (one the runtime drives directly) must handle every
// kind — the question each proposal must answer for fork, zap, fault, mprotect, reclaim, migration, swapoff and
// pagemap ("search for non_swap_entry and migration_entry", Hugh Dickins, 2020-12-03). A path reached by `call`
// must handle every kind that can reach the call.
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type * as A from '../../grammar/ast.js';
import type { CaseDef, PathDef } from '../model.js';
import { ENTRY_PATHS } from '../../runtime/spec-module.js';
import type { Check } from './context.js';

export const exhaustiveHandlers: Check = ({ spec }) => {
  if (spec.paths.size === 0) return []; // a layout-only spec
  const out: Diagnostic[] = [];
  const kinds = [...spec.kinds.values()].sort((a, b) => a.index - b.index).map((k) => k.name);
  for (const name of ENTRY_PATHS) {
    const path = spec.paths.get(name);
    if (!path) {
      out.push(diag('PTE052', spec.headerRange, `the spec has no '${name}' path, which the runtime drives`, `add 'path ${name} { ... }' handling every kind (docs/handlers.md lists the entry paths)`));
      continue;
    }
    for (const k of kinds) {
      if (!handles(path, k)) {
        out.push(diag('PTE050', path.range, `path '${name}' does not handle kind '${k}'`, `add 'case ${k} { ... }' (or a 'default'): what must ${name} do with a ${k} entry?`));
      }
    }
  }
  for (const path of spec.paths.values()) {
    path.cases.forEach((c, i) => {
      const reaching = kindsReaching(path, i, kinds);
      if (reaching.length === 0) {
        out.push(diag('PTE053', c.headRange, `this case of '${path.name}' never runs: earlier unguarded cases already take ${c.kind ? `every '${c.kind}' entry` : 'every kind'}`, 'remove it, or guard the earlier case'));
        return;
      }
      for (const call of calls(c.body)) {
        const target = spec.paths.get(call.path.name);
        if (!target) continue; // reported by the elaborator
        for (const k of reaching) {
          if (!handles(target, k)) {
            out.push(diag('PTE051', call.range, `'call ${call.path.name}' can be reached with a '${k}' entry, which '${call.path.name}' does not handle`, `add 'case ${k}' to path '${call.path.name}', or narrow the calling case`));
          }
        }
      }
    });
  }
  return out;
};

function handles(path: PathDef, kind: string): boolean {
  return path.cases.some((c) => c.kind === undefined || c.kind === kind);
}

/** Kinds that can reach case i: its kind (or, for default, every kind) minus those an earlier unguarded case takes. */
function kindsReaching(path: PathDef, i: number, kinds: readonly string[]): string[] {
  const c = path.cases[i]!;
  const taken = (k: string) => path.cases.slice(0, i).some((e: CaseDef) => !e.guard && (e.kind === undefined || e.kind === k));
  return (c.kind ? [c.kind] : kinds).filter((k) => !taken(k));
}

function calls(stmts: readonly A.Stmt[]): Extract<A.Stmt, { type: 'CallStmt' }>[] {
  const out: Extract<A.Stmt, { type: 'CallStmt' }>[] = [];
  for (const s of stmts) {
    if (s.type === 'CallStmt') out.push(s);
    else if (s.type === 'IfStmt') out.push(...calls(s.then), ...calls(s.else ?? []));
  }
  return out;
}
