// What the operations do to the world (pages, page cache, swap, rss) when driven through the v6.17 stand-in.
import { describe, expect, it } from 'vitest';
import { Session } from '../../runtime/runner.js';
import type { Op } from '../../runtime/scenario/types.js';
import { toyV617 } from '../fixtures/toy-v617-module.js';
import { scn } from './helpers.js';

function session(text: string): Session {
  const s = new Session(toyV617);
  scn(text).steps.forEach((st, i) => {
    const { failure } = s.step(st, i);
    expect(failure).toBeUndefined();
  });
  return s;
}

function step(s: Session, op: Op) {
  const r = s.step({ op }, 100);
  expect(r.failure).toBeUndefined();
  return r.record;
}

const kindAt = (s: Session, mm: string, addr: number) => toyV617.classify(s.world.mms.get(mm)!.pt.get(addr) ?? 0n);

describe('operations', () => {
  it('anon swap-out: one slot holding one count per mapping, rss moved to swapents', () => {
    const s = session(`scenario "s" { mm A { map anon at 0 } A write 0 = 7 A fork B reclaim A 0 }`);
    const slots = s.world.swap.slots.filter((x) => x);
    expect(slots).toEqual([{ count: 2, contents: 7, cache: false, error: false }]);
    expect(s.world.mms.get('A')!.rss).toEqual({ anon: 0, file: 0, shmem: 0, swapents: 1 });
    expect(s.world.mms.get('B')!.rss).toEqual({ anon: 0, file: 0, shmem: 0, swapents: 1 });
    expect(s.world.pages.filter((p) => p)).toHaveLength(0);
    step(s, { op: 'read', mm: 'B', addr: 0 });
    expect(s.world.swap.slots.filter((x) => x)).toEqual([{ count: 1, contents: 7, cache: false, error: false }]);
  });

  it('madvise pageout skips pages mapped more than once (folio_mapcount != 1)', () => {
    const s = session(`scenario "s" { mm A { map anon at 0 } A write 0 = 7 A fork B }`);
    step(s, { op: 'madv_pageout', mm: 'A', addr: 0, pages: 1 });
    expect(kindAt(s, 'A', 0)).toBe('present');
    step(s, { op: 'write', mm: 'A', addr: 0, value: 8 }); // COW: A now maps its own page
    step(s, { op: 'madv_pageout', mm: 'A', addr: 0, pages: 1 });
    expect(kindAt(s, 'A', 0)).toBe('swap');
  });

  it('shmem eviction moves the page to a swap slot held by the file; a fault brings it back', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0 } A write 0 = 3 evict F 0 }`);
    const f = s.world.files.get('F')!;
    expect(f.slots[0]).toMatchObject({ type: 'swap' });
    expect(s.world.swap.slots.filter((x) => x)).toEqual([{ count: 1, contents: 3, cache: false, error: false }]);
    expect(kindAt(s, 'A', 0)).toBe('none');
    expect(step(s, { op: 'read', mm: 'A', addr: 0 }).outcome).toEqual({ type: 'value', value: 3 });
    expect(f.slots[0]).toMatchObject({ type: 'page' });
    expect(s.world.swap.slots.filter((x) => x)).toEqual([]);
  });

  it('swapoff brings shmem and anon swap back and leaves no slot in use', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0; map anon at 4 } A write 0 = 3 A write 4 = 5 evict F 0 reclaim A 4 swapoff }`);
    expect(s.world.swap.slots.filter((x) => x)).toEqual([]);
    expect(s.world.files.get('F')!.slots[0]).toMatchObject({ type: 'page' });
    expect(kindAt(s, 'A', 4)).toBe('present');
    expect(s.world.mms.get('A')!.rss).toEqual({ anon: 1, file: 0, shmem: 0, swapents: 0 });
  });

  it('migration moves every mapping and the page-cache slot to a new pfn with the same contents', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0 } A write 0 = 3 A fork B B read 0 }`);
    const old = (s.world.files.get('F')!.slots[0] as { pfn: number }).pfn;
    step(s, { op: 'migrate', mm: 'A', addr: 0 });
    const now = s.world.files.get('F')!.slots[0] as { pfn: number };
    expect(now.pfn).not.toBe(old);
    expect(s.world.pages[now.pfn]).toMatchObject({ contents: 3, mapcount: 2, refcount: 3 });
    expect(step(s, { op: 'read', mm: 'B', addr: 0 }).outcome).toEqual({ type: 'value', value: 3 });
  });

  it('fault-around maps resident neighbours of an unregistered file VMA, and not of a registered one', () => {
    const s = session(`scenario "s" { file F pages 4 mm A { map F shared at 0 pages 4 } mm B { map F private at 0 pages 4; map F private at 8 pages 4 } A write 1 = 1 A write 2 = 2 B read 0 }`);
    expect([0, 1, 2, 3].map((a) => kindAt(s, 'B', a))).toEqual(['present', 'present', 'present', 'none']);
    step(s, { op: 'uffd_open', mm: 'B', features: [] });
    step(s, { op: 'register', mm: 'B', addr: 8, pages: 4 });
    step(s, { op: 'read', mm: 'B', addr: 8 });
    expect([8, 9, 10, 11].map((a) => kindAt(s, 'B', a))).toEqual(['present', 'none', 'none', 'none']);
  });

  it('fork copies page tables only when vma_needs_copy (anon_vma, or the child keeps uffd-wp)', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0; map anon at 4 } A write 0 = 1 A read 4 A fork B }`);
    expect(kindAt(s, 'B', 0)).toBe('none'); // shared shmem without anon_vma: the child refaults
    expect(kindAt(s, 'B', 4)).toBe('none'); // anon with only the zero page: no anon_vma yet
    step(s, { op: 'write', mm: 'A', addr: 4, value: 2 });
    step(s, { op: 'fork', mm: 'A', child: 'C' });
    expect(kindAt(s, 'C', 4)).toBe('present');
  });

  it('punch hole keeps MAP_PRIVATE COW pages and zaps page-cache mappings', () => {
    const s = session(`scenario "s" { file F pages 2 mm A { map F private at 0 pages 2; map F shared at 4 pages 2 } A write 4 = 1 A write 5 = 2 A read 0 A write 1 = 9 punch F 0 pages 2 }`);
    expect(kindAt(s, 'A', 0)).toBe('none');
    expect(kindAt(s, 'A', 1)).toBe('present');
    expect(step(s, { op: 'read', mm: 'A', addr: 1 }).outcome).toEqual({ type: 'value', value: 9 });
    expect(step(s, { op: 'read', mm: 'A', addr: 5 }).outcome).toEqual({ type: 'value', value: 0 });
  });

  it('protect on a none shmem entry installs a marker; on a none anon entry only with WP_UNPOPULATED', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0; map anon at 4; uffd; register 0; register 4 } A protect 0 A protect 4 }`);
    expect(kindAt(s, 'A', 0)).toBe('pte_marker');
    expect(kindAt(s, 'A', 4)).toBe('none');
    const t = session(`scenario "s" { mm A { map anon at 4; uffd features wp_unpopulated; register 4 } A protect 4 }`);
    expect(kindAt(t, 'A', 4)).toBe('pte_marker');
  });

  it('pagemap reports what pagemap_pte set', () => {
    const s = session(`scenario "s" { file F pages 1 mm A { map F shared at 0 } A read 0 }`);
    expect(step(s, { op: 'pagemap', mm: 'A', addr: 0 }).outcome).toEqual({ type: 'pagemap', uffd_wp: false, flags: ['PM_FILE', 'PM_PRESENT'] });
    expect(step(s, { op: 'pagemap', mm: 'A', addr: 7 }).outcome).toEqual({ type: 'pagemap', uffd_wp: false, flags: [] });
  });
});
