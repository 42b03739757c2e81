// VMA geometry shared by the simulation and the oracle: lookup, split at a boundary (split_vma), the VMAs of a
// range, holes. Nothing here reads a PTE. Works on any sorted list of { start, pages, pgoff } records.

export interface VmaRange {
  start: number;
  pages: number;
  pgoff: number;
}

export function vmaEnd(v: VmaRange): number {
  return v.start + v.pages;
}

/** find_vma() restricted to containment: the VMA holding addr, if any. */
export function findVma<V extends VmaRange>(vmas: readonly V[], addr: number): V | undefined {
  for (const v of vmas) {
    if (addr < v.start) return undefined;
    if (addr < v.start + v.pages) return v;
  }
  return undefined;
}

/** split_vma(): make `addr` a VMA boundary if a VMA straddles it. The right part's pgoff advances. */
export function splitAt<V extends VmaRange>(vmas: V[], addr: number): void {
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i]!;
    if (addr > v.start && addr < v.start + v.pages) {
      const right = { ...v, start: addr, pages: v.start + v.pages - addr, pgoff: v.pgoff + (addr - v.start) };
      v.pages = addr - v.start;
      vmas.splice(i + 1, 0, right);
      return;
    }
  }
}

/** The VMAs that lie inside [start, end) after splitting at both ends, in address order. */
export function isolateRange<V extends VmaRange>(vmas: V[], start: number, end: number): V[] {
  splitAt(vmas, start);
  splitAt(vmas, end);
  return vmas.filter((v) => v.start >= start && v.start + v.pages <= end);
}

/** Does the VMA intersect [start, end)? */
export function overlaps(v: VmaRange, start: number, end: number): boolean {
  return v.start < end && v.start + v.pages > start;
}

/** The VMAs intersecting [start, end), without splitting. */
export function vmasIn<V extends VmaRange>(vmas: readonly V[], start: number, end: number): V[] {
  return vmas.filter((v) => overlaps(v, start, end));
}

/** Is some page of [start, end) outside every VMA? */
export function hasHole(vmas: readonly VmaRange[], start: number, end: number): boolean {
  let at = start;
  for (const v of vmas) {
    if (v.start + v.pages <= at) continue;
    if (v.start > at) return true;
    at = v.start + v.pages;
    if (at >= end) return false;
  }
  return at < end;
}

export function insertVma<V extends VmaRange>(vmas: V[], v: V): void {
  let i = 0;
  while (i < vmas.length && vmas[i]!.start < v.start) i++;
  vmas.splice(i, 0, v);
}

/** Remove [start, end) from the list (splitting as needed); returns the removed parts. */
export function removeRange<V extends VmaRange>(vmas: V[], start: number, end: number): V[] {
  const removed = isolateRange(vmas, start, end);
  for (const r of removed) vmas.splice(vmas.indexOf(r), 1);
  return removed;
}
