// ptelab kernel-check: every scenario as a C selftest on the running kernel, each step's outcome judged against the
// spec's simulation of the same step. The check owns a temporary directory (sources, binaries) and, when it runs
// as root and a scenario needs swap, a swapfile; both are removed whatever happens (teardown runs in `finally`,
// and on SIGINT/SIGTERM).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Scenario } from '../../runtime/scenario/types.js';
import type { SpecModule } from '../../runtime/spec-module.js';
import { buildSelftests, writeSelftests } from '../selftest/selftest-dir.js';
import { setupSwapfile, type HostInfo, type Swapfile } from './host.js';
import { judgeScenario, type ScenarioVerdict, type Verdict } from './judge.js';
import { parseKernelRun } from './kernel-output.js';
import { buildPrograms, runProgram } from './run-selftests.js';
import { specOutcomes } from './spec-outcomes.js';

export interface KernelCheckInput {
  readonly module: SpecModule;
  readonly specFile: string;
  readonly scenarios: readonly Scenario[];
  readonly host: HostInfo;
  /** Where the swapfile's directory goes (default: the system's temporary directory). */
  readonly swapDir?: string;
  /** Keep the sources and binaries here instead of a temporary directory. */
  readonly keepDir?: string;
}

export interface KernelCheckResult {
  readonly kernel: string;
  readonly spec: { readonly file: string; readonly name: string };
  readonly scenarios: readonly ScenarioVerdict[];
  readonly totals: Readonly<Record<Verdict, number>>;
  /** Why there was no swapfile (scenarios that need swap then report their steps "not run"). */
  readonly swap: { readonly file?: string; readonly problem?: string };
  /** Programs that did not build: a bug in ptelab. */
  readonly buildErrors: readonly { readonly name: string; readonly error: string }[];
  /** Anything the teardown could not undo (a swapfile still on): must be empty. */
  readonly teardownProblems: readonly string[];
}

const NEEDS_SWAP = new Set(['evict', 'reclaim', 'madv_pageout', 'swapoff']);

export async function kernelCheck(input: KernelCheckInput): Promise<KernelCheckResult> {
  const set = buildSelftests(input.scenarios.map((s) => ({ scenario: s, origin: s.file ?? 'a scenario' })));
  const dir = input.keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-kernel-check-'));
  let swap: Swapfile | undefined;
  let swapProblem: string | undefined;
  const teardownProblems: string[] = [];
  const teardown = (): void => {
    if (swap) teardownProblems.push(...swap.teardown());
    swap = undefined;
    if (!input.keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    teardown();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    writeSelftests(dir, set);
    const built = await buildPrograms(dir, set.programs.map((p) => p.name));
    const buildErrors = [...built].map(([name, error]) => ({ name, error }));
    if (input.scenarios.some((s) => s.steps.some((st) => NEEDS_SWAP.has(st.op.op)))) {
      if (!input.host.root) swapProblem = 'not root: cannot set up a swapfile';
      else {
        try {
          swap = setupSwapfile(input.swapDir ?? os.tmpdir());
        } catch (e) {
          swapProblem = e instanceof Error ? e.message : String(e);
        }
      }
    }
    const verdicts: ScenarioVerdict[] = [];
    for (const p of set.programs) {
      const spec = specOutcomes(input.module, p.scenario);
      const failed = buildErrors.find((b) => b.name === p.name);
      const run = failed
        ? { steps: new Map(), stopped: 'the program did not build (a bug in ptelab)' }
        : parseKernelRun(runProgram(dir, p.name, swap?.file).stdout);
      verdicts.push(judgeScenario(p.scenario, spec, run));
    }
    const swapFile = swap?.file;
    teardown();
    const totals: Record<Verdict, number> = { agree: 0, differ: 0, 'not run': 0 };
    for (const v of verdicts) for (const s of v.steps) totals[s.verdict]++;
    return {
      kernel: input.host.kernel,
      spec: { file: input.specFile, name: input.module.name },
      scenarios: verdicts,
      totals,
      swap: { ...(swapFile ? { file: swapFile } : {}), ...(swapProblem ? { problem: swapProblem } : {}) },
      buildErrors,
      teardownProblems,
    };
  } finally {
    teardown();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
