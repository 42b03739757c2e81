// PTE050-PTE053: every kind has somewhere to go. An entry path (one the runtime drives directly) must handle every
// kind — the question each proposal must answer for fork, zap, fault, mprotect, reclaim, migration, swapoff and
// pagemap ("search for non_swap_entry and migration_entry", Hugh Dickins, 2020-12-03). A path reached by `call`
// must handle every kind that can reach the call. The rules are compiler/analysis/exhaustiveness.ts (shared with
// the mutation test); this check only points them at the source.
import { diag } from '../../core/diagnostics/diagnostic.js';
import type { Range } from '../../core/source.js';
import type * as A from '../../grammar/ast.js';
import { walkStmts } from '../../grammar/visit.js';
import { exhaustiveness, type PathView } from '../analysis/exhaustiveness.js';
import type { Check } from './context.js';
import type { PathDef } from '../model.js';
import { levelEntryPaths } from '../../contract/table.js';

export const exhaustiveHandlers: Check = ({ spec }) => {
  if (spec.paths.size === 0) return []; // a layout-only spec
  const kinds = [...spec.kinds.values()].sort((a, b) => a.index - b.index).map((k) => k.name);
  const paths: PathView<Range>[] = [...spec.paths.values()].map((p) => ({
    name: p.name,
    at: p.range,
    cases: p.cases.map((c) => ({ kind: c.kind, guarded: !!c.guard, at: c.headRange, calls: calls(c.body).map((s) => ({ path: s.path.name, at: s.range })) })),
  }));
  return exhaustiveness(kinds, paths, levelEntryPaths(spec.level ?? 'pte')).map((f) =>
    diag(f.code, f.code === 'PTE052' ? spec.headerRange : f.code === 'PTE050' ? (removedAt(spec.paths.get(f.path), f.kind) ?? f.at) : f.at, f.message, f.hint),
  );
};

/**
 * A kind an entry path no longer handles because a delta removed its case (or the default that took it) is reported
 * at that `remove`, in the proposal, not at the inherited path declaration in a file the proposal only builds on.
 */
function removedAt(path: PathDef | undefined, kind: string): Range | undefined {
  const removals = path?.removals ?? [];
  return (removals.find((r) => r.kind === kind) ?? removals.find((r) => r.kind === undefined))?.range;
}

function calls(stmts: readonly A.Stmt[]): Extract<A.Stmt, { type: 'CallStmt' }>[] {
  const out: Extract<A.Stmt, { type: 'CallStmt' }>[] = [];
  walkStmts(stmts, { stmt: (s) => s.type === 'CallStmt' && out.push(s) });
  return out;
}
