// UFFDIO_REGISTER with its modes (issue #14): MISSING, WP and MINOR in any combination. The kernel checks every VMA
// of the range against each requested mode (v6.17 fs/userfaultfd.c userfaultfd_register -> vma_can_userfault() in
// include/linux/userfaultfd_k.h: MINOR only for shmem and hugetlb, never anon; MISSING and WP for anon and shmem), then
// replaces the VMA's VM_UFFD_* flags with the new set, and replies with the range ioctls the range supports
// (uffdio_register.ioctls): UFFD_API_RANGE_IOCTLS (UFFD_API_RANGE_IOCTLS_BASIC, without ZEROPAGE and MOVE, when a
// VMA of the range is_vm_hugetlb_page()) less WRITEPROTECT without MODE_WP and less CONTINUE without MODE_MINOR. Which modes a kernel version accepts where is the spec's (decisions vma_can_userfault_missing / _wp /
// _minor); whether UFFDIO_MOVE exists (v6.8) is its feature `move`.
import type { Outcome } from '../../contract/spec-module.js';
import { makeContext, type Machine } from '../machine.js';
import type { StepOutcome } from '../outcome.js';
import type { UffdMode, UffdRangeIoctl } from '../scenario/types.js';
import { isolateRange, vmasIn } from '../vma.js';
import type { Mm, Vma } from '../world.js';
import { uffdByName, uffdOfVma } from './contexts.js';
import { registered } from './mfill.js';

const DECISION = {
  missing: 'vma_can_userfault_missing',
  wp: 'vma_can_userfault_wp',
  minor: 'vma_can_userfault_minor',
} as const satisfies Record<UffdMode, string>;

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

export function registerModes(m: Machine, mm: Mm, start: number, end: number, modes: readonly UffdMode[], uffd?: string): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  if (modes.length === 0) return err('EINVAL'); // "if (!uffdio_register.mode) goto out"
  if (end <= start) return err('EINVAL');
  const vs = vmasIn(mm.vmas, start, end);
  if (vs.length === 0) return err('EINVAL');
  for (const v of vs) {
    const ctx = makeContext(mm, v);
    for (const mode of modes) if (!m.module.decisions[DECISION[mode]](ctx)) return err('EINVAL');
    // a VMA may belong to one context only (fs/userfaultfd.c userfaultfd_register, v5.10 to
    // v6.17): a VMA another context registered is -EBUSY (runtime/uffd/contexts.ts)
    if (registered(v) && v.uffd_ctx !== (uffd ?? '')) return err('EBUSY');
  }
  for (const v of isolateRange(mm.vmas, start, end)) {
    v.uffd_wp = modes.includes('wp');
    v.uffd_missing = modes.includes('missing');
    v.uffd_minor = modes.includes('minor');
    v.uffd_ctx = uffd ?? '';
  }
  return { type: 'ok', ioctls: rangeIoctls(m, modes, vs.some((v) => v.hugetlb)) };
}

/**
 * UFFD_API_RANGE_IOCTLS of the spec's kernel for this registration (UFFDIO_POISON is not modelled). A range with a
 * hugetlb VMA gets UFFD_API_RANGE_IOCTLS_BASIC (fs/userfaultfd.c userfaultfd_register: `basic_ioctls` when
 * is_vm_hugetlb_page(), v5.10 to v6.17): no ZEROPAGE (no zero huge page), no MOVE (anon VMAs only).
 */
export function rangeIoctls(m: Machine, modes: readonly UffdMode[], hugetlb = false): UffdRangeIoctl[] {
  const out: UffdRangeIoctl[] = hugetlb ? ['wake', 'copy'] : ['wake', 'copy', 'zeropage'];
  if (!hugetlb && m.module.uffdFeatures?.offered.includes('move')) out.push('move');
  if (modes.includes('wp')) out.push('writeprotect');
  if (modes.includes('minor')) out.push('continue');
  return out;
}

/**
 * handle_userfault() as the runtime sees it: with UFFD_FEATURE_SIGBUS the fault is VM_FAULT_SIGBUS and no message is
 * queued (v6.17 fs/userfaultfd.c: checked before the message is built); else the message carries the mode's flag
 * (UFFD_PAGEFAULT_FLAG_WP / _MINOR, none for a missing fault) and the faulting address.
 */
export function userfaultOutcome(mm: Mm, vma: Vma, mode: UffdMode, addr: number): StepOutcome {
  if (uffdOfVma(mm, vma.uffd_ctx)?.sigbus) return { type: 'sigbus' }; // the faulting VMA's context's feature
  return { type: 'userfault', mode, addr };
}

/**
 * What one run of a fault path means for the access (handle_pte_fault, do_huge_pmd_wp_page, hugetlb_fault alike):
 * undefined when the entry was fixed up or the access must fault again, else the access's outcome.
 */
export function faultOutcome(o: Outcome, mm: Mm, vma: Vma, addr: number): StepOutcome | undefined {
  switch (o.type) {
    case 'done':
    case 'retry':
      return undefined;
    case 'userfault':
      return userfaultOutcome(mm, vma, o.mode, addr);
    default:
      return { type: o.type };
  }
}
