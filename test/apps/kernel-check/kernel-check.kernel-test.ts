// `npm run test:kernel`: every bundled scenario on the running kernel (ptelab kernel-check), judged against the
// bundled spec nearest the kernel's version: no step may differ, and the only steps not run are those after a
// kernel event user space cannot force here (NUMA hinting; a migration on one node; a memory failure without
// CONFIG_MEMORY_FAILURE) or of a scenario the C driver cannot express (a swap read error). The hugetlb scenarios run
// on huge pages the check reserves and gives back. The same run judged against 5.10 must differ (the negative
// control: the check can fail). Needs root, userfaultfd and gcc (machine.ts).
import { describe, expect, it } from 'vitest';
import { judgeRuns, runOnKernel, type KernelRuns } from '../../../apps/kernel-check/kernel-check.js';
import { specModule } from '../../runtime/scenario/repo-scenarios.js';
import { bundledScenarios, differences, expectCleanRun, host, nearestBundledSpec, notRunCauses, nrHugepages, runKernel, scenariosOf, title } from './machine.js';

const FILE = 'test/apps/kernel-check/kernel-check.kernel-test.ts';

describe.skipIf(!runKernel)(title('kernel-check: every bundled scenario on the running kernel', FILE), () => {
  const scenarios = bundledScenarios();
  let runs: KernelRuns | undefined;
  let hugepagesBefore = 0;
  const kernelRuns = async (): Promise<KernelRuns> => {
    if (!runs) {
      hugepagesBefore = nrHugepages();
      runs = await runOnKernel(scenarios, { host });
    }
    return runs;
  };

  it('runs every scenario, and leaves no swap and no huge pages of its own behind', async () => {
    const k = await kernelRuns();
    expectCleanRun(k, hugepagesBefore);
    expect(k.runs.length).toBe(scenarios.length);
    expect(k.hugetlb.need).toBeGreaterThan(0);
  });

  it(`agrees with the nearest bundled spec on every step it could run`, async () => {
    const spec = nearestBundledSpec();
    const r = judgeRuns(await kernelRuns(), await specModule(spec), spec);
    expect(differences(r)).toEqual([]);
    const causes = notRunCauses(r, scenarios);
    // scenarios with a step the C driver cannot do (a swap read error cannot be forced from user space; THP
    // collapse; huge shmem files) are not run, with that reason (a hugetlb scenario short of huge pages is not
    // allowed: the check reserves them); every other step not run follows a kernel event user
    // space cannot force here (NUMA hinting, a migration on one node, a memory failure without CONFIG_MEMORY_FAILURE),
    // observes the hwpoison signal on such a kernel, reclaims an anon page another mm maps too (MADV_PAGEOUT skips it), needs an EVENT_FORK child's context its parent holds, follows a
    // call that never returned (hang), or a long-term pin io_uring's write pin cannot stand for (a read-only pin of a
    // uffd-wp page needs CONFIG_GUP_TEST)
    const driver = causes.filter((c) => /the C driver/.test(c.reason));
    const machine = /CONFIG_MEMORY_FAILURE|held by its parent|mm \w+ is not running|CONFIG_GUP_TEST|another mm maps too/;
    for (const c of causes.filter((x) => !driver.includes(x) && !machine.test(x.reason))) {
      expect(['numa_scan', 'migrate'], `${c.scenario}: step ${c.step}: ${c.reason}`).toContain(c.cause);
    }
    expect(new Set(driver.map((c) => c.scenario)).size).toBeLessThan(scenarios.length / 2);
    // most steps run: a check that runs nothing cannot pass
    expect(r.totals.agree).toBeGreaterThan(0.5 * (r.totals.agree + r.totals['not run']));
    console.log(`kernel-check ${host.kernel} vs ${spec}: ${r.totals.agree} agree, ${r.totals.differ} differ, ${r.totals['not run']} not run`);
  });

  it('the negative control: the same run judged against 5.10 differs', async () => {
    const r = judgeRuns(await kernelRuns(), await specModule('examples/x86_64-v5.10.pte'), 'examples/x86_64-v5.10.pte');
    expect(r.totals.differ).toBeGreaterThan(0);
    // 5.10 cannot register shmem for WP (uffd-wp on shmem came with 5.19), and has no PM_UFFD_WP (5.14)
    const punch = r.scenarios.find((s) => s.scenario === 'hole punch keeps the protection (the thread\'s data-loss case)')!;
    expect(punch.steps.find((st) => st.text === 'A register 0')).toMatchObject({ spec: 'EINVAL', kernel: expect.stringMatching(/^ok\b/), verdict: 'differ' }); // with the ioctls the kernel offers
    const anon = r.scenarios.find((s) => s.scenario === 'swap-out and swap-in of protected anon')!;
    expect(anon.steps.find((st) => st.text === 'A pagemap 0')).toMatchObject({ spec: '!wp', kernel: 'wp', verdict: 'differ' });
  });

  it('the driver: EVENT_FORK with and without a registered range; a child context held by its parent', async () => {
    const k = await runOnKernel(scenariosOf('test/apps/selftest/fixtures/event-fork-unregistered.scn'), { host });
    const steps = k.runs[0]!.steps;
    expect(k.runs[0]!.stopped).toBeUndefined();
    expect(steps.get(4)).toEqual({ type: 'ok' }); // A fork B: no event to wait for
    expect(steps.get(5)).toEqual({ type: 'value', value: 1 });
    expect(steps.get(9)).toEqual({ type: 'userfault', mode: 'wp' }); // C, forked with the event, kept the protection
    expect(steps.get(11)).toMatchObject({ type: 'not run', reason: expect.stringContaining('held by its parent') });
    expect(steps.get(12)).toMatchObject({ type: 'not run', reason: expect.stringMatching(/^step 11 did not happen/) });
  });
});
