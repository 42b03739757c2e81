// The explore section: `ptelab explore` on every bundled world (examples/worlds/*.scn) at a small depth, with the
// verdict per world and, for a counterexample, its scenario text and replay. The explorer is imported lazily: a
// report is still written when it is missing or broken, and the section then says "explore: not available".
import type { IrSpec } from '../ir/types.js';
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

type Api = {
  readonly explore: typeof import('../../runtime/explore/explore.js').explore;
  readonly symmetryFor: typeof import('../../runtime/explore/symmetry.js').symmetryFor;
  readonly bundledWorlds: typeof import('../../runtime/explore/worlds.js').bundledWorlds;
  readonly describeCounterexample: typeof import('../../runtime/explore/counterexample.js').describeCounterexample;
  readonly defaultOps: readonly string[];
  /** Which userfaultfd features the spec's kernel offers, and which worlds it therefore cannot run. */
  readonly specUffdFeatures: typeof import('../../runtime/explore/features.js').specUffdFeatures;
  readonly unsupportedBy: typeof import('../../runtime/explore/features.js').unsupportedBy;
};

async function loadApi(): Promise<Api | string> {
  try {
    const [ex, sym, worlds, cx, alpha, feat] = await Promise.all([
      import('../../runtime/explore/explore.js'),
      import('../../runtime/explore/symmetry.js'),
      import('../../runtime/explore/worlds.js'),
      import('../../runtime/explore/counterexample.js'),
      import('../../runtime/explore/alphabet.js'),
      import('../../runtime/explore/features.js'),
    ]);
    const api = {
      explore: ex.explore,
      symmetryFor: sym.symmetryFor,
      bundledWorlds: worlds.bundledWorlds,
      describeCounterexample: cx.describeCounterexample,
      defaultOps: alpha.DEFAULT_OPS,
      specUffdFeatures: feat.specUffdFeatures,
      unsupportedBy: feat.unsupportedBy,
    };
    const missing = Object.entries(api).filter(([, v]) => v === undefined).map(([k]) => k);
    return missing.length > 0 ? `not available: the explorer does not export ${missing.join(', ')}` : api;
  } catch (e) {
    return `not available: the explorer does not load: ${message(e)}`;
  }
}

export async function exploreSection(ir: IrSpec, module: SpecModule, settings: ExploreSettings): Promise<ReportExplore> {
  const api = await loadApi();
  if (typeof api === 'string') return { available: false, reason: api };
  let sym: { pfns: boolean; slots: boolean; reasons: readonly string[] };
  let worlds: ReturnType<Api['bundledWorlds']>;
  try {
    sym = api.symmetryFor(ir);
    worlds = api.bundledWorlds();
  } catch (e) {
    return { available: false, reason: `not available: the explorer failed to start: ${message(e)}` };
  }
  let features: ReturnType<Api['specUffdFeatures']>;
  try {
    features = api.specUffdFeatures(ir);
  } catch (e) {
    return { available: false, reason: `not available: the explorer failed to start: ${message(e)}` };
  }
  const out: ReportWorld[] = [];
  for (const w of worlds) {
    const file = w.file !== undefined ? { file: w.file } : {};
    // A world whose setup asks for a userfaultfd feature the spec's kernel lacks is never run there (UFFDIO_API
    // refuses it): `ptelab explore` reports it not applicable instead of exploring it, and so does the report.
    const na = api.unsupportedBy(features, w.setup);
    if (na !== undefined) {
      out.push({ name: w.name, ...file, verdict: 'n/a', exhausted: false, states: 0, transitions: 0, levels: [], reason: na });
      continue;
    }
    try {
      const r = await api.explore(module, w, { depth: settings.depth, maxStates: settings.maxStates, symmetry: { pfns: sym.pfns, slots: sym.slots } });
      const cx = r.counterexample;
      out.push({
        name: w.name,
        ...file,
        verdict: r.verdict,
        exhausted: r.exhausted,
        states: r.stats.states,
        transitions: r.stats.transitions,
        levels: r.stats.levels,
        ...(cx ? { counterexample: { ops: cx.ops.length, text: cx.text, summary: api.describeCounterexample(cx), run: reportRun(cx.result) } } : {}),
      });
    } catch (e) {
      out.push({ name: w.name, ...file, verdict: 'error', exhausted: false, states: 0, transitions: 0, levels: [], error: message(e) });
    }
  }
  const symmetry = `data values, fork children${sym.pfns ? ', pfns' : ''}${sym.slots ? ', swap offsets' : ''}` +
    (!sym.pfns || !sym.slots ? ` (pfn/offset renumbering off: ${sym.reasons.join('; ') || 'not sound for this spec'})` : '');
  return { available: true, depth: settings.depth, maxStates: settings.maxStates, ops: api.defaultOps, symmetry, worlds: out };
}
