// Every kind has somewhere to go (PTE050-PTE053), computed once over a plain view of the paths, so that `ptelab
// check` (on the resolved spec, with source ranges) and the mutation test (on a mutated IR) ask exactly the same
// question and get the same findings and messages. An entry path (one the runtime drives directly) must handle every
// kind; a path reached by `call` must handle every kind that can reach the call.
import { ENTRY_PATH_NAMES } from '../../contract/table.js';

/** One case as exhaustiveness sees it; `At` is wherever the caller wants findings to point (a range, nothing). */
export interface CaseView<At> {
  /** undefined: `default`. */
  readonly kind: string | undefined;
  readonly guarded: boolean;
  readonly calls: readonly { readonly path: string; readonly at: At }[];
  readonly at: At;
}

export interface PathView<At> {
  readonly name: string;
  readonly cases: readonly CaseView<At>[];
  readonly at: At;
}

export type ExhaustivenessFinding<At> =
  | { readonly code: 'PTE052'; readonly path: string; readonly message: string; readonly hint: string }
  | { readonly code: 'PTE050'; readonly path: string; readonly kind: string; readonly at: At; readonly message: string; readonly hint: string }
  | { readonly code: 'PTE053'; readonly path: string; readonly index: number; readonly at: At; readonly message: string; readonly hint: string }
  | { readonly code: 'PTE051'; readonly path: string; readonly callee: string; readonly kind: string; readonly at: At; readonly message: string; readonly hint: string };

function handles(path: PathView<unknown>, kind: string): boolean {
  return path.cases.some((c) => c.kind === undefined || c.kind === kind);
}

/** Kinds that can reach case i: its kind (or, for default, every kind) minus those an earlier unguarded case takes. */
export function kindsReaching(path: PathView<unknown>, i: number, kinds: readonly string[]): string[] {
  const c = path.cases[i]!;
  const taken = (k: string): boolean => path.cases.slice(0, i).some((e) => !e.guarded && (e.kind === undefined || e.kind === k));
  return (c.kind ? [c.kind] : kinds).filter((k) => !taken(k));
}

/** The findings, entry paths first (in the contract's order), then every path's cases in spec order. */
export function exhaustiveness<At>(kinds: readonly string[], paths: readonly PathView<At>[], entries: readonly string[] = ENTRY_PATH_NAMES): ExhaustivenessFinding<At>[] {
  const out: ExhaustivenessFinding<At>[] = [];
  const byName = new Map(paths.map((p) => [p.name, p]));
  for (const name of entries) {
    const path = byName.get(name);
    if (!path) {
      out.push({ code: 'PTE052', path: name, message: `the spec has no '${name}' path, which the runtime drives`, hint: `add 'path ${name} { ... }' handling every kind (docs/handlers.md lists the entry paths)` });
      continue;
    }
    for (const k of kinds) {
      if (!handles(path, k)) {
        out.push({ code: 'PTE050', path: name, kind: k, at: path.at, message: `path '${name}' does not handle kind '${k}'`, hint: `add 'case ${k} { ... }' (or a 'default'): what must ${name} do with a ${k} entry?` });
      }
    }
  }
  for (const path of paths) {
    path.cases.forEach((c, i) => {
      const reaching = kindsReaching(path, i, kinds);
      if (reaching.length === 0) {
        out.push({
          code: 'PTE053', path: path.name, index: i, at: c.at,
          message: `this case of '${path.name}' never runs: earlier unguarded cases already take ${c.kind ? `every '${c.kind}' entry` : 'every kind'}`,
          hint: 'remove it, or guard the earlier case',
        });
        return;
      }
      for (const call of c.calls) {
        const target = byName.get(call.path);
        if (!target) continue; // an unknown path is the elaborator's finding
        for (const k of reaching) {
          if (!handles(target, k)) {
            out.push({
              code: 'PTE051', path: path.name, callee: call.path, kind: k, at: call.at,
              message: `'call ${call.path}' can be reached with a '${k}' entry, which '${call.path}' does not handle`,
              hint: `add 'case ${k}' to path '${call.path}', or narrow the calling case`,
            });
          }
        }
      }
    });
  }
  return out;
}
