// The explore section: `ptelab explore` on every bundled world (examples/worlds/*.scn) at a small depth, with the
// verdict per world and, for a counterexample, its scenario text and replay. A report is still written when the
// explorer cannot start (the section then says why) or fails on a world (that world's verdict is `error`).
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { describeCounterexample } from '../../runtime/explore/counterexample.js';
import { exploreWorlds, runSymmetry } from '../../runtime/explore/explore-worlds.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { DEFAULT_EXPLORE_DEPTH } from '../../core/explore-depth.js';
import type { ReportExplore, ReportWorld } from './model.js';
import { reportRun } from './runs.js';

/** The one default depth (core/explore-depth.ts). */
export const DEFAULT_REPORT_DEPTH = DEFAULT_EXPLORE_DEPTH;
export const DEFAULT_REPORT_MAX_STATES = 200_000;

export interface ExploreSettings {
  readonly depth: number;
  readonly maxStates: number;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

export async function exploreSection(module: SpecModule, settings: ExploreSettings): Promise<ReportExplore> {
  let worlds: ReturnType<typeof bundledWorlds>;
  try {
    worlds = bundledWorlds();
  } catch (e) {
    return { available: false, reason: `not available: the explorer failed to start: ${message(e)}` };
  }
  const sym = runSymmetry(module, {});
  // A world whose setup asks for a userfaultfd feature the spec's kernel lacks is never run there (UFFDIO_API
  // refuses it): `ptelab explore` reports it not applicable instead of exploring it, and so does the report.
  const outcomes = await exploreWorlds(module, worlds, { depth: settings.depth, maxStates: settings.maxStates, keepGoing: true });
  const out: ReportWorld[] = outcomes.map((r, i) => {
    const w = worlds[i]!;
    const file = w.file !== undefined ? { file: w.file } : {};
    if (r.verdict === 'n/a') return { name: w.name, ...file, verdict: 'n/a', exhausted: false, states: 0, transitions: 0, levels: [], reason: r.reason };
    if (r.verdict === 'error') return { name: w.name, ...file, verdict: 'error', exhausted: false, states: 0, transitions: 0, levels: [], error: r.message };
    const cx = r.counterexample;
    return {
      name: w.name,
      ...file,
      verdict: r.verdict,
      exhausted: r.exhausted,
      states: r.stats.states,
      transitions: r.stats.transitions,
      levels: r.stats.levels,
      ...(cx ? { counterexample: { ops: cx.ops.length, text: cx.text, summary: describeCounterexample(cx), run: reportRun(cx.result) } } : {}),
    };
  });
  const symmetry = `data values, fork children${sym.pfns ? ', pfns' : ''}${sym.slots ? ', swap offsets' : ''}` +
    (!sym.pfns || !sym.slots ? ` (pfn/offset renumbering off: ${sym.reasons.join('; ') || 'not sound for this spec'})` : '');
  return { available: true, depth: settings.depth, maxStates: settings.maxStates, ops: DEFAULT_OPS, symmetry, worlds: out };
}
