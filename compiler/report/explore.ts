// The explore section: `ptelab explore` on every bundled world (examples/worlds/*.scn) at a small depth, with the
// verdict per world and, for a counterexample, its scenario text and replay. A report is still written when the
// explorer cannot start (the section then says why) or fails on a world (that world's verdict is `error`).
import type { IrSpec } from '../ir/types.js';
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { describeCounterexample } from '../../runtime/explore/counterexample.js';
import { explore } from '../../runtime/explore/explore.js';
import { specUffdFeatures, unsupportedBy, type SpecFeatures } from '../../runtime/explore/features.js';
import { symmetryFor } from '../../runtime/explore/symmetry.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import type { SpecModule } from '../../runtime/spec-module.js';
import type { ReportExplore, ReportWorld } from './model.js';
import { reportRun } from './runs.js';

export const DEFAULT_REPORT_DEPTH = 3;
export const DEFAULT_REPORT_MAX_STATES = 200_000;

export interface ExploreSettings {
  readonly depth: number;
  readonly maxStates: number;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

export async function exploreSection(ir: IrSpec, module: SpecModule, settings: ExploreSettings): Promise<ReportExplore> {
  let sym: ReturnType<typeof symmetryFor>;
  let worlds: ReturnType<typeof bundledWorlds>;
  let features: SpecFeatures;
  try {
    sym = symmetryFor(ir);
    worlds = bundledWorlds();
    features = specUffdFeatures(ir);
  } catch (e) {
    return { available: false, reason: `not available: the explorer failed to start: ${message(e)}` };
  }
  const out: ReportWorld[] = [];
  for (const w of worlds) {
    const file = w.file !== undefined ? { file: w.file } : {};
    // A world whose setup asks for a userfaultfd feature the spec's kernel lacks is never run there (UFFDIO_API
    // refuses it): `ptelab explore` reports it not applicable instead of exploring it, and so does the report.
    const na = unsupportedBy(features, w.setup);
    if (na !== undefined) {
      out.push({ name: w.name, ...file, verdict: 'n/a', exhausted: false, states: 0, transitions: 0, levels: [], reason: na });
      continue;
    }
    try {
      const r = await explore(module, w, { depth: settings.depth, maxStates: settings.maxStates, symmetry: { pfns: sym.pfns, slots: sym.slots } });
      const cx = r.counterexample;
      out.push({
        name: w.name,
        ...file,
        verdict: r.verdict,
        exhausted: r.exhausted,
        states: r.stats.states,
        transitions: r.stats.transitions,
        levels: r.stats.levels,
        ...(cx ? { counterexample: { ops: cx.ops.length, text: cx.text, summary: describeCounterexample(cx), run: reportRun(cx.result) } } : {}),
      });
    } catch (e) {
      out.push({ name: w.name, ...file, verdict: 'error', exhausted: false, states: 0, transitions: 0, levels: [], error: message(e) });
    }
  }
  const symmetry = `data values, fork children${sym.pfns ? ', pfns' : ''}${sym.slots ? ', swap offsets' : ''}` +
    (!sym.pfns || !sym.slots ? ` (pfn/offset renumbering off: ${sym.reasons.join('; ') || 'not sound for this spec'})` : '');
  return { available: true, depth: settings.depth, maxStates: settings.maxStates, ops: DEFAULT_OPS, symmetry, worlds: out };
}
