// A fast subset of the mutation test (the whole run is `npm run bench -- mutation`, test/bench/explore-bench.ts): a
// deleted or emptied case is caught by the exhaustiveness check, or by exploration, or is equivalent for a stated
// reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { EQUIVALENT, deleteCase, emptyCase, exhaustivenessFindings, hasStatements, irLevels, runMutationTest } from '../../../apps/mutation/mutation.js';
import { SHMEM, bundledWorld, spec, world, type TestSpec } from '../../runtime/explore/helpers.js';

describe('mutation test (subset)', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('finds no exhaustiveness problem in the spec itself, and one when an only case goes', () => {
    expect([...exhaustivenessFindings(s617.ir)]).toEqual([]);
    const zap = s617.ir.paths.find((p) => p.name === 'zap_pte_range')!;
    const i = zap.cases.findIndex((c) => c.kind === 'present');
    const m = deleteCase(s617.ir, 'zap_pte_range', i);
    expect([...exhaustivenessFindings(m)]).toEqual(["PTE050 path 'zap_pte_range' does not handle kind 'present'"]);
    expect(m.paths.find((p) => p.name === 'zap_pte_range')!.cases.map((c) => c.index)).toEqual(zap.cases.slice(1).map((_, j) => j));
  });

  it('empties a case without deleting it, and leaves `keep`-only cases alone', () => {
    const ir = s617.ir;
    const copy = ir.paths.find((p) => p.name === 'copy_page_range')!;
    const present = copy.cases.findIndex((c) => c.kind === 'present');
    const none = copy.cases.findIndex((c) => c.kind === 'none');
    expect(hasStatements(copy.cases[present]!)).toBe(true);
    expect(hasStatements(copy.cases[none]!)).toBe(false); // `case none { keep }`: its empty mutant would be the spec
    const m = emptyCase(ir, 'copy_page_range', present);
    const mc = m.paths.find((p) => p.name === 'copy_page_range')!.cases;
    expect(mc).toHaveLength(copy.cases.length);
    expect(mc[present]!.body.map((st) => st.s)).toEqual(['keep']);
    expect(mc[present]!.kind).toBe('present');
    expect([...exhaustivenessFindings(m)]).toEqual([]); // still handled: only exploration can tell
  });

  it('keys every reviewed equivalence reason to a case of the 6.17 spec', () => {
    const keys = new Set(irLevels(s617.ir).flatMap(({ ir }) => ir.paths.flatMap((p) => p.cases.map((c, i) => `${p.name}#${i}:${c.kind ?? 'default'}`))));
    expect(Object.keys(EQUIVALENT).filter((k) => !keys.has(k))).toEqual([]);
    for (const reason of Object.values(EQUIVALENT)) {
      expect(reason.length).toBeGreaterThan(20);
      expect(reason).not.toMatch(/\n/);
    }
  });

  it('kills, or explains, a handful of mutants', async () => {
    const ir = s617.ir;
    const id = (path: string, pred: (kind: string | undefined, guarded: boolean) => boolean): string => {
      const p = ir.paths.find((x) => x.name === path)!;
      const i = p.cases.findIndex((c) => pred(c.kind, c.guard !== undefined));
      if (i < 0) throw new Error(`no such case in ${path}`);
      return `${path}#${i}`;
    };
    const want: Record<string, string> = {
      [`${id('copy_page_range', (k) => k === 'present')}/delete`]: 'check', // PTE050
      [`${id('change_pte_range', (k, g) => k === 'pte_marker' && !g)}/delete`]: 'explore', // markers fall to "no case"
      [`${id('try_to_unmap_one', (k) => k === 'present')}/delete`]: 'explore', // the page stays mapped
      [`${id('remove_migration_pte', (k) => k === 'migration_read')}/delete`]: 'explore', // a stale migration entry
      [`${id('try_to_migrate_one', (k) => k === 'device_private_read')}/delete`]: 'equivalent', // no device memory
      [`${id('zap_pte_range', (k, g) => k === 'pte_marker' && !g)}/delete`]: 'equivalent', // empty markers: never made
      [`${id('copy_page_range', (k) => k === 'present')}/empty`]: 'explore', // the child misses the parent's page
      [`${id('zap_pte_range', (k, g) => k === 'migration_read' && !g)}/empty`]: 'equivalent', // migration entries: transient
      [`${id('zap_pte_range', (k, g) => k === 'hwpoison' && g)}/delete`]: 'equivalent', // kernel dispatch order: dead guard
    };
    const r = await runMutationTest({
      ir,
      worlds: [world(SHMEM), bundledWorld('anon.scn', 'anon')],
      depth: 3,
      only: Object.keys(want),
    });
    expect(Object.fromEntries(r.mutants.map((m) => [m.id, m.status]))).toEqual(want);
    expect(r.total).toBe(9);
    expect(r.score).toBe(1);
    expect(r.staleReasons).toEqual([]);
    expect(r.byOperator.empty.total).toBe(2);
    const byId = new Map(r.mutants.map((m) => [m.id, m]));
    const unmapped = byId.get(`${id('try_to_unmap_one', (k) => k === 'present')}/delete`)!;
    expect(unmapped.detail).toMatch(/still mapped after try_to_unmap_one/);
    expect(unmapped.scenario).toMatch(/^scenario "explore: (shmem shared|anon)"/m);
    // fork copies nothing for the child: it reads 0 where the parent wrote (anon world: write, fork, child reads)
    const fork = byId.get(`${id('copy_page_range', (k) => k === 'present')}/empty`)!;
    expect(fork.detail).toMatch(/^world "anon", 3 ops: oracle: the spec gives 0, the v6.17 contract requires \d+$/);
    expect(byId.get(`${id('zap_pte_range', (k, g) => k === 'migration_read' && !g)}/empty`)!.grounds).toBe('transient');
    expect(byId.get(`${id('zap_pte_range', (k, g) => k === 'hwpoison' && g)}/delete`)!.grounds).toBe('dead guard');
    expect(byId.get(`${id('try_to_migrate_one', (k) => k === 'device_private_read')}/delete`)!.grounds).toBe('never created');
    for (const m of r.mutants) expect(m.detail.length).toBeGreaterThan(10);
  });

  it('mutates the PMD level too: a case of a PMD path changes that level only, and exploration of a THP world judges it', async () => {
    const ir = s617.ir;
    const pmd = ir.levels!.find((l) => l.level === 'pmd')!;
    const change = pmd.paths.find((p) => p.name === 'change_huge_pmd')!;
    const th = change.cases.findIndex((c) => c.kind === 'trans_huge');
    const zap = pmd.paths.find((p) => p.name === 'zap_huge_pmd')!;
    const mig = zap.cases.findIndex((c) => c.kind === 'migration_read');
    const m = deleteCase(ir, 'change_huge_pmd', th);
    expect(m.paths).toBe(ir.paths); // the PTE level untouched
    expect(m.levels!.find((l) => l.level === 'pmd')!.paths.find((p) => p.name === 'change_huge_pmd')!.cases).toHaveLength(change.cases.length - 1);
    // the PMD entry paths are checked per level: without its only default, zap_huge_pmd leaves PMD kinds unhandled
    const noDefault = deleteCase(ir, 'zap_huge_pmd', zap.cases.findIndex((c) => c.kind === undefined));
    expect([...exhaustivenessFindings(noDefault)].every((f) => f.startsWith("pmd level: PTE050 path 'zap_huge_pmd'"))).toBe(true);
    expect(exhaustivenessFindings(noDefault).size).toBeGreaterThan(0);
    const want: Record<string, string> = {
      [`change_huge_pmd#${th}/empty`]: 'explore', // UFFDIO_WRITEPROTECT of the whole THP does nothing: the write completes
      [`zap_huge_pmd#${mig}/delete`]: 'equivalent', // PMD migration entries: transient
    };
    const r = await runMutationTest({
      ir,
      worlds: [bundledWorld('thp-anon.scn', 'thp anon, collapsed and protected'), bundledWorld('thp-anon.scn', 'thp anon')],
      depth: 2,
      level: 'pmd',
      only: Object.keys(want),
    });
    expect(Object.fromEntries(r.mutants.map((x) => [x.id, x.status]))).toEqual(want);
    expect(r.mutants.map((x) => x.level)).toEqual(['pmd', 'pmd']);
    expect(r.mutants.find((x) => x.status === 'equivalent')!.grounds).toBe('transient');
  });
});
