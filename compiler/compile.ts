// The front end as one function: load the extends chain, resolve, compute exact sets, run the checks.
import { layoutChecks } from './checks/index.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { loadChain, nodeHost, type SpecHost } from './load.js';
import type { Spec } from './model.js';
import { resolve } from './resolve.js';
import { compileSets, type SpecSets } from './sets.js';
import type { SourceFile } from '../core/source.js';
import { internalErrorText } from '../core/internal-error.js';
import { lower } from './ir/lower.js';
import type { IrSpec } from './ir/types.js';

/** The same finding reached twice (e.g. a fn body error met from two call sites) is reported once. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}\0${d.range.file}\0${d.range.start.offset}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Compiled {
  readonly spec: Spec;
  readonly sets: SpecSets;
  /** Present when the front end ran to the end (it may still carry errors in `diagnostics`). */
  readonly ir?: IrSpec;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly ok: boolean;
}

export type CompileOutcome = Compiled | { readonly ioError: string };

export function compileSpec(entry: string, host: SpecHost = nodeHost): CompileOutcome {
  const chain = loadChain(entry, host);
  if ('error' in chain) return { ioError: chain.error };
  const ds: Diagnostic[] = [...chain.diagnostics];
  const { spec, diagnostics: resolveDs } = resolve(chain.files);
  let sets: SpecSets = { predicates: new Map(), kinds: new Map(), broken: new Set(spec.kinds.keys()) };
  // A file that is not text gets its one diagnostic and nothing else (load.ts).
  if (chain.notText) return { spec, sets, diagnostics: ds, sources: chain.sources, ok: false };
  ds.push(...resolveDs);
  let ir: IrSpec | undefined;
  try {
    const s = compileSets(spec);
    sets = s;
    ds.push(...s.diagnostics);
    // The checks skip kinds and predicates whose sets are broken, so they add findings, not echoes.
    for (const check of layoutChecks) ds.push(...check({ spec, sets }));
    const lowered = lower(spec, sets);
    ds.push(...lowered.diagnostics);
    ir = lowered.ir;
  } catch (e) {
    ds.push(diag('PTE090', spec.headerRange, internalErrorText(e), 'please report this with the spec that triggered it'));
  }
  const diagnostics = sortDiagnostics(dedupe(ds));
  return { spec, sets, ...(ir ? { ir } : {}), diagnostics, sources: chain.sources, ok: !hasErrors(diagnostics) };
}
