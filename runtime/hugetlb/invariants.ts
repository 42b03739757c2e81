// The kernel's bookkeeping of hugetlb (issue #15), checked after every step next to runtime/invariants.ts: every
// hugetlb entry classifies at the spec's huge_pte level and lies in a hugetlb VMA; a folio's mapcount equals the
// entries mapping it and its refcount those plus the page cache's; each mm's hugetlb_usage equals the huge pages its
// entries map (hugetlb_count_add/sub); nothing names a freed folio; hugetlb entries hold no swap slot (hugetlb folios
// are never swapped). What an entry refers to comes only from its kind's `refs` clause.
import type { Machine } from '../machine.js';
import type { Violation } from '../trace.js';
import { findVma } from '../vma.js';

export function hugetlbViolations(m: Machine, out: Violation[]): void {
  const h = m.world.hugetlb;
  if (!h) return;
  const level = m.module.levels?.huge_pte;
  const trace = m.trace;
  const maps = new Map<number, number>();
  for (const mm of m.world.mms.values()) {
    for (const [addr] of mm.pt) {
      if (findVma(mm.vmas, addr)?.hugetlb) out.push({ message: `a PTE-level entry at ${mm.name}:${addr} lies in a hugetlb VMA`, site: trace.entrySite(mm.name, addr) });
    }
  }
  for (const [name, hm] of h.mms) {
    const mm = m.world.mms.get(name);
    let mapped = 0;
    for (const [addr, w] of hm.pt) {
      const site = trace.entrySite(name, addr);
      const kind = level?.classify(w);
      if (!level || kind === undefined) {
        out.push({ message: `hugetlb entry 0x${w.toString(16)} at ${name}:${addr} classifies to no huge_pte kind`, site });
        continue;
      }
      if (!mm || !findVma(mm.vmas, addr)?.hugetlb) out.push({ message: `hugetlb entry ${kind} at ${name}:${addr} lies outside every hugetlb VMA`, site });
      const refs = level.kinds.find((k) => k.name === kind)?.refs;
      if (!refs) continue;
      if (refs.target === 'slot') {
        out.push({ message: `hugetlb entry ${kind} at ${name}:${addr} holds a swap slot: hugetlb folios are never swapped`, site });
        continue;
      }
      const n = Number(level.decode(kind, w)[refs.field]);
      const f = h.folios[n];
      if (!f || f.freed) {
        out.push({ message: `hugetlb entry ${kind} at ${name}:${addr} refers to folio ${n}, which is ${f ? 'a freed folio' : 'no folio'}`, site });
        continue;
      }
      if (refs.target === 'page') {
        maps.set(n, (maps.get(n) ?? 0) + 1);
        mapped++;
      }
    }
    if (hm.usage !== mapped) {
      out.push({ message: `hugetlb_usage of mm ${name} is ${hm.usage}, but its hugetlb entries map ${mapped} huge page${mapped === 1 ? '' : 's'}`, site: trace.mmSites.get(name) });
    }
  }
  const cached = new Map<number, number>();
  for (const f of h.files.values()) {
    f.slots.forEach((n, i) => {
      if (n === null) return;
      const x = h.folios[n];
      if (!x || x.freed) out.push({ message: `${f.name}[${i}] caches hugetlb folio ${n}, which is ${x ? 'a freed folio' : 'no folio'}` });
      else if (x.file !== f.name || x.index !== i) out.push({ message: `${f.name}[${i}] caches hugetlb folio ${n}, which belongs elsewhere` });
      else cached.set(n, 1);
    });
  }
  for (const f of h.folios) {
    if (!f || f.freed) continue;
    const k = maps.get(f.hpfn) ?? 0;
    const c = cached.get(f.hpfn) ?? 0;
    const what = f.anon ? `anon hugetlb folio ${f.hpfn}` : `hugetlb folio ${f.hpfn} (${f.file}[${f.index}])`;
    if (f.mapcount !== k) out.push({ message: `${what}: mapcount ${f.mapcount}, but ${k} entr${k === 1 ? 'y maps' : 'ies map'} it` });
    if (f.refcount !== k + c) {
      out.push({ message: `${what}: refcount ${f.refcount}, but ${k} mapping${k === 1 ? '' : 's'} + ${c} page-cache reference${f.refcount > k + c ? ' (a leaked reference)' : ' (a reference dropped too often)'}` });
    }
  }
}
