// The explorer's userfaultfd ioctls on one address of a VMA (alphabet.ts, hugetlb/alphabet.ts), the fills among them, with several
// userfaultfds per mm (issue #14): an ioctl on a registered VMA goes through the context that registered it (a close
// unregisters that context's VMAs, so it is open); UFFDIO_REGISTER and UFFDIO_UNREGISTER are tried through every
// open context, since their answer depends on which (EBUSY on another context's VMA; UNREGISTER EINVAL since the v6.17
// check, the decision `uffd_unregister_checks_ctx`, and before that the VMA is unregistered whichever context asks).
// With one context per mm these are the ops, in the order, that the alphabet tried before.
import type { Op } from '../scenario/types.js';
import { openUffdNames, registeredVia, via } from '../uffd/contexts.js';
import type { Mm, Vma } from '../world.js';

type On = ReadonlySet<string>;

/** Pushes protect, resolve, unregister / register at addr; returns the VMA's own `via` (null: not registered). */
export function uffdVmaOps(out: Op[], on: On, mm: Mm, v: Vma, addr: number): { readonly uffd?: string } | null {
  const name = mm.name;
  const own = registeredVia(mm, v);
  if (own !== null) {
    // on a VMA without VM_UFFD_WP, UFFDIO_WRITEPROTECT is ENOENT before it touches anything
    if (v.uffd_wp && on.has('protect')) out.push({ op: 'protect', mm: name, ...own, addr, pages: 1 });
    if (v.uffd_wp && on.has('resolve')) out.push({ op: 'resolve', mm: name, ...own, addr, pages: 1 });
    if (on.has('unregister')) {
      out.push({ op: 'unregister', mm: name, ...own, addr, pages: 1 });
      for (const c of openUffdNames(mm)) if (c !== v.uffd_ctx) out.push({ op: 'unregister', mm: name, ...via(c), addr, pages: 1 });
    }
  } else if (on.has('register') && !v.uffd_wp) {
    for (const c of openUffdNames(mm)) out.push({ op: 'register', mm: name, ...via(c), addr, pages: 1 });
  }
  return own;
}

/**
 * The fills, where the registration asks for them, as user space uses them: UFFDIO_COPY (plain, and with MODE_WP on a
 * VM_UFFD_WP VMA) and UFFDIO_ZEROPAGE on a VM_UFFD_MISSING VMA, UFFDIO_CONTINUE (plain, and with MODE_WP) on a
 * VM_UFFD_MINOR one, on every entry: whether a populated entry is EEXIST is the spec's business (mfill_atomic_pte's
 * refusal), so it is tried too (the mutation test found that blind spot). (The kernel also takes them on a range registered in another mode; scenarios exercise that. Keeping
 * them to their modes leaves the WP-only worlds' state spaces, and the older kernels' findings there, as they were.)
 * `zeropage: false` where UFFDIO_ZEROPAGE is always EINVAL with nothing changed (hugetlb).
 */
export function uffdFills(out: Op[], on: On, mm: string, own: { readonly uffd?: string }, v: Vma, addr: number, value: number, opts: { readonly zeropage: boolean }): void {
  const base = { mm, ...own, addr, pages: 1, dontwake: false };
  if (on.has('copy') && v.uffd_missing) {
    out.push({ op: 'uffd_copy', ...base, value, wp: false });
    if (v.uffd_wp) out.push({ op: 'uffd_copy', ...base, value, wp: true });
  }
  if (opts.zeropage && on.has('zeropage') && v.uffd_missing) out.push({ op: 'uffd_zeropage', ...base, wp: false });
  if (on.has('continue') && v.uffd_minor && v.file !== null) {
    out.push({ op: 'uffd_continue', ...base, wp: false });
    if (v.uffd_wp) out.push({ op: 'uffd_continue', ...base, wp: true });
  }
}
