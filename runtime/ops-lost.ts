// Errors and poison: the ops after which contents are lost (docs/runtime.md, "Errors, poison and guard regions").
// The runtime decides which entries a kernel path runs on; the spec's handlers decide what each entry becomes:
// - UFFDIO_POISON (v6.6): mfill_atomic_pte_poison on every pte_none entry of a registered range;
// - MADV_HWPOISON: get_user_pages_fast() faults the page in, memory_failure() marks it PageHWPoison and
//   try_to_unmap_one(TTU_HWPOISON) runs on every mapping of it (the spec writes the hwpoison entry);
// - swap_error (kernel event): the anon page is written to swap and its slot can no longer be read; the spec's
//   do_swap_page and unuse_pte ask swap_read_error() and decide (SIGBUS, a poisoned marker, SWP_SWAPIN_ERROR, or -
//   v5.10 - the unread page mapped as if it were good).
// Kernel references are to v6.17 unless stated.
import { uffdByName } from './uffd/contexts.js';
import { KIND_NONE } from './entries.js';
import { makeContext, type Machine } from './machine.js';
import { access, assertOnlyRefs, assertUnmapped, entriesNaming, err, info, mappedPage, reclaimAnon, run } from './ops.js';
import { OK, type StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import { findVma, vmaEnd } from './vma.js';
import { isPinned } from './ops-pin.js';
import { SWAP_TYPE, type Mm, type Page } from './world.js';

/**
 * fs/userfaultfd.c userfaultfd_poison() -> mm/userfaultfd.c mfill_atomic(): the range lies in one VMA registered
 * with this userfaultfd (else ENOENT); page by page, a file page beyond i_size is EFAULT (mfill_file_over_size) and
 * an entry that is not pte_none, markers included, is EEXIST; the pages before it stay poisoned. Before v6.6 the
 * ioctl does not exist (decision uffd_poison_supported): EINVAL.
 */
export function uffdPoison(m: Machine, mm: Mm, start: number, end: number, uffd?: string): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF'); // any open context of the mm (runtime/uffd/contexts.ts)
  if (end <= start) return err('EINVAL');
  const v = findVma(mm.vmas, start);
  // (with no VMA to ask about the spec cannot be asked whether the ioctl exists: ENOENT, v6.17's answer)
  if (!v) return err('ENOENT');
  if (!m.module.decisions.uffd_poison_supported(makeContext(mm, v))) return err('EINVAL');
  if (end > vmaEnd(v) || !v.uffd_wp) return err('ENOENT');
  if (v.anon) v.anon_vma = true; // uffd_mfill_lock() -> anon_vma_prepare()
  const ctx = makeContext(mm, v);
  for (let a = start; a < end; a++) {
    if (v.file !== null) {
      const size = m.world.files.get(v.file)?.size ?? 0;
      if (v.pgoff + (a - v.start) >= size) return err('EFAULT');
    }
    if (info(m, mm, a).kind !== KIND_NONE) return err('EEXIST');
    m.runPath('mfill_atomic_pte_poison', { mm, vma: v, addr: a }, ctx);
  }
  return OK;
}

/**
 * mm/madvise.c madvise_inject_error() (MADV_HWPOISON): for each page, get_user_pages_fast() (a read fault: a
 * swapped page comes back, an untouched anon page maps the zero page), then memory_failure(). The zero page is a
 * reserved page: memory_failure() refuses it (EBUSY; the kernel also leaves it marked, which is not modelled).
 * Page-cache pages are not modelled.
 */
export function madvHwpoison(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  if (end <= start) return err('EINVAL');
  for (let a = start; a < end; a++) {
    const v = findVma(mm.vmas, a);
    if (!v) return err('EFAULT');
    if (v.file !== null) throw new ScenarioError('memory failure of a file page is not modelled (only anonymous memory)');
    const o = access(m, mm, a, false, 0);
    if (o.type === 'hwpoison') return err('EHWPOISON');
    if (o.type !== 'value') return err('EFAULT');
    const p = mappedPage(m, mm, a);
    if (!p) return err('EBUSY');
    if (p.pins) throw new ScenarioError('memory failure of a pinned page is not modelled (try_to_unmap fails on it)');
    memoryFailure(m, p);
  }
  return OK;
}

/**
 * mm/memory-failure.c memory_failure() on an anon page: it takes a reference it never gives back, sets
 * PageHWPoison, and hwpoison_user_mappings() runs try_to_unmap(TTU_HWPOISON): every mapping becomes the spec's
 * hwpoison entry (mm/rmap.c try_to_unmap_one). The page is never freed.
 */
function memoryFailure(m: Machine, p: Page): void {
  p.refcount++;
  p.hwpoison = true;
  m.trace.notePage(p.pfn);
  const reclaim = { slot_type: 0n, slot_offset: 0n, hwpoison: true };
  for (const c of entriesNaming(m, p.pfn, false)) run(m, 'try_to_unmap_one', c.mm, c.vma, c.addr, { reclaim });
  assertUnmapped(m, p, 'try_to_unmap_one (TTU_HWPOISON)');
  assertOnlyRefs(m, p, 1, 'memory_failure (only its own reference may remain)');
}

/**
 * Kernel event: A's anonymous page at addr goes to swap (as `reclaim`) if it is mapped, and the device then fails
 * to read that slot back. An address already holding a swap entry has its slot fail. Nothing else changes now;
 * swap-in (do_swap_page) and swapoff (unuse_pte) meet the error later.
 */
export function swapError(m: Machine, mm: Mm, addr: number): StepOutcome {
  const v = findVma(mm.vmas, addr);
  if (!v) return OK;
  if (v.file !== null) throw new ScenarioError('a swap read error of a file page is not modelled (only anonymous memory)');
  const e = info(m, mm, addr);
  let off: number | undefined;
  if (e.refs === 'slot' && e.slotType === SWAP_TYPE) off = e.slotOffset;
  else {
    const p = mappedPage(m, mm, addr);
    // a pinned page never goes to swap (try_to_unmap_one() cannot share a maybe-pinned exclusive anon page), so its
    // swap slot cannot fail: the event does not happen to it
    if (p && isPinned(p)) throw new ScenarioError('a swap read error of a pinned page is not modelled (a pinned page is never swapped out)');
    if (p && p.anon && !p.hwpoison) off = reclaimAnon(m, p);
  }
  const slot = off !== undefined ? m.world.swap.slots[off] : undefined;
  if (slot && off !== undefined) {
    slot.error = true;
    m.trace.noteSlot(off);
  }
  return OK;
}
