// The THP anon fault (docs/runtime.md, "THP"): v6.17 mm/memory.c __handle_mm_fault tries a huge PMD first when the
// block's PMD is pmd_none and thp_vma_allowable_order() allows PMD_ORDER for the VMA (create_huge_pmd ->
// mm/huge_memory.c do_huge_pmd_anonymous_page); VM_FAULT_FALLBACK sends the fault on to the PTEs. "Allowed" here is
// the sysfs "madvise" mode: an anonymous VMA with VM_HUGEPAGE (MADV_HUGEPAGE: `map anon ... hugepage` in a scenario)
// that holds the whole aligned block (thp_vma_suitable_order). 6.17 has no userfaultfd refusal on this path (the mTHP
// one, alloc_anon_folio, falls back when userfaultfd_armed(), but that is for PTE-mapped orders): VM_UFFD_MISSING
// makes the fault a missing userfault inside do_huge_pmd_anonymous_page, and a uffd-wp marker (WP_UNPOPULATED) sits in
// a PTE, so its block has a PTE table and never reaches it.
//
// pmd_none in the model: no PMD leaf and no PTE in the block (mm.pt holds none of its addresses). The kernel keeps an
// emptied PTE table after a zap unless it reclaims it (CONFIG_PT_RECLAIM's MADV_DONTNEED path, x86_64 since v6.14), and
// frees it with the VMA (free_pgtables); the model always treats an empty block as having none: a THP then comes
// where such a kernel would fault PTEs in, which the user cannot tell apart (data and uffd-wp state are per page).
import { makeContext, type Machine } from '../machine.js';
import type { StepOutcome } from '../outcome.js';
import { faultOutcome } from '../uffd/register.js';
import { findVma, vmaEnd } from '../vma.js';
import type { Mm } from '../world.js';
import { runPmdPath } from './env.js';
import { THP_NR, blockOf, type ThpLevel } from './model.js';

/**
 * A read or write at addr, before the PTE level sees it: when the block is pmd_none in a THP-enabled VMA, the spec's
 * do_huge_pmd_anonymous_page runs. Returns the access's outcome when that decided it (a userfault), 'pmd' when a PMD
 * leaf now maps the block (the access goes on through it), or undefined (not a THP fault, or the fallback: PTEs).
 */
export function hugeAnonFault(m: Machine, t: ThpLevel, mm: Mm, addr: number, write: boolean): StepOutcome | 'pmd' | undefined {
  const vma = findVma(mm.vmas, addr);
  if (!vma || !vma.hugepage || !vma.anon || vma.hugetlb) return undefined;
  const block = blockOf(addr);
  if (block < vma.start || block + THP_NR > vmaEnd(vma) || mm.pmd.has(block)) return undefined;
  for (let i = 0; i < THP_NR; i++) if ((mm.pt.get(block + i) ?? 0n) !== 0n) return undefined;
  // do_user_addr_fault's access_error() comes first: the PTE level answers it (SIGSEGV)
  if (!vma.readable || (write && !vma.writable)) return undefined;
  vma.anon_vma = true; // vmf_anon_prepare(): do_huge_pmd_anonymous_page prepares it before either branch
  m.trace.noteMm(mm.name);
  const o = runPmdPath(m, t, 'do_huge_pmd_anonymous_page', { mm, vma, block }, makeContext(mm, vma, { fault: { write, around: false } }));
  const done = faultOutcome(o, mm, vma, addr);
  if (done) return done;
  return mm.pmd.has(block) ? 'pmd' : undefined;
}
