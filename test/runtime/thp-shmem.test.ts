// shmem THPs (runtime/thp/file.ts, docs/runtime.md "THP: shmem") on the bundled 6.17 specs: the first fault on an
// empty block of a huge shmem file puts a PMD-size folio in the page cache and maps it by one PMD; UFFDIO_WRITEPROTECT
// splits a file PMD (pgtable_split_needed) so the protection lands on PTE markers; a MAP_PRIVATE write COWs on PTEs;
// fork leaves a file PMD to be refaulted; a punch splits the folio. examples/scenarios/15-thp-shmem.scn checks what the
// user sees; here the structure behind it (thp-shmem-invariants.test.ts, in test:slow: a broken do_set_pmd is caught).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { Session } from '../../runtime/runner.js';
import { THP_NR, thpLevel } from '../../runtime/thp/model.js';
import { scn } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

function session(module: SpecModule, text: string): Session {
  const s = new Session(module);
  scn(text).steps.forEach((step, i) => {
    const r = s.step(step, i);
    expect(r.failure?.message ?? 'ok', `step ${i} ${r.record.text}`).toBe('ok');
  });
  return s;
}

const shared = (more: string, setup = ''): string => `scenario "t" {
  file F pages 2 huge
  mm A { map F shared at 0${setup} }
  A write 0 = 1
  ${more}
}`;

describe.each(['x86_64-v6.17', 'arm64-v6.17'])('shmem THP on %s', (name) => {
  it('the first write maps a PMD-size page-cache folio by one PMD: no PTE, shmem rss of the whole folio', async () => {
    const m = await load(name);
    const s = session(m, shared('A read 1 -> 0'));
    const a = s.world.mms.get('A')!;
    const t = thpLevel(m)!;
    expect(a.pt.size).toBe(0);
    expect([...a.pmd.keys()]).toEqual([0]);
    const w = a.pmd.get(0)!;
    expect(t.level.classify(w)).toBe('trans_huge');
    expect(t.mmu_write(w)).toBe(true); // a shared writable VMA without write-notify: vm_page_prot is writable
    const f = s.world.files.get('F')!;
    const head = f.slots[0]!;
    expect(head).toMatchObject({ type: 'page', large: true });
    const pfn = head.type === 'page' ? head.pfn : -1;
    expect(t.entries.info(w).pfn * 2 ** t.order).toBe(pfn);
    expect(f.slots[1]).toEqual({ type: 'page', pfn: pfn + 1 });
    expect(s.world.pages[pfn]!.refcount).toBe(2); // the cache's and the PMD's
    expect(s.world.pages[pfn + 1]!.mapcount).toBe(1);
    expect(a.rss.shmem).toBe(THP_NR);
  });

  it('protect splits the file PMD and leaves uffd-wp markers; a registered VMA still gets a read-only PMD', async () => {
    const m = await load(name);
    const reg = session(m, shared('', '; uffd; register 0 pages 2'));
    const a = reg.world.mms.get('A')!;
    expect([...a.pmd.keys()]).toEqual([0]); // do_set_pmd checks no userfaultfd
    const prot = session(m, shared('A protect 0 pages 2', '; uffd; register 0 pages 2'));
    const b = prot.world.mms.get('A')!;
    expect(b.pmd.size).toBe(0);
    expect([0, 1].map((x) => m.classify(b.pt.get(x) ?? 0n))).toEqual(['pte_marker', 'pte_marker']);
    expect(prot.world.files.get('F')!.slots[0]).toMatchObject({ large: true }); // the folio stays whole in the cache
  });

  it('a MAP_PRIVATE read maps the cache folio read-only; its write splits it and COWs one page on a PTE', async () => {
    const m = await load(name);
    const t = thpLevel(m)!;
    const r = session(m, shared('mm B { map F private at 0 }\n  B read 0 -> 1'));
    const b = r.world.mms.get('B')!;
    expect(b.pmd.size).toBe(1);
    expect(t.mmu_write(b.pmd.get(0)!)).toBe(false);
    const w = session(m, shared('mm B { map F private at 0 }\n  B read 0 -> 1\n  B write 1 = 5'));
    const b2 = w.world.mms.get('B')!;
    expect(b2.pmd.size).toBe(0);
    expect(b2.rss.anon).toBe(1);
  });

  it('fork leaves the child none; a punch of half the folio zaps every PMD and splits the folio', async () => {
    const m = await load(name);
    const f = session(m, shared('A fork B', '; uffd features event_fork; register 0 pages 2'));
    expect(f.world.mms.get('B')!.pmd.size).toBe(0);
    expect(f.world.mms.get('B')!.pt.size).toBe(0);
    const p = session(m, shared('mm B { map F shared at 0 }\n  B read 0 -> 1\n  punch F 1'));
    expect(p.world.mms.get('A')!.pmd.size).toBe(0);
    expect(p.world.mms.get('B')!.pmd.size).toBe(0);
    const slots = p.world.files.get('F')!.slots;
    expect(slots[0]).toMatchObject({ type: 'page' });
    expect(slots[0]).not.toHaveProperty('large');
    expect(slots[1]).toBeNull();
  });

  it('no PMD where the VMA is misaligned to the file (thp_vma_suitable_order) or a page of the block is there already', async () => {
    const m = await load(name);
    const mis = session(m, `scenario "t" {
  file F pages 4 huge
  mm A { map F shared at 1 pages 2 pgoff 0 }
  A write 1 = 1
  A write 2 = 2
}`);
    expect(mis.world.mms.get('A')!.pmd.size).toBe(0);
    expect(mis.world.files.get('F')!.slots.some((x) => x?.type === 'page' && x.large)).toBe(false);
    const copied = session(m, `scenario "t" {
  file F pages 2 huge
  mm A { map F shared at 0; uffd; register 0 pages 2 mode missing }
  A copy 0 = 3
  A read 1 -> userfault missing
}`);
    expect(copied.world.mms.get('A')!.pmd.size).toBe(0);
  });
});
