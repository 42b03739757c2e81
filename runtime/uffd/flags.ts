// The userfaultfd state of an mm and a VMA as small integers, for the explorer's state codec and fingerprint (one
// place, so the codec, the canonical form and the oracle's encoding agree). Bits of a uffd context: open, then one per
// feature (UFFD_FEATURE_*); bits of a VMA's registration: VM_UFFD_MISSING, VM_UFFD_MINOR (VM_UFFD_WP keeps its old
// place in the VMA flags word, so states without the new modes encode as before).

/** The features of one userfaultfd context (the world's and the oracle's view are the same shape). */
export interface UffdCtx {
  readonly event_fork: boolean;
  readonly wp_unpopulated: boolean;
  readonly event_remap?: boolean; // UFFD_FEATURE_EVENT_REMAP (absent = off)
  readonly sigbus?: boolean; // UFFD_FEATURE_SIGBUS (absent = off)
  readonly wp_async?: boolean; // UFFD_FEATURE_WP_ASYNC (absent = off)
}

export function uffdCode(u: UffdCtx | null): number {
  return u === null ? 0 : 1 | (u.event_fork ? 2 : 0) | (u.wp_unpopulated ? 4 : 0) | (u.event_remap ? 8 : 0) | (u.sigbus ? 16 : 0) | (u.wp_async ? 32 : 0);
}

export function uffdFromCode(n: number): UffdCtx | null {
  return n === 0 ? null : { event_fork: (n & 2) !== 0, wp_unpopulated: (n & 4) !== 0, event_remap: (n & 8) !== 0, sigbus: (n & 16) !== 0, wp_async: (n & 32) !== 0 };
}

/** VM_UFFD_MISSING and VM_UFFD_MINOR above the VMA flags the codec already packs (bits 0-5). */
export function vmaModeBits(missing: boolean, minor: boolean): number {
  return (missing ? 64 : 0) | (minor ? 128 : 0);
}

/**
 * The oracle cell's bits of issue #14, above the ones packed before them (bits 0-4). `forked` 1 keeps its old bit (128)
 * and 2 takes 512, 3 (maybe pinned) both, so states without the UFFDIO_MOVE exactness fields encode as before; `lostKind` is bits 10-11.
 */
export function cellModeBits(mapped: boolean, zero: boolean, forked: 0 | 1 | 2 | 3 = 0, maybeProt = false, lostKind: 0 | 1 | 2 = 0): number {
  return (mapped ? 32 : 0) | (zero ? 64 : 0) | (forked === 1 ? 128 : forked === 2 ? 512 : forked === 3 ? 640 : 0) | (maybeProt ? 256 : 0) | (lostKind << 10);
}

/** The oracle cell fields cellModeBits packs after `mapped` and `zero` (UFFDIO_MOVE: runtime/oracle-move.ts). */
export function cellMoveFields(f: number): { forked: 0 | 1 | 2 | 3; maybeProt: boolean; lostKind: 0 | 1 | 2 } {
  return { forked: (f & 640) === 640 ? 3 : (f & 128) !== 0 ? 1 : (f & 512) !== 0 ? 2 : 0, maybeProt: (f & 256) !== 0, lostKind: ((f >> 10) & 3) as 0 | 1 | 2 };
}
