// The explorer's THP ops (runtime/explore/alphabet.ts asks for them per VMA): khugepaged collapsing a populated block
// (`collapse`), and on a block mapped by a PMD leaf the ops that take the THP whole (`huge`: UFFDIO_WRITEPROTECT
// protect and resolve, MADV_DONTNEED of the block, migration of the THP), which the one-page ops of the alphabet never
// do (they split it), and NUMA hinting of the block (a protnone leaf; with `protnone`, mprotect(PROT_NONE) of the
// block and back). Only for a spec whose PMD level the runtime drives, and only in anonymous VMAs that hold a whole
// block, so worlds without such a VMA explore exactly as before. In a VMA of a huge shmem file (runtime/thp/file.ts)
// the first fault maps the PMD, so only `huge` applies, without migration (a large shmem folio is split first) and
// without NUMA hinting or PROT_NONE of the block (protnone file PMDs are not modelled).
import type { EntryTable } from '../entries.js';
import type { Op } from '../scenario/types.js';
import { registeredVia } from '../uffd/contexts.js';
import { vmaEnd } from '../vma.js';
import type { Mm, Vma } from '../world.js';
import { THP_NR, thpLevel } from './model.js';

export function thpOps(mm: Mm, v: Vma, on: ReadonlySet<string>, entries: EntryTable): Op[] {
  const out: Op[] = [];
  if ((!v.anon && (v.file === null || v.hugetlb)) || (!on.has('collapse') && !on.has('huge')) || !thpLevel(entries.module)) return out;
  const name = mm.name;
  const first = Math.ceil(v.start / THP_NR) * THP_NR;
  for (let b = first; b + THP_NR <= vmaEnd(v); b += THP_NR) {
    if (mm.pmd.has(b)) {
      if (!on.has('huge')) continue;
      const own = registeredVia(mm, v); // the VMA's own context (several userfaultfds per mm)
      if (own !== null && v.uffd_wp) {
        out.push({ op: 'protect', mm: name, ...own, addr: b, pages: THP_NR });
        out.push({ op: 'resolve', mm: name, ...own, addr: b, pages: THP_NR });
      }
      out.push({ op: 'madv_dontneed', mm: name, addr: b, pages: THP_NR });
      if (on.has('migrate') && v.anon) out.push({ op: 'migrate', mm: name, addr: b });
      // NUMA hinting and mprotect(PROT_NONE) of the whole block make the leaf protnone (change_huge_pmd)
      if (on.has('numa') && v.anon && v.readable) out.push({ op: 'numa_scan', mm: name, addr: b, pages: THP_NR });
      if (on.has('protnone') && v.anon) out.push({ op: 'mprotect', mm: name, addr: b, pages: THP_NR, writable: !v.readable, ...(v.readable ? { none: true } : {}) });
      continue;
    }
    if (!v.anon) continue; // khugepaged's collapse_file is not modelled
    // khugepaged only collapses a block whose every PTE maps a page (max_ptes_none = 0): offered only then
    let full = true;
    for (let i = 0; i < THP_NR; i++) if (entries.info(mm.pt.get(b + i) ?? 0n).refs !== 'page') full = false;
    if (full && on.has('collapse')) out.push({ op: 'collapse', mm: name, addr: b });
  }
  return out;
}
