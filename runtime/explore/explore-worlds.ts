// One exploration run over several worlds, as every caller wants it (`ptelab explore`, the matrix, the report, the
// mutation test, the bench): a world the spec's kernel cannot set up is answered `n/a` with the reason
// (applicable.ts), the others are explored with the symmetry reductions the spec module says are sound (the
// compiler's verdict, SpecModule.symmetry), in world order.
import type { SpecModule } from '../../contract/spec-module.js';
import type { SymmetryVerdict } from '../../contract/table.js';
import { unsupportedBy } from './applicable.js';
import { explore, type ExploreOptions, type ExploreResult } from './explore.js';
import { openPool } from './pool.js';
import type { PreparedWorld } from './world.js';

/** A world the spec's kernel cannot run: not explored. */
export interface NotApplicable {
  readonly world: string;
  readonly verdict: 'n/a';
  readonly reason: string;
}

/** The explorer failed on a world (a bug in ptelab, reported per world when the caller asks to go on). */
export interface ExploreFailed {
  readonly world: string;
  readonly verdict: 'error';
  readonly message: string;
}

export type WorldOutcome = ExploreResult | NotApplicable | ExploreFailed;

export interface ExploreWorldsSettings extends Omit<ExploreOptions, 'symmetry'> {
  /** Use the spec's symmetry verdict (default); false: no pfn/offset renumbering (`--no-symmetry`). */
  readonly symmetry?: boolean;
  /** Record an exception on one world as an `error` outcome and go on, instead of throwing. */
  readonly keepGoing?: boolean;
  /** Called before each world is explored (not for n/a ones). */
  readonly onWorldStart?: (world: PreparedWorld, index: number) => void;
  /** Called with each world's outcome as soon as it is known. */
  readonly onWorld?: (world: PreparedWorld, outcome: WorldOutcome, index: number) => void;
}

const NO_SYMMETRY: SymmetryVerdict = { pfns: false, slots: false, reasons: ['--no-symmetry'] };
const UNKNOWN_SYMMETRY: SymmetryVerdict = { pfns: false, slots: false, reasons: ['the spec module carries no symmetry verdict'] };

/** The symmetry reductions a run uses for `module` under `settings`. */
export function runSymmetry(module: SpecModule, settings: { readonly symmetry?: boolean }): SymmetryVerdict {
  return settings.symmetry === false ? NO_SYMMETRY : (module.symmetry ?? UNKNOWN_SYMMETRY);
}

/**
 * One worker pool serves every world (unless the caller brings its own). The run stops early, leaving the remaining
 * worlds out of the result, when `signal` aborts (Ctrl-C) or a world stops for --max-memory.
 */
export async function exploreWorlds(module: SpecModule, worlds: readonly PreparedWorld[], settings: ExploreWorldsSettings): Promise<WorldOutcome[]> {
  const sym = runSymmetry(module, settings);
  const { symmetry: _s, keepGoing, onWorldStart, onWorld, ...rest } = settings;
  const pool = rest.pool ?? (await openPool(module, rest.workers ?? 1, rest.moduleJs));
  try {
    return await run(module, worlds, sym, { ...rest, pool }, keepGoing, onWorldStart, onWorld);
  } finally {
    if (!rest.pool) await pool.close();
  }
}

async function run(
  module: SpecModule,
  worlds: readonly PreparedWorld[],
  sym: SymmetryVerdict,
  options: Omit<ExploreOptions, 'symmetry'>,
  keepGoing: boolean | undefined,
  onWorldStart: ExploreWorldsSettings['onWorldStart'],
  onWorld: ExploreWorldsSettings['onWorld'],
): Promise<WorldOutcome[]> {
  const out: WorldOutcome[] = [];
  for (const [i, w] of worlds.entries()) {
    if (options.signal?.aborted) break;
    const na = unsupportedBy(module.uffdFeatures, w.setup);
    let outcome: WorldOutcome;
    if (na !== undefined) outcome = { world: w.name, verdict: 'n/a', reason: na };
    else {
      onWorldStart?.(w, i);
      try {
        outcome = await explore(module, w, { ...options, symmetry: { pfns: sym.pfns, slots: sym.slots } });
      } catch (e) {
        if (!keepGoing) throw e;
        outcome = { world: w.name, verdict: 'error', message: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
      }
    }
    out.push(outcome);
    onWorld?.(w, outcome, i);
    if (outcome.verdict === 'incomplete' && outcome.stopped === 'memory') break; // the next world would not fit either
  }
  return out;
}
