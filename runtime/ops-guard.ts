// Guard regions: MADV_GUARD_INSTALL and MADV_GUARD_REMOVE (v6.13, mm/madvise.c; PTE_MARKER_GUARD), driving the
// spec's guard_install_pte_entry and guard_remove_pte_entry paths the way madvise_guard_install() and
// madvise_guard_remove() walk the range. Kernel references are to v6.17.
import { makeContext, type Machine } from './machine.js';
import { err, runOnRange, ZAP_DONTNEED } from './ops.js';
import { OK, type StepOutcome } from './outcome.js';
import { hasHole, vmaEnd, vmasIn } from './vma.js';
import type { Mm } from './world.js';

/** mm/madvise.c: MAX_MADVISE_GUARD_RETRIES. */
export const MAX_MADVISE_GUARD_RETRIES = 3;

/**
 * madvise_guard_install(), VMA by VMA (madvise_walk_vmas: a hole makes the result ENOMEM): the VMA must allow guards
 * (decision madv_guard_supported; before v6.13 the advice is EINVAL), gets an anon_vma (so fork copies its page
 * tables), then the walk: guard_install_pte_entry on each entry in order; `retry` from the spec (an entry that is
 * neither none nor a guard) stops the walk, the range is zapped with zap_page_range_single(.., NULL) (no details:
 * even_cows, markers kept) and the walk runs again, at most MAX_MADVISE_GUARD_RETRIES times; then the kernel
 * returns restart_syscall(): -ERESTARTNOINTR, which the kernel restarts itself before the caller sees it, so the
 * call starts over and never returns while the entry stays (the outcome `hang`; the kernel check on 6.18 shows it).
 */
export function guardInstall(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  if (end <= start) return err('EINVAL');
  for (const v of vmasIn(mm.vmas, start, end)) {
    if (!m.module.decisions.madv_guard_supported(makeContext(mm, v))) return err('EINVAL');
    v.anon_vma = true; // anon_vma_prepare()
    const lo = Math.max(start, v.start);
    const hi = Math.min(end, vmaEnd(v));
    let installed = false;
    for (let i = 0; i < MAX_MADVISE_GUARD_RETRIES && !installed; i++) {
      installed = true;
      const ctx = makeContext(mm, v);
      for (let a = lo; a < hi; a++) {
        if (m.runPath('guard_install_pte_entry', { mm, vma: v, addr: a }, ctx).type === 'retry') {
          installed = false;
          break;
        }
      }
      if (!installed) runOnRange(m, mm, lo, hi, 'zap_pte_range', { zap: ZAP_DONTNEED });
    }
    if (!installed) return { type: 'hang' };
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

/** madvise_guard_remove(): guard_remove_pte_entry on every entry of each VMA in the range. */
export function guardRemove(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  if (end <= start) return err('EINVAL');
  for (const v of vmasIn(mm.vmas, start, end)) {
    if (!m.module.decisions.madv_guard_supported(makeContext(mm, v))) return err('EINVAL');
  }
  for (const v of vmasIn(mm.vmas, start, end)) {
    runOnRange(m, mm, Math.max(start, v.start), Math.min(end, vmaEnd(v)), 'guard_remove_pte_entry', {});
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}
