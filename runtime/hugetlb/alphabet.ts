// The explorer's ops on a hugetlb VMA (issue #15): what a user and the kernel can do to huge pages that the hugetlb
// model covers (runtime/hugetlb/ops.ts). Left out: what hugetlb never does (reclaim, swap, NUMA hinting: no effect
// and nothing new to observe), what the kernel refuses on hugetlb (MADV_PAGEOUT, guard regions), and what the model
// does not cover (UFFDIO_COPY/ZEROPAGE/CONTINUE/POISON, memory failure, hole punching: a scenario error each).
import type { Op } from '../scenario/types.js';
import type { Mm, Vma } from '../world.js';
import type { OpName } from '../explore/alphabet.js';
import { uffdVmaOps } from '../explore/uffd-ops.js';

export function hugetlbAlphabet(out: Op[], on: ReadonlySet<OpName>, mm: Mm, v: Vma, value: number, remapStride: number): void {
  const name = mm.name;
  for (let addr = v.start; addr < v.start + v.pages; addr++) {
    if (on.has('read')) out.push({ op: 'read', mm: name, addr });
    if (on.has('write')) out.push({ op: 'write', mm: name, addr, value });
    if (on.has('pagemap')) out.push({ op: 'pagemap', mm: name, addr });
    uffdVmaOps(out, on, mm, v, addr); // through the VMA's own context (several userfaultfds per mm)
    if (on.has('dontneed')) out.push({ op: 'madv_dontneed', mm: name, addr, pages: 1 });
    if (on.has('mprotect')) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: !v.writable });
    if (on.has('munmap')) out.push({ op: 'munmap', mm: name, addr, pages: 1 });
    if (on.has('mremap')) out.push({ op: 'mremap', mm: name, addr, pages: 1, to: addr < remapStride ? addr + remapStride : addr - remapStride });
    if (on.has('protnone') && v.readable) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: false, none: true });
  }
}
