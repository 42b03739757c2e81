// The outcome matrix's seed-thread rows: the naive spec fails where the seed thread says it fails (the hole punch's
// pre-unmap, eviction, fault-around), at the step the author expects. The whole matrix (every scenario and every
// bundled world explored on every spec, about 60 s of CPU, a quarter of npm test) is matrix-run.test.ts, in
// `npm run test:slow`.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../runtime/runner.js';
import { scenarioNamed, specModule } from '../../runtime/scenario/repo-scenarios.js';

const NAIVE = 'examples/proposals/shmem-wp-naive.pte';

describe('the naive spec fails where the thread says it does', () => {
  const cases: [scenario: string, step: number, text: string, path: string][] = [
    // shmem_fallocate(PUNCH_HOLE): unmap_mapping_range() zaps the protected PTE and keeps nothing; the next write
    // faults on a none PTE and completes: the data-loss case
    ['hole punch keeps the protection (the thread\'s data-loss case)', 8, 'A write 0 = 2', 'zap_present_pte'],
    // reclaim: try_to_unmap_one() clears the PTE of the evicted shmem page; the swapped-in page comes back writable
    ['eviction of a protected shmem page', 8, 'A write 0 = 2', 'try_to_unmap_pte'],
    // 5.10 faults around on uffd VMAs: filemap_map_pages() maps the zapped neighbour writable, no fault at all
    ['fault-around after protect', 10, 'A write 1 = 3', 'filemap_map_pages'],
  ];
  for (const [name, step, text, path] of cases) {
    it(`${name}: step ${step} \`${text}\` completes instead of raising a WP userfault (entry written by ${path})`, async () => {
      const r = runScenario(await specModule(NAIVE), scenarioNamed(name));
      expect(r.ok).toBe(false);
      const f = r.firstFailure!;
      expect({ step: f.step, text: f.text, kind: f.kind, path: f.site?.path }).toEqual({ step, text, kind: 'oracle', path });
      const rec = r.steps[step]!;
      expect(rec.outcome).toEqual({ type: 'ok' });
      expect(rec.oracle).toMatchObject({ type: 'userfault', mode: 'wp' });
    });
    it(`${name}: passes on x86_64-v6.17 (the scenario is right, the spec is not)`, async () => {
      expect(runScenario(await specModule('examples/x86_64-v6.17.pte'), scenarioNamed(name)).ok).toBe(true);
    });
  }
});
