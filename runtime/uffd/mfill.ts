// UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_CONTINUE and UFFDIO_WAKE (issue #14), as v6.17 mm/userfaultfd.c mfill_atomic()
// and fs/userfaultfd.c userfaultfd_{copy,zeropage,continue,wake} do them. The runtime checks the ioctl and the
// destination VMA, brings the page (a new anon page with the source data, a new shmem page-cache page, or the
// page-cache page CONTINUE maps) and then runs the spec's entry path mfill_atomic_pte on the destination entry, which
// installs it (or refuses with EEXIST through the mfill_eexist primitive; the runtime then drops the page, as the
// kernel's error paths do). ptelab has no blocked threads: a userfault ends the access, so MODE_DONTWAKE and
// UFFDIO_WAKE are checked and accepted but change nothing.
import { makeContext, swapInFilePage, type Machine } from '../machine.js';
import { OK, type StepOutcome } from '../outcome.js';
import { uffdByName } from './contexts.js';
import { hugetlbMfill } from '../hugetlb/fills.js';
import { findVma, vmaEnd } from '../vma.js';
import { allocPage, type Mm, type Page, type Vma } from '../world.js';

export type MfillIoctl = 'copy' | 'zeropage' | 'continue';

export interface MfillMode {
  readonly uffd?: string; // the context it goes through (`via NAME`): EBADF when it is not open
  readonly wp: boolean; // UFFDIO_COPY_MODE_WP / UFFDIO_CONTINUE_MODE_WP
  readonly dontwake: boolean; // *_MODE_DONTWAKE
}

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

/** Is the VMA registered with one of this mm's contexts in any mode (vma->vm_userfaultfd_ctx.ctx)? */
export function registered(v: Vma): boolean {
  return v.uffd_wp || v.uffd_missing || v.uffd_minor;
}

/**
 * One mfill ioctl over [start, start + pages). Errors before any page: the errno; a page that fails after others were
 * filled: EAGAIN (userfaultfd_copy(): "range.len == ret ? 0 : -EAGAIN" on a partial copy).
 */
export function mfill(m: Machine, mm: Mm, ioctl: MfillIoctl, start: number, pages: number, mode: MfillMode, value: number): StepOutcome {
  if (!uffdByName(mm, mode.uffd)) return err('EBADF'); // any open context of the mm will do (contexts.ts)
  if (pages <= 0) return err('EINVAL'); // validate_range(): len 0
  if (ioctl === 'zeropage' && mode.wp) return err('EINVAL'); // uffdio_zeropage.mode has only MODE_DONTWAKE
  const v = findVma(mm.vmas, start);
  // uffd_mfill_lock() / validate_dst_vma(): the whole range in one VMA that has a userfaultfd context
  if (!v || start + pages > vmaEnd(v) || !registered(v)) return err('ENOENT');
  const ctx = makeContext(mm, v);
  if (ioctl === 'continue') {
    // UFFDIO_CONTINUE exists with MINOR mode (v5.13); its MODE_WP since v6.2 (the spec's decision)
    if (!m.module.decisions.vma_can_userfault_minor(ctx) && !v.uffd_minor) return err('EINVAL');
    if (mode.wp && !m.module.decisions.uffd_continue_mode_wp(ctx)) return err('EINVAL');
  }
  if (mode.wp && !v.uffd_wp) return err('EINVAL'); // "don't allow a wrprotect copy if the userfaultfd didn't register as WP"
  if (ioctl === 'continue' && v.file === null) return err('EINVAL'); // CONTINUE is for shmem (and hugetlb) only
  if (v.hugetlb) return hugetlbMfill(m, mm, v, ioctl, start, pages, mode, value); // mfill_atomic_hugetlb
  if (!v.shared) v.anon_vma = true; // mfill_atomic(): anon_vma_prepare() for every private destination
  for (let i = 0; i < pages; i++) {
    const r = mfillPage(m, mm, v, start + i, ioctl, mode, value);
    if (r) return i === 0 ? r : err('EAGAIN');
  }
  return OK;
}

/** One page: bring the page, run mfill_atomic_pte, undo on EEXIST. Returns an error outcome or undefined. */
function mfillPage(m: Machine, mm: Mm, v: Vma, addr: number, ioctl: MfillIoctl, mode: MfillMode, value: number): StepOutcome | undefined {
  const world = m.world;
  const index = v.pgoff + (addr - v.start);
  const file = v.file !== null ? world.files.get(v.file) : undefined;
  let page: Page | undefined;
  let newCachePage = false;
  if (ioctl === 'continue') {
    // mfill_atomic_pte_continue(): shmem_get_folio(SGP_NOALLOC): beyond i_size EINVAL, a hole EFAULT, swap comes back
    if (!file || index >= file.size) return err('EINVAL');
    const slot = file.slots[index] ?? null;
    if (slot === null) return err('EFAULT');
    page = slot.type === 'page' ? world.pages[slot.pfn]! : swapInFilePage(m, file.name, index, slot.offset);
    page.refcount++; // the mapping's reference (folio_get in the lookup)
  } else if (v.shared && file) {
    // shmem_mfill_atomic_pte(): beyond i_size EFAULT; a new page-cache page (the data, or zeroes), EEXIST if the index
    // is already in the page cache (shmem_add_to_page_cache)
    if (index >= file.size) return err('EFAULT');
    if ((file.slots[index] ?? null) !== null) return err('EEXIST');
    page = allocPage(world, { contents: ioctl === 'copy' ? value : 0, anon: false, file: file.name, index, refcount: 2 });
    file.slots[index] = { type: 'page', pfn: page.pfn };
    newCachePage = true;
  } else if (ioctl === 'copy') {
    // mfill_atomic_pte_copy(): a new anon folio with the source data (refcount 1: the mapping's)
    page = allocPage(world, { contents: value, anon: true, file: null, index: 0, refcount: 1 });
  } // private ZEROPAGE: mfill_atomic_pte_zeropage() maps the zero page, no page to bring
  if (page) m.trace.notePage(page.pfn);
  m.mfillRefused = false;
  const mfillCtx = { copy: ioctl === 'copy', zeropage: ioctl === 'zeropage', continue: ioctl === 'continue', wp: mode.wp };
  const args = { pfn: page ? BigInt(page.pfn) : 0n };
  m.runPath('mfill_atomic_pte', { mm, vma: v, addr }, makeContext(mm, v, { mfill: mfillCtx, args }));
  if (!m.mfillRefused) return undefined;
  m.mfillRefused = false;
  if (page) {
    if (newCachePage) {
      file!.slots[index] = null; // out_delete_from_cache
      page.refcount--;
    }
    m.putPage(page, 'mfill_atomic_pte (EEXIST)');
  }
  return err('EEXIST');
}

/** UFFDIO_WAKE: validate_range() only; there is never a thread to wake in ptelab's model. */
export function wake(mm: Mm, pages: number, uffd: string | undefined): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  return pages <= 0 ? err('EINVAL') : OK;
}
