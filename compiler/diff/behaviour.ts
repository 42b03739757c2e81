// Section 5 of `ptelab diff` (--behaviour): the bundled scenarios (examples/scenarios/) run on both designs' generated
// modules, outcomes side by side; a scenario whose runs differ at some step is a behaviour difference.
import { loadSpecModule } from '../backends/ts/load-module.js';
import { packageRoot } from '../package-root.js';
import { loadMatrixScenarios } from '../matrix/run.js';
import { formatOutcome } from '../../runtime/outcome.js';
import { formatFailure, runScenario, type RunResult } from '../../runtime/runner.js';
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
  /** The first step whose outcome differs (numbered from 0, as the runner numbers steps), when they differ. */
  readonly firstDifference?: { readonly step: number; readonly text: string; readonly a: string; readonly b: string };
}

export interface BehaviourDiff {
  readonly scenarios: readonly ScenarioComparison[];
}

/** Every bundled scenario on both designs. `root` is where examples/scenarios/ lives (ptelab's own by default). */
export async function behaviourDiff(a: DiffSide, b: DiffSide, root: string = packageRoot()): Promise<BehaviourDiff | undefined> {
  const { scenarios } = loadMatrixScenarios(root);
  const [ma, mb] = [await loadSpecModule(a.ir), await loadSpecModule(b.ir)];
  return {
    scenarios: scenarios.map((s) => compare(`${s.file}: ${s.name}`, runScenario(ma, s), runScenario(mb, s))),
  };
}

function verdict(r: RunResult): ScenarioVerdict {
  return { ok: r.ok, summary: r.firstFailure ? formatFailure(r.firstFailure) : 'pass' };
}

function compare(scenario: string, ra: RunResult, rb: RunResult): ScenarioComparison {
  const n = Math.max(ra.steps.length, rb.steps.length);
  for (let i = 0; i < n; i++) {
    const sa = ra.steps[i];
    const sb = rb.steps[i];
    const oa = sa ? (sa.outcome ? formatOutcome(sa.outcome) : 'error') + (sa.ok ? '' : ' (diverges)') : 'not reached';
    const ob = sb ? (sb.outcome ? formatOutcome(sb.outcome) : 'error') + (sb.ok ? '' : ' (diverges)') : 'not reached';
    if (oa !== ob) {
      return { scenario, a: verdict(ra), b: verdict(rb), same: false, firstDifference: { step: i, text: (sa ?? sb)!.text, a: oa, b: ob } };
    }
  }
  return { scenario, a: verdict(ra), b: verdict(rb), same: true };
}
