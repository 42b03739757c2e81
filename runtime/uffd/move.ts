// UFFDIO_MOVE (v6.8, issue #14), as v6.17 fs/userfaultfd.c userfaultfd_move() and mm/userfaultfd.c move_pages() do it:
// the checks on the two VMAs are the runtime's (both private anonymous memory with the same access flags, the source
// writable, the destination registered with this mm's userfaultfd), and so are the two pte_none tests of
// move_pages_pte() (a populated destination is -EEXIST; a none source is -ENOENT, or a hole skipped with
// UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES). Everything else about the entry is the spec's: the runtime takes the source
// entry off its address (ptep_get_and_clear) and runs the spec's `move_pages_pte` path on the destination address with
// it; the path rewrites it (present: a new PTE from the folio; zero page: a fresh zero-page PTE; swap: kept as it is)
// or refuses with move_ebusy / move_efault, and then the runtime puts the entry back where it was. Whether the kernel
// has UFFDIO_MOVE at all is the spec's decision `uffd_can_move` (the literal `false` before v6.8: the compiler then
// leaves `move` out of the offered features and the ioctl is unknown, -EINVAL).
import { KIND_NONE } from '../entries.js';
import { makeContext, type Machine } from '../machine.js';
import { OK, type StepOutcome } from '../outcome.js';
import { entryKey } from '../trace.js';
import { findVma, vmaEnd } from '../vma.js';
import type { Mm, Vma } from '../world.js';
import { registered } from './mfill.js';
import { uffdByName } from './contexts.js';

export interface MoveMode {
  readonly allowSrcHoles: boolean; // UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES
  readonly dontwake: boolean; // UFFDIO_MOVE_MODE_DONTWAKE: no thread ever waits in ptelab's model
  readonly uffd?: string; // the context it goes through (`via NAME`)
}

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

/**
 * UFFDIO_MOVE of [src, src + pages) to [dst, dst + pages). Errors before any page: the errno; after some pages moved
 * (holes skipped with ALLOW_SRC_HOLES count as moved): EAGAIN (userfaultfd_move(): a short move).
 */
export function uffdMove(m: Machine, mm: Mm, src: number, dst: number, pages: number, mode: MoveMode): StepOutcome {
  if (!uffdByName(mm, mode.uffd)) return err('EBADF');
  // before v6.8 userfaultfd_ioctl() has no case for the command: -EINVAL whatever the arguments
  if (!m.module.uffdFeatures?.offered.includes('move')) return err('EINVAL');
  if (pages <= 0) return err('EINVAL'); // validate_range(): len 0
  // uffd_move_lock() -> find_vma_and_prepare_anon(): the destination VMA first (-ENOENT), anon_vma_prepare() on it
  const dv = findVma(mm.vmas, dst);
  if (!dv) return err('ENOENT');
  if (!dv.shared) dv.anon_vma = true;
  const sv = findVma(mm.vmas, src);
  if (!sv) return err('ENOENT');
  // move_pages(): no VM_SHARED, each range inside its VMA; validate_move_areas(): same access flags, the source
  // writable, the destination registered with this context, both VMAs anonymous (vma_move_compatible and the
  // anon-only rule: the spec's uffd_can_move)
  if (sv.shared || src + pages > vmaEnd(sv) || dv.shared || dst + pages > vmaEnd(dv)) return err('EINVAL');
  if (sv.readable !== dv.readable || sv.writable !== dv.writable || !sv.writable) return err('EINVAL');
  // validate_move_areas(): the destination registered with the very context the ioctl came through (v6.17
  // mm/userfaultfd.c; not any context of the mm, as for COPY: runtime/uffd/contexts.ts)
  if (!registered(dv) || dv.uffd_ctx !== (mode.uffd ?? '')) return err('EINVAL');
  const can = m.module.decisions.uffd_can_move;
  if (!can(makeContext(mm, sv)) || !can(makeContext(mm, dv))) return err('EINVAL');
  let moved = 0;
  for (let i = 0; i < pages; i++) {
    const r = movePage(m, mm, src + i, dv, dst + i, mode);
    if (r) return moved === 0 ? r : err('EAGAIN');
    moved++;
  }
  return OK;
}

/** One page of move_pages_pte(). Returns an error outcome or undefined (moved, or a skipped hole). */
function movePage(m: Machine, mm: Mm, src: number, dv: Vma, dst: number, mode: MoveMode): StepOutcome | undefined {
  const entries = m.entries;
  if (entries.info(mm.pt.get(dst) ?? 0n).kind !== KIND_NONE) return err('EEXIST'); // !pte_none(orig_dst_pte)
  const w = mm.pt.get(src) ?? 0n;
  if (entries.info(w).kind === KIND_NONE) return mode.allowSrcHoles ? undefined : err('ENOENT');
  // ptep_get_and_clear at the source, the entry at the destination for the spec's path (as move_ptes does for mremap)
  const t = m.trace;
  const note = t.entryWriter(mm.name, src);
  m.writeEntry(mm, src, 0n);
  m.writeEntry(mm, dst, w);
  if (note) t.entryWriters.set(entryKey(mm.name, dst), note);
  m.moveRefused = undefined;
  m.runPath('move_pages_pte', { mm, vma: dv, addr: dst }, makeContext(mm, dv));
  const refused = m.moveRefused;
  if (refused === undefined) return undefined;
  m.moveRefused = undefined;
  // the kernel refused before it touched either entry: put the source entry back as it was
  m.writeEntry(mm, dst, 0n);
  m.writeEntry(mm, src, w);
  if (note) t.entryWriters.set(entryKey(mm.name, src), note);
  return err(refused);
}
