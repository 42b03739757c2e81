// Section 5 of `ptelab diff` (--behaviour): the same scenarios run on both designs, outcomes side by side.
//
// HOOK, NOT YET IMPLEMENTED. The runtime's scenario runner (runtime/runner.ts, runScenario(module, scenario)) is being
// written; until it is wired here, behaviourDiff() returns undefined and every renderer prints
// "behaviour: not available yet". Nothing is simulated or invented in the meantime.
//
// To fill it in: build each side's module (compiler/backends/build.ts + backends/ts/load-module.ts), run every
// bundled scenario that applies to both specs with runScenario(), and return one ScenarioComparison per scenario.
// The renderers (render-text.ts, render-markdown.ts, render-json.ts) already print a BehaviourDiff of this shape,
// and a comparison with `same: false` makes the diff exit 1.
import type { DiffSide } from './side.js';

/** How one run ended, as one line (runtime/runner.ts formats failures; `ok` when every step passed). */
export interface ScenarioVerdict {
  readonly ok: boolean;
  readonly summary: string;
}

export interface ScenarioComparison {
  /** The scenario file, as the user named it. */
  readonly scenario: string;
  readonly a: ScenarioVerdict;
  readonly b: ScenarioVerdict;
  /** Both runs took the same steps to the same outcomes. */
  readonly same: boolean;
  /** The first step whose outcome differs (1-based), when they differ. */
  readonly firstDifference?: { readonly step: number; readonly text: string; readonly a: string; readonly b: string };
}

export interface BehaviourDiff {
  readonly scenarios: readonly ScenarioComparison[];
}

/** The behaviour comparison of two designs, or undefined while the runner is not wired in (see above). */
export async function behaviourDiff(a: DiffSide, b: DiffSide): Promise<BehaviourDiff | undefined> {
  void a;
  void b;
  return undefined;
}
