// hugetlb (issue #15; docs/runtime.md "hugetlb"): the runtime drives the spec's huge_pte level (runtime/hugetlb/), its
// invariants catch a path that forgets the kernel's bookkeeping, and each bundled kernel shows its own history on the
// scenarios of examples/scenarios/15-hugetlb.scn and 16-hugetlb.scn (5.10: no uffd-wp on hugetlb; 5.19: the bugs
// fixed after it). The 6.17 specs pass every scenario: test/runtime/scenario/bundled-scenarios.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText, loadSpecModule } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { formatFailure, runScenario, type RunResult } from '../../runtime/runner.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { v617With } from './explore/helpers.js';
import { run } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

const bundled = (file: string): Scenario[] => {
  const r = parseScenarios({ path: file, text: readFileSync(new URL(`../../examples/scenarios/${file}`, import.meta.url), 'utf8') });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios;
};
const hugetlbScenarios = (): Scenario[] => [...bundled('15-hugetlb.scn'), ...bundled('16-hugetlb.scn')];

/** The first divergence as "step text: kind [path]", or 'ok'. */
function divergence(r: RunResult): string {
  const f = r.firstFailure;
  if (!f) return 'ok';
  return `${f.text}: ${f.kind}${f.path ? ` [${f.path}]` : ''}`;
}

const WP = `scenario "s" {
  file H pages 1 hugetlb
  mm A { map H shared at 0; uffd; register 0 }
  A write 0 = 1
  A protect 0
  A madvise dontneed 0
  A pagemap 0 -> wp
  A write 0 -> userfault wp
  A resolve 0
  A write 0 = 2 -> ok
  A exit
}`;

describe('hugetlb on the bundled kernels', () => {
  it('6.17 keeps the protection of a zapped huge page in a huge_pte marker, and the entry classifies at that level', async () => {
    for (const name of ['x86_64-v6.17', 'arm64-v6.17']) {
      const m = await load(name);
      const r = run(m, WP);
      expect(`${name}: ${r.firstFailure ? formatFailure(r.firstFailure) : 'ok'}`).toBe(`${name}: ok`);
      expect(m.levels?.huge_pte?.kinds.map((k) => k.name)).toContain('pte_marker');
      // after the zap only the marker's uffd-wp is left: no PM_PRESENT, no PM_FILE
      expect(r.steps.find((st) => st.text === 'A pagemap 0')!.outcome).toEqual({ type: 'pagemap', uffd_wp: true, flags: ['PM_UFFD_WP'] });
    }
  });

  it('5.10 refuses every hugetlb registration but MISSING with EINVAL (MODE_WP: vma_can_userfault; MODE_MINOR: v5.13)', async () => {
    const m = await load('x86_64-v5.10');
    for (const s of hugetlbScenarios()) {
      const r = runScenario(m, s);
      expect(r.ok, s.name).toBe(false);
      const f = r.firstFailure!;
      if (!/register/.test(f.text)) continue; // the few without a registration stop where 5.10 has no huge_pte level
      expect(r.steps[f.step]!.outcome, s.name).toEqual({ type: 'error', errno: 'EINVAL' });
    }
  });

  it('5.19 diverges exactly where its hugetlb code differs from 6.17 (each a fix after 5.19, docs/matrix.md)', async () => {
    const m = await load('x86_64-v5.19');
    const got = Object.fromEntries(hugetlbScenarios().map((s) => [s.name, divergence(runScenario(m, s))]));
    expect(got).toMatchObject({
      // the CoW optimization of hugetlb_no_page calls hugetlb_cow, which ignores uffd-wp (60d5b473d61b, v6.3)
      'hugetlb-private: protect a none entry, fault over the marker': 'A write 0 = 1: oracle [hugetlb_change_protection]',
      'wp-fork-with-event: hugetlb-private': 'C write 0 = 3: oracle [copy_hugetlb_page_range]',
      // mprotect makes a shared uffd-wp entry writable: no write-notify for uffd-wp VMAs (51d3d5eb74ff, v6.2)
      'hugetlb: mprotect keeps the protection': 'A write 0 = 3: oracle [hugetlb_change_protection]',
      // close() does not reset (c88033efe9a3, v6.9)
      'hugetlb: close of the uffd resets': 'A pagemap 0: oracle [hugetlb_change_protection]',
      // move_huge_pte keeps the bit without EVENT_REMAP (0cef0bb836e3, v6.13)
      'hugetlb: mremap without EVENT_REMAP': 'A pagemap 8: oracle [pagemap_hugetlb_range]',
      // what 5.19 gets right (a MAP_SHARED write fault is not COWed: 1d8d14641fd9 is in 5.19.5)
      'wp-fork: hugetlb, no EVENT_FORK': 'ok',
      'wp-fork: hugetlb-private, no EVENT_FORK': 'ok',
      'wp-fork-with-event: hugetlb': 'ok',
      'hugetlb: protect a none entry, fault over the marker': 'ok',
      'hugetlb: unregister resets, markers and present entries': 'ok',
      'hugetlb-madvise: MADV_DONTNEED, private and shared': 'ok',
      // the fills (issue #15): no UFFDIO_CONTINUE_MODE_WP before v6.2, no UFFDIO_POISON before v6.6; COPY, CONTINUE
      // and migration behave as in 6.17
      'minor-wp: UFFDIO_CONTINUE_MODE_WP maps it write-protected': 'A continue 4 mode wp: oracle',
      'poison on hugetlb: UFFDIO_POISON makes a poisoned marker': 'A poison 0: oracle',
      'minor: resolved with UFFDIO_CONTINUE': 'ok',
      'uffd-stress on hugetlb: the COPY / WP loop': 'ok',
      'migration of a hugetlb folio keeps the uffd-wp protection': 'ok',
    });
  });
});

describe('hugetlb invariants catch a path that forgets the bookkeeping', () => {
  const zapWithout = (drop: string): string => {
    const body = ['let page = vm_normal_page(p.PFN)', 'clear', 'hugetlb_count_sub()', 'page_remove_rmap(page)', 'put_page(page)'].filter((s) => s !== drop);
    return `level huge_pte\npath __unmap_hugepage_range {\n  override case present as p {\n    ${body.join('\n    ')}\n  }\n}`;
  };
  const zap = `scenario "s" {
  file H pages 1 hugetlb
  mm A { map H shared at 0 }
  A write 0 = 1
  A madvise dontneed 0
  A read 0 -> 1
}`;

  it('the bundled zap is clean on this scenario (no uffd: the overrides below leave out only its marker line and one call)', async () => {
    expect(divergence(run(await load('x86_64-v6.17'), zap))).toBe('ok');
  });

  it.each([
    ['hugetlb_count_sub()', /hugetlb_usage of mm A is 1, but its hugetlb entries map 0 huge pages/],
    ['put_page(page)', /refcount 2, but 0 mappings \+ 1 page-cache reference \(a leaked reference\)/],
    ['page_remove_rmap(page)', /mapcount 1, but 0 entries map it/],
  ])('__unmap_hugepage_range without %s', async (drop, message) => {
    const { module } = await loadSpecModule(v617With(zapWithout(drop)));
    const r = run(module, zap);
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.text).toBe('A madvise dontneed 0');
    expect(r.firstFailure?.message).toMatch(message);
  });
});
