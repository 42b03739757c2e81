// The kernel's side of a kernel check: the output of one generated selftest (apps/selftest/c/ptelab_selftest.h
// prints one line per step, "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)", then the TAP result).
import { UFFD_RANGE_IOCTL_NAMES, type UffdMode, type UffdRangeIoctl } from '../../contract/table.js';

export type KernelOutcome =
  | { readonly type: 'value'; readonly value: number }
  | { readonly type: 'ok'; readonly ioctls?: readonly string[] } // UFFDIO_REGISTER's reply, every range ioctl named
  | { readonly type: 'hwpoison' }
  /** A SIGBUS on a kernel without CONFIG_MEMORY_FAILURE, where VM_FAULT_HWPOISON is a plain SIGBUS too. */
  | { readonly type: 'sigbus or hwpoison' }
  /** The call did not return within the driver's step timeout (the driver killed the mm). */
  | { readonly type: 'hang' }
  | { readonly type: 'userfault'; readonly mode: UffdMode }
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'error'; readonly errno: string }
  | { readonly type: 'pagemap'; readonly uffd_wp: boolean; readonly guard: boolean; readonly detail: string }
  /** PAGEMAP_SCAN: the pages reported PAGE_IS_WRITTEN, ascending. */
  | { readonly type: 'scan'; readonly written: readonly number[] }
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
  if (text === 'ok' || text === 'sigbus' || text === 'sigsegv' || text === 'hwpoison' || text === 'sigbus or hwpoison' || text === 'hang') return { type: text };
  const ioctls = /^ok \[ioctls((?: [a-z]+)*)\]$/.exec(text);
  if (ioctls) return { type: 'ok', ioctls: ioctls[1]!.split(' ').filter(Boolean) };
  const uf = /^userfault (wp|missing|minor)$/.exec(text);
  if (uf) return { type: 'userfault', mode: uf[1] as UffdMode };
  if (/^-?\d+$/.test(text)) return { type: 'value', value: Number(text) };
  const pm = /^(!?wp) \[(.*)\]$/.exec(text);
  if (pm) return { type: 'pagemap', uffd_wp: pm[1] === 'wp', guard: pm[2]!.split(' ').includes('guard'), detail: pm[2]! };
  if (/^E[A-Z0-9]+$/.test(text)) return { type: 'error', errno: text };
  const scan = /^written (none|\d+(?:, \d+)*)$/.exec(text);
  if (scan) return { type: 'scan', written: scan[1] === 'none' ? [] : scan[1]!.split(', ').map(Number) };
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
      return (k.uffd_wp ? 'wp' : '!wp') + (k.guard ? ' guard' : '');
    case 'ok':
      return k.ioctls ? `ok ioctls ${k.ioctls.join(', ')}` : 'ok';
    case 'scan':
      return `written ${k.written.length ? k.written.join(', ') : 'none'}`;
    case 'not run':
      return '-';
    case 'unknown':
      return k.text;
    default:
      return k.type;
  }
}

/** The range ioctls of a kernel reply that ptelab models (UFFD_RANGE_IOCTLS): others (UFFDIO_POISON) are not compared. */
export function modelledIoctls(names: readonly string[]): UffdRangeIoctl[] {
  return UFFD_RANGE_IOCTL_NAMES.filter((n) => names.includes(n));
}
