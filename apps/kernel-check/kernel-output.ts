// The kernel's side of a kernel check: the output of one generated selftest (apps/selftest/c/ptelab_selftest.h
// prints one line per step, "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)", then the TAP result).
import type { UffdMode } from '../../contract/table.js';

export type KernelOutcome =
  | { readonly type: 'value'; readonly value: number }
  | { readonly type: 'ok' }
  | { readonly type: 'userfault'; readonly mode: UffdMode }
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'error'; readonly errno: string }
  | { readonly type: 'pagemap'; readonly uffd_wp: boolean; readonly detail: string }
  | { readonly type: 'not run'; readonly reason: string }
  | { readonly type: 'unknown'; readonly text: string };

export interface KernelRun {
  /** step index -> what the kernel did there */
  readonly steps: ReadonlyMap<number, KernelOutcome>;
  /** The TAP result line's directive when the whole test was skipped or stopped (e.g. "needs swap"). */
  readonly stopped?: string;
}

const STEP = /^# step (\d+): .* -> kernel: (.*?); expected: .* \((pass|FAIL|not run|-)\)$/;

export function parseKernelOutcome(text: string): KernelOutcome {
  if (text.startsWith('not run: ')) return { type: 'not run', reason: text.slice('not run: '.length) };
  if (text === 'ok' || text === 'sigbus' || text === 'sigsegv') return { type: text };
  if (text === 'userfault wp' || text === 'userfault missing') return { type: 'userfault', mode: text === 'userfault wp' ? 'wp' : 'missing' };
  if (/^-?\d+$/.test(text)) return { type: 'value', value: Number(text) };
  const pm = /^(!?wp) \[(.*)\]$/.exec(text);
  if (pm) return { type: 'pagemap', uffd_wp: pm[1] === 'wp', detail: pm[2]! };
  if (/^E[A-Z0-9]+$/.test(text)) return { type: 'error', errno: text };
  return { type: 'unknown', text };
}

export function parseKernelRun(stdout: string): KernelRun {
  const steps = new Map<number, KernelOutcome>();
  let stopped: string | undefined;
  for (const line of stdout.split('\n')) {
    const m = STEP.exec(line);
    if (m) {
      steps.set(Number(m[1]), parseKernelOutcome(m[2]!));
      continue;
    }
    const skip = /^ok 1 .*# SKIP (.*)$/.exec(line);
    if (skip && steps.size === 0) stopped = `the test was skipped: ${skip[1]}`;
    const bad = /^not ok 1 .*# (.*)$/.exec(line);
    if (bad) stopped = `the test stopped: ${bad[1]}`;
    const bail = /^Bail out! (.*)$/.exec(line);
    if (bail) stopped = `the test bailed out: ${bail[1]}`;
  }
  return { steps, ...(stopped ? { stopped } : {}) };
}

export function formatKernelOutcome(k: KernelOutcome): string {
  switch (k.type) {
    case 'value':
      return String(k.value);
    case 'userfault':
      return `userfault ${k.mode}`;
    case 'error':
      return k.errno;
    case 'pagemap':
      return k.uffd_wp ? 'wp' : '!wp';
    case 'not run':
      return '-';
    case 'unknown':
      return k.text;
    default:
      return k.type;
  }
}
