// The fast part of the kernel check inside `npm test`: two seed-thread scenarios (eviction of a protected shmem
// page; protection is per mm) and one hugetlb scenario (huge pages reserved for the run and given back) on the
// running kernel, judged against the nearest bundled spec. The whole set, and
// the negative control against 5.10, is `npm run test:kernel` (kernel-check.kernel-test.ts). Needs root,
// userfaultfd and gcc (machine.ts).
import { describe, expect, it } from 'vitest';
import { judgeRuns, runOnKernel } from '../../../apps/kernel-check/kernel-check.js';
import { specModule } from '../../runtime/scenario/repo-scenarios.js';
import { differences, expectCleanRun, host, nearestBundledSpec, nrHugepages, runKernel, scenariosOf, title } from './machine.js';

const NAMES = ['eviction of a protected shmem page', 'protection is per mm: another mapping of the file is not affected', 'wp-fork: hugetlb, no EVENT_FORK'];

describe.skipIf(!runKernel)(title('kernel-check: two seed-thread scenarios and a hugetlb one on the running kernel', 'test/apps/kernel-check/subset.test.ts'), () => {
  it('agree with the nearest spec on every step, and leave no swap on and no huge pages behind', async () => {
    const scenarios = ['1-seed-thread', '15-hugetlb'].flatMap((f) => scenariosOf(`examples/scenarios/${f}.scn`)).filter((s) => NAMES.includes(s.name));
    expect(scenarios.length).toBe(NAMES.length);
    const before = nrHugepages();
    const k = await runOnKernel(scenarios, { host });
    expectCleanRun(k, before);
    expect(k.hugetlb.need).toBeGreaterThan(0);
    const spec = nearestBundledSpec();
    const r = judgeRuns(k, await specModule(spec), spec);
    expect(differences(r)).toEqual([]);
    expect(r.totals['not run']).toBe(0);
    expect(r.totals.agree).toBe(scenarios.reduce((n, s) => n + s.steps.length, 0));
  });
});
