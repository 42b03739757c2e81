// The explore half of the matrix: `ptelab explore` on every bundled world (examples/worlds/*.scn) for every spec
// column, at MATRIX_EXPLORE_DEPTH with the default op alphabet, reduced to one verdict per world: clean (complete to
// the depth), incomplete (the state bound was hit first: no verdict), not applicable (the world needs a userfaultfd
// feature the spec's kernel lacks, runtime/explore/applicable.ts), or the shortest counterexample's length and its
// failing op (what the spec did, what the contract wants, the path blamed). Deterministic: BFS order and state
// counts do not depend on time or threads, and no timing is recorded.
import { DEFAULT_EXPLORE_DEPTH } from '../../core/explore-depth.js';
import { WORLD_DIR } from '../../core/bundled.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { failureCore } from '../../runtime/explore/counterexample.js';
import { exploreWorlds } from '../../runtime/explore/explore-worlds.js';
import type { PreparedWorld } from '../../runtime/explore/world.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import { formatStep } from '../../runtime/format-step.js';
import { cellOf } from './cell.js';

/**
 * Depth of the matrix's explorations. Every counterexample the bundled specs and proposals have is at most 4 ops
 * long, and depth 4 keeps the explore table to about 33 s of CPU for 11 specs on 24 worlds (most of the matrix's
 * cost, which is why the whole matrix is in `npm run test:slow`). It is the one default depth of explore, report and diff
 * (core/explore-depth.ts); `ptelab explore --depth 6`, where 6.17 (x86_64 and arm64) is still clean on every world,
 * goes deeper (docs/explore.md).
 */
export const MATRIX_EXPLORE_DEPTH = DEFAULT_EXPLORE_DEPTH;
/** A bound no bundled world reaches at MATRIX_EXPLORE_DEPTH (an `incomplete` cell would say so). */
export const MATRIX_EXPLORE_MAX_STATES = 500_000;
export const MATRIX_WORLD_DIR = WORLD_DIR;

export interface MatrixWorld {
  readonly name: string;
  /** Repository-relative. */
  readonly file: string;
}

export type ExploreCell =
  | { readonly verdict: 'complete'; readonly states: number; readonly transitions: number; readonly exhausted: boolean }
  | { readonly verdict: 'incomplete'; readonly states: number; readonly transitions: number }
  | { readonly verdict: 'n/a'; readonly reason: string }
  | {
      readonly verdict: 'counterexample';
      /** Ops after the world's setup; the last one fails. */
      readonly length: number;
      /** The explored ops in the scenario language. */
      readonly ops: readonly string[];
      /** The failing op (the last of `ops`; with no ops, the failing setup step). */
      readonly failing: string;
      readonly kind: string;
      readonly got?: string;
      readonly want?: string;
      /** The failure without the report's blame (that is `site`). */
      readonly message: string;
      readonly site?: string;
      /** One short line for a table cell. */
      readonly short: string;
    };

/** The bundled worlds under `root`, file by file (sorted), in file order. */
export function matrixWorlds(root: string): { worlds: PreparedWorld[]; list: MatrixWorld[] } {
  const worlds = bundledWorlds(root);
  return { worlds, list: worlds.map((w) => ({ name: w.name, file: w.file! })) };
}

/** One spec column: every world explored (or found not applicable). */
export async function exploreColumn(module: SpecModule, worlds: readonly PreparedWorld[]): Promise<ExploreCell[]> {
  const outcomes = await exploreWorlds(module, worlds, { depth: MATRIX_EXPLORE_DEPTH, maxStates: MATRIX_EXPLORE_MAX_STATES, ops: DEFAULT_OPS });
  const out: ExploreCell[] = [];
  for (const r of outcomes) {
    if (r.verdict === 'n/a') {
      out.push({ verdict: 'n/a', reason: r.reason });
      continue;
    }
    if (r.verdict === 'error') throw new Error(r.message); // not asked to keep going: exploreWorlds threw already
    const { states, transitions } = r.stats;
    if (r.verdict === 'complete') out.push({ verdict: 'complete', states, transitions, exhausted: r.exhausted });
    else if (r.verdict === 'incomplete') out.push({ verdict: 'incomplete', states, transitions });
    else {
      const cx = r.counterexample!;
      const ops = cx.ops.map(formatStep);
      const c = cellOf(cx.result);
      // the failing op; with no op, the setup step that fails (the world cannot be set up on this spec)
      const failing = ops[ops.length - 1] ?? cx.failure.text;
      const length = ops.length;
      const detail = c.ok ? cx.failure.message : c.short.replace(/^\d+ `[^`]*`: /, '');
      const head = length === 0 ? 'setup' : `${length} op${length === 1 ? '' : 's'}`;
      out.push({
        verdict: 'counterexample',
        length,
        ops,
        failing,
        kind: cx.failure.kind,
        ...(!c.ok && c.got !== undefined ? { got: c.got } : {}),
        ...(!c.ok && c.want !== undefined ? { want: c.want } : {}),
        message: failureCore(cx.failure.message),
        ...(!c.ok && c.site !== undefined ? { site: c.site } : {}),
        short: `${head}, \`${failing}\`: ${detail}`,
      });
    }
  }
  return out;
}
