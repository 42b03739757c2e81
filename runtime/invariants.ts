// The kernel's own bookkeeping, checked after every step (design §5): every entry classifies; refcount, mapcount
// and swap counts are conserved; rss counters equal what the page tables hold (check_mm()'s "Bad rss-counter
// state"); nothing refers to a freed page or a free slot; the zero page is never writable nor counted; no `warn`.
// What an entry refers to comes only from its kind's `refs` clause.
import type { Machine } from './machine.js';
import type { RssCounter } from './spec-module.js';
import { formatSite, type Violation } from './trace.js';
import { SWAP_TYPE, ZERO_PFN } from './world.js';
import { findVma } from './vma.js';

/**
 * Accounting per kind of reference, as the kernel does it:
 * - refs page: one mapcount, one refcount, one rss count (by the page's mm_counter());
 * - refs pfn (migration entries): one rss count only (zap_nonpresent_ptes() and copy_nonpresent_pte() adjust
 *   rss for migration entries; the migration code holds the page reference);
 * - refs slot: one swap count and one MM_SWAPENTS.
 */
export function checkInvariants(m: Machine): Violation[] {
  const out: Violation[] = [];
  const { world, trace, module } = m;

  for (const w of trace.warnings) {
    out.push({ message: `warn reached: ${w.message}`, site: w.site, path: w.path });
  }

  const mapped = new Map<number, number>(); // pfn -> entries mapping it (refs page)
  const slotHolders = new Map<number, number>(); // offset -> entries + files holding it
  const pageSiteOf = (pfn: number) => trace.pageSites.get(pfn);

  for (const mm of world.mms.values()) {
    const rss: Record<RssCounter, number> = { anon: 0, file: 0, shmem: 0, swapents: 0 };
    for (const [addr, w] of mm.pt) {
      const e = m.entries.info(w);
      const at = `${mm.name}:${addr}`;
      const site = trace.entrySite(mm.name, addr);
      if (e.kind === undefined) {
        out.push({ message: `entry 0x${w.toString(16)} at ${at} classifies to no kind`, site });
        continue;
      }
      if (!findVma(mm.vmas, addr)) out.push({ message: `entry ${e.kind} at ${at} lies outside every VMA`, site });
      if (e.refs === 'page' || e.refs === 'pfn') {
        if (e.refs === 'page' && e.pfn === ZERO_PFN) {
          if (module.mmu_write(w)) out.push({ message: `the zero page is mapped writable at ${at} (${e.kind} 0x${w.toString(16)})`, site });
          continue; // the zero page is never counted
        }
        const p = e.pfn >= 0 ? world.pages[e.pfn] : undefined;
        if (!p || p.freed) {
          out.push({ message: `${e.kind} entry at ${at} refers to pfn ${e.pfn}, which is ${p ? 'a freed page' : 'no page'}`, site });
          continue;
        }
        if (e.refs === 'page') mapped.set(e.pfn, (mapped.get(e.pfn) ?? 0) + 1);
        rss[p.anon ? 'anon' : 'shmem']++;
      } else if (e.refs === 'slot') {
        const slot = e.slotType === SWAP_TYPE && e.slotOffset >= 1 ? world.swap.slots[e.slotOffset] : undefined;
        if (!slot) {
          out.push({ message: `${e.kind} entry at ${at} holds swap slot ${e.slotType}:${e.slotOffset}, which is not allocated`, site });
          continue;
        }
        slotHolders.set(e.slotOffset, (slotHolders.get(e.slotOffset) ?? 0) + 1);
        rss.swapents++;
      }
    }
    for (const c of ['anon', 'file', 'shmem', 'swapents'] as const) {
      if (mm.rss[c] !== rss[c]) {
        out.push({
          message: `rss counter ${c} of mm ${mm.name} is ${mm.rss[c]}, but its page table holds ${rss[c]}`,
          site: trace.mmSites.get(mm.name),
        });
      }
    }
  }

  const cached = new Set<number>();
  for (const file of world.files.values()) {
    file.slots.forEach((slot, i) => {
      if (!slot) return;
      if (slot.type === 'swap') {
        if (!world.swap.slots[slot.offset]) out.push({ message: `${file.name}[${i}] holds swap slot ${slot.offset}, which is free` });
        slotHolders.set(slot.offset, (slotHolders.get(slot.offset) ?? 0) + 1);
        return;
      }
      const p = world.pages[slot.pfn];
      if (!p || p.freed) {
        out.push({ message: `${file.name}[${i}] caches pfn ${slot.pfn}, which is ${p ? 'a freed page' : 'no page'}`, site: pageSiteOf(slot.pfn) });
        return;
      }
      if (p.file !== file.name || p.index !== i) out.push({ message: `${file.name}[${i}] caches pfn ${p.pfn}, which belongs elsewhere` });
      cached.add(p.pfn);
    });
  }

  for (const p of world.pages) {
    if (!p || p.freed) continue;
    const maps = mapped.get(p.pfn) ?? 0;
    const inCache = cached.has(p.pfn) ? 1 : 0;
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

  const slots = world.swap.slots;
  for (let off = 1; off < slots.length; off++) {
    const s = slots[off];
    const holders = slotHolders.get(off) ?? 0;
    if (!s) continue;
    if (s.cache) out.push({ message: `swap slot ${off} still has SWAP_HAS_CACHE after the step`, site: trace.slotSites.get(off) });
    if (s.count !== holders) {
      out.push({ message: `swap slot ${SWAP_TYPE}:${off}: swap count ${s.count}, but ${holders} holder${holders === 1 ? '' : 's'}`, site: trace.slotSites.get(off) });
    }
  }
  return out;
}

export function formatViolation(v: Violation): string {
  return v.site ? `${v.message} [last written by ${formatSite(v.site)}]` : v.message;
}
