// `npm run test:slow` (test/slow-suites.ts): the whole matrix, every scenario and every bundled world explored on
// every spec (about 60 s of CPU: a quarter of npm test when it was there). It is deterministic (two runs give the same
// bytes), the committed docs/matrix.* are fresh, it is well-formed, and its verdicts are the known ones. The seed
// thread's rows are checked in npm test too (matrix.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_MARK } from '../../../compiler/backends/generated-header.js';
import { MATRIX_EXPLORE_DEPTH } from '../../../apps/matrix/explore.js';
import { matrixFiles, MATRIX_JSON, MATRIX_MD, renderMatrixFiles } from '../../../apps/matrix/files.js';
import { runMatrix } from '../../../apps/matrix/run.js';
import { matrixSummary } from '../../../apps/matrix/summary.js';
import { repoRoot } from '../../helpers/repo.js';

describe('matrixFiles', async () => {
  // The freshness of the committed docs/matrix.* is checked here, not in generated-fresh.test.ts.
  const result = await runMatrix(repoRoot);
  const first = renderMatrixFiles(result);
  const second = await matrixFiles(repoRoot);

  it('prints per column the scenario totals and the explore verdicts, counted from the matrix', () => {
    const lines = matrixSummary(result).trimEnd().split('\n');
    expect(lines[0]).toBe(`${result.rows.length} scenarios x ${result.specs.length} specs, and ${result.worlds.length} worlds explored to depth ${MATRIX_EXPLORE_DEPTH} (docs/matrix.md: the tables, every divergence and counterexample)`);
    expect(lines).toHaveLength(result.specs.length + 1);
    expect(lines.find((l) => l.trimStart().startsWith('x86_64-v6.17 '))).toMatch(new RegExp(`^ +x86_64-v6\\.17 +${result.rows.length} pass +0 fail +\\(${result.rows.length} pass without pagemap steps\\); explore ${result.worlds.length} clean, 0 counterexample, 0 incomplete, 0 n/a$`));
    // 5.19: the counts are those of its column; it has counterexamples (the bugs 5.19 shipped) and 9 worlds it cannot run
    // (WP_UNPOPULATED, v6.4, among them uffd-several.scn's second world; WP_ASYNC, v6.7)
    const v519 = Object.values(result.specs.find((x) => x.column === 'x86_64-v5.19')!.explore);
    const n = (v: string): number => v519.filter((c) => c.verdict === v).length;
    expect(n('counterexample')).toBeGreaterThanOrEqual(10);
    expect(n('n/a')).toBe(9);
    expect(lines.find((l) => l.trimStart().startsWith('x86_64-v5.19 '))).toMatch(new RegExp(`explore ${n('complete')} clean, ${n('counterexample')} counterexample, ${n('incomplete')} incomplete, ${n('n/a')} n/a$`));
  });

  it('returns docs/matrix.md and docs/matrix.json', () => {
    expect([...first.keys()]).toEqual([MATRIX_MD, MATRIX_JSON]);
  });
  it('is deterministic: two runs give the same bytes', () => {
    expect(second.get(MATRIX_MD) === first.get(MATRIX_MD)).toBe(true);
    expect(second.get(MATRIX_JSON) === first.get(MATRIX_JSON)).toBe(true);
  });
  it('docs/matrix.md and docs/matrix.json are what this run gives (regenerate with `npm run generate`)', () => {
    for (const [file, text] of first) {
      expect(fs.readFileSync(path.join(repoRoot, file), 'utf8') === text, `${file} is stale`).toBe(true);
    }
  });
  it('each file says it is generated on its first line (markdown comment, JSON field)', () => {
    expect(first.get(MATRIX_MD)!.split('\n')[0]).toMatch(new RegExp(`^<!-- ${GENERATED_MARK} .*; do not edit -->$`));
    const json = first.get(MATRIX_JSON)!;
    expect(json.split('\n')[0]).toContain(`"generated_by": "${GENERATED_MARK}`);
    expect(JSON.parse(json).generated_by).toContain(GENERATED_MARK);
  });
  it('holds no absolute path (the same text on every machine)', () => {
    for (const text of first.values()) expect(text.includes(repoRoot)).toBe(false);
  });
  it('has one row per scenario and one result per spec; the 6.17 columns pass everywhere', () => {
    const m = JSON.parse(first.get(MATRIX_JSON)!) as {
      specs: { column: string; passed: number; failed: number }[];
      rows: { scenario: string; results: Record<string, { ok: boolean; step?: number }> }[];
    };
    expect(m.rows.length).toBeGreaterThanOrEqual(25);
    for (const r of m.rows) expect(Object.keys(r.results).sort()).toEqual(m.specs.map((s) => s.column).sort());
    for (const col of ['x86_64-v6.17', 'arm64-v6.17']) {
      expect(m.specs.find((s) => s.column === col)).toMatchObject({ failed: 0 });
    }
    const naive = m.rows.find((r) => r.scenario.startsWith('hole punch'))!.results['shmem-wp-naive']!;
    expect(naive).toMatchObject({ ok: false, step: 8 });
  });
  it('mremap: 5.19 keeps the moved uffd-wp bit (left in a VMA without VM_UFFD_WP, blamed on the decision), 6.17 clears it (0cef0bb836e3, v6.13)', () => {
    const m = JSON.parse(first.get(MATRIX_JSON)!) as {
      rows: { scenario: string; results: Record<string, { ok: boolean; text?: string; got?: string; want?: string; without_pagemap?: { ok: boolean } }> }[];
    };
    const r = m.rows.find((x) => x.scenario.startsWith('mremap moves the data'))!.results;
    // 5.19.6 move_ptes() moves the entries as they are: the leftover invariant fails at the mremap itself
    expect(r['x86_64-v5.19']).toMatchObject({ ok: false, text: 'A mremap 0 to 4', kind: 'invariant' });
    expect((r['x86_64-v5.19'] as { site?: string }).site).toMatch(/^decision uffd_mremap_resets_wp at examples\/mm\/linux-v5\.19\.pte:\d+$/);
    expect(r['x86_64-v6.17']).toMatchObject({ ok: true });
  });

  describe('the explore table', () => {
    type Cell = { verdict: string; length?: number; failing_op?: string; got?: string; want?: string; site?: string; reason?: string };
    const m = JSON.parse(first.get(MATRIX_JSON)!) as {
      specs: { column: string; group: string; extends: string | null; explore: Record<string, Cell>; coverage: { never_created: string[]; caveat: string | null } }[];
      explore: { depth: number; max_states: number; worlds: { name: string; file: string }[] };
    };
    const col = (c: string) => m.specs.find((s) => s.column === c)!.explore;

    it('says its depth, and has one verdict per bundled world and spec', () => {
      expect(m.explore.depth).toBe(MATRIX_EXPLORE_DEPTH);
      expect(first.get(MATRIX_MD)!).toContain(`\`ptelab explore SPEC --depth ${MATRIX_EXPLORE_DEPTH}\``);
      expect(m.explore.worlds.length).toBeGreaterThanOrEqual(16);
      for (const s of m.specs) expect(Object.keys(s.explore)).toEqual(m.explore.worlds.map((w) => w.name));
    });
    it("issue 19's trial proposals on 6.17 are clean on every world, and the matrix says what that does not cover", () => {
      for (const c of ['free-swap-type', 'uffd-wp-bit57']) {
        for (const [world, cell] of Object.entries(col(c))) expect(cell.verdict, `${c}: ${world}`).toBe('clean');
      }
      // the scenarios create the entries the proposal moves into SWP_HWPOISON's type (memory failure, poisoned and
      // guard markers) so its clean verdict covers them; what they never create is said plainly
      const fst = m.specs.find((s) => s.column === 'free-swap-type')!;
      for (const k of ['hwpoison', 'pte_marker(PTE_MARKER_POISONED)', 'pte_marker(PTE_MARKER_GUARD)', 'pte_marker(PTE_MARKER_UFFD_WP)']) {
        expect(fst.coverage.never_created).not.toContain(k);
      }
      expect(fst.coverage.never_created.length).toBeGreaterThan(0);
      for (const k of fst.coverage.never_created) expect(fst.coverage.caveat).toContain(k);
      expect(first.get(MATRIX_MD)!).toContain('## Coverage');
    });
    it('6.17 (x86_64 and arm64) is clean on every world: no false alarm', () => {
      for (const c of ['x86_64-v6.17', 'arm64-v6.17']) {
        for (const [world, cell] of Object.entries(col(c))) expect(cell.verdict, `${c}: ${world}`).toBe('clean');
      }
    });
    it('finds the naive proposal\'s failure in two ops: protect, then a write that completes', () => {
      expect(col('shmem-wp-naive')['shmem shared']).toMatchObject({
        verdict: 'counterexample',
        length: 2,
        failing_op: 'A write 0 = 2',
        got: 'ok',
        want: 'userfault wp',
      });
    });
    it('gives every seed-thread proposal (on 5.10) a short counterexample wherever it applies', () => {
      for (const s of m.specs.filter((x) => x.group === 'proposal' && x.extends === 'x86_64_v5_10')) {
        for (const [world, cell] of Object.entries(s.explore)) {
          // a world without a userfaultfd has no protection to lose: the seed-thread designs differ only there
          // (no-uffd.scn, and thp-shmem.scn's first world, a huge shmem file mapped without one)
          if (cell.verdict === 'n/a' || world.includes('no uffd') || world === 'thp shmem shared') continue;
          expect(cell.verdict, `${s.column}: ${world}`).toBe('counterexample');
          expect(cell.length!, `${s.column}: ${world}`).toBeLessThanOrEqual(4);
        }
      }
    });
    it('5.19: WP_UNPOPULATED worlds are not applicable; the rest finds what 5.19.6 really left behind', () => {
      const c = col('x86_64-v5.19');
      expect(c['anon, wp_unpopulated']).toMatchObject({ verdict: 'n/a' });
      expect(c['anon, wp_unpopulated']!.reason).toMatch(/UFFD_FEATURE_WP_UNPOPULATED/);
      // mremap (and close) leave the uffd-wp bit (anon) and the marker (shmem) in a VMA without VM_UFFD_WP: the leftover
      // invariant names the decision (5.19.6 move_ptes moves them as they are; the clearing came in 6.13, 0cef0bb836e3).
      // These 2-3 op findings hide the longer ones (test/runtime/uffd-unregister-reset.test.ts explores without
      // mremap and close and finds the migration bug again)
      expect(c['anon']).toMatchObject({ verdict: 'counterexample', length: 3, failing_op: 'A mremap 0 to 8' });
      expect(c['shmem shared']).toMatchObject({ verdict: 'counterexample', length: 2, failing_op: 'A mremap 0 to 8' });
      expect(c['shmem shared']!.site).toMatch(/^decision uffd_mremap_resets_wp /);
      // with EVENT_REMAP the range stays registered: close finds the same kind of leftover (the reset on close came in
      // 6.9, c88033efe9a3)
      expect(c['shmem shared, event_remap']).toMatchObject({ verdict: 'counterexample', length: 2, failing_op: 'A close uffd' });
      expect(c['shmem shared, event_remap']!.site).toMatch(/^decision uffd_release_resets_wp /);
    });
  });
});
