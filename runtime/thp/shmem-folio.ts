// The page cache half of shmem THPs (runtime/thp/file.ts): where a PMD-size folio sits in a huge file and when
// shmem_get_folio_gfp (v6.17 mm/shmem.c, 9b44fff655e2) allocates one. Kept apart from file.ts so that the PTE level's
// filemap_fault (runtime/machine.ts) can allocate one without importing the PMD paths.
import type { Machine } from '../machine.js';
import { vmaEnd } from '../vma.js';
import type { Page, ShmemFile, Vma } from '../world.js';
import { THP_NR, allocThp, blockOf, folioPages, thpLevel } from './model.js';

/** The file index of addr in a file VMA. */
export function indexOf(v: Vma, addr: number): number {
  return v.pgoff + (addr - v.start);
}

/** The first index of the PMD-size folio holding index, or -1 when that index is no page of one. */
export function largeHead(file: ShmemFile, index: number): number {
  if (!file.huge) return -1;
  const head = blockOf(index);
  const s = file.slots[head] ?? null;
  return s !== null && s.type === 'page' && s.large ? head : -1;
}

/**
 * thp_vma_suitable_order(vma, haddr, PMD_ORDER): the block of addr lies inside the VMA and the VMA maps the file
 * aligned to a PMD ((vm_start >> PAGE_SHIFT) - vm_pgoff a multiple of HPAGE_PMD_NR).
 */
export function suitable(v: Vma, addr: number): boolean {
  const block = blockOf(addr);
  return block >= v.start && block + THP_NR <= vmaEnd(v) && blockOf(v.start - v.pgoff) === v.start - v.pgoff;
}

/** Are the block's indices all holes (no page, no swap entry)? */
function allHoles(file: ShmemFile, head: number): boolean {
  for (let i = 0; i < THP_NR; i++) if ((file.slots[head + i] ?? null) !== null) return false;
  return true;
}

/**
 * shmem_alloc_and_add_folio with the PMD order: a zeroed PMD-size folio in the page cache at the aligned block of
 * index (each page with the cache's reference), when shmem_get_folio_gfp would allocate one for a fault at addr of v.
 * Returns the page at index, or undefined for the small-folio path (the caller allocates one page).
 */
export function shmemAllocLarge(m: Machine, file: ShmemFile, v: Vma, addr: number): Page | undefined {
  const t = thpLevel(m.module);
  if (!t || !file.huge || !suitable(v, addr)) return undefined;
  const index = indexOf(v, addr);
  const head = blockOf(index);
  if (head + THP_NR > file.size || !allHoles(file, head)) return undefined;
  const pfn = allocThp(m, t, new Array<number>(THP_NR).fill(0));
  const pages = folioPages(m.world, pfn)!;
  pages.forEach((p, i) => {
    p.anon = false;
    p.file = file.name;
    p.index = head + i;
    file.slots[head + i] = i === 0 ? { type: 'page', pfn: p.pfn, large: true } : { type: 'page', pfn: p.pfn };
  });
  return pages[index - head];
}

