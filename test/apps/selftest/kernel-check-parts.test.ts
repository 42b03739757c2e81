// kernel-check's pure parts: reading a selftest's output, judging a step (spec vs kernel), and choosing the spec
// nearest a kernel version. The machine-dependent run is test/apps/kernel-check/kernel-check.kernel-test.ts.
import { describe, expect, it } from 'vitest';
import { judgeScenario, sameOutcome } from '../../../apps/kernel-check/judge.js';
import { parseKernelOutcome, parseKernelRun } from '../../../apps/kernel-check/kernel-output.js';
import { nearestSpec, specVersion } from '../../../apps/kernel-check/nearest-spec.js';
import { kernelVersion } from '../../../apps/kernel-check/host.js';
import type { Scenario } from '../../../runtime/scenario/types.js';

const OUTPUT = `TAP version 13
1..1
# s
# step 0: mm A -> kernel: ok; expected: - (-)
# step 1: A map anon at 0 pages 1 -> kernel: ok; expected: - (-)
# step 2: A write 0 = 1 -> kernel: userfault wp; expected: userfault wp (pass)
# step 3: A read 0 -> kernel: 1; expected: 1 (pass)
# step 4: A pagemap 0 -> kernel: wp [present]; expected: wp (pass)
# step 5: migrate A 0 -> kernel: not run: the page stayed at PFN 0x1: 1 NUMA node; expected: - (not run)
ok 1 s # SKIP 1 expectation not run
`;

const scenario: Scenario = {
  name: 's',
  steps: [
    { op: { op: 'mm', name: 'A' } },
    { op: { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 0, pages: 1 } } },
    { op: { op: 'write', mm: 'A', addr: 0, value: 1 } },
    { op: { op: 'read', mm: 'A', addr: 0 } },
    { op: { op: 'pagemap', mm: 'A', addr: 0 } },
    { op: { op: 'migrate', mm: 'A', addr: 0 } },
    { op: { op: 'exit', mm: 'A' } },
  ],
};

describe('kernel output', () => {
  it('reads every outcome form', () => {
    expect(parseKernelOutcome('ok')).toEqual({ type: 'ok' });
    expect(parseKernelOutcome('-3')).toEqual({ type: 'value', value: -3 });
    expect(parseKernelOutcome('EINVAL')).toEqual({ type: 'error', errno: 'EINVAL' });
    expect(parseKernelOutcome('!wp [none]')).toEqual({ type: 'pagemap', uffd_wp: false, guard: false, detail: 'none' });
    expect(parseKernelOutcome('userfault wp')).toEqual({ type: 'userfault', mode: 'wp' });
    expect(parseKernelOutcome('not run: why')).toEqual({ type: 'not run', reason: 'why' });
    expect(parseKernelOutcome('garbage here')).toEqual({ type: 'unknown', text: 'garbage here' });
    expect(parseKernelOutcome('written none')).toEqual({ type: 'scan', written: [] });
    expect(parseKernelOutcome('written 0, 2, 10')).toEqual({ type: 'scan', written: [0, 2, 10] });
  });

  it('a run: steps by index; a skipped test says why', () => {
    const r = parseKernelRun(OUTPUT);
    expect(r.steps.size).toBe(6);
    expect(r.stopped).toBeUndefined();
    expect(parseKernelRun('TAP version 13\n1..1\nok 1 s # SKIP needs swap (none in /proc/swaps)\n').stopped).toBe(
      'the test was skipped: needs swap (none in /proc/swaps)',
    );
  });
});

describe('judge', () => {
  it('agree, differ, not run (kernel event, missing output), never agree by default', () => {
    const spec = [
      { index: 0, outcome: { type: 'ok' } },
      { index: 1, outcome: { type: 'ok' } },
      { index: 2, outcome: { type: 'ok' } }, // spec: the write completes; kernel: userfault -> differ
      { index: 3, outcome: { type: 'value', value: 1 } },
      { index: 4, outcome: { type: 'pagemap', uffd_wp: true, flags: [] } },
      { index: 5, outcome: { type: 'ok' } },
      { index: 6, outcome: { type: 'ok' } },
    ] as const;
    const v = judgeScenario(scenario, spec, parseKernelRun(OUTPUT));
    expect(v.steps.map((s) => s.verdict)).toEqual(['agree', 'agree', 'differ', 'agree', 'agree', 'not run', 'not run']);
    expect(v.steps[5]!.reason).toContain('PFN');
    expect(v.steps[6]!.reason).toBe('the test program printed nothing for this step');
  });

  it('a spec simulation that stopped leaves its steps not run', () => {
    const v = judgeScenario(scenario, [{ index: 0, missing: 'stopped' }], parseKernelRun(OUTPUT));
    expect(v.steps[0]).toMatchObject({ verdict: 'not run', reason: 'stopped' });
  });

  it('pagemap compares PM_UFFD_WP and PM_GUARD_REGION; hwpoison is its own signal', () => {
    expect(sameOutcome({ type: 'pagemap', uffd_wp: false, flags: ['PM_PRESENT'] }, { type: 'pagemap', uffd_wp: false, guard: false, detail: 'none' })).toBe(true);
    expect(sameOutcome({ type: 'pagemap', uffd_wp: true, flags: [] }, { type: 'pagemap', uffd_wp: false, guard: false, detail: '' })).toBe(false);
    expect(sameOutcome({ type: 'pagemap', uffd_wp: false, flags: ['PM_GUARD_REGION'] }, parseKernelOutcome('!wp [none guard]'))).toBe(true);
    expect(sameOutcome({ type: 'pagemap', uffd_wp: false, flags: [] }, parseKernelOutcome('!wp [none guard]'))).toBe(false);
    expect(sameOutcome({ type: 'hwpoison' }, { type: 'sigbus' })).toBe(false);
    expect(sameOutcome({ type: 'hwpoison' }, parseKernelOutcome('hwpoison'))).toBe(true);
    expect(sameOutcome({ type: 'error', errno: 'EINVAL' }, { type: 'error', errno: 'ENOENT' })).toBe(false);
  });

  it('the fault mode and the register reply are read back and compared', () => {
    expect(parseKernelOutcome('userfault minor')).toEqual({ type: 'userfault', mode: 'minor' });
    expect(sameOutcome({ type: 'userfault', mode: 'minor' }, parseKernelOutcome('userfault missing'))).toBe(false);
    const reply = parseKernelOutcome('ok [ioctls wake copy zeropage writeprotect continue poison]');
    expect(reply).toEqual({ type: 'ok', ioctls: ['wake', 'copy', 'zeropage', 'writeprotect', 'continue', 'poison'] });
    // UFFDIO_POISON is in the kernel's reply but not in the model's set: not compared
    expect(sameOutcome({ type: 'ok', ioctls: ['wake', 'copy', 'zeropage', 'writeprotect', 'continue'] }, reply)).toBe(true);
    expect(sameOutcome({ type: 'ok', ioctls: ['wake', 'copy', 'zeropage', 'move', 'writeprotect', 'continue'] }, reply)).toBe(false);
    expect(sameOutcome({ type: 'ok' }, reply)).toBe(true);
  });

  it("PAGEMAP_SCAN's written pages are compared as a set", () => {
    expect(sameOutcome({ type: 'scan', written: [0, 1] }, parseKernelOutcome('written 0, 1'))).toBe(true);
    expect(sameOutcome({ type: 'scan', written: [0, 1] }, parseKernelOutcome('written 0'))).toBe(false);
    expect(sameOutcome({ type: 'scan', written: [] }, parseKernelOutcome('written none'))).toBe(true);
    expect(sameOutcome({ type: 'scan', written: [] }, parseKernelOutcome('EPERM'))).toBe(false);
  });

  it('a call that never returns is compared as such', () => {
    expect(parseKernelOutcome('hang')).toEqual({ type: 'hang' });
    expect(sameOutcome({ type: 'hang' }, parseKernelOutcome('hang'))).toBe(true);
    expect(sameOutcome({ type: 'error', errno: 'EAGAIN' }, parseKernelOutcome('hang'))).toBe(false);
    // without CONFIG_MEMORY_FAILURE the hwpoison signal is a plain SIGBUS: the judge says not run, never agree
    expect(sameOutcome({ type: 'sigbus' }, parseKernelOutcome('sigbus or hwpoison'))).toBe(true);
  });
});

describe('nearest spec', () => {
  const files = ['examples/x86_64-v5.10.pte', 'examples/x86_64-v5.19.pte', 'examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte', 'examples/proposal.pte'];
  it('the newest of the same arch not above the kernel, else the oldest above it', () => {
    expect(nearestSpec(files, 'x86_64', [6, 18])?.file).toBe('examples/x86_64-v6.17.pte');
    expect(nearestSpec(files, 'x86_64', [6, 1])?.file).toBe('examples/x86_64-v5.19.pte');
    expect(nearestSpec(files, 'x86_64', [5, 4])?.file).toBe('examples/x86_64-v5.10.pte');
    expect(nearestSpec(files, 'aarch64', [6, 18])?.file).toBe('examples/arm64-v6.17.pte');
    expect(nearestSpec(files, 'riscv64', [6, 18])).toBeUndefined();
    expect(specVersion('examples/proposal.pte')).toBeUndefined();
    expect(kernelVersion('6.18.44-fc-v1272')).toEqual([6, 18]);
  });
});
