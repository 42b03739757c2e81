// The THP model (runtime/thp/, docs/runtime.md "THP") on the bundled 6.17 specs: a collapse maps the block with one
// PMD leaf and no PTE; partial operations split it into PTEs that carry the PMD's uffd-wp state; fork copies the PMD;
// migration moves the THP whole; a spec without a drivable PMD level gets no THP. The scenario-level behaviour is
// examples/scenarios/15-thp.scn (run by the bundled-scenarios test); here the structure behind it is checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { Session } from '../../runtime/runner.js';
import { HUGE_ZERO_PFN, pmdRefs, thpLevel, THP_NR } from '../../runtime/thp/model.js';
import { scn } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

/** Run a scenario's steps; fail the test at the first failing step. */
function session(module: SpecModule, text: string): Session {
  const s = new Session(module);
  scn(text).steps.forEach((step, i) => {
    const r = s.step(step, i);
    expect(r.failure?.message ?? 'ok', `step ${i} ${r.record.text}`).toBe('ok');
  });
  return s;
}

const collapsed = (more: string, features = ''): string => `scenario "t" {
  mm A { map anon at 0 pages 2; uffd${features}; register 0 pages 2 }
  A write 0 = 1
  A write 1 = 2
  collapse A 0
  ${more}
}`;

describe.each(['x86_64-v6.17', 'arm64-v6.17'])('THP on %s', (name) => {
  it('the spec has a PMD level the runtime drives', async () => {
    const t = thpLevel(await load(name));
    expect(t).not.toBeNull();
    expect(t!.order).toBe(9); // HPAGE_PMD_ORDER = PMD_SHIFT - PAGE_SHIFT = 21 - 12
  });

  it('a collapse maps the block with one trans_huge PMD and no PTE, the THP head at a multiple of 2^order', async () => {
    const m = await load(name);
    const s = session(m, collapsed(''));
    const a = s.world.mms.get('A')!;
    expect(a.pt.size).toBe(0);
    expect([...a.pmd.keys()]).toEqual([0]);
    const t = thpLevel(m)!;
    const w = a.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    const head = t.entries.info(w).pfn * 2 ** t.order;
    expect(head % 512).toBe(0);
    expect(s.world.pages[head]!.contents).toBe(1);
    expect(s.world.pages[head + 1]!.contents).toBe(2);
    expect(s.world.pages[head]!.mapcount).toBe(1);
    expect(a.rss.anon).toBe(THP_NR);
  });

  it('protect of the whole THP stays a PMD; of part of it splits into PTEs that all carry uffd-wp', async () => {
    const m = await load(name);
    const whole = session(m, collapsed('A protect 0 pages 2'));
    expect(whole.world.mms.get('A')!.pmd.size).toBe(1);
    const s = session(m, collapsed('A protect 0 pages 2\n  A resolve 1'));
    const a = s.world.mms.get('A')!;
    expect(a.pmd.size).toBe(0);
    expect(a.pt.size).toBe(2);
    const k = (addr: number) => m.decode('present', a.pt.get(addr)!)['UFFD_WP'];
    expect(m.classify(a.pt.get(0)!)).toBe('present');
    expect(k(0)).toBe(1n); // the split carried the PMD's uffd-wp bit; only page 1 was resolved
    expect(k(1)).toBe(0n);
    expect(m.mmu_write(a.pt.get(0)!)).toBe(false);
  });

  it('fork copies the PMD write-protected into the child; the child drops uffd-wp without EVENT_FORK', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    for (const [features, kept] of [['', 0n], [' features event_fork', 1n]] as const) {
      const s = session(m, collapsed('A protect 0 pages 2\n  A fork B', features));
      const b = s.world.mms.get('B')!;
      const w = b.pmd.get(0)!;
      expect(t.level.classify(w)).toBe('trans_huge');
      expect(t.level.decode('trans_huge', w)['UFFD_WP']).toBe(kept);
      expect(t.mmu_write(w)).toBe(false);
      expect(b.rss.anon).toBe(THP_NR);
    }
  });

  it('migration moves the THP whole and keeps the PMD uffd-wp', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const before = session(m, collapsed('A protect 0 pages 2'));
    const s = session(m, collapsed('A protect 0 pages 2\n  migrate A 0'));
    const w0 = before.world.mms.get('A')!.pmd.get(0)!;
    const w = s.world.mms.get('A')!.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    expect(t.entries.info(w).pfn).not.toBe(t.entries.info(w0).pfn);
    expect(t.level.decode('trans_huge', w)['UFFD_WP']).toBe(1n);
  });

  it('khugepaged refuses a block with a uffd-wp PTE', async () => {
    const m = await load(name);
    const s = session(m, `scenario "t" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 0 = 1
  A write 1 = 2
  A protect 1
  collapse A 0
}`);
    expect(s.world.mms.get('A')!.pmd.size).toBe(0);
  });
});

describe('THP on a kernel spec without PMD paths', () => {
  it('5.19 has a PMD layout but no PMD paths: collapse does nothing', async () => {
    const m = await load('x86_64-v5.19');
    expect(thpLevel(m)).toBeNull();
    const s = session(m, collapsed('A read 1 -> 2'));
    expect(s.world.mms.get('A')!.pmd.size).toBe(0);
    expect(s.world.mms.get('A')!.pt.size).toBe(2);
  });
});

describe.each(['x86_64-v6.17', 'arm64-v6.17'])('THP shared with a fork child, on %s', (name) => {
  // Found by `ptelab explore` on examples/worlds/thp-anon.scn: the parent's COW splits its PMD, the child still maps
  // the THP by a PMD; a reclaim (or swap_error, MADV_PAGEOUT, MADV_HWPOISON) of the parent's half must find the child's
  // mapping too (try_to_unmap with TTU_SPLIT_HUGE_PMD splits it), or the page keeps a mapcount no entry accounts for.
  it.each(['reclaim A 1', 'swap_error A 1', 'A madvise pageout 1', 'migrate A 1'])('%s splits the child PMD that maps the same THP', async (op) => {
    const m = await load(name);
    const s = session(m, collapsed(`A fork C\n  A write 0 = 5\n  ${op}\n  C read 0 -> 1`));
    const c = s.world.mms.get('C')!;
    expect(c.pmd.size).toBe(0);
    expect(c.pt.size).toBe(2);
  });
});

const hugepage = (more: string, mode = ''): string => `scenario "t" {
  mm A { map anon at 0 pages 2 hugepage; uffd; register 0 pages 2${mode} }
  ${more}
}`;

describe.each(['x86_64-v6.17', 'arm64-v6.17'])('THP faults, the huge zero PMD and protnone PMDs, on %s', (name) => {
  it('a write to an empty MADV_HUGEPAGE block maps a new THP by a PMD; without MADV_HUGEPAGE it stays PTEs', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const s = session(m, hugepage('A write 1 = 5 -> ok'));
    const a = s.world.mms.get('A')!;
    expect(a.pt.size).toBe(0);
    const w = a.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    expect(t.mmu_write(w)).toBe(true);
    const head = pmdRefs(t, w).pfn;
    expect(head).not.toBe(HUGE_ZERO_PFN);
    expect([s.world.pages[head]!.contents, s.world.pages[head + 1]!.contents]).toEqual([0, 5]);
    expect(s.world.pages[head]!.anonExclusive).toBe(true);
    expect(a.rss.anon).toBe(THP_NR);
    const plain = session(m, `scenario "t" {\n  mm A { map anon at 0 pages 2 }\n  A write 1 = 5\n}`);
    expect(plain.world.mms.get('A')!.pmd.size).toBe(0);
  });

  it('a read maps the huge zero PMD (no rss, PM_FILE, read-only); a write replaces it by a THP', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const s = session(m, hugepage('A read 1 -> 0'));
    const a = s.world.mms.get('A')!;
    const w = a.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    expect(pmdRefs(t, w).pfn).toBe(HUGE_ZERO_PFN);
    expect(t.mmu_write(w)).toBe(false);
    expect(a.rss.anon).toBe(0);
    expect(a.vmas[0]!.anon_vma).toBe(true); // vmf_anon_prepare ran before the zero-page branch
    const r = s.step({ op: { op: 'pagemap', mm: 'A', addr: 0 } }, 9);
    expect(r.record.outcome).toMatchObject({ type: 'pagemap', flags: ['PM_FILE', 'PM_PRESENT'] });
    const after = session(m, hugepage('A read 1 -> 0\n  A write 0 = 3 -> ok\n  A read 1 -> 0'));
    const w2 = after.world.mms.get('A')!.pmd.get(0)!;
    expect(pmdRefs(t, w2).pfn).not.toBe(HUGE_ZERO_PFN);
    expect(after.world.mms.get('A')!.rss.anon).toBe(THP_NR);
  });

  it('VM_UFFD_MISSING: the first touch is a missing userfault and maps nothing', async () => {
    const m = await load(name);
    const s = session(m, hugepage('A read 0 -> userfault missing at 0\n  A write 1 -> userfault missing at 1', ' mode missing'));
    expect(s.world.mms.get('A')!.pmd.size).toBe(0);
    expect(s.world.mms.get('A')!.rss.anon).toBe(0);
  });

  it('NUMA hinting makes the THP PMD protnone, keeping uffd-wp; the hinting fault restores it; the huge zero PMD is skipped', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const s = session(m, hugepage('A write 0 = 1\n  A protect 0 pages 2\n  numa A 0 pages 2'));
    const w = s.world.mms.get('A')!.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('protnone');
    expect(t.level.decode('protnone', w)['UFFD_WP']).toBe(1n);
    const r = session(m, hugepage('A write 0 = 1\n  A protect 0 pages 2\n  numa A 0 pages 2\n  A read 1 -> 0'));
    const w2 = r.world.mms.get('A')!.pmd.get(0)!;
    expect(t.level.classify(w2)).toBe('trans_huge');
    expect(t.level.decode('trans_huge', w2)['UFFD_WP']).toBe(1n);
    expect(t.mmu_write(w2)).toBe(false);
    const z = session(m, hugepage('A read 0\n  numa A 0 pages 2'));
    expect(pmdRefs(t, z.world.mms.get('A')!.pmd.get(0)!).info.kind).toBe('trans_huge');
  });

  it('mprotect(PROT_NONE) of the whole THP makes it protnone, fork copies it, PROT_READ|PROT_WRITE restores it', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const s = session(m, hugepage('A write 0 = 1\n  A mprotect 0 pages 2 none\n  A fork B'));
    expect(t.level.classify(s.world.mms.get('A')!.pmd.get(0)!)).toBe('protnone');
    expect(t.level.classify(s.world.mms.get('B')!.pmd.get(0)!)).toBe('protnone');
    expect(s.world.mms.get('B')!.rss.anon).toBe(THP_NR);
    const back = session(m, hugepage('A write 0 = 1\n  A mprotect 0 pages 2 none\n  A mprotect 0 pages 2 rw\n  A write 1 = 2 -> ok'));
    const w = back.world.mms.get('A')!.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    expect(t.mmu_write(w)).toBe(true);
  });
});

describe('THP faults on a kernel spec without PMD paths', () => {
  it('5.19: MADV_HUGEPAGE changes nothing, the write maps a PTE', async () => {
    const m = await load('x86_64-v5.19');
    const s = session(m, hugepage('A write 1 = 5 -> ok\n  A protect 0 pages 2\n  A pagemap 0 -> !wp'));
    expect(s.world.mms.get('A')!.pmd.size).toBe(0);
    expect(s.world.mms.get('A')!.pt.size).toBe(1);
  });
});
