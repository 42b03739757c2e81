// Long-term GUP pins (issue #14 item 5): `A pin ADDR` is a read-only pin_user_pages(FOLL_LONGTERM) of one page, as
// uffd-unit-tests.c pin_pages() takes it through gup_test (PIN_LONGTERM_TEST_START, flags 0); `A unpin ADDR` drops the
// pin taken at ADDR. A pin holds a reference on the page (folio_maybe_dma_pinned() is then true) and sets
// MMF_HAS_PINNED on the mm for good; what it changes is fork: copy_page_range asks page_maybe_dma_pinned() and copies
// such a page for the child at once (page_needs_cow_for_dma / folio_needs_cow_for_dma, the "early COW").
//
// Modelling choices (docs/runtime.md):
// - The pin faults the page in as a read does (its userfault or signal is the step's outcome). A page that v6.17's
//   GUP would first unshare (gup_must_unshare(): a non-exclusive anon page, the zero page or a page-cache page in a
//   private mapping: FAULT_FLAG_UNSHARE) is refused as a scenario error: unsharing faults are not modelled.
// - Reclaim, eviction, page-out, migration and memory failure leave a pinned page alone (v6.17: try_to_unmap_one()
//   and try_to_migrate_one() fail folio_try_share_anon_rmap_pte() on a maybe-pinned exclusive anon page, and a
//   pinned page-cache page cannot be freed). A swap read error of a pinned page (it is never swapped out), memory
//   failure of one and a hole punched over a pinned page-cache page (the page would live on outside the cache, held
//   by the pin) are scenario errors: not modelled. The explorer pins with `--ops ...,pin,unpin` and leaves those out.
// - exit releases the mm's pins (the gup_test file is closed with the process).
import { access, err, info } from './ops.js';
import { OK, type StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import { findVma } from './vma.js';
import { ZERO_PFN, livePage, type Mm, type Page } from './world.js';
import type { Machine } from './machine.js';

export function pin(m: Machine, mm: Mm, addr: number): StepOutcome {
  const v = findVma(mm.vmas, addr);
  if (!v || !v.readable) return err('EFAULT'); // GUP finds no VMA, or check_vma_flags() refuses a PROT_NONE one
  const r = access(m, mm, addr, false, 0);
  if (r.type !== 'value') return r;
  const e = info(m, mm, addr);
  const p = e.refs === 'page' && e.pfn !== ZERO_PFN ? livePage(m.world, e.pfn) : undefined;
  const cow = !v.shared; // is_cow_mapping()
  if (!p || (cow && (!p.anon || !p.anonExclusive))) {
    throw new ScenarioError(`pin of ${mm.name}:${addr}: GUP would unshare this ${!p ? 'zero page' : p.anon ? 'shared anon page' : 'page-cache page'} ` +
      'first (gup_must_unshare, FAULT_FLAG_UNSHARE), which ptelab does not model; pin an exclusive anon page or a shared mapping');
  }
  p.pins = (p.pins ?? 0) + 1;
  p.refcount++; // the pin's reference (GUP_PIN_COUNTING_BIAS in the kernel: one holder here)
  m.trace.notePage(p.pfn);
  mm.pinned = true; // MMF_HAS_PINNED
  (mm.pins ??= []).push({ addr, pfn: p.pfn });
  return OK;
}

export function unpin(m: Machine, mm: Mm, addr: number): StepOutcome {
  const i = (mm.pins ?? []).findIndex((x) => x.addr === addr);
  if (i < 0) throw new ScenarioError(`unpin of ${mm.name}:${addr}: no pin was taken there`);
  const [{ pfn }] = mm.pins!.splice(i, 1) as [{ readonly addr: number; readonly pfn: number }];
  release(m, pfn);
  return OK;
}

/** exit: the mm's pins go with it (unpin_user_pages() when gup_test's file is released). */
export function unpinAll(m: Machine, mm: Mm): void {
  for (const { pfn } of mm.pins ?? []) release(m, pfn);
  mm.pins = [];
}

function release(m: Machine, pfn: number): void {
  const p = m.world.pages[pfn];
  if (!p || p.freed || !p.pins) throw new ScenarioError(`unpin: pfn ${pfn} holds no pin (a bug in ptelab's pin bookkeeping)`);
  p.pins--;
  m.putPage(p, 'unpin_user_page');
}

/** Reclaim, migration and memory failure skip a pinned page (see the header). */
export function isPinned(p: Page): boolean {
  return (p.pins ?? 0) > 0;
}
