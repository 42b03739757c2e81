// The PMD half of checkInvariants() (runtime/invariants.ts): every PMD leaf classifies at the PMD level, lies in one
// VMA with no PTE under it, and counts as one mapping of each page of its THP (refs page) or as HPAGE_PMD_NR rss
// (refs page and refs pfn), the model's THP_NR (the huge zero PMD: neither); the two uffd-wp invariants of runtime/uffd-wp-state.ts hold for it,
// read through the spec's pagemap_pmd_range.
import type { PagemapFlag } from '../../contract/spec-module.js';
import { makeContext, type Machine } from '../machine.js';
import type { Violation } from '../trace.js';
import { findVma, vmaEnd } from '../vma.js';
import type { Mm } from '../world.js';
import { runPmdPath } from './env.js';
import { HUGE_ZERO_PFN, THP_NR, pmdRefs, thpLevel } from './model.js';

const NO_PMDS = Object.freeze({ anon: 0, shmem: 0 });

/** Adds each PMD's mappings to `mapped` (by pfn) and returns the rss its PMDs hold. */
export function pmdAccounting(m: Machine, mm: Mm, mapped: Int32Array, out: Violation[]): { readonly anon: number; readonly shmem: number } {
  if (mm.pmd.size === 0) return NO_PMDS; // (every step, every mm: no object for it)
  const held = { anon: 0, shmem: 0 };
  const t = thpLevel(m.module);
  const site = (b: number) => m.trace.entrySite(mm.name, b);
  for (const b of mm.pmd.keys()) {
    const w = mm.pmd.get(b)!;
    if (!t) {
      out.push({ message: `PMD 0x${w.toString(16)} at ${mm.name}:${b} in a spec without a drivable pmd level`, site: site(b) });
      continue;
    }
    const { info, pfn } = pmdRefs(t, w);
    if (info.kind === undefined) {
      out.push({ message: `PMD 0x${w.toString(16)} at ${mm.name}:${b} classifies to no kind of the pmd level`, site: site(b) });
      continue;
    }
    const v = findVma(mm.vmas, b);
    if (!v || vmaEnd(v) < b + THP_NR) out.push({ message: `PMD ${info.kind} at ${mm.name}:${b} does not lie inside one VMA`, site: site(b) });
    for (let i = 0; i < THP_NR; i++) {
      if (mm.pt.has(b + i)) out.push({ message: `PTE at ${mm.name}:${b + i} under the PMD leaf ${info.kind} at ${mm.name}:${b}`, site: site(b) });
    }
    if (info.refs !== 'page' && info.refs !== 'pfn') continue;
    if (pfn === HUGE_ZERO_PFN) continue; // the huge zero PMD: no rmap, no rss (set_huge_zero_folio)
    let anon = true;
    for (let i = 0; i < THP_NR; i++) {
      const p = pfn >= 0 ? m.world.pages[pfn + i] : undefined;
      if (!p || p.freed) {
        out.push({ message: `PMD ${info.kind} at ${mm.name}:${b} refers to pfn ${pfn + i}, which is ${p ? 'a freed page' : 'no page'}`, site: site(b) });
        anon = false;
        break;
      }
      if (info.refs === 'page') mapped[p.pfn]!++;
      anon = p.anon;
    }
    if (anon) held.anon += THP_NR;
    else held.shmem += THP_NR;
  }
  return held;
}

/** The uffd-wp invariants for PMD leaves (see runtime/uffd-wp-state.ts). */
export function pmdUffdWpViolations(m: Machine, out: Violation[]): void {
  const t = thpLevel(m.module);
  if (!t) return;
  for (const mm of m.world.mms.values()) {
    for (const b of mm.pmd.keys()) {
      const w = mm.pmd.get(b)!;
      const v = findVma(mm.vmas, b);
      if (!v) continue;
      const writable = pmdRefs(t, w).info.refs === 'page' && t.mmu_write(w);
      if (v.uffd_wp && !writable) continue;
      const flags = new Set<PagemapFlag>();
      if (!m.quietly(() => runPmdPath(m, t, 'pagemap_pmd_range', { mm, vma: v, block: b, pagemap: flags }, makeContext(mm, v)))) continue;
      if (!flags.has('PM_UFFD_WP')) continue;
      const site = m.trace.blame(mm.name, b);
      if (writable) out.push({ message: `writable PMD 0x${w.toString(16)} at ${mm.name}:${b} still carries uffd-wp (a uffd-wp entry must be write-protected)`, site });
      if (!v.uffd_wp) out.push({ message: `uffd-wp state left in a PMD of a VMA not registered for WP: 0x${w.toString(16)} at ${mm.name}:${b}`, site });
    }
  }
}
