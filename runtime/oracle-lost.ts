// The oracle's contract for errors, poison and guard regions, written from what the user is promised, not from any
// encoding (docs/runtime.md, "Errors, poison and guard regions"):
//
// - Lost contents. After a swap read error (kernel event `swap_error`), a memory failure (MADV_HWPOISON) or
//   UFFDIO_POISON, every access to the address gets SIGBUS or the hwpoison signal, in this mm and in every mm that
//   maps the same contents (fork copies the promise; mremap moves it; mprotect keeps it), until the address is zapped
//   (MADV_DONTNEED, munmap) or re-populated. Another mm that shared the lost page through fork may since have been
//   given its own copy (the runtime has no swap cache: each swap-in is a fresh page), so for those the oracle
//   accepts either, and the next access decides (`lost: 2`).
// - Guard regions (MADV_GUARD_INSTALL, v6.13; tools/testing/selftests/mm/guard-regions.c): every access is SIGSEGV;
//   installing zaps what was there (anon data and private copies are gone); the guard survives MADV_DONTNEED and
//   fault-around, is copied by fork (the VMA gets an anon_vma), moves with mremap, stays through mprotect, and goes
//   with MADV_GUARD_REMOVE (which leaves the range empty) and munmap. pagemap reports PM_GUARD_REGION (v6.14).
//
// Kernel references are v6.17 (mm/madvise.c madvise_guard_install, mm/userfaultfd.c mfill_atomic_pte_poison,
// mm/memory-failure.c, mm/memory.c do_swap_page).
import { uffdByName } from './uffd/contexts.js';
import type { OracleCell, OracleMm, OracleState, OracleVma } from './oracle.js';
import { LOST, oracleCell as cell, oracleFileIndex as fileIndex, oracleWrite as write } from './oracle.js';
import type { Prediction, StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { Op } from './scenario/types.js';
import { findVma, hasHole, vmaEnd, vmasIn } from './vma.js';

const OK: Prediction = { type: 'ok' };
const err = (errno: string): Prediction => ({ type: 'error', errno });
const either = (...options: Prediction[]): Prediction => ({ type: 'either', options });

/** Only anonymous memory: memory failure and swap errors of page-cache pages are not modelled. */
function anonVmaAt(mm: OracleMm, addr: number, what: string): OracleVma | undefined {
  const v = findVma(mm.vmas, addr);
  if (v && v.file !== null) throw new ScenarioError(`${what} of a file page is not modelled (only anonymous memory)`);
  return v;
}

/**
 * The swap uffd-wp bit of a guard marker or of an entry that certainly holds lost contents, which PAGEMAP_SCAN reports
 * (v6.17 fs/proc/task_mmu.c pagemap_page_category / pagemap_scan_pmd_entry: pte_swp_uffd_wp_any) and its
 * PM_SCAN_WP_MATCHING sets (make_uffd_wp_pte: pte_swp_mkuffd_wp on every swap PTE). For such a cell `prot` is that
 * bit, in any VMA, and `maybeProt` says the oracle does not know it (the next report tells, observeMaybeProt).
 * Who else changes it, in v6.17: mm/mprotect.c change_pte_range (UFFDIO_WRITEPROTECT, and its resolve from
 * unregister and close) skips poisoned and guard markers but sets and clears it on a hwpoison or swap entry; fork
 * gives a child a fresh marker (copy_pte_marker) and a hwpoison entry its bit only with VM_UFFD_WP
 * (copy_nonpresent_pte); MADV_GUARD_INSTALL, UFFDIO_POISON, memory_failure's hwpoison entry and swapoff's poisoned
 * marker start without it.
 */
export function followsSwapWp(c: OracleCell): boolean {
  return c.guard || c.lost === 1;
}

/**
 * change_pte_range over such a cell: UFFDIO_WRITEPROTECT (set) or its resolve (clear: unprotect, unregister, close). A
 * guard marker is skipped; an unreadable swap entry follows; lostKind 1 is a poisoned marker (skipped) or a hwpoison
 * entry (follows), and 0 is not known: then the bit is known only if it already has the value asked for. In a file VMA
 * lostKind 1 is a poisoned marker (UFFDIO_POISON): the oracle models memory failure and swap errors of anon pages only.
 */
export function changeSwapWp(c: OracleCell, set: boolean, file: boolean): void {
  if (c.guard || (file && c.lostKind === 1)) return;
  if (c.lostKind === 2) {
    c.prot = set;
    c.maybeProt = false;
  } else if (c.maybeProt || c.prot !== set) {
    c.prot = false;
    c.maybeProt = true;
  }
}

/** The child's bit after fork (copy_nonpresent_pte / copy_pte_marker); `wp`: the child VMA has VM_UFFD_WP. */
export function forkSwapWp(c: OracleCell, wp: boolean): { prot: boolean; maybeProt: boolean } {
  if (c.guard || !wp || (!c.prot && !c.maybeProt)) return { prot: false, maybeProt: false };
  if (c.lostKind === 2) return { prot: c.prot, maybeProt: c.maybeProt };
  return { prot: false, maybeProt: true }; // a poisoned marker (fresh) or a hwpoison entry (kept)
}

/**
 * The page at (mm, addr) is lost: here for certain, and maybe in every other mm's cell that may share it (the same
 * data in an anon or COW cell: sharing is over-approximated by equal values, which only makes the oracle accept more).
 */
function lose(s: OracleState, mm: OracleMm, addr: number, value: number | null, how: 1 | 2, kind: OracleCell['lostKind']): void {
  const c = cell(mm, addr);
  if (c.lost !== 1) {
    c.lost = how;
    c.lostKind = how === 1 ? kind : 0;
    // a fresh hwpoison entry (try_to_unmap_one) has no swap uffd-wp bit; an unreadable swap entry keeps the one the
    // page's swap entry had (the protection `prot` already holds)
    if (how === 1 && kind !== 2) c.prot = c.maybeProt = false;
  }
  for (const other of s.mms.values()) {
    for (const [a, o] of other.cells) {
      if ((other === mm && a === addr) || o.lost !== 0) continue;
      const v = findVma(other.vmas, a);
      // hugetlb folios are never shared with anon pages, and UFFDIO_POISON is their only loss in the model
      if (!v || (v.file !== null && (v.shared || s.files.get(v.file)?.hugetlb === true))) continue;
      // a never-written page (value null: the zero page, or a zeroed page a WP_UNPOPULATED fault allocated) may be
      // shared with any other never-written anon page
      if (value === null ? v.file === null && o.value === null && o.populated : o.value === value) {
        o.lost = 2;
        o.lostKind = 0;
      }
    }
  }
}

/** UFFDIO_POISON (v6.6): on a registered range, every pte_none entry becomes poisoned; any other entry is EEXIST. */
export function uffdPoison(s: OracleState, mm: OracleMm, start: number, end: number, uffd?: string): Prediction {
  if (!uffdByName(mm, uffd)) return err('EBADF'); // any open context of the mm
  if (end <= start) return err('EINVAL');
  const v = findVma(mm.vmas, start);
  if (v && v.file !== null && s.files.get(v.file)?.hugetlb) return hugetlbPoison(mm, v, start, end);
  // mfill_atomic(): the whole range inside one VMA registered with this userfaultfd
  if (!v || end > vmaEnd(v) || !v.registered) return err('ENOENT');
  if (v.file === null) v.anonVma = true; // uffd_mfill_lock() -> anon_vma_prepare()
  let unknown = false;
  for (let a = start; a < end; a++) {
    if (v.file !== null && fileIndex(s, v, a) < 0) return unknown ? either(OK, err('EEXIST'), err('EFAULT')) : err('EFAULT');
    const c = cell(mm, a);
    // Known to be not none: a guard, lost contents, a uffd-wp marker or bit (protected), an anon page or zero page.
    if (c.guard || c.lost !== 0 || c.prot || (v.file === null ? c.populated : !v.shared && c.value !== null)) {
      return unknown ? either(OK, err('EEXIST')) : err('EEXIST');
    }
    // A file entry may have been mapped by a fault or fault-around the oracle cannot see, or emptied by an eviction:
    // either answer is right; observeLost() records what happened.
    if (v.file !== null) unknown = true;
    else {
      c.lost = 1;
      c.lostKind = 1; // a poisoned marker: a non_swap_entry
      c.maybeProt = false; // a fresh marker, no swap uffd-wp bit (c.prot is false here)
    }
  }
  return unknown ? either(OK, err('EEXIST')) : OK;
}

/**
 * UFFDIO_POISON on a hugetlb VMA (v6.17 mfill_atomic -> hugetlb_mfill_atomic_pte): the range in one VMA registered
 * in any mode (validate_dst_vma), no i_size check; a huge page whose entry is not huge_pte_none (mapped, a uffd-wp
 * marker, already poisoned) is EEXIST, EAGAIN after others were poisoned. Exact: hugetlb has no fault-around and no
 * eviction, so `mapped` is what the entry holds.
 */
function hugetlbPoison(mm: OracleMm, v: OracleVma, start: number, end: number): Prediction {
  if (end > vmaEnd(v) || !(v.registered || v.missing || v.minor)) return err('ENOENT');
  for (let a = start; a < end; a++) {
    const c = cell(mm, a);
    if (c.mapped || c.lost !== 0 || (c.prot && v.registered)) return err(a === start ? 'EEXIST' : 'EAGAIN');
    c.lost = 1;
  }
  return OK;
}

/**
 * MADV_HWPOISON: get_user_pages_fast() read-faults the page in (a swapped page comes back; a PROT_NONE VMA is
 * EFAULT, no VM_READ), then memory_failure()
 * takes it out of use: every mapping of it gets a hwpoison entry. The zero page (an anon page never written) is a
 * reserved page memory_failure() refuses with EBUSY.
 */
export function madvHwpoison(mm: OracleMm, start: number, end: number, s: OracleState): Prediction {
  if (end <= start) return err('EINVAL');
  for (let a = start; a < end; a++) {
    const v = anonVmaAt(mm, a, 'memory failure');
    if (!v) return err('EFAULT');
    // v6.17 mm/gup.c check_vma_flags(): a read GUP (no FOLL_FORCE) of a VMA without VM_READ (PROT_NONE) is -EFAULT
    if (!v.readable) return err('EFAULT');
    const c = cell(mm, a);
    if (c.guard) return err('EFAULT');
    if (c.lost === 1) return either(err('EFAULT'), err('EHWPOISON'));
    if (c.lost === 2 || (c.value === null && c.populated)) {
      // lost or not; a never-written page that is the zero page or a zeroed page (WP_UNPOPULATED faults allocate one)
      return either(OK, err('EBUSY'), err('EFAULT'), err('EHWPOISON'));
    }
    c.populated = true; // the GUP read fault maps the zero page, or the page
    if (c.value === null) return err('EBUSY');
    lose(s, mm, a, c.value, 1, 1); // memory_failure(): a hwpoison entry, a non_swap_entry
  }
  return OK;
}

/**
 * Kernel event: A's anonymous page at addr is written to swap and the slot cannot be read back. Nothing is visible
 * until the next access, which gets SIGBUS (do_swap_page: the folio is !uptodate) or, after swapoff, the poisoned
 * marker's signal.
 */
export function swapError(mm: OracleMm, addr: number, s: OracleState): Prediction {
  const v = anonVmaAt(mm, addr, 'a swap read error');
  if (!v) return OK;
  const c = mm.cells.get(addr);
  if (!c || c.guard || c.lost === 1) return OK;
  if (c.value !== null) lose(s, mm, addr, c.value, 1, 2); // the page's swap entry, its slot unreadable
  else if (c.populated) lose(s, mm, addr, null, 2, 0); // the zero page (nothing to lose) or a zeroed page
  return OK;
}

/** MADV_GUARD_INSTALL, VMA by VMA; a hole makes the result ENOMEM (madvise_walk_vmas). */
export function guardInstall(mm: OracleMm, start: number, end: number): Prediction {
  if (end <= start) return err('EINVAL');
  for (const v of vmasIn(mm.vmas, start, end)) {
    const lo = Math.max(start, v.start);
    const hi = Math.min(end, vmaEnd(v));
    v.anonVma = true; // anon_vma_prepare(): fork copies the page tables that hold the guards
    // The install zaps what is there (zap_page_range_single, no details), which leaves a uffd-wp marker of a
    // registered file VMA in place; the install then meets it again and again and gives up with restart_syscall(),
    // which the kernel restarts before user space sees it: the call never returns (`hang`). Addresses before the
    // stuck entry got their guards; the mm's other threads see that state.
    let stuck = -1;
    for (let a = lo; a < hi; a++) {
      const c = mm.cells.get(a);
      if (v.file !== null && v.registered && c && c.prot && !c.guard) {
        stuck = a;
        break;
      }
    }
    for (let a = lo; a < hi; a++) {
      const c = cell(mm, a);
      const wasGuard = c.guard; // an existing guard marker is left as it is, its swap uffd-wp bit too
      if (!c.guard) {
        c.lost = 0;
        c.lostKind = 0;
        c.forked = 0;
        if (v.file === null) Object.assign(c, { value: null, snaps: null, populated: false, prot: false });
        else if (!v.shared) Object.assign(c, { value: null, snaps: null });
        c.mapped = false; // zapped: nothing of the file is mapped here any more (issue #14's MINOR mode sees it)
        c.zero = false;
      }
      if ((stuck < 0 || a < stuck) && !wasGuard) {
        c.guard = true;
        c.prot = c.maybeProt = false;
      }
    }
    if (stuck >= 0) return { type: 'hang' };
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

/** MADV_GUARD_REMOVE: the guards of the range go; nothing else changes (the addresses are empty afterwards). */
export function guardRemove(mm: OracleMm, start: number, end: number): Prediction {
  if (end <= start) return err('EINVAL');
  for (const v of vmasIn(mm.vmas, start, end)) {
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const c = mm.cells.get(a);
      if (c && c.guard) c.prot = c.maybeProt = false; // a swap uffd-wp bit a PAGEMAP_SCAN left on the marker goes with it
      if (c) c.guard = false;
    }
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

/** After the runner saw the outcome: settle what the prediction left open. True if the op was handled here. */
export function observeLost(s: OracleState, op: Op, outcome: StepOutcome): boolean {
  const signal = outcome.type === 'sigbus' || outcome.type === 'hwpoison';
  if (op.op === 'read' || op.op === 'write') {
    const mm = s.mms.get(op.mm);
    const c = mm?.cells.get(op.addr);
    if (!mm || !c || c.lost !== 2) return false;
    if (signal) {
      c.lost = 1;
      c.lostKind = 0; // which entry holds it is not known, nor its swap uffd-wp bit
      c.prot = false;
      c.maybeProt = true;
      return true;
    }
    c.lost = 0;
    c.lostKind = 0;
    if (op.op === 'write') {
      write(s, mm, op.addr, op.value); // the write the prediction left out
      return true;
    }
    return false; // a read: the MAP_PRIVATE snapshot logic of observe() may still apply
  }
  if (op.op === 'uffd_poison' || op.op === 'madv_hwpoison') {
    const mm = s.mms.get(op.mm);
    if (!mm) return true;
    for (let a = op.addr; a < op.addr + op.pages; a++) {
      const c = mm.cells.get(a);
      if (!c || c.lost === 1) continue;
      if (outcome.type === 'ok') lose(s, mm, a, c.value, 1, 1); // a hwpoison entry or a poisoned marker
      else if (op.op === 'uffd_poison' && outcome.type === 'error' && outcome.errno === 'EEXIST' && op.pages > 1) c.lost = c.lost || 2;
      else if (op.op === 'madv_hwpoison' && outcome.type === 'error' && outcome.errno === 'EHWPOISON') {
        c.lost = 1;
        c.lostKind = 0;
        c.prot = false;
        c.maybeProt = true; // whatever entry holds it, its swap uffd-wp bit is not known
      }
    }
    return true;
  }
  return false;
}

export { LOST };
