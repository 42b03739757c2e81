// The runtime's world: everything that is not a PTE value. Physical pages with their counts, the zero page, shmem
// files (page cache + shmem swap), one swap device, and mms (page tables, VMAs, rss counters, userfaultfd context).
//
// Plain data only (arrays, Maps and small objects) so that cloneWorld() is a cheap structural copy and worldKey() a
// deterministic string: the explorer needs both. PTE words are opaque here; only the spec module interprets them.
import type { Word } from '../contract/spec-module.js';
import { copyPage, copyRss, copySwapSlot, copyVma } from './records.js';
import { NO_NAMED_UFFDS, namedUffdsKey } from './uffd/contexts.js';

export { NO_NAMED_UFFDS };
import { cloneHugetlb, endHugetlbStep, hugetlbKey, type HugetlbWorld } from './hugetlb/state.js';

/** The zero page's pfn (my_zero_pfn()): never allocated, never counted, contents always 0. */
export const ZERO_PFN = 1;
/** Allocated pages get pfns from here upwards (lowest free pfn first, so equal histories give equal pfns). */
export const FIRST_PFN = 2;
/** The one swap device's type; offset 0 is the swap header and is never allocated (Hugh's "offset 0 is free"). */
export const SWAP_TYPE = 0;

export interface Page {
  readonly pfn: number;
  refcount: number; // folio_ref_count(): mappings + page cache + references the runtime holds during an op
  mapcount: number; // folio_mapcount(): entries mapping it
  contents: number; // the whole page's data, as one small integer
  anon: boolean; // folio_test_anon()
  anonExclusive: boolean; // PageAnonExclusive()
  /** Owner: a shmem file page (file, index), or null for an anonymous page. */
  file: string | null;
  index: number;
  /** Freed during the current step: kept until the step's invariants ran, so stale references are caught. */
  freed: boolean;
  /**
   * PageHWPoison: memory_failure() took it out of use. It keeps memory_failure()'s reference for ever (the kernel
   * never frees a poisoned page), and entries naming it (hwpoison entries) hold no rss count.
   */
  hwpoison: boolean;
  /**
   * Long-term GUP pins (pin_user_pages(FOLL_LONGTERM), runtime/ops-pin.ts): each holds one reference, so
   * folio_maybe_dma_pinned() is true while any is held. Absent = 0.
   */
  pins?: number;
}

/** One index of a shmem file: a page-cache page, a shmem swap slot, or a hole (null). Immutable: replace, don't edit. */
/**
 * One index of a shmem file. `large` marks the first index of a PMD-size folio (runtime/thp/file.ts): its THP_NR pages
 * sit at pfns pfn, pfn + 1, ... in indices index, index + 1, ...; absent on every other slot.
 */
export type FileSlot = { readonly type: 'page'; readonly pfn: number; readonly large?: true } | { readonly type: 'swap'; readonly offset: number } | null;

export interface ShmemFile {
  readonly name: string;
  readonly size: number; // pages; an access at or beyond it is SIGBUS
  slots: FileSlot[];
  /** shmem huge=always (`file F pages N huge`): faults allocate PMD-size folios where they can (runtime/thp/file.ts). */
  readonly huge?: true;
}

function copyFile(f: ShmemFile): ShmemFile {
  return { name: f.name, size: f.size, slots: f.slots.slice(), ...(f.huge ? { huge: f.huge } : {}) };
}

export interface SwapSlot {
  count: number; // swap_map count: entries holding it + 1 if a shmem file holds it
  contents: number;
  /** SWAP_HAS_CACHE: allocated by reclaim and not yet written back; not a count. */
  cache: boolean;
  /** The device can no longer read it back (a swap read error): swap-in finds the folio !uptodate. */
  error: boolean;
}

export interface SwapDevice {
  /** Indexed by offset; null = free. slots[0] is the header, always null and never allocated. */
  slots: (SwapSlot | null)[];
}

export interface Vma {
  start: number; // page index in the mm's address space
  pages: number;
  anon: boolean; // vma_is_anonymous()
  file: string | null; // the shmem file, for file VMAs
  shared: boolean; // VM_SHARED
  pgoff: number; // file index of `start`
  writable: boolean; // VM_WRITE
  readable: boolean; // VM_READ (false after mprotect PROT_NONE: !vma_is_accessible())
  uffd_wp: boolean; // VM_UFFD_WP
  anon_vma: boolean; // vma->anon_vma != NULL (anon_vma_prepare() ran)
  uffd_missing: boolean; // VM_UFFD_MISSING
  uffd_minor: boolean; // VM_UFFD_MINOR
  uffd_ctx: string; // the context that registered it: '' the mm's first, else its name (runtime/uffd/contexts.ts)
  hugetlb: boolean; // is_vm_hugetlb_page(): its entries are in world.hugetlb (runtime/hugetlb/), not in mm.pt
  /** VM_HUGEPAGE (MADV_HUGEPAGE; absent = off): THP faults allocate a THP here (runtime/thp/fault.ts). */
  hugepage?: boolean;
}

export interface Uffd {
  readonly event_fork: boolean; // UFFD_FEATURE_EVENT_FORK
  readonly wp_unpopulated: boolean; // UFFD_FEATURE_WP_UNPOPULATED
  readonly sigbus?: boolean; // UFFD_FEATURE_SIGBUS (absent = off): handle_userfault() returns VM_FAULT_SIGBUS instead of a message
  readonly event_remap?: boolean; // UFFD_FEATURE_EVENT_REMAP (absent = off)
  readonly wp_async?: boolean; // UFFD_FEATURE_WP_ASYNC (absent = off): do_wp_page() resolves a uffd-wp fault itself
}

export interface Rss {
  anon: number; // MM_ANONPAGES
  file: number; // MM_FILEPAGES
  shmem: number; // MM_SHMEMPAGES
  swapents: number; // MM_SWAPENTS
}

export interface Mm {
  readonly name: string;
  vmas: Vma[]; // sorted by start, non-overlapping
  /** The page table: address -> PTE word. A missing address is the word 0. */
  pt: Map<number, Word>;
  rss: Rss;
  /** The mm's first userfaultfd context (`uffd` in a scenario); null when none is open. */
  uffd: Uffd | null;
  /** Its other contexts, by name (`uffd NAME`; runtime/uffd/contexts.ts); replaced, never changed in place. */
  namedUffds: ReadonlyMap<string, Uffd>;
  /** MMF_HAS_PINNED: set by the first long-term pin of the mm and never cleared (absent = never pinned). */
  pinned?: boolean;
  /** The pins this mm holds, in the order taken: the address pinned and the page GUP returned. */
  pins?: { readonly addr: number; readonly pfn: number }[];
  /**
   * THP (runtime/thp/): PMD leaves by the first address of their block (a block is THP_NR aligned pages). A block
   * without an entry here is pmd_none or a PTE table: its pages are in `pt`. Never both for one block.
   */
  pmd: Map<number, Word>;
}

export interface World {
  pages: (Page | undefined)[]; // indexed by pfn
  files: Map<string, ShmemFile>;
  swap: SwapDevice;
  mms: Map<string, Mm>;
  /** Pfns and swap offsets freed during the current step: not reused before endStep(). */
  quarantine: { pfns: number[]; slots: number[] };
  /** hugetlbfs files, hugetlb folios and entries (runtime/hugetlb/state.ts); absent until a hugetlbfs file exists. */
  hugetlb?: HugetlbWorld;
}

export function createWorld(): World {
  return { pages: [], files: new Map(), swap: { slots: [null] }, mms: new Map(), quarantine: { pfns: [], slots: [] } };
}

export function createMm(name: string): Mm {
  return { name, vmas: [], pt: new Map(), rss: { anon: 0, file: 0, shmem: 0, swapents: 0 }, uffd: null, namedUffds: NO_NAMED_UFFDS, pmd: new Map() };
}

// ------------------------------------------------------------------------------------------------- pages

export interface PageInit {
  contents: number;
  anon: boolean;
  file: string | null;
  index: number;
  refcount: number;
}

/** Allocate the lowest pfn that is free and was not freed during this step. */
export function allocPage(world: World, init: PageInit): Page {
  const pages = world.pages;
  let pfn = FIRST_PFN;
  while (pfn < pages.length && pages[pfn] !== undefined) pfn++;
  const page: Page = {
    pfn,
    refcount: init.refcount,
    mapcount: 0,
    contents: init.contents,
    anon: init.anon,
    anonExclusive: false,
    file: init.file,
    index: init.index,
    freed: false,
    hwpoison: false,
  };
  pages[pfn] = page;
  return page;
}

/** free_the_page(): the page stays visible as freed until endStep(), so a stale reference is reported. */
export function freePage(world: World, page: Page): void {
  page.freed = true;
  world.quarantine.pfns.push(page.pfn);
}

/** A live page by pfn, or undefined (no page, a freed page, or the zero page). */
export function livePage(world: World, pfn: number): Page | undefined {
  const p = pfn >= 0 ? world.pages[pfn] : undefined;
  return p && !p.freed ? p : undefined;
}

// ------------------------------------------------------------------------------------------------- swap

/** get_swap_page(): lowest free offset >= 1 not freed during this step; the slot starts with SWAP_HAS_CACHE only. */
export function allocSwapSlot(world: World, contents: number): number {
  const slots = world.swap.slots;
  let off = 1;
  while (off < slots.length && (slots[off] !== null || world.quarantine.slots.includes(off))) off++;
  slots[off] = { count: 0, contents, cache: true, error: false };
  return off;
}

export function freeSwapSlot(world: World, offset: number): void {
  world.swap.slots[offset] = null;
  world.quarantine.slots.push(offset);
}

// ------------------------------------------------------------------------------------------------- steps

/** End of a step (after invariants): freed pages and slots become reusable. */
export function endStep(world: World): void {
  const q = world.quarantine;
  for (const pfn of q.pfns) {
    const p = world.pages[pfn];
    if (p && p.freed) world.pages[pfn] = undefined;
  }
  q.pfns.length = 0;
  q.slots.length = 0;
  while (world.pages.length > 0 && world.pages[world.pages.length - 1] === undefined) world.pages.length--;
  const slots = world.swap.slots;
  while (slots.length > 1 && slots[slots.length - 1] === null) slots.length--;
  if (world.hugetlb) endHugetlbStep(world.hugetlb, world.mms);
}

// ------------------------------------------------------------------------------------------------- clone, key

export function cloneWorld(w: World): World {
  // Explicit literals in the allocation order of each type (same hidden classes as the originals): the explorer
  // clones a world for every transition it tries.
  const src = w.pages;
  const pages: (Page | undefined)[] = new Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const p = src[i];
    if (p) {
      pages[i] = {
        pfn: p.pfn,
        refcount: p.refcount,
        mapcount: p.mapcount,
        contents: p.contents,
        anon: p.anon,
        anonExclusive: p.anonExclusive,
        file: p.file,
        index: p.index,
        freed: p.freed,
        hwpoison: p.hwpoison,
        ...(p.pins !== undefined ? { pins: p.pins } : {}),
      };
    }
  }
  const files = new Map<string, ShmemFile>();
  for (const k of w.files.keys()) {
    const f = w.files.get(k)!;
    files.set(k, copyFile(f));
  }
  const mms = new Map<string, Mm>();
  for (const k of w.mms.keys()) {
    const mm = w.mms.get(k)!;
    const vs = mm.vmas;
    const vmas: Vma[] = new Array(vs.length);
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      vmas[i] = {
        start: v.start,
        pages: v.pages,
        anon: v.anon,
        file: v.file,
        shared: v.shared,
        pgoff: v.pgoff,
        writable: v.writable,
        readable: v.readable,
        uffd_wp: v.uffd_wp,
        anon_vma: v.anon_vma,
        uffd_missing: v.uffd_missing,
        uffd_minor: v.uffd_minor,
        uffd_ctx: v.uffd_ctx,
        hugetlb: v.hugetlb,
        ...(v.hugepage ? { hugepage: true } : {}),
      };
    }
    const r = mm.rss;
    mms.set(k, {
      name: mm.name,
      vmas,
      pt: new Map(mm.pt),
      rss: { anon: r.anon, file: r.file, shmem: r.shmem, swapents: r.swapents },
      uffd: mm.uffd, // immutable
      namedUffds: mm.namedUffds, // immutable
      ...(mm.pinned !== undefined ? { pinned: mm.pinned } : {}),
      ...(mm.pins !== undefined ? { pins: mm.pins.slice() } : {}),
      pmd: new Map(mm.pmd),
    });
  }
  const ss = w.swap.slots;
  const slots: (SwapSlot | null)[] = new Array(ss.length);
  for (let i = 0; i < ss.length; i++) {
    const s = ss[i]!;
    slots[i] = s ? { count: s.count, contents: s.contents, cache: s.cache, error: s.error } : null;
  }
  const out: World = {
    pages,
    files,
    swap: { slots },
    mms,
    quarantine: { pfns: w.quarantine.pfns.slice(), slots: w.quarantine.slots.slice() },
  };
  if (w.hugetlb) out.hugetlb = cloneHugetlb(w.hugetlb);
  return out;
}

/**
 * A canonical string for the world at a step boundary: equal worlds give equal keys. Maps are walked in sorted
 * order; mm and file names are kept (renaming-invariance is the explorer's business).
 */
export function worldKey(w: World): string {
  const out: string[] = [];
  for (let i = 0; i < w.pages.length; i++) {
    const p = w.pages[i];
    if (!p) continue;
    out.push(`p${p.pfn}:${p.refcount}/${p.mapcount}=${p.contents}${p.anon ? 'a' : ''}${p.anonExclusive ? 'x' : ''}` +
      `${p.file !== null ? `@${p.file}:${p.index}` : ''}${p.freed ? '!' : ''}${p.hwpoison ? 'H' : ''}${p.pins ? `#${p.pins}` : ''}`);
  }
  for (const name of [...w.files.keys()].sort()) {
    const f = w.files.get(name)!;
    out.push(`f${name}/${f.size}${f.huge ? 'H' : ''}:` + f.slots.map((s) => (s === null ? '-' : s.type === 'page' ? `${s.large ? 'P' : 'p'}${s.pfn}` : `s${s.offset}`)).join(','));
  }
  const slots = w.swap.slots;
  for (let off = 1; off < slots.length; off++) {
    const s = slots[off];
    if (s) out.push(`s${off}:${s.count}=${s.contents}${s.cache ? 'c' : ''}${s.error ? 'E' : ''}`);
  }
  for (const name of [...w.mms.keys()].sort()) {
    const mm = w.mms.get(name)!;
    const r = mm.rss;
    let line = `m${name}:${r.anon},${r.file},${r.shmem},${r.swapents}`;
    if (mm.uffd) line += `|u${uffdKey(mm.uffd)}`;
    line += namedUffdsKey(mm, uffdKey);
    if (mm.pinned) line += `|pinned${(mm.pins ?? []).map((x) => `,${x.addr}:${x.pfn}`).join('')}`;
    for (const v of mm.vmas) {
      line += `|v${v.start}+${v.pages}${v.anon ? 'a' : `${v.file}@${v.pgoff}${v.shared ? 's' : 'p'}`}` +
        `${v.writable ? 'w' : ''}${v.readable ? '' : 'N'}${v.uffd_wp ? 'u' : ''}${v.anon_vma ? 'A' : ''}${v.hugetlb ? 'H' : ''}${v.uffd_ctx ? `@${v.uffd_ctx}` : ''}`;
    }
    const addrs = [...mm.pt.keys()].sort((a, b) => a - b);
    for (const a of addrs) line += `|${a}=${mm.pt.get(a)!.toString(16)}`;
    for (const a of [...mm.pmd.keys()].sort((x, y) => x - y)) line += `|H${a}=${mm.pmd.get(a)!.toString(16)}`;
    out.push(line);
  }
  if (w.hugetlb) out.push(hugetlbKey(w.hugetlb));
  return out.join('\n');
}

/**
 * Make `dst` equal to `src` (as cloneWorld(src) would be: same fields, same Map and array order, nothing shared that
 * can change), reusing dst's objects where it has them: the explorer resets one working world to the parent state
 * before every op it tries instead of allocating a clone (test/runtime/explore/restore.test.ts holds it to cloneWorld).
 */
export function restoreWorld(dst: World, src: World): void {
  const sp = src.pages;
  const dp = dst.pages;
  // (push and pop: setting an array's length is slow in V8)
  while (dp.length > sp.length) dp.pop();
  while (dp.length < sp.length) dp.push(undefined);
  for (let i = 0; i < sp.length; i++) {
    const p = sp[i];
    if (!p) {
      if (dp[i] !== undefined) dp[i] = undefined;
      continue;
    }
    // Pages, swap slots, VMAs and rss are flat records of immutable values: copied field by field (records.ts, whose
    // test fails on a field it leaves out), a spread for a new one
    const d = dp[i];
    if (!d) dp[i] = { ...p };
    else copyPage(d, p); // pages are indexed by pfn: d.pfn === p.pfn
  }
  if (!sameKeys(dst.files, src.files)) {
    dst.files = new Map();
    for (const k of src.files.keys()) {
      const f = src.files.get(k)!;
      dst.files.set(k, copyFile(f));
    }
  } else {
    for (const k of src.files.keys()) {
      const f = src.files.get(k)!;
      const d = dst.files.get(k)!;
      if (d.size !== f.size || d.huge !== f.huge) dst.files.set(k, copyFile(f));
      else copyArray(d.slots, f.slots); // slots are immutable: shared
    }
  }
  const ss = src.swap.slots;
  const ds = dst.swap.slots;
  while (ds.length > ss.length) ds.pop();
  while (ds.length < ss.length) ds.push(null);
  for (let i = 0; i < ss.length; i++) {
    const s = ss[i]!;
    if (!s) {
      ds[i] = null;
      continue;
    }
    const d = ds[i];
    if (!d) ds[i] = { ...s };
    else copySwapSlot(d, s);
  }
  if (!sameKeys(dst.mms, src.mms)) {
    // a fork or an exit: keep what can be kept, in src's order
    const old = dst.mms;
    dst.mms = new Map();
    for (const k of src.mms.keys()) {
      const mm = src.mms.get(k)!;
      const d = old.get(k);
      if (d) restoreMm(d, mm);
      dst.mms.set(k, d ?? cloneMm(mm));
    }
  } else {
    for (const k of src.mms.keys()) {
      const mm = src.mms.get(k)!;
      restoreMm(dst.mms.get(k)!, mm);
    }
  }
  copyArray(dst.quarantine.pfns, src.quarantine.pfns);
  copyArray(dst.quarantine.slots, src.quarantine.slots);
  if (src.hugetlb) dst.hugetlb = cloneHugetlb(src.hugetlb);
  else if (dst.hugetlb) delete dst.hugetlb;
}

function cloneMm(mm: Mm): Mm {
  const d = createMm(mm.name);
  restoreMm(d, mm);
  return d;
}

function restoreMm(d: Mm, s: Mm): void {
  const sv = s.vmas;
  const dv = d.vmas;
  while (dv.length > sv.length) dv.pop();
  for (let i = 0; i < sv.length; i++) {
    const v = sv[i]!;
    const x = dv[i];
    if (!x) dv[i] = { ...v };
    else copyVma(x, v);
  }
  if (!sameEntries(d.pt, s.pt)) {
    d.pt.clear();
    for (const a of s.pt.keys()) {
      const w = s.pt.get(a)!;
      d.pt.set(a, w);
    }
  }
  copyRss(d.rss, s.rss);
  d.uffd = s.uffd; // immutable
  d.namedUffds = s.namedUffds; // immutable
  // (optional fields: present exactly when the source has them, as cloneWorld makes them)
  if (s.pinned !== undefined) d.pinned = s.pinned;
  else if (d.pinned !== undefined) delete d.pinned;
  if (s.pins !== undefined) d.pins = s.pins.slice();
  else if (d.pins !== undefined) delete d.pins;
  if (!sameEntries(d.pmd, s.pmd)) {
    d.pmd.clear();
    for (const a of s.pmd.keys()) {
      const w = s.pmd.get(a)!;
      d.pmd.set(a, w);
    }
  }
}

function sameKeys<K, V>(a: Map<K, V>, b: Map<K, V>): boolean {
  if (a.size !== b.size) return false;
  const ia = a.keys();
  for (const k of b.keys()) if (ia.next().value !== k) return false;
  return true;
}

/**
 * Same keys with the same values in the same order (PTE words compare by value). Keys and get(), not entries: an
 * entry iterator allocates an array per entry, and the explorer calls this for every mm of every op it tries.
 */
function sameEntries<K, V>(a: Map<K, V>, b: Map<K, V>): boolean {
  if (a.size !== b.size) return false;
  const ia = a.keys();
  for (const k of b.keys()) {
    if (ia.next().value !== k || a.get(k) !== b.get(k)) return false;
  }
  return true;
}

function copyArray<T>(d: T[], s: readonly T[]): void {
  while (d.length > s.length) d.pop();
  for (let i = 0; i < s.length; i++) d[i] = s[i]!;
}

function uffdKey(u: Uffd): string {
  return `${u.event_fork ? 'f' : ''}${u.wp_unpopulated ? 'p' : ''}${u.event_remap ? 'r' : ''}${u.wp_async ? 'a' : ''}`;
}
