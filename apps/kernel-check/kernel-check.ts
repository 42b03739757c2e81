// ptelab kernel-check: every scenario as a C selftest on the running kernel (runOnKernel), each step's outcome
// judged against the spec's simulation of the same step (judgeRuns). The kernel's outcomes do not depend on the
// spec, so one run can be judged against several specs (the tests judge it against the nearest spec and, as the
// negative control, against 5.10). The run owns a temporary directory (sources, binaries) and, when it runs as
// root, a swapfile when a scenario needs swap and the huge pages its hugetlb scenarios need (vm.nr_hugepages raised);
// all are undone whatever happens (`finally`, and on SIGINT/SIGTERM).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Scenario } from '../../runtime/scenario/types.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { buildSelftests, writeSelftests } from '../selftest/selftest-dir.js';
import { reserveHugePages, setupSwapfile, type HostInfo, type HugePageReservation, type Swapfile } from './host.js';
import { hugePagesNeeded } from '../selftest/emit-c.js';
import { judgeScenario, type ScenarioVerdict, type Verdict } from './judge.js';
import { parseKernelRun, type KernelRun } from './kernel-output.js';
import { buildPrograms, runProgram } from './run-selftests.js';
import { specOutcomes } from './spec-outcomes.js';

export interface KernelRunOptions {
  readonly host: HostInfo;
  /** Where the swapfile's directory goes (default: the system's temporary directory). */
  readonly swapDir?: string;
  /** Keep the sources and binaries here instead of a temporary directory. */
  readonly keepDir?: string;
}

export interface KernelRuns {
  readonly kernel: string;
  readonly scenarios: readonly Scenario[];
  /** One per scenario, in order. */
  readonly runs: readonly KernelRun[];
  /** The swapfile that was used (gone now), or why there was none (steps that need swap are then "not run"). */
  readonly swap: { readonly file?: string; readonly problem?: string };
  /** Huge pages for the hugetlb scenarios: the most one needs, how many the run added to vm.nr_hugepages (taken
   *  off again), or why it could not (those scenarios are then skipped by their programs, saying so). */
  readonly hugetlb: { readonly need: number; readonly added?: number; readonly problem?: string };
  /** Programs that did not build: a bug in ptelab. */
  readonly buildErrors: readonly { readonly name: string; readonly error: string }[];
  /** Anything the teardown could not undo (a swapfile still on): must be empty. */
  readonly teardownProblems: readonly string[];
}

export interface KernelCheckResult extends Omit<KernelRuns, 'runs' | 'scenarios'> {
  readonly spec: { readonly file: string; readonly name: string };
  readonly scenarios: readonly ScenarioVerdict[];
  readonly totals: Readonly<Record<Verdict, number>>;
}

const NEEDS_SWAP = new Set(['evict', 'reclaim', 'madv_pageout', 'swapoff']);

export async function runOnKernel(scenarios: readonly Scenario[], opts: KernelRunOptions): Promise<KernelRuns> {
  const set = buildSelftests(scenarios.map((s) => ({ scenario: s, origin: s.file ?? 'a scenario' })));
  const dir = opts.keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-kernel-check-'));
  let swap: Swapfile | undefined;
  let swapFile: string | undefined;
  let swapProblem: string | undefined;
  let huge: HugePageReservation | undefined;
  let hugeAdded: number | undefined;
  let hugeProblem: string | undefined;
  const hugeNeed = Math.max(0, ...scenarios.map(hugePagesNeeded));
  const teardownProblems: string[] = [];
  const teardown = (): void => {
    if (swap) teardownProblems.push(...swap.teardown());
    swap = undefined;
    if (huge) teardownProblems.push(...huge.teardown());
    huge = undefined;
    if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
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
    if (scenarios.some((s) => s.steps.some((st) => NEEDS_SWAP.has(st.op.op)))) {
      if (!opts.host.root) swapProblem = 'not root: cannot set up a swapfile';
      else {
        try {
          swap = setupSwapfile(opts.swapDir ?? os.tmpdir());
          swapFile = swap.file;
        } catch (e) {
          swapProblem = e instanceof Error ? e.message : String(e);
        }
      }
    }
    // the programs run one at a time: the most one scenario needs is enough
    if (hugeNeed > 0) {
      if (!opts.host.root) hugeProblem = 'not root: cannot raise vm.nr_hugepages';
      else {
        try {
          huge = reserveHugePages(hugeNeed);
          hugeAdded = huge.added;
          if (huge.available < hugeNeed) hugeProblem = `the kernel gave ${huge.available} free huge pages of the ${hugeNeed} asked for`;
        } catch (e) {
          hugeProblem = e instanceof Error ? e.message : String(e);
        }
      }
    }
    // one run per scenario, in order: a scenario the C driver cannot express has no program (set.skipped)
    const runs = scenarios.map((s): KernelRun => {
      const p = set.programs.find((x) => x.scenario === s);
      if (!p) return { steps: new Map(), stopped: set.skipped.find((x) => x.scenario === s)?.reason ?? 'no program' };
      return built.has(p.name)
        ? { steps: new Map(), stopped: 'the program did not build (a bug in ptelab)' }
        : parseKernelRun(runProgram(dir, p.name, swap?.file).stdout);
    });
    teardown();
    return {
      kernel: opts.host.kernel,
      scenarios,
      runs,
      swap: { ...(swapFile ? { file: swapFile } : {}), ...(swapProblem ? { problem: swapProblem } : {}) },
      hugetlb: { need: hugeNeed, ...(hugeAdded !== undefined ? { added: hugeAdded } : {}), ...(hugeProblem ? { problem: hugeProblem } : {}) },
      buildErrors,
      teardownProblems,
    };
  } finally {
    teardown();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** The kernel's runs judged against one spec. */
export function judgeRuns(k: KernelRuns, module: SpecModule, specFile: string): KernelCheckResult {
  const scenarios = k.scenarios.map((s, i) => judgeScenario(s, specOutcomes(module, s), k.runs[i]!));
  const totals: Record<Verdict, number> = { agree: 0, differ: 0, 'not run': 0 };
  for (const v of scenarios) for (const s of v.steps) totals[s.verdict]++;
  const { runs: _runs, scenarios: _s, ...rest } = k;
  return { ...rest, spec: { file: specFile, name: module.name }, scenarios, totals };
}
