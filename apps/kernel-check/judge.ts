// One verdict per step: the spec's outcome against the kernel's. A step is "not run" when either side has no
// outcome (a kernel event that could not be forced, a test skipped for want of swap, a spec simulation that
// stopped); it is never counted as agreeing.
import type { StepOutcome } from '../../runtime/outcome.js';
import { formatStep } from '../../runtime/format-step.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { formatKernelOutcome, modelledIoctls, type KernelOutcome, type KernelRun } from './kernel-output.js';
import { formatSpecStep, type SpecStep } from './spec-outcomes.js';

export type Verdict = 'agree' | 'differ' | 'not run';

export interface StepVerdict {
  readonly index: number;
  readonly text: string;
  readonly spec: string;
  readonly kernel: string;
  readonly verdict: Verdict;
  /** Why a step was not run, or what differs. */
  readonly reason?: string;
}

export interface ScenarioVerdict {
  readonly scenario: string;
  readonly file?: string;
  readonly steps: readonly StepVerdict[];
}

const NO_MEMORY_FAILURE =
  'this kernel has no CONFIG_MEMORY_FAILURE: it sends VM_FAULT_HWPOISON as a plain SIGBUS, so the hwpoison signal cannot be told apart';

export function sameOutcome(spec: StepOutcome, kernel: KernelOutcome): boolean {
  switch (spec.type) {
    case 'value':
      return kernel.type === 'value' && kernel.value === spec.value;
    case 'ok':
      // UFFDIO_REGISTER's reply: the range ioctls ptelab models must be the same set (UFFDIO_POISON is not compared)
      if (kernel.type !== 'ok') return false;
      if (!spec.ioctls || !kernel.ioctls) return true;
      return sameSet(spec.ioctls, modelledIoctls(kernel.ioctls));
    case 'sigbus':
      return kernel.type === 'sigbus' || kernel.type === 'sigbus or hwpoison'; // the signal the user sees
    case 'userfault':
      return kernel.type === 'userfault' && kernel.mode === spec.mode;
    case 'error':
      return kernel.type === 'error' && kernel.errno === spec.errno;
    case 'pagemap':
      // PM_UFFD_WP and PM_GUARD_REGION (v6.14) are compared; present/swap/file are shown, not judged
      return kernel.type === 'pagemap' && kernel.uffd_wp === spec.uffd_wp && kernel.guard === spec.flags.includes('PM_GUARD_REGION');
    case 'scan':
      // PAGEMAP_SCAN: the same pages reported PAGE_IS_WRITTEN
      return kernel.type === 'scan' && sameSet(spec.written, kernel.written);
    default:
      return kernel.type === spec.type;
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function judgeScenario(scenario: Scenario, spec: readonly SpecStep[], kernel: KernelRun): ScenarioVerdict {
  const steps = scenario.steps.map((step, i): StepVerdict => {
    const text = formatStep(step.op);
    const s = spec[i];
    const k = kernel.steps.get(i);
    const specText = s ? formatSpecStep(s) : '-';
    if (!k) {
      const reason = kernel.stopped ?? 'the test program printed nothing for this step';
      return { index: i, text, spec: specText, kernel: '-', verdict: 'not run', reason };
    }
    const kernelText = formatKernelOutcome(k);
    if (k.type === 'not run') return { index: i, text, spec: specText, kernel: kernelText, verdict: 'not run', reason: k.reason };
    if (!s || !('outcome' in s)) {
      return { index: i, text, spec: specText, kernel: kernelText, verdict: 'not run', reason: s && 'missing' in s ? s.missing : 'no spec outcome' };
    }
    if (s.outcome.type === 'hwpoison' && k.type === 'sigbus or hwpoison') {
      return { index: i, text, spec: specText, kernel: kernelText, verdict: 'not run', reason: NO_MEMORY_FAILURE };
    }
    if (sameOutcome(s.outcome, k)) return { index: i, text, spec: specText, kernel: kernelText, verdict: 'agree' };
    return { index: i, text, spec: specText, kernel: kernelText, verdict: 'differ' };
  });
  return { scenario: scenario.name, ...(scenario.file ? { file: scenario.file } : {}), steps };
}
