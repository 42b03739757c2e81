// BFS exploration: verdicts (complete / incomplete / counterexample), shortest counterexamples that replay through
// the scenario runner, the op alphabet, the same answers with worker threads and with the symmetry reduction off.
import { beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../../../runtime/explore/explore.js';
import { runScenario } from '../../../runtime/runner.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import { NAIVE, SHMEM, bundledWorld, hasNaive, spec, world, type TestSpec } from './helpers.js';

const SYM = { pfns: true, slots: true };

describe('explore on x86_64-v6.17', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('is complete and clean on a shmem world, with consistent statistics', async () => {
    const r = await explore(s617.module, world(SHMEM), { depth: 4, symmetry: SYM });
    expect(r.verdict).toBe('complete');
    expect(r.counterexample).toBeUndefined();
    const s = r.stats;
    expect(s.levels.reduce((a, b) => a + b, 0)).toBe(s.states);
    expect(s.levels[0]).toBe(1);
    expect(s.maxDepth).toBe(4);
    expect(s.transitions).toBeGreaterThan(s.states);
    expect(s.bytesPerState).toBeGreaterThan(0);
    expect(s.peakRss).toBeGreaterThan(0);
  });

  it('says so when the frontier runs dry before the depth bound (every reachable state)', async () => {
    const r = await explore(s617.module, world(SHMEM), { depth: 10, ops: ['read', 'pagemap', 'protect', 'resolve'], symmetry: SYM });
    expect(r.verdict).toBe('complete');
    expect(r.exhausted).toBe(true);
    expect(r.stats.maxDepth).toBeLessThan(10);
  });

  it('is incomplete, never complete, when max-states cuts it short', async () => {
    const r = await explore(s617.module, world(SHMEM), { depth: 6, maxStates: 40, symmetry: SYM });
    expect(r.verdict).toBe('incomplete');
    expect(r.stats.states).toBe(40);
    expect(r.exhausted).toBe(false);
  });

  it('finds nothing more and nothing less without the pfn/offset symmetry, in more states', async () => {
    const w = bundledWorld('anon.scn', 'anon, event_fork');
    const on = await explore(s617.module, w, { depth: 4, symmetry: SYM });
    const off = await explore(s617.module, w, { depth: 4, symmetry: { pfns: false, slots: false } });
    expect(on.verdict).toBe('complete');
    expect(off.verdict).toBe('complete');
    expect(on.stats.states).toBeLessThan(off.stats.states);
  });

  it('gives the same states, levels and verdict with two worker threads', async () => {
    const w = bundledWorld('two-mms.scn', 'two mms share a file');
    const one = await explore(s617.module, w, { depth: 3, symmetry: SYM });
    const two = await explore(s617.module, w, { depth: 3, symmetry: SYM, workers: 2, moduleJs: s617.js });
    expect(two.verdict).toBe(one.verdict);
    expect(two.stats.levels).toEqual(one.stats.levels);
    expect(two.stats.transitions).toBe(one.stats.transitions);
    expect(two.stats.workers).toBe(2);
  });

  it('keeps the COW copy made by a write-protect fault across fork (the oracle false alarm explore found)', () => {
    // do_cow_fault() over a uffd-wp marker copies before it reports and gives the VMA an anon_vma; a read then proves
    // the copy exists, and fork must copy the PTE (vma_needs_copy): the child reads the copy, not the file.
    const text = `scenario "MAP_PRIVATE snapshot survives fork" {
  file F pages 1
  mm A { map F shared at 0; uffd features event_fork; register 0 }
  mm B { map F private at 0; uffd; register 0 }
  B protect 0
  B write 0 = 2 -> userfault wp
  A write 0 = 3
  B read 0 -> 0
  B fork C
  C read 0 -> 0
  C pagemap 0 -> !wp
}`;
    const r = runScenario(s617.module, parseScenarios({ path: 't.scn', text }).scenarios[0]!);
    expect(r.firstFailure?.message).toBeUndefined();
  });
});

describe.skipIf(!hasNaive)('explore on the naive shmem uffd-wp proposal', () => {
  let naive: TestSpec;
  beforeAll(async () => {
    naive = await spec(NAIVE);
  });

  it('finds a shortest counterexample (protect, write) that the runner replays to the same failure', async () => {
    const r = await explore(naive.module, world(SHMEM), { depth: 6, symmetry: SYM });
    expect(r.verdict).toBe('counterexample');
    const cx = r.counterexample!;
    expect(cx.ops.map((o) => o.op)).toEqual(['protect', 'write']);
    expect(cx.failure.kind).toBe('oracle');
    expect(cx.failure.message).toMatch(/the spec gives ok, the v6.17 contract requires userfault wp/);
    expect(cx.failure.site?.path).toBeDefined();
    expect(cx.failure.site?.line).toBeGreaterThan(0);
    // BFS: nothing of length 1 fails
    const d1 = await explore(naive.module, world(SHMEM), { depth: 1, symmetry: SYM });
    expect(d1.verdict).toBe('complete');
    // the printed scenario replays, from its text alone, to the same failure at the last step
    const sc = parseScenarios({ path: 'cx.scn', text: cx.text });
    expect(sc.diagnostics).toEqual([]);
    const replay = runScenario(naive.module, sc.scenarios[0]!);
    expect(replay.firstFailure?.step).toBe(sc.scenarios[0]!.steps.length - 1);
    expect(replay.firstFailure?.message).toBe(cx.failure.message);
  });

  it('needs protect for it: without that op the same bounds find nothing', async () => {
    const r = await explore(naive.module, world(SHMEM), {
      depth: 3,
      ops: ['read', 'write', 'pagemap', 'evict', 'punch', 'dontneed'],
      symmetry: SYM,
    });
    expect(r.verdict).toBe('complete');
  });

  it('gives the same counterexample with two workers', async () => {
    const w = bundledWorld('two-mms.scn', 'two mms share a file');
    const one = await explore(naive.module, w, { depth: 5, symmetry: SYM });
    const two = await explore(naive.module, w, { depth: 5, symmetry: SYM, workers: 2, moduleJs: naive.js });
    expect(one.verdict).toBe('counterexample');
    expect(two.verdict).toBe('counterexample');
    expect(two.counterexample!.ops.length).toBe(one.counterexample!.ops.length);
    expect(two.counterexample!.text).toBe(one.counterexample!.text);
  });
});
