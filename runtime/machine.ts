// The runtime side of HandlerEnv: runs a spec path on one entry, with the context the caller fills and the
// primitives with real accounting (docs/handlers.md "Primitives"). Pages are named by pfn; the zero page is never
// counted; a primitive misused the way the kernel would BUG/WARN on throws a ViolationError naming the running case.
import { EntryTable, toSmall } from './entries.js';
import type { Coverage } from './coverage.js';
import { Trace, ViolationError } from './trace.js';
import { shmemAllocLarge } from './thp/shmem-folio.js';
import { uffdOfVma } from './uffd/contexts.js';
import type {
  CaseSite,
  HandlerContext,
  HandlerEnv,
  Outcome,
  PagemapFlag,
  Pfn,
  Primitives,
  RssCounter,
  SpecModule,
  Word,
} from '../contract/spec-module.js';
import {
  SWAP_TYPE,
  ZERO_PFN,
  allocPage,
  freePage,
  freeSwapSlot,
  type FileSlot,
  type Mm,
  type Page,
  type SwapSlot,
  type Vma,
  type World,
} from './world.js';

/** The contents of a page read from a slot that cannot be read: a value no write ever stores (data is >= 0). */
export const GARBAGE = -1;

/** The entry a path runs on. */
export interface Cursor {
  readonly mm: Mm;
  readonly vma: Vma;
  readonly addr: number;
  /** copy_page_range only: the child's mm and VMA (env.copy writes there; rss and anon_vma count there). */
  readonly child?: { readonly mm: Mm; readonly vma: Vma };
  /** pagemap_pte only: the flags the handler reports. */
  readonly pagemap?: Set<PagemapFlag>;
}

const NO_DST = Object.freeze({ uffd_wp: false });
const NO_ZAP = Object.freeze({ drop_markers: false, even_cows: false });
const NO_FAULT = Object.freeze({ write: false, around: false });
const NO_PROT = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: false, none: false, try_change_writable: false });
const NO_RECLAIM = Object.freeze({ slot_type: 0n, slot_offset: 0n, hwpoison: false });
const NO_MIGRATE = Object.freeze({ dst_pfn: 0n });
const NO_MFILL = Object.freeze({ copy: false, zeropage: false, continue: false, wp: false });
const NO_MOVE = Object.freeze({ clear_uffd_wp: false });
const NO_SCAN = Object.freeze({ wp: false });
const NO_ARGS: Readonly<Record<string, bigint>> = Object.freeze({});

export type ContextParts = Partial<Omit<HandlerContext, 'vma'>>;

/** HandlerContext.vma for a VMA of an mm (userfaultfd_wp(), userfaultfd_wp_unpopulated(), vma->anon_vma, ...). */
export function vmaContext(mm: Mm, v: Vma): HandlerContext['vma'] {
  return {
    anon: v.anon,
    shmem: v.file !== null && !v.hugetlb,
    shared: v.shared,
    private_file: v.file !== null && !v.shared,
    writable: v.writable,
    accessible: v.readable,
    uffd_wp: v.uffd_wp,
    uffd_missing: v.uffd_missing,
    uffd_wp_unpopulated: v.uffd_wp && uffdOfVma(mm, v.uffd_ctx)?.wp_unpopulated === true, // the VMA's own context's
    anon_vma: v.anon_vma,
    uffd_minor: v.uffd_minor,
    uffd_wp_async: v.uffd_wp && uffdOfVma(mm, v.uffd_ctx)?.wp_async === true, // userfaultfd_wp_async() under VM_UFFD_WP
    hugetlb: v.hugetlb,
  };
}

export function makeContext(mm: Mm, v: Vma, parts: ContextParts = {}): HandlerContext {
  return {
    vma: vmaContext(mm, v),
    dst: parts.dst ?? NO_DST,
    zap: parts.zap ?? NO_ZAP,
    fault: parts.fault ?? NO_FAULT,
    prot: parts.prot ?? NO_PROT,
    reclaim: parts.reclaim ?? NO_RECLAIM,
    migrate: parts.migrate ?? NO_MIGRATE,
    mfill: parts.mfill ?? NO_MFILL,
    move: parts.move ?? NO_MOVE,
    scan: parts.scan ?? NO_SCAN,
    args: parts.args ?? NO_ARGS,
  };
}

/** A spec module bound to a world: what ops.ts drives. Reuse one Machine per module; swap `world` to explore. */
export class Machine {
  readonly entries: EntryTable;
  readonly trace = new Trace();
  /** When set, every entry written and every case entered is counted (runtime/coverage.ts). */
  coverage: Coverage | undefined;
  /** Set by the mfill_eexist primitive during one mfill_atomic_pte (runtime/uffd/mfill.ts). */
  mfillRefused = false;
  /** Set by move_ebusy / move_efault during one move_pages_pte (runtime/uffd/move.ts). */
  moveRefused: 'EBUSY' | 'EFAULT' | undefined = undefined;

  constructor(
    readonly module: SpecModule,
    public world: World,
  ) {
    this.entries = new EntryTable(module);
  }

  /** Run `path` on the cursor's entry. Nested `call`s come back here. */
  runPath(path: string, cur: Cursor, ctx: HandlerContext): Outcome {
    const fn = this.module.paths[path];
    if (!fn) throw new ViolationError(`the spec has no path '${path}'`, this.trace.current, path);
    const trace = this.trace;
    const savedSite = trace.current;
    const savedPath = trace.currentPath;
    trace.currentPath = path;
    try {
      return fn(new Env(this, path, cur, ctx));
    } finally {
      trace.current = savedSite;
      trace.currentPath = savedPath;
    }
  }

  /** set_pte_at / ptep_get_and_clear: write an entry and remember which case did it (and what it referred to). */
  writeEntry(mm: Mm, addr: number, w: Word): void {
    const old = mm.pt.get(addr) ?? 0n;
    if (w === 0n) mm.pt.delete(addr);
    else mm.pt.set(addr, w);
    this.coverage?.noteWrite(this.module, w);
    const t = this.trace;
    if (t.current && t.detailed) {
      t.noteEntry(mm.name, addr);
      t.noteMm(mm.name);
      this.noteRefs(old);
      this.noteRefs(w);
    }
  }

  private noteRefs(w: Word): void {
    if (w === 0n) return;
    const e = this.entries.info(w);
    if (e.refs === 'page' || e.refs === 'pfn') this.trace.notePage(e.pfn);
    else if (e.refs === 'slot') this.trace.noteSlot(e.slotOffset);
  }

  /**
   * Run `probe` as a look at the state, not a step: no trail, warnings, coverage or blame notes survive it. False when
   * it threw (a broken entry is the other invariants' business).
   */
  quietly(probe: () => void): boolean {
    const t = this.trace;
    const detailed = t.detailed;
    const coverage = this.coverage;
    const trail = t.trail.length;
    const warnings = t.warnings.length;
    t.detailed = false;
    this.coverage = undefined;
    try {
      probe();
      return true;
    } catch {
      return false;
    } finally {
      t.detailed = detailed;
      this.coverage = coverage;
      t.trail.length = trail;
      t.warnings.length = warnings;
    }
  }

  fail(message: string): never {
    throw new ViolationError(message, this.trace.current, this.trace.currentPath);
  }

  /** A live, countable page (not the zero page), or a violation. */
  page(pfn: Pfn, what: string): Page {
    const n = toSmall(pfn);
    if (n === ZERO_PFN) this.fail(`${what}: the zero page is never counted`);
    const p = n >= 0 ? this.world.pages[n] : undefined;
    if (!p) this.fail(`${what}: pfn ${pfn} names no page`);
    if (p.freed) this.fail(`${what}: pfn ${pfn} was already freed (use after free)`);
    return p;
  }

  /** folio_put() reaching zero frees the page; the kernel's free_pages_check() wants it unmapped and out of the cache. */
  putPage(p: Page, what: string): void {
    p.refcount--;
    this.trace.notePage(p.pfn);
    if (p.refcount > 0) return;
    if (p.refcount < 0) this.fail(`${what}: refcount of pfn ${p.pfn} went below zero`);
    if (p.mapcount !== 0) this.fail(`${what}: Bad page state: pfn ${p.pfn} freed while its mapcount is ${p.mapcount}`);
    if (p.file !== null) {
      const slot = this.world.files.get(p.file)?.slots[p.index];
      if (slot && slot.type === 'page' && slot.pfn === p.pfn) {
        this.fail(`${what}: pfn ${p.pfn} freed while still in the page cache of ${p.file}[${p.index}]`);
      }
    }
    freePage(this.world, p);
  }

  swapSlot(type: bigint, offset: bigint, what: string): { slot: SwapSlot; offset: number } {
    if (type !== BigInt(SWAP_TYPE)) this.fail(`${what}: swap type ${type} has no swap device (only type ${SWAP_TYPE} is on)`);
    const off = toSmall(offset);
    const slot = off >= 1 ? this.world.swap.slots[off] : undefined;
    if (!slot) this.fail(`${what}: swap slot ${type}:${offset} is not allocated`);
    return { slot, offset: off };
  }

  swapFree(off: number, slot: SwapSlot, what: string): void {
    slot.count--;
    this.trace.noteSlot(off);
    if (slot.count < 0) this.fail(`${what}: swap count of slot ${off} went below zero`);
    if (slot.count === 0 && !slot.cache) freeSwapSlot(this.world, off);
  }
}

/** One path invocation: HandlerEnv and Primitives in one object (prim === this). */
class Env implements HandlerEnv, Primitives {
  readonly prim: Primitives = this;

  constructor(
    private readonly m: Machine,
    private readonly path: string,
    private readonly cur: Cursor,
    readonly ctx: HandlerContext,
  ) {}

  get pte(): Word {
    return this.cur.mm.pt.get(this.cur.addr) ?? 0n;
  }

  set(w: Word): void {
    this.m.writeEntry(this.cur.mm, this.cur.addr, w);
  }

  copy(w: Word): void {
    const child = this.cur.child;
    if (!child) this.m.fail(`'copy' outside copy_page_range (in ${this.path})`);
    this.m.writeEntry(child.mm, this.cur.addr, w);
  }

  enter(site: CaseSite): void {
    this.m.coverage?.noteCase(site);
    this.m.trace.enter(this.path, site, this.cur.mm.name, this.cur.addr);
  }

  call(path: string, args: Readonly<Record<string, bigint>>): Outcome {
    const c = this.ctx;
    // an explicit literal (HandlerContext's fields, in makeContext's order): one shape, no spread per nested call
    return this.m.runPath(path, this.cur, {
      vma: c.vma,
      dst: c.dst,
      zap: c.zap,
      fault: c.fault,
      prot: c.prot,
      reclaim: c.reclaim,
      migrate: c.migrate,
      mfill: c.mfill,
      move: c.move,
      scan: c.scan,
      args,
    });
  }

  // --- page lookup

  vm_normal_page(pfn: Pfn): Pfn | null {
    if (toSmall(pfn) === ZERO_PFN) return null; // vm_normal_page(): is_zero_pfn() -> NULL
    this.m.page(pfn, 'vm_normal_page');
    return pfn;
  }

  pfn_to_page(pfn: Pfn): Pfn | null {
    if (toSmall(pfn) === ZERO_PFN) return pfn;
    this.m.page(pfn, 'pfn_to_page');
    return pfn;
  }

  zero_pfn(): Pfn {
    return BigInt(ZERO_PFN);
  }

  page_anon(page: Pfn): boolean {
    return toSmall(page) === ZERO_PFN ? false : this.m.page(page, 'page_anon').anon;
  }

  page_exclusive(page: Pfn): boolean {
    return toSmall(page) === ZERO_PFN ? false : this.m.page(page, 'page_exclusive').anonExclusive;
  }

  /** folio_needs_cow_for_dma() less is_cow_mapping (the spec tests the VMA): pinned, and the mm has MMF_HAS_PINNED. */
  page_maybe_dma_pinned(page: Pfn): boolean {
    if (toSmall(page) === ZERO_PFN) return false;
    return (this.m.page(page, 'page_maybe_dma_pinned').pins ?? 0) > 0 && this.cur.mm.pinned === true;
  }

  page_mapcount(page: Pfn): bigint {
    return toSmall(page) === ZERO_PFN ? 0n : BigInt(this.m.page(page, 'page_mapcount').mapcount);
  }

  // --- reference counting and rmap

  get_page(page: Pfn): void {
    const p = this.m.page(page, 'get_page');
    p.refcount++;
    this.m.trace.notePage(p.pfn);
  }

  put_page(page: Pfn): void {
    this.m.putPage(this.m.page(page, 'put_page'), 'put_page');
  }

  page_add_rmap(page: Pfn): void {
    const p = this.m.page(page, 'page_add_rmap');
    p.mapcount++;
    this.m.trace.notePage(p.pfn);
  }

  page_add_new_anon_rmap(page: Pfn): void {
    const p = this.m.page(page, 'page_add_new_anon_rmap');
    if (!p.anon) this.m.fail(`page_add_new_anon_rmap: pfn ${p.pfn} is a page-cache page`);
    if (p.mapcount !== 0) this.m.fail(`page_add_new_anon_rmap: pfn ${p.pfn} is already mapped ${p.mapcount} times`);
    p.mapcount = 1;
    p.anonExclusive = true; // RMAP_EXCLUSIVE
    this.anonVma().anon_vma = true; // the page joins the VMA's anon_vma
    this.m.trace.notePage(p.pfn);
  }

  page_dup_rmap(page: Pfn): void {
    const p = this.m.page(page, 'page_dup_rmap');
    p.mapcount++;
    if (p.anon) p.anonExclusive = false; // folio_try_dup_anon_rmap_pte(): now shared with the child
    this.m.trace.notePage(p.pfn);
  }

  page_remove_rmap(page: Pfn): void {
    const p = this.m.page(page, 'page_remove_rmap');
    p.mapcount--;
    this.m.trace.notePage(p.pfn);
    if (p.mapcount < 0) this.m.fail(`page_remove_rmap: mapcount of pfn ${p.pfn} went below zero`);
  }

  // --- rss

  rss_inc(counter: RssCounter): void {
    const mm = this.rssMm();
    mm.rss[counter]++;
    this.m.trace.noteMm(mm.name);
  }

  rss_dec(counter: RssCounter): void {
    const mm = this.rssMm();
    mm.rss[counter]--;
    this.m.trace.noteMm(mm.name);
  }

  mm_counter(page: Pfn): RssCounter {
    const p = this.m.page(page, 'mm_counter');
    // v6.17 include/linux/mm.h mm_counter(): anon -> MM_ANONPAGES; mm_counter_file(): swap-backed (shmem) -> MM_SHMEMPAGES
    return p.anon ? 'anon' : 'shmem';
  }

  // --- new pages

  alloc_anon_page(): Pfn {
    this.anonVma().anon_vma = true; // vmf_anon_prepare() / anon_vma_prepare() precede every anon allocation
    const p = allocPage(this.m.world, { contents: 0, anon: true, file: null, index: 0, refcount: 1 });
    this.m.trace.notePage(p.pfn);
    return BigInt(p.pfn);
  }

  copy_page(dst: Pfn, src: Pfn): void {
    const d = this.m.page(dst, 'copy_page');
    d.contents = toSmall(src) === ZERO_PFN ? 0 : this.m.page(src, 'copy_page').contents;
  }

  filemap_fault(): Pfn | null {
    return this.pageCache('filemap_fault', true);
  }

  find_get_page(): Pfn | null {
    return this.pageCache('find_get_page', false);
  }

  hugetlb_count_add(): void {
    this.m.fail(`hugetlb_count_add in ${this.path}: only the huge_pte level counts hugetlb pages`);
  }

  hugetlb_count_sub(): void {
    this.m.fail(`hugetlb_count_sub in ${this.path}: only the huge_pte level counts hugetlb pages`);
  }

  /** mfill_atomic_pte(): the destination is populated (EEXIST); the runtime's caller undoes the page it brought. */
  mfill_eexist(): void {
    this.m.mfillRefused = true;
  }

  /** move_pages_pte(): UFFDIO_MOVE refuses the page; runtime/uffd/move.ts puts the entry back at the source. */
  move_ebusy(): void {
    this.m.moveRefused = 'EBUSY';
  }

  move_efault(): void {
    this.m.moveRefused = 'EFAULT';
  }

  filemap_hole(): boolean {
    return this.fileSlot('filemap_hole') === null;
  }

  filemap_present(): boolean {
    const s = this.fileSlot('filemap_present');
    return s !== null && s !== undefined;
  }

  /** The file slot at the cursor (null = hole), or undefined beyond the end of the file. */
  private fileSlot(what: string): FileSlot | undefined {
    const v = this.cur.vma;
    if (v.file === null) this.m.fail(`${what} in an anonymous VMA`);
    const file = this.m.world.files.get(v.file);
    if (!file) this.m.fail(`${what}: file ${v.file} does not exist`);
    const index = v.pgoff + (this.cur.addr - v.start);
    if (index < 0 || index >= file.size) return undefined;
    return file.slots[index] ?? null;
  }

  // --- swap

  swapin(type: bigint, offset: bigint): Pfn {
    const { slot } = this.m.swapSlot(type, offset, 'swapin');
    // No swap cache is modelled: every swap-in reads a fresh page (the user sees the same data either way). A slot
    // that cannot be read gives a page of garbage (GARBAGE): what a caller that ignores !uptodate maps (v5.10 unuse_pte).
    this.anonVma().anon_vma = true;
    const contents = slot.error ? GARBAGE : slot.contents;
    const p = allocPage(this.m.world, { contents, anon: true, file: null, index: 0, refcount: 1 });
    this.m.trace.notePage(p.pfn);
    return BigInt(p.pfn);
  }

  swap_duplicate(type: bigint, offset: bigint): void {
    const { slot, offset: off } = this.m.swapSlot(type, offset, 'swap_duplicate');
    slot.count++;
    this.m.trace.noteSlot(off);
  }

  swap_free(type: bigint, offset: bigint): void {
    const { slot, offset: off } = this.m.swapSlot(type, offset, 'swap_free');
    this.m.swapFree(off, slot, 'swap_free');
  }

  swap_read_error(type: bigint, offset: bigint): boolean {
    return this.m.swapSlot(type, offset, 'swap_read_error').slot.error;
  }

  // --- THP: PMD-level primitives (runtime/thp/env.ts implements them)

  split_ptes(): void {
    this.m.fail(`split_ptes() is a PMD-level primitive (in ${this.path})`);
  }

  split_huge_pmd(): void {
    this.m.fail(`split_huge_pmd() is a PMD-level primitive (in ${this.path})`);
  }

  // --- misc

  pagemap(flag: PagemapFlag): void {
    if (!this.cur.pagemap) this.m.fail(`pagemap(${flag}) outside pagemap_pte and pagemap_scan_pte (in ${this.path})`);
    this.cur.pagemap.add(flag);
  }

  warn(message: string): void {
    const t = this.m.trace;
    t.warnings.push({ message, site: t.current, path: this.path });
  }

  // --- helpers

  private rssMm(): Mm {
    return this.cur.child ? this.cur.child.mm : this.cur.mm;
  }

  private anonVma(): Vma {
    return this.cur.child ? this.cur.child.vma : this.cur.vma;
  }

  /**
   * shmem_fault() (allocate = true: a hole gets a new zero-filled page, a swapped page is read back into the page
   * cache) or fault-around's lookup (only a resident page). Either way the caller gets a reference.
   */
  private pageCache(what: string, allocate: boolean): Pfn | null {
    const v = this.cur.vma;
    if (v.file === null) this.m.fail(`${what} in an anonymous VMA`);
    const world = this.m.world;
    const file = world.files.get(v.file);
    if (!file) this.m.fail(`${what}: file ${v.file} does not exist`);
    const index = v.pgoff + (this.cur.addr - v.start);
    if (index < 0 || index >= file.size) return null; // beyond i_size: VM_FAULT_SIGBUS
    const slot = file.slots[index] ?? null;
    let p: Page;
    if (slot && slot.type === 'page') {
      p = this.m.page(BigInt(slot.pfn), what);
    } else if (!allocate) {
      return null;
    } else if (slot && slot.type === 'swap') {
      p = swapInFilePage(this.m, file.name, index, slot.offset);
    } else {
      // shmem_get_folio_gfp: a PMD-size folio where the file is huge and the block can take one (runtime/thp/file.ts)
      p = (file.huge ? shmemAllocLarge(this.m, file, v, this.cur.addr) : undefined) ?? allocPage(world, { contents: 0, anon: false, file: file.name, index, refcount: 1 });
      if (!file.slots[index]) file.slots[index] = { type: 'page', pfn: p.pfn };
    }
    p.refcount++;
    this.m.trace.notePage(p.pfn);
    return BigInt(p.pfn);
  }
}

/** shmem_swapin_folio(): the slot's data comes back as a page-cache page; the file's swap count is dropped. */
export function swapInFilePage(m: Machine, fileName: string, index: number, offset: number): Page {
  const world = m.world;
  const file = world.files.get(fileName)!;
  const slot = world.swap.slots[offset];
  if (!slot) m.fail(`shmem swap-in: ${fileName}[${index}] holds swap slot ${offset}, which is free`);
  const p = allocPage(world, { contents: slot.contents, anon: false, file: fileName, index, refcount: 1 });
  file.slots[index] = { type: 'page', pfn: p.pfn };
  m.swapFree(offset, slot, 'shmem swap-in');
  return p;
}
