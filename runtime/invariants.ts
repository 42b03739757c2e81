// The kernel's own bookkeeping, checked after every step (docs/runtime.md): every entry classifies; refcount, mapcount
// and swap counts are conserved; rss counters equal what the page tables hold (check_mm()'s "Bad rss-counter
// state"); nothing refers to a freed page or a free slot; the zero page is never writable nor counted; no `warn`.
// What an entry refers to comes only from its kind's `refs` clause.
import type { Machine } from './machine.js';
import { RSS_COUNTER_NAMES, type RssCounter } from '../contract/table.js';
import { formatSite, type Violation } from './trace.js';
import { SWAP_TYPE, ZERO_PFN } from './world.js';
import { findVma } from './vma.js';
import { uffdWpViolations } from './uffd-wp-state.js';
import { pmdAccounting, pmdUffdWpViolations } from './thp/invariants.js';
import { hugetlbViolations } from './hugetlb/invariants.js';

/**
 * Accounting per kind of reference, as the kernel does it:
 * - refs page: one mapcount, one refcount, one rss count (by the page's mm_counter());
 * - refs pfn (migration entries): one rss count only (zap_nonpresent_ptes() and copy_nonpresent_pte() adjust
 *   rss for migration entries; the migration code holds the page reference);
 * - refs slot: one swap count and one MM_SWAPENTS;
 * - refs pfn naming a poisoned page (hwpoison entries): nothing; memory_failure() holds the page's one reference.
 */
// Scratch counts reused by every call (checkInvariants is not re-entrant; each worker thread has its own copy).
let mappedScratch = new Int32Array(64); // pfn -> entries mapping it (refs page)
let holderScratch = new Int32Array(64); // swap offset -> entries + files holding it
let cachedScratch = new Uint8Array(64); // pfn -> 1 if a file caches it

function zeroed<T extends Int32Array | Uint8Array>(a: T, n: number, make: (n: number) => T): T {
  if (a.length < n) return make(Math.max(n, a.length * 2));
  for (let i = 0; i < n; i++) a[i] = 0; // (a few entries: a loop is cheaper than the fill builtin)
  return a;
}

/**
 * `probes` false leaves out the uffd-wp probes (uffdWpProbeViolations below): the explorer runs them once per state it
 * has not seen, after the step (runner.ts Session.check).
 */
export function checkInvariants(m: Machine, probes = true): Violation[] {
  const out: Violation[] = [];
  const { world, trace, module } = m;

  for (const w of trace.warnings) {
    out.push({ message: `warn reached: ${w.message}`, site: w.site, path: w.path });
  }

  const pages = world.pages;
  const slots = world.swap.slots;
  const nPages = pages.length;
  const nSlots = slots.length;
  const mapped = (mappedScratch = zeroed(mappedScratch, nPages, (n) => new Int32Array(n)));
  const holders = (holderScratch = zeroed(holderScratch, nSlots, (n) => new Int32Array(n)));
  const cached = (cachedScratch = zeroed(cachedScratch, nPages, (n) => new Uint8Array(n)));
  const pageSiteOf = (pfn: number) => trace.pageSites.get(pfn);
  // the blame is looked up only for a violation (it is a string-keyed map)
  const siteAt = (mm: string, addr: number) => trace.entrySite(mm, addr);

  for (const mm of world.mms.values()) {
    let anon = 0;
    let shmem = 0;
    let swapents = 0;
    for (const addr of mm.pt.keys()) {
      const w = mm.pt.get(addr)!;
      const e = m.entries.info(w);
      if (e.kind === undefined) {
        out.push({ message: `entry 0x${w.toString(16)} at ${mm.name}:${addr} classifies to no kind`, site: siteAt(mm.name, addr) });
        continue;
      }
      if (!findVma(mm.vmas, addr)) out.push({ message: `entry ${e.kind} at ${mm.name}:${addr} lies outside every VMA`, site: siteAt(mm.name, addr) });
      if (e.refs === 'page' || e.refs === 'pfn') {
        if (e.refs === 'page' && e.pfn === ZERO_PFN) {
          if (module.mmu_write(w)) {
            out.push({ message: `the zero page is mapped writable at ${mm.name}:${addr} (${e.kind} 0x${w.toString(16)})`, site: siteAt(mm.name, addr) });
          }
          continue; // the zero page is never counted
        }
        const p = e.pfn >= 0 ? pages[e.pfn] : undefined;
        if (!p || p.freed) {
          out.push({
            message: `${e.kind} entry at ${mm.name}:${addr} refers to pfn ${e.pfn}, which is ${p ? 'a freed page' : 'no page'}`,
            site: siteAt(mm.name, addr),
          });
          continue;
        }
        if (e.refs === 'page') mapped[e.pfn]!++;
        // a hwpoison entry names a poisoned page and holds no rss: try_to_unmap_one(TTU_HWPOISON) dropped the count
        if (e.refs === 'pfn' && p.hwpoison) continue;
        if (p.anon) anon++;
        else shmem++;
      } else if (e.refs === 'slot') {
        const slot = e.slotType === SWAP_TYPE && e.slotOffset >= 1 ? slots[e.slotOffset] : undefined;
        if (!slot) {
          out.push({
            message: `${e.kind} entry at ${mm.name}:${addr} holds swap slot ${e.slotType}:${e.slotOffset}, which is not allocated`,
            site: siteAt(mm.name, addr),
          });
          continue;
        }
        holders[e.slotOffset]!++;
        swapents++;
      }
    }
    // THP (runtime/thp/invariants.ts): the PMD leaves' mappings and rss
    const huge = pmdAccounting(m, mm, mapped, out);
    anon += huge.anon;
    shmem += huge.shmem;
    const rss = mm.rss;
    if (rss.anon !== anon || rss.file !== 0 || rss.shmem !== shmem || rss.swapents !== swapents) {
      const held: Record<RssCounter, number> = { anon, file: 0, shmem, swapents };
      for (const c of RSS_COUNTER_NAMES) {
        if (rss[c] !== held[c]) {
          out.push({ message: `rss counter ${c} of mm ${mm.name} is ${rss[c]}, but its page table holds ${held[c]}`, site: trace.mmSites.get(mm.name) });
        }
      }
    }
  }

  for (const file of world.files.values()) {
    const fs = file.slots;
    for (let i = 0; i < fs.length; i++) {
      const slot = fs[i];
      if (!slot) continue;
      if (slot.type === 'swap') {
        if (!slots[slot.offset]) out.push({ message: `${file.name}[${i}] holds swap slot ${slot.offset}, which is free` });
        else holders[slot.offset]!++; // (a free slot's holders are never compared)
        continue;
      }
      const p = pages[slot.pfn];
      if (!p || p.freed) {
        out.push({ message: `${file.name}[${i}] caches pfn ${slot.pfn}, which is ${p ? 'a freed page' : 'no page'}`, site: pageSiteOf(slot.pfn) });
        continue;
      }
      if (p.file !== file.name || p.index !== i) out.push({ message: `${file.name}[${i}] caches pfn ${p.pfn}, which belongs elsewhere` });
      cached[p.pfn] = 1;
    }
  }

  for (let pfn = 0; pfn < nPages; pfn++) {
    const p = pages[pfn];
    if (!p || p.freed) continue;
    const maps = mapped[p.pfn]!;
    // a poisoned page keeps memory_failure()'s reference, a pinned one a reference per long-term pin (counted with the
    // page cache's, as more holders)
    const inCache = cached[p.pfn]! + (p.hwpoison ? 1 : 0) + (p.pins ?? 0);
    if (p.mapcount === maps && p.refcount === maps + inCache) continue;
    const what = p.anon ? 'anon page' : `page ${p.file}[${p.index}]`;
    if (p.mapcount !== maps) {
      out.push({ message: `${what} pfn ${p.pfn}: mapcount ${p.mapcount}, but ${maps} entr${maps === 1 ? 'y maps' : 'ies map'} it`, site: pageSiteOf(p.pfn) });
    }
    if (p.refcount !== maps + inCache) {
      const diff = p.refcount - maps - inCache;
      out.push({
        message: `${what} pfn ${p.pfn}: refcount ${p.refcount}, but ${maps} mapping${maps === 1 ? '' : 's'} + ${inCache} page-cache ` +
          `reference${diff > 0 ? ` (a leaked reference${diff > 1 ? ` x${diff}` : ''})` : ' (a reference dropped too often)'}`,
        site: pageSiteOf(p.pfn),
      });
    }
  }

  for (let off = 1; off < nSlots; off++) {
    const s = slots[off];
    if (!s) continue;
    const n = holders[off]!;
    if (s.cache) out.push({ message: `swap slot ${off} still has SWAP_HAS_CACHE after the step`, site: trace.slotSites.get(off) });
    if (s.count !== n) {
      out.push({ message: `swap slot ${SWAP_TYPE}:${off}: swap count ${s.count}, but ${n} holder${n === 1 ? '' : 's'}`, site: trace.slotSites.get(off) });
    }
  }
  hugetlbViolations(m, out); // hugetlb folios, entries and hugetlb_usage (runtime/hugetlb/invariants.ts)
  // only on a world whose bookkeeping is sound: the probe runs the spec's pagemap_pte on the entries
  if (probes && out.length === 0) uffdWpProbes(m, out);
  return out;
}

/**
 * The uffd-wp invariants (runtime/uffd-wp-state.ts, runtime/thp/invariants.ts): the spec's own pagemap run on the
 * entries. A property of the state alone, on a world whose bookkeeping is sound (no entry names a freed page), so
 * they give the same answer before and after the step ends.
 */
export function uffdWpProbeViolations(m: Machine): Violation[] {
  const out: Violation[] = [];
  uffdWpProbes(m, out);
  return out;
}

function uffdWpProbes(m: Machine, out: Violation[]): void {
  uffdWpViolations(m, out);
  if (out.length === 0) pmdUffdWpViolations(m, out);
}

export function formatViolation(v: Violation): string {
  return v.site ? `${v.message} [last written by ${formatSite(v.site)}]` : v.message;
}
