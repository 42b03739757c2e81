// The mutation test on the huge_pte level (issue #15, apps/mutation/levels.ts): a fast subset on the hugetlb worlds
// (the whole run is `npm run bench -- mutation-hugetlb`). Mutants are made on the level's own IR and put back into the
// spec; the PTE level is untouched; every reviewed reason names a case of the level.
import { beforeAll, describe, expect, it } from 'vitest';
import { runMutationTest } from '../../../apps/mutation/mutation.js';
import { EQUIVALENT_HUGE_PTE, NEVER_CREATED_HUGE_PTE, TRANSIENT_HUGE_PTE, levelTables, withLevel } from '../../../apps/mutation/levels.js';
import { deleteCase } from '../../../apps/mutation/mutation.js';
import { bundledWorld, spec, type TestSpec } from '../../runtime/explore/helpers.js';

describe('mutation test on the huge_pte level (subset)', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  const huge = () => levelTables(s617.ir, 'huge_pte').ir;
  const id = (path: string, kind: string): string => {
    const p = huge().paths.find((x) => x.name === path)!;
    const i = p.cases.findIndex((c) => (c.kind ?? 'default') === kind);
    if (i < 0) throw new Error(`no ${kind} case in ${path}`);
    return `${path}#${i}`;
  };

  it('mutates the level in place and leaves the PTE level alone', () => {
    const level = huge();
    const i = level.paths.find((p) => p.name === '__unmap_hugepage_range')!.cases.findIndex((c) => c.kind === 'present');
    const m = withLevel(s617.ir, deleteCase(level, '__unmap_hugepage_range', i));
    expect(m.paths).toBe(s617.ir.paths);
    const after = m.levels!.find((l) => l.level === 'huge_pte')!.paths.find((p) => p.name === '__unmap_hugepage_range')!;
    expect(after.cases.map((c) => c.kind)).not.toContain('present');
    expect(m.levels!.filter((l) => l.level !== 'huge_pte')).toEqual(s617.ir.levels!.filter((l) => l.level !== 'huge_pte'));
    expect(() => levelTables(s617.ir, 'pmd')).toThrow(/no table of reasons/);
  });

  it('keys every reviewed reason to a case of the 6.17 huge_pte level, and every never-created kind to a kind', () => {
    const keys = new Set(huge().paths.flatMap((p) => p.cases.map((c, i) => `${p.name}#${i}:${c.kind ?? 'default'}`)));
    expect(Object.keys(EQUIVALENT_HUGE_PTE).filter((k) => !keys.has(k))).toEqual([]);
    const kinds = new Set(huge().kinds.map((k) => k.name));
    expect(Object.keys({ ...NEVER_CREATED_HUGE_PTE, ...TRANSIENT_HUGE_PTE }).filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('kills, or explains, a handful of hugetlb mutants', async () => {
    const want: Record<string, string> = {
      [`${id('copy_hugetlb_page_range', 'present')}/delete`]: 'check', // PTE050 at the level
      [`${id('copy_hugetlb_page_range', 'present')}/empty`]: 'explore', // the child misses the parent's huge page
      [`${id('__unmap_hugepage_range', 'present')}/empty`]: 'explore', // the entry stays mapped after MADV_DONTNEED
      [`${id('hugetlb_change_protection', 'none')}/empty`]: 'explore', // no marker on a never-faulted huge page
      [`${id('hugetlb_fault', 'migration_read')}/delete`]: 'check', // PTE050: hugetlb_fault is an entry path of the level
      [`${id('hugetlb_fault', 'migration_read')}/empty`]: 'equivalent', // migration entries never outlive the migrate op
      [`${id('hugetlb_mfill_atomic_pte_poison', 'none')}/empty`]: 'explore', // UFFDIO_POISON leaves no poisoned marker
    };
    const r = await runMutationTest({
      ir: s617.ir,
      level: 'huge_pte',
      worlds: [bundledWorld('hugetlb-shared.scn', 'hugetlb shared'), bundledWorld('hugetlb-private.scn', 'hugetlb private')],
      depth: 3,
      only: Object.keys(want),
    });
    expect(Object.fromEntries(r.mutants.map((m) => [m.id, m.status]))).toEqual(want);
    expect(r.score).toBe(1);
    expect(r.staleReasons).toEqual([]);
    const byId = new Map(r.mutants.map((m) => [m.id, m]));
    expect(byId.get(`${id('hugetlb_fault', 'migration_read')}/empty`)!.grounds).toBe('transient');
    expect(byId.get(`${id('copy_hugetlb_page_range', 'present')}/empty`)!.scenario).toMatch(/fork/);
  });
});
