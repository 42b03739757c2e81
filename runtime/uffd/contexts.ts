// Several userfaultfds per mm (issue #14 item 4). Each userfaultfd() call makes its own context; a VMA belongs to the
// context that registered it (vma->vm_userfaultfd_ctx.ctx), and what that VMA does on a fault, a fork or an mremap
// follows that context's features. ptelab keeps the mm's first context as `uffd` (the one a scenario opens with
// `uffd` and uses without `via`) and the others by name (`uffd NAME`, used with `via NAME`); a VMA records the name
// of its context ('' for the first). Shared by the simulation and the oracle (a pure function of their own data).
//
// What depends on the context an ioctl goes through (v6.17; checked on a 6.18 kernel with two contexts):
// - UFFDIO_REGISTER over a VMA another context registered: -EBUSY (fs/userfaultfd.c userfaultfd_register checks the
//   VMA's context against the caller's; every version);
// - UFFDIO_UNREGISTER of such a VMA: -EINVAL since "userfaultfd: prevent unregistering VMAs through a different
//   userfaultfd" (Tal Zussman, posted 2025-06-20, after the v6.16 merge window); before, the VMA was unregistered
//   whichever context asked: the spec's decision `uffd_unregister_checks_ctx`;
// - UFFDIO_MOVE into such a VMA: -EINVAL (mm/userfaultfd.c validate_move_areas wants the destination registered with
//   the caller's own context, v6.8 onwards);
// - close() of one context clears only its own VMAs (userfaultfd_release -> userfaultfd_release_all walks the VMAs
//   whose vm_userfaultfd_ctx is the closing one);
// - UFFDIO_COPY / ZEROPAGE / CONTINUE / POISON / WRITEPROTECT / WAKE ask only that the VMA is registered with some
//   context of this mm (mm/userfaultfd.c validate_dst_vma, mwriteprotect_range): any open context will do.

/** The parts of an mm (simulation or oracle) that hold its contexts. */
export interface UffdHolder<T> {
  uffd: T | null;
  namedUffds: ReadonlyMap<string, T>;
}

/** The empty map every mm starts with (never changed: openUffd and closeUffd replace it). */
export const NO_NAMED_UFFDS: ReadonlyMap<string, never> = new Map<string, never>();

/** The context a step names (undefined: the mm's first one), or null when it is not open. */
export function uffdByName<T>(mm: UffdHolder<T>, name: string | undefined): T | null {
  if (name === undefined || name === '') return mm.uffd;
  return mm.namedUffds.get(name) ?? null;
}

/** The context a VMA is registered with (meaningful while it has a VM_UFFD_* flag). */
export function uffdOfVma<T>(mm: UffdHolder<T>, ctxName: string): T | null {
  return ctxName === '' ? mm.uffd : (mm.namedUffds.get(ctxName) ?? null);
}

/** Opens a context under its name; false when one of that name is already open in this mm. */
export function openUffd<T>(mm: UffdHolder<T>, name: string | undefined, ctx: T): boolean {
  if (uffdByName(mm, name) !== null) return false;
  if (name === undefined || name === '') mm.uffd = ctx;
  else mm.namedUffds = new Map([...mm.namedUffds, [name, ctx]]);
  return true;
}

export function closeUffd<T>(mm: UffdHolder<T>, name: string | undefined): void {
  if (name === undefined || name === '') mm.uffd = null;
  else {
    const m = new Map(mm.namedUffds);
    m.delete(name);
    mm.namedUffds = m;
  }
}

/** A stable text of the named contexts for state keys: '' when there are none. */
export function namedUffdsKey<T>(mm: UffdHolder<T>, one: (u: T) => string): string {
  if (mm.namedUffds.size === 0) return '';
  return [...mm.namedUffds.keys()].sort().map((k) => `|U${k}:${one(mm.namedUffds.get(k)!)}`).join('');
}

/** The `via` of a step through a context ('' the mm's first: no `via`, so such steps read and print as before). */
export function via(ctxName: string): { readonly uffd?: string } {
  return ctxName === '' ? NO_VIA : { uffd: ctxName };
}
const NO_VIA: { readonly uffd?: string } = Object.freeze({});

/** The mm's open contexts by name ('' the first, if open), then the others by name: a stable order for the explorer. */
export function openUffdNames<T>(mm: UffdHolder<T>): string[] {
  const out = mm.uffd !== null ? [''] : [];
  if (mm.namedUffds.size > 0) out.push(...[...mm.namedUffds.keys()].sort());
  return out;
}

/**
 * The `via` of an ioctl on a VMA registered in some mode: its own context (null when it is in no mode, or, which a
 * close rules out, its context is gone). The explorer's alphabets use it so that each op goes through the context
 * that registered the VMA.
 */
export function registeredVia<T>(
  mm: UffdHolder<T>,
  v: { readonly uffd_wp: boolean; readonly uffd_missing: boolean; readonly uffd_minor: boolean; readonly uffd_ctx: string },
): { readonly uffd?: string } | null {
  if (!v.uffd_wp && !v.uffd_missing && !v.uffd_minor) return null;
  return uffdOfVma(mm, v.uffd_ctx) !== null ? via(v.uffd_ctx) : null;
}
