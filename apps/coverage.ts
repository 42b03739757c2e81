// What a run or a matrix row exercised, against what the spec has: kinds (and one-bit marker flags) ever created,
// handler cases ever entered. For a proposal (a spec that extends another), the kinds whose value set it changes and
// the cases it writes are its claim; any of them never exercised is said plainly next to the verdict, because a clean
// verdict says nothing about them.
import * as C from '../compiler/bits/cube-set.js';
import type { IrKind, IrSpec } from '../compiler/ir/types.js';
import { caseKey, Coverage } from '../runtime/coverage.js';

/** For each kind: the one-bit sub-fields of its format (marker flags), each counted as `kind(FLAG)`. */
export function coverageFlags(ir: IrSpec): Map<string, string[]> {
  const formats = new Map(ir.formats.map((f) => [f.name, f]));
  return new Map(ir.kinds.map((k) => [k.name, (formats.get(k.format)?.fields ?? []).filter((f) => f.parent && f.width === 1 && !f.aliasOf).map((f) => f.name)]));
}

export function newCoverage(ir: IrSpec): Coverage {
  return new Coverage(coverageFlags(ir));
}

function labelsOf(ir: IrSpec, kinds: readonly IrKind[]): string[] {
  const flags = coverageFlags(ir);
  return kinds.flatMap((k) => [k.name, ...(flags.get(k.name) ?? []).map((f) => `${k.name}(${f})`)]);
}

export interface CoverageSummary {
  readonly created: readonly string[];
  readonly never: readonly string[];
  readonly casesRan: number;
  readonly casesTotal: number;
  /** Cases never entered, as `path#index (kind)`. */
  readonly casesNever: readonly string[];
  /** Only for a spec with a base: what it adds or changes that was never exercised. */
  readonly claim?: { readonly kinds: readonly string[]; readonly cases: readonly string[] };
}

const cubes = (k: IrKind) => C.simplify(k.cubes.map(([mask, value]) => ({ mask, value })));

export function summarizeCoverage(cov: Coverage, ir: IrSpec, base?: IrSpec): CoverageSummary {
  const labels = labelsOf(ir, ir.kinds);
  const created = labels.filter((l) => cov.created.has(l));
  const never = labels.filter((l) => !cov.created.has(l));
  const cases = ir.paths.flatMap((p) => p.cases.map((c) => ({ key: caseKey(p.name, c.index), text: `${p.name}#${c.index} (${c.kind ?? 'default'})`, origin: c.origin })));
  const casesNever = cases.filter((c) => !cov.ran.has(c.key));
  const out: CoverageSummary = { created, never, casesRan: cases.length - casesNever.length, casesTotal: cases.length, casesNever: casesNever.map((c) => c.text) };
  if (!base) return out;
  const baseKinds = new Map(base.kinds.map((k) => [k.name, k]));
  const changed = ir.kinds.filter((k) => {
    const b = baseKinds.get(k.name);
    return !b || b.format !== k.format || !C.equals(cubes(b), cubes(k));
  });
  return {
    ...out,
    claim: {
      kinds: labelsOf(ir, changed).filter((l) => !cov.created.has(l)),
      cases: casesNever.filter((c) => c.origin === ir.name).map((c) => c.text),
    },
  };
}

/** "coverage: 9 of 15 kinds created (never: ...); 140 of 180 handler cases ran". */
export function coverageLine(s: CoverageSummary): string {
  const kinds = `${s.created.length} of ${s.created.length + s.never.length} kinds and marker flags created${s.never.length > 0 ? ` (never: ${s.never.join(', ')})` : ''}`;
  return `coverage: ${kinds}; ${s.casesRan} of ${s.casesTotal} handler cases ran`;
}

/** A summary as JSON, the same for run and explore: `notExercised` only for a spec with a base. */
export function coverageJson(s: CoverageSummary): object {
  return { created: s.created, never: s.never, casesRan: s.casesRan, casesTotal: s.casesTotal, casesNever: s.casesNever, ...(s.claim ? { notExercised: s.claim } : {}) };
}

/** The verdict's caveat for a proposal, or undefined when everything it adds or changes was exercised. */
export function claimCaveat(s: CoverageSummary): string | undefined {
  const c = s.claim;
  if (!c || (c.kinds.length === 0 && c.cases.length === 0)) return undefined;
  const parts = [c.kinds.length > 0 ? `kinds ${c.kinds.join(', ')} never created` : '', c.cases.length > 0 ? `cases ${c.cases.join(', ')} never ran` : ''].filter(Boolean);
  return `${parts.join('; ')}: this verdict says nothing about them`;
}
