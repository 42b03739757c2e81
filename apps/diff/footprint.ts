// Section 6 of `ptelab diff`: the patch footprint, i.e. how much of a kernel patch series (compiler/backends/c) each
// design needs. Three series are measured, each exactly as `ptelab build` would write it:
//   A      A's own series: against the spec A extends, if it extends one (a proposal's delta), else all of A;
//   B      the same for B;
//   A → B  B's sketch against A's: what turns A's C into B's (for a proposal against its own base, its delta).
// Per kernel file and per handler path: lines added and removed, and hunks. Synchronous and pure: a side's base is
// compiled from the texts compileSpec() already read (DiffSide.sources), never from the disk.
import { seriesFootprint, type FootprintCount, type SeriesFootprint } from '../../compiler/backends/c/patch.js';
import { baseFile } from '../../compiler/backends/base.js';
import { compileSpec } from '../../compiler/compile.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import type { DiffSide } from './side.js';

export type { FootprintCount };

/** One series as a whole. */
export interface FootprintSeries {
  /** The spec whose sketch the series produces. */
  readonly spec: string;
  /** The spec the series is against (its hunks change that spec's sketch); undefined: the whole spec, from nothing. */
  readonly against?: string;
  /** Why a design that extends a spec is measured whole (its base could not be compiled). */
  readonly note?: string;
  readonly patches: number;
  readonly hunks: number;
  /** Kernel files touched. */
  readonly files: number;
  readonly added: number;
  readonly removed: number;
  /** Left out of the counts above: comment-only lines, and hunks that change nothing but comments. */
  readonly comments: FootprintCount;
}

export interface FootprintFile {
  /** Kernel file, e.g. include/linux/swapops.h. */
  readonly file: string;
  /** Lines the series adds/removes in that file, and its hunks there (undefined: the series does not touch it). */
  readonly a?: FootprintCount;
  readonly b?: FootprintCount;
  readonly aToB?: FootprintCount;
}

export interface FootprintPath {
  /** Handler path, e.g. zap_pte_range: its cases, its dispatcher and its prototype, wherever they are. */
  readonly path: string;
  readonly a?: FootprintCount;
  readonly b?: FootprintCount;
  readonly aToB?: FootprintCount;
}

export interface FootprintDiff {
  readonly a: FootprintSeries;
  readonly b: FootprintSeries;
  readonly aToB: FootprintSeries;
  /** Every kernel file any of the three series touches, sorted. */
  readonly files: readonly FootprintFile[];
  /** Every handler path any of the three series touches: A's path order, then B's new paths. */
  readonly paths: readonly FootprintPath[];
}

/** A side's base IR, compiled from the side's own sources; a note instead when that is not possible. */
function sideBase(s: DiffSide): { readonly ir?: IrSpec; readonly note?: string } {
  const file = baseFile(s.ir);
  if (file === undefined) return {};
  const sources = s.sources;
  if (!sources) return { note: `extends ${file}, whose text this diff was not given` };
  const r = compileSpec(file, { readFile: (f) => sources.get(f)?.text });
  if (!r.ok) return { note: `extends ${file}: ${r.error}` };
  if (!r.value.ok) return { note: `extends ${file}, which has errors` };
  return { ir: r.value.ir };
}

function series(ir: IrSpec, fp: SeriesFootprint, against: IrSpec | undefined, note: string | undefined): FootprintSeries {
  return {
    spec: ir.name,
    ...(against ? { against: against.name } : {}),
    ...(note ? { note } : {}),
    patches: fp.patches,
    hunks: fp.hunks,
    files: fp.files.length,
    added: fp.perFile.reduce((n, f) => n + f.added, 0),
    removed: fp.perFile.reduce((n, f) => n + f.removed, 0),
    comments: counts(fp.comments)!,
  };
}

const counts = (c: FootprintCount | undefined): FootprintCount | undefined => (c ? { added: c.added, removed: c.removed, hunks: c.hunks } : undefined);

/** The patch footprints of two designs and of the way from one to the other. */
export function patchFootprintDiff(a: DiffSide, b: DiffSide): FootprintDiff {
  const baseA = sideBase(a);
  const baseB = sideBase(b);
  const fa = seriesFootprint(a.ir, baseA.ir);
  const fb = seriesFootprint(b.ir, baseB.ir);
  const fab = seriesFootprint(b.ir, a.ir);
  const files = [...new Set([...fa.files, ...fb.files, ...fab.files])].sort();
  const paths = [...new Set([...a.ir.paths.map((p) => p.name), ...b.ir.paths.map((p) => p.name), ...[fa, fb, fab].flatMap((f) => f.perPath.map((p) => p.path))])];
  const of = (list: readonly FootprintCount[], i: number): FootprintCount | undefined => (i < 0 ? undefined : counts(list[i]));
  const three = (find: (f: SeriesFootprint) => FootprintCount | undefined): { a?: FootprintCount; b?: FootprintCount; aToB?: FootprintCount } => {
    const [x, y, z] = [find(fa), find(fb), find(fab)];
    return { ...(x ? { a: x } : {}), ...(y ? { b: y } : {}), ...(z ? { aToB: z } : {}) };
  };
  const byFile = (file: string) => (f: SeriesFootprint): FootprintCount | undefined => of(f.perFile, f.perFile.findIndex((x) => x.file === file));
  const byPath = (path: string) => (f: SeriesFootprint): FootprintCount | undefined => of(f.perPath, f.perPath.findIndex((x) => x.path === path));
  return {
    a: series(a.ir, fa, baseA.ir, baseA.note),
    b: series(b.ir, fb, baseB.ir, baseB.note),
    aToB: series(b.ir, fab, a.ir, undefined),
    files: files.map((file) => ({ file, ...three(byFile(file)) })),
    paths: paths.filter((p) => [fa, fb, fab].some((f) => f.perPath.some((x) => x.path === p))).map((path) => ({ path, ...three(byPath(path)) })),
  };
}
