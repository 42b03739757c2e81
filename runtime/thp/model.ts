// The runtime's THP model (docs/runtime.md, "THP"): an anonymous transparent huge page is a folio of HPAGE_PMD_NR
// base pages mapped by one PMD leaf; the model keeps THP_NR of them. Everything about a PMD value comes from the
// spec's `level pmd` (module.levels.pmd: classify, decode, refs, paths, the MMU walk); this file only knows where a
// block starts, where a THP's pages sit, and what a PMD word refers to.
//
// Why THP_NR = 2 is enough for the contracts the oracle checks (read values, write completion or WP userfault,
// PM_UFFD_WP per base page, the counts): every PMD path treats the folio's pages alike, and every partial operation
// splits the PMD whatever part it covers (v6.17 zap_pmd_range, change_pmd_range, __split_huge_pmd_locked), so a block
// of two pages already has a part inside and a part outside any range; more pages repeat the same two cases.
import { EntryTable, type EntryInfo } from '../entries.js';
import type { LevelModule, SpecModule } from '../../contract/spec-module.js';
import { LEVEL_ENTRY_PATHS, SPLIT_PTE_PATH } from '../../contract/table.js';
import type { Machine } from '../machine.js';
import type { Page, World } from '../world.js';

/** Base pages per THP in the model (the kernel's HPAGE_PMD_NR is 512 with 4 KiB pages). */
export const THP_NR = 2;

/**
 * The huge zero folio's head pfn (mm_get_huge_zero_folio): a multiple of every 2^HPAGE_PMD_ORDER, below FIRST_PFN and
 * never a Page, as the small zero page (ZERO_PFN) is not one. A PMD naming it is the huge zero PMD.
 */
export const HUGE_ZERO_PFN = 0;

/** VM_HUGEPAGE in the explorer's VMA flag word (beside runtime/hugetlb/codec.ts's bit 256). */
export function vmaHugepageBit(hugepage: boolean | undefined): number {
  return hugepage ? 512 : 0;
}

export function isHugepageBit(flags: number): boolean {
  return (flags & 512) !== 0;
}

/** The first address of the block that holds addr. */
export function blockOf(addr: number): number {
  return addr - (((addr % THP_NR) + THP_NR) % THP_NR);
}

export interface ThpLevel {
  readonly level: LevelModule;
  readonly entries: EntryTable<LevelModule>;
  /** HPAGE_PMD_ORDER = PMD_SHIFT - PAGE_SHIFT: a `refs page(F)` of a PMD names the folio whose head pfn is F << order. */
  readonly order: number;
  readonly mmu_read: (w: bigint) => boolean;
  readonly mmu_write: (w: bigint) => boolean;
}

const levels = new WeakMap<SpecModule, ThpLevel | null>();

/**
 * The spec's PMD level when the runtime can drive it: every PMD entry path, the PMD MMU walk, PMD_SHIFT and
 * PAGE_SHIFT, and the PTE level's half of the split. Otherwise null: that kernel gets no THP (khugepaged does
 * nothing, as with THP disabled), and every op stays at the PTE level.
 */
export function thpLevel(module: SpecModule): ThpLevel | null {
  let t = levels.get(module);
  if (t !== undefined) return t;
  t = null;
  const level = module.levels?.pmd;
  const shift = level?.consts['PMD_SHIFT'];
  const page = level?.consts['PAGE_SHIFT'];
  if (level && level.mmu_read && level.mmu_write && shift !== undefined && page !== undefined && module.paths[SPLIT_PTE_PATH] &&
    Object.keys(LEVEL_ENTRY_PATHS.pmd).every((p) => level.paths[p])) {
    t = { level, entries: new EntryTable(level), order: Number(shift - page), mmu_read: level.mmu_read, mmu_write: level.mmu_write };
  }
  levels.set(module, t);
  return t;
}

/** What a PMD word refers to: `page` with the folio's head pfn, `pfn` with the named base pfn, or nothing. */
export function pmdRefs(t: ThpLevel, w: bigint): { readonly info: EntryInfo; readonly pfn: number } {
  const info = t.entries.info(w);
  if (info.refs === 'page') return { info, pfn: info.pfn < 0 ? -1 : info.pfn * 2 ** t.order };
  return { info, pfn: info.pfn };
}

/** The pages of the THP whose head is `head` (the model's THP_NR of them), or undefined if one is missing. */
export function folioPages(world: World, head: number): Page[] | undefined {
  const out: Page[] = [];
  for (let i = 0; i < THP_NR; i++) {
    const p = world.pages[head + i];
    if (!p || p.freed) return undefined;
    out.push(p);
  }
  return out;
}

/**
 * vma_alloc_anon_folio_pmd(): a new anon THP, each page with one reference, unmapped, holding `contents[i]`. Its
 * head is the lowest free multiple of 2^order (a PMD stores pmd_pfn() >> HPAGE_PMD_ORDER), its pages the next THP_NR.
 */
export function allocThp(m: Machine, t: ThpLevel, contents: readonly number[]): number {
  const world = m.world;
  const step = 2 ** t.order;
  const busy = (pfn: number) => world.pages[pfn] !== undefined || world.quarantine.pfns.includes(pfn);
  let head = step;
  for (;;) {
    let free = true;
    for (let i = 0; i < THP_NR; i++) if (busy(head + i)) free = false;
    if (free) break;
    head += step;
  }
  const pages = world.pages;
  while (pages.length < head) pages.push(undefined);
  for (let i = 0; i < THP_NR; i++) {
    const p = placeAt(world, head + i, contents[i] ?? 0);
    m.trace.notePage(p.pfn);
  }
  return head;
}

function placeAt(world: World, pfn: number, contents: number): Page {
  // (allocPage() picks the lowest free pfn; a THP's pages sit at fixed ones: the same record, put there)
  const page: Page = { pfn, refcount: 1, mapcount: 0, contents, anon: true, anonExclusive: false, file: null, index: 0, freed: false, hwpoison: false };
  world.pages[pfn] = page;
  return page;
}
