// Long-term GUP pins (issue #14): `A pin RANGE` is pin_user_pages(FOLL_PIN | FOLL_LONGTERM) read-only, as the
// wp-fork-pin selftests take it through gup_test (PIN_LONGTERM_TEST_START without PIN_LONGTERM_TEST_FLAG_USE_WRITE);
// `A unpin RANGE` drops it (PIN_LONGTERM_TEST_STOP). A pin adds GUP_PIN_COUNTING_BIAS to the page's refcount, as
// v6.17 mm/gup.c try_grab_folio does for a small folio, and folio_maybe_dma_pinned() is "refcount >= the bias"
// (include/linux/mm.h): no new page field, and the invariants count the bias as the pin's references. What reads it:
// fork's early COW (copy_present_ptes -> page_needs_cow_for_dma -> copy_present_page, in the spec's copy_page_range)
// and UFFDIO_MOVE (move_present_pte: -EBUSY). Reclaim, migration and page-out leave a pinned page where it is (the
// kernel cannot unmap or migrate a page with extra references; ptelab skips it).
//
// Modelled: private anonymous memory (EINVAL elsewhere), a page that is present and exclusive. Not modelled: a pin
// that must unshare first (gup_must_unshare: an anon page shared since fork or the zero page, which needs a
// FAULT_FLAG_UNSHARE fault), more than one pin per page (EBUSY here, ptelab's limit), pins surviving exit (an mm's
// pins are dropped when it exits, as closing gup_test would).
import { type Machine } from '../machine.js';
import { OK, type StepOutcome } from '../outcome.js';
import { access, mappedPage } from '../ops.js';
import { findVma } from '../vma.js';
import type { Mm, Page } from '../world.js';

import { GUP_PIN_COUNTING_BIAS } from './pin-bias.js';

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

export function pinned(p: Page): boolean {
  return p.refcount >= GUP_PIN_COUNTING_BIAS;
}

/** Pin every page of the range: a read fault brings it first (GUP's faultin_page), and it must end up mapped. */
export function pin(m: Machine, mm: Mm, start: number, pages: number): StepOutcome {
  if (pages <= 0) return err('EINVAL');
  for (let a = start; a < start + pages; a++) {
    const v = findVma(mm.vmas, a);
    if (!v) return err('EFAULT');
    if (!v.anon) return err('EINVAL'); // ptelab pins private anonymous memory only
    const r = access(m, mm, a, false, 0);
    if (r.type !== 'value') return r; // the fault's outcome (a userfault, SIGBUS...) is GUP's
    const p = mappedPage(m, mm, a);
    if (!p) return err('EFAULT'); // the zero page: FOLL_LONGTERM would unshare it (not modelled)
    if (p.anon && !p.anonExclusive) return err('EFAULT'); // gup_must_unshare (not modelled)
    if (pinned(p)) return err('EBUSY'); // one pin per page in ptelab
    p.refcount += GUP_PIN_COUNTING_BIAS;
  }
  return OK;
}

/** exit: drop the pins of the pages the mm still maps (a page it no longer maps keeps its pin for ever). */
export function unpinAtExit(m: Machine, mm: Mm): void {
  for (const a of [...mm.pt.keys()]) {
    const p = findVma(mm.vmas, a) ? mappedPage(m, mm, a) : undefined;
    if (p && pinned(p)) {
      p.refcount -= GUP_PIN_COUNTING_BIAS;
      if (p.refcount === 0) m.putPage(p, 'unpin at exit');
    }
  }
}

/** Drop the pin of the page mapped at each address (EINVAL where no pinned page is mapped). */
export function unpin(m: Machine, mm: Mm, start: number, pages: number): StepOutcome {
  if (pages <= 0) return err('EINVAL');
  for (let a = start; a < start + pages; a++) {
    const p = findVma(mm.vmas, a) ? mappedPage(m, mm, a) : undefined;
    if (!p || !pinned(p)) return err('EINVAL');
    p.refcount -= GUP_PIN_COUNTING_BIAS;
  }
  return OK;
}
