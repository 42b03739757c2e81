// shmem THPs (docs/runtime.md, "THP: shmem"): a shmem file created `huge` (tmpfs huge=always, or shmem_enabled=always
// for shared anonymous memory) keeps PMD-size folios in its page cache, THP_NR pages at an aligned head pfn, marked
// `large` on the folio's first file slot. A fault maps such a folio by a PMD leaf where v6.17 does (finish_fault ->
// do_set_pmd, the same as filemap_map_pages -> filemap_map_pmd on a fault-around), with the spec's PMD path
// `do_set_pmd`; anything that needs one page of the folio alone (swap-out, truncation of part of it, migration) splits
// the folio first, after every PMD mapping it is gone (a file PMD's split is a zap: it is refaulted from the cache).
//
// Sources (v6.17; mm/memory.c 0291023e7330, the rest 9b44fff655e2, restated):
// - mm/shmem.c shmem_get_folio_gfp: a hole that no MISSING userfaultfd claims is filled by shmem_alloc_and_add_folio
//   with the orders shmem_allowable_huge_orders allows (huge=always: PMD order) and shmem_suitable_orders keeps: the
//   VMA can hold the aligned block (thp_vma_suitable_orders) and the block's indices are all empty in the page cache
//   (no page, no swap entry: xa_find over the range); else a small folio. A present folio in a MINOR-registered VMA
//   is a minor userfault before anything is mapped.
// - mm/memory.c finish_fault: with the PMD still none and a PMD-mappable folio, do_set_pmd; do_set_pmd refuses (VM
//   fault fallback to PTEs) for a VMA where the block does not fit or is misaligned to the file (thp_vma_suitable_order),
//   a folio that is not PMD-order or has a poisoned page. A MAP_PRIVATE write fault maps its COW copy (a small anon
//   page), never the cache's folio. The PMD is none only while the block has no PTE table: the model takes that as
//   "every PTE of the block is none" (the kernel may keep an empty table after a zap; the user cannot tell a PMD from
//   PTEs mapping the same pages).
// - mm/mprotect.c change_pmd_range: pgtable_split_needed (MM_CP_UFFD_WP on a non-anonymous VMA) splits a file PMD
//   before UFFDIO_WRITEPROTECT, so uffd-wp on shmem lives on PTEs and markers (change_pte_range), never on a PMD.
// - mm/shmem.c shmem_writeout: a large folio that cannot go to swap whole is split (split_folio_to_list) and its
//   pages written out one by one; the model always takes that way (it has no large swap entries). mm/truncate.c
//   truncate_inode_partial_folio splits a folio a hole punch covers in part; one it covers whole goes whole.
import type { Machine } from '../machine.js';
import { makeContext } from '../machine.js';
import type { Violation } from '../trace.js';
import { findVma } from '../vma.js';
import type { Mm, ShmemFile, World } from '../world.js';
import { runPmdPath } from './env.js';
import { THP_NR, blockOf, folioPages, pmdRefs, thpLevel, type ThpLevel } from './model.js';
import { indexOf, largeHead, shmemAllocLarge, suitable } from './shmem-folio.js';

/**
 * A fault at addr that v6.17 ends with do_set_pmd (finish_fault, or filemap_map_pmd on a fault-around): the shmem
 * VMA is huge-capable and the block's PMD can be mapped (see the header). Maps the page-cache folio by the spec's
 * `do_set_pmd` and returns true; false leaves the fault to the PTE level (which also gives the userfaults, SIGBUS and
 * SIGSEGV, and the COW of a private write).
 */
export function fileThpFault(m: Machine, t: ThpLevel, mm: Mm, addr: number, write: boolean): boolean {
  const v = findVma(mm.vmas, addr);
  if (!v || v.file === null || v.hugetlb || !v.readable || (write && !v.writable) || (write && !v.shared)) return false;
  const file = m.world.files.get(v.file);
  if (!file?.huge || !suitable(v, addr)) return false;
  const block = blockOf(addr);
  if (mm.pmd.has(block)) return false;
  for (let i = 0; i < THP_NR; i++) if ((mm.pt.get(block + i) ?? 0n) !== 0n) return false; // a PTE table: not pmd_none
  const index = indexOf(v, addr);
  if (index >= file.size) return false; // SIGBUS, at the PTE level
  let head = largeHead(file, index);
  if (head >= 0) {
    if (v.uffd_minor) return false; // a minor fault on a present folio: the PTE level's userfault
  } else {
    if (v.uffd_missing) return false; // handle_userfault(VM_UFFD_MISSING) before any allocation
    if (!shmemAllocLarge(m, file, v, addr)) return false;
    head = blockOf(index);
  }
  const s = file.slots[head]!;
  if (s.type !== 'page') return false;
  const pages = folioPages(m.world, s.pfn);
  if (!pages || pages.some((p) => p.hwpoison)) return false; // folio_test_has_hwpoisoned
  const pfn = BigInt(s.pfn);
  runPmdPath(m, t, 'do_set_pmd', { mm, vma: v, block }, makeContext(mm, v, { fault: { write, around: false }, args: { pfn } }));
  if (!mm.pmd.has(block)) return false; // the spec's do_set_pmd fell back: the PTE level maps the page
  return true;
}

/**
 * split_folio() of the PMD-size folio at head of file: every PMD mapping it, in any mm, is split first (a file PMD's
 * split zaps it: __split_huge_pmd_locked), then the folio's pages are small folios in the same slots.
 */
export function splitShmemFolio(m: Machine, t: ThpLevel, file: ShmemFile, head: number, split: (mm: Mm, block: number) => void): void {
  const s = file.slots[head] ?? null;
  if (s === null || s.type !== 'page' || !s.large) return;
  for (const mm of m.world.mms.values()) {
    for (const [b, w] of [...mm.pmd]) {
      const { info, pfn } = pmdRefs(t, w);
      if (info.refs === 'page' && pfn === s.pfn) split(mm, b);
    }
  }
  file.slots[head] = { type: 'page', pfn: s.pfn };
}

/** Split every PMD-size folio of file that indices [lo, hi) touch (hole punch, eviction, swap-out, migration). */
export function splitShmemFolios(m: Machine, t: ThpLevel, file: ShmemFile, lo: number, hi: number, split: (mm: Mm, block: number) => void): void {
  if (!file.huge) return;
  for (let h = blockOf(lo); h < hi; h += THP_NR) if (largeHead(file, h) === h) splitShmemFolio(m, t, file, h, split);
}

/** The PMD-size folios of huge files that the addresses [start, end) of mm map (through its file VMAs), split. */
export function splitShmemFoliosAt(m: Machine, t: ThpLevel, mm: Mm, start: number, end: number, split: (mm: Mm, block: number) => void): void {
  for (let a = start; a < end; a++) {
    const v = findVma(mm.vmas, a);
    if (!v || v.file === null || v.hugetlb) continue;
    const file = m.world.files.get(v.file);
    if (!file?.huge) continue;
    const index = indexOf(v, a);
    if (index < file.size && largeHead(file, index) >= 0) splitShmemFolio(m, t, file, blockOf(index), split);
  }
}

/**
 * The invariants of PMD-size shmem folios: a `large` slot starts an aligned block of a huge file whose THP_NR slots
 * hold the pages head, head + 1, ... (head aligned to 2^HPAGE_PMD_ORDER), page-cache pages of that file and index;
 * a PMD in a file VMA maps the large folio of its own block's file indices, and never writably in a private VMA.
 */
export function shmemThpViolations(m: Machine, out: Violation[]): void {
  const t = thpLevel(m.module);
  const world: World = m.world;
  for (const f of world.files.values()) {
    f.slots.forEach((s, i) => {
      if (s === null || s.type !== 'page' || !s.large) return;
      const where = `${f.name}[${i}]`;
      if (!f.huge) out.push({ message: `${where} starts a PMD-size folio in a file that is not huge` });
      if (blockOf(i) !== i || i + THP_NR > f.size) out.push({ message: `${where}: a PMD-size folio at an unaligned index or past the file's end` });
      if (t && s.pfn % 2 ** t.order !== 0) out.push({ message: `${where}: PMD-size folio at pfn ${s.pfn}, not aligned to 2^${t.order}` });
      for (let k = 0; k < THP_NR; k++) {
        const x = f.slots[i + k] ?? null;
        const p = x !== null && x.type === 'page' ? world.pages[x.pfn] : undefined;
        if (!p || x === null || x.type !== 'page' || x.pfn !== s.pfn + k || p.freed || p.anon || p.file !== f.name || p.index !== i + k) {
          out.push({ message: `${where}: page ${k} of the PMD-size folio is not pfn ${s.pfn + k} of the page cache at index ${i + k}` });
        }
      }
    });
  }
  if (!t) return;
  for (const mm of world.mms.values()) {
    for (const [b, w] of mm.pmd) {
      const v = findVma(mm.vmas, b);
      if (!v || v.file === null) continue;
      const { info, pfn } = pmdRefs(t, w);
      if (info.refs !== 'page') continue;
      const file = world.files.get(v.file);
      const index = indexOf(v, b);
      const s = file?.slots[index] ?? null;
      if (!file || s === null || s.type !== 'page' || !s.large || s.pfn !== pfn) {
        out.push({ message: `PMD at ${mm.name}:${b} maps pfn ${pfn}, not the PMD-size folio of ${v.file}[${index}]` });
      }
      if (!v.shared && t.mmu_write(w)) out.push({ message: `writable PMD at ${mm.name}:${b} maps the page cache of ${v.file} in a MAP_PRIVATE VMA` });
    }
  }
}
