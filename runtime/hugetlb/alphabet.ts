// The explorer's ops on a hugetlb VMA (issue #15): what a user and the kernel can do to huge pages that the hugetlb
// model covers (runtime/hugetlb/ops.ts, fills.ts). The fills as the PTE level's alphabet offers them (UFFDIO_COPY,
// with and without MODE_WP, on a VM_UFFD_MISSING VMA; UFFDIO_CONTINUE on a VM_UFFD_MINOR one), UFFDIO_POISON on a
// registered VMA where the spec's kernel has it, migration where a folio is mapped. Left out: what hugetlb never does
// (reclaim, swap, NUMA hinting: no effect and nothing new to observe), what the kernel refuses on hugetlb
// (MADV_PAGEOUT, guard regions; UFFDIO_ZEROPAGE, always EINVAL with nothing changed), and what the model does not
// cover (memory failure, hole punching: a scenario error each).
import type { Op } from '../scenario/types.js';
import type { Mm, Vma, World } from '../world.js';
import type { OpName } from '../explore/alphabet.js';
import { uffdFills, uffdVmaOps } from '../explore/uffd-ops.js';
import type { LevelModule } from '../../contract/spec-module.js';

/** Does the huge page at addr map a folio (a kind whose `refs` names a page)? Migration needs one. */
function mapsFolio(world: World, level: LevelModule | undefined, mm: Mm, addr: number): boolean {
  const w = world.hugetlb?.mms.get(mm.name)?.pt.get(addr);
  if (!level || w === undefined) return false;
  const kind = level.classify(w);
  return kind !== undefined && level.kinds.find((k) => k.name === kind)?.refs?.target === 'page';
}

export function hugetlbAlphabet(out: Op[], on: ReadonlySet<OpName>, world: World, level: LevelModule | undefined, poison: boolean, mm: Mm, v: Vma, value: number, remapStride: number): void {
  const name = mm.name;
  for (let addr = v.start; addr < v.start + v.pages; addr++) {
    if (on.has('read')) out.push({ op: 'read', mm: name, addr });
    if (on.has('write')) out.push({ op: 'write', mm: name, addr, value });
    if (on.has('pagemap')) out.push({ op: 'pagemap', mm: name, addr });
    // through the VMA's own context (several userfaultfds per mm)
    const own = uffdVmaOps(out, on, mm, v, addr);
    if (own !== null) {
      uffdFills(out, on, name, own, v, addr, value, { zeropage: false });
      if (on.has('poison') && poison && (v.uffd_wp || v.uffd_missing || v.uffd_minor)) out.push({ op: 'uffd_poison', mm: name, ...own, addr, pages: 1 });
    }
    if (on.has('migrate') && mapsFolio(world, level, mm, addr)) out.push({ op: 'migrate', mm: name, addr });
    if (on.has('dontneed')) out.push({ op: 'madv_dontneed', mm: name, addr, pages: 1 });
    if (on.has('mprotect')) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: !v.writable });
    if (on.has('munmap')) out.push({ op: 'munmap', mm: name, addr, pages: 1 });
    if (on.has('mremap')) out.push({ op: 'mremap', mm: name, addr, pages: 1, to: addr < remapStride ? addr + remapStride : addr - remapStride });
    if (on.has('protnone') && v.readable) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: false, none: true });
  }
}
