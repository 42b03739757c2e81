// Section 5 of `ptelab diff` (--behaviour): the bundled scenarios (examples/scenarios/) run on both designs' generated
// modules, outcomes side by side; a scenario whose runs differ at some step is a behaviour difference. Then each
// side's explore verdict on every bundled world (examples/worlds/), at the outcome matrix's depth.
import { loadSpecModule } from '../load-module.js';
import { packageRoot } from '../../core/package-root.js';
import { loadMatrixScenarios } from '../matrix/run.js';
import { exploreColumn, matrixWorlds, MATRIX_EXPLORE_DEPTH, type ExploreCell } from '../matrix/explore.js';
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

/** One bundled world explored on both designs. */
export interface WorldComparison {
  readonly world: string;
  /** Repository-relative world file. */
  readonly file: string;
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
}

export interface BehaviourDiff {
  readonly scenarios: readonly ScenarioComparison[];
  /** The depth every world was explored to. */
  readonly exploreDepth: number;
  readonly worlds: readonly WorldComparison[];
}

/** An explore verdict as one line (a counterexample: its length, failing op and what went wrong). */
export function exploreVerdictText(c: ExploreCell): string {
  switch (c.verdict) {
    case 'complete':
      return `clean (${c.states} states)`;
    case 'incomplete':
      return `incomplete (${c.states} states, no verdict)`;
    case 'n/a':
      return `n/a: ${c.reason}`;
    case 'counterexample':
      return `counterexample: ${c.short}`;
  }
}

/** Every bundled scenario on both designs. `root` is where examples/scenarios/ lives (ptelab's own by default). */
export async function behaviourDiff(a: DiffSide, b: DiffSide, root: string = packageRoot()): Promise<BehaviourDiff | undefined> {
  const { scenarios } = loadMatrixScenarios(root);
  const [ma, mb] = [(await loadSpecModule(a.ir)).module, (await loadSpecModule(b.ir)).module];
  const { worlds, list } = matrixWorlds(root);
  const [ea, eb] = [await exploreColumn(ma, worlds), await exploreColumn(mb, worlds)];
  return {
    scenarios: scenarios.map((s) => compare(`${s.file}: ${s.name}`, runScenario(ma, s), runScenario(mb, s))),
    exploreDepth: MATRIX_EXPLORE_DEPTH,
    worlds: list.map((w, i) => {
      const [ta, tb] = [exploreVerdictText(ea[i]!), exploreVerdictText(eb[i]!)];
      // the same verdict; state counts may differ between two clean designs without a behaviour difference
      const same = ea[i]!.verdict === eb[i]!.verdict && (ea[i]!.verdict !== 'counterexample' || ta === tb);
      return { world: w.name, file: w.file, a: ta, b: tb, same };
    }),
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
