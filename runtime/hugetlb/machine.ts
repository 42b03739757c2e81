// The runtime side of HandlerEnv for the spec's huge_pte level (issue #15): runs a hugetlb path (copy_hugetlb_page_range,
// __unmap_hugepage_range, hugetlb_change_protection, hugetlb_fault, pagemap_hugetlb_range, move_huge_pte and what they
// call) on one huge page's entry of world.hugetlb, with primitives over hugetlb folios. Folios are named by their
// number in huge_pte entries, as base pages are by pfn. What hugetlb never does fails as a violation naming the
// running case: rss counters (hugetlb pages count in hugetlb_usage: hugetlb_count_add/sub), swap, the zero page.
import { toSmall } from '../entries.js';
import type { Machine } from '../machine.js';
import { ViolationError } from '../trace.js';
import type { CaseSite, HandlerContext, HandlerEnv, LevelModule, Outcome, PagemapFlag, Pfn, Primitives, RssCounter, Word } from '../../contract/spec-module.js';
import type { Mm, Vma } from '../world.js';
import { allocFolio, createHugetlbWorld, hugetlbMm, type HugetlbFolio, type HugetlbWorld } from './state.js';

/** The paths where mfill_eexist may refuse a fill (LEVEL_ENTRY_PATHS.huge_pte). */
const MFILL_PATHS: ReadonlySet<string> = new Set(['hugetlb_mfill_atomic_pte', 'hugetlb_mfill_atomic_pte_poison']);

/** The entry a hugetlb path runs on. */
export interface HugetlbCursor {
  readonly mm: Mm;
  readonly vma: Vma;
  readonly addr: number;
  /** copy_hugetlb_page_range only: the child's mm and VMA. */
  readonly child?: { readonly mm: Mm; readonly vma: Vma };
  /** pagemap_hugetlb_range only. */
  readonly pagemap?: Set<PagemapFlag>;
}

/** The spec's huge_pte level, or a scenario-level refusal: a spec without one describes no hugetlb entries. */
export function hugetlbLevel(m: Machine): LevelModule | undefined {
  // the module carries every level of the spec (contract/spec-module.ts LevelModule); one of layouts only drives nothing
  const level = m.module.levels?.huge_pte;
  return level && Object.keys(level.paths).length > 0 ? level : undefined;
}

export function hugetlbWorld(m: Machine): HugetlbWorld {
  return (m.world.hugetlb ??= createHugetlbWorld());
}

/** Run a huge_pte level path on the cursor's entry. Nested `call`s come back here. */
export function runHugetlbPath(m: Machine, level: LevelModule, path: string, cur: HugetlbCursor, ctx: HandlerContext): Outcome {
  const fn = level.paths[path];
  if (!fn) throw new ViolationError(`the spec's huge_pte level has no path '${path}'`, m.trace.current, path);
  const trace = m.trace;
  const savedSite = trace.current;
  const savedPath = trace.currentPath;
  trace.currentPath = path;
  try {
    return fn(new HugetlbEnv(m, level, path, cur, ctx));
  } finally {
    trace.current = savedSite;
    trace.currentPath = savedPath;
  }
}

/** A live folio by number, or a violation. */
export function folio(m: Machine, n: Pfn | number, what: string): HugetlbFolio {
  const k = typeof n === 'number' ? n : toSmall(n);
  const f = k >= 0 ? m.world.hugetlb?.folios[k] : undefined;
  if (!f) m.fail(`${what}: ${n} names no hugetlb folio`);
  if (f.freed) m.fail(`${what}: hugetlb folio ${n} was already freed (use after free)`);
  return f;
}

/** folio_put(): the last reference frees the folio (back to the hugepage pool); it must be unmapped and uncached. */
export function putFolio(m: Machine, f: HugetlbFolio, what: string): void {
  f.refcount--;
  if (f.refcount > 0) return;
  if (f.refcount < 0) m.fail(`${what}: refcount of hugetlb folio ${f.hpfn} went below zero`);
  if (f.mapcount !== 0) m.fail(`${what}: hugetlb folio ${f.hpfn} freed while its mapcount is ${f.mapcount}`);
  const h = hugetlbWorld(m);
  if (f.file !== null && h.files.get(f.file)?.slots[f.index] === f.hpfn) {
    m.fail(`${what}: hugetlb folio ${f.hpfn} freed while still in the page cache of ${f.file}[${f.index}]`);
  }
  f.freed = true;
  h.quarantine.push(f.hpfn);
}

class HugetlbEnv implements HandlerEnv, Primitives {
  readonly prim: Primitives = this;

  constructor(
    private readonly m: Machine,
    private readonly level: LevelModule,
    private readonly path: string,
    private readonly cur: HugetlbCursor,
    readonly ctx: HandlerContext,
  ) {}

  get pte(): Word {
    return this.m.world.hugetlb?.mms.get(this.cur.mm.name)?.pt.get(this.cur.addr) ?? 0n;
  }

  private write(mm: Mm, w: Word): void {
    const pt = hugetlbMm(hugetlbWorld(this.m), mm.name).pt;
    if (w === 0n) pt.delete(this.cur.addr);
    else pt.set(this.cur.addr, w);
    const t = this.m.trace;
    if (t.current && t.detailed) {
      t.noteEntry(mm.name, this.cur.addr);
      t.noteMm(mm.name);
    }
  }

  set(w: Word): void {
    this.write(this.cur.mm, w);
  }

  copy(w: Word): void {
    const child = this.cur.child;
    if (!child) this.m.fail(`'copy' outside copy_hugetlb_page_range (in ${this.path})`);
    this.write(child.mm, w);
  }

  enter(site: CaseSite): void {
    this.m.coverage?.noteCase(site);
    this.m.trace.enter(this.path, site, this.cur.mm.name, this.cur.addr);
  }

  call(path: string, args: Readonly<Record<string, bigint>>): Outcome {
    return runHugetlbPath(this.m, this.level, path, this.cur, { ...this.ctx, args });
  }

  // --- folios

  private folio(pfn: Pfn, what: string): HugetlbFolio {
    return folio(this.m, pfn, what);
  }

  vm_normal_page(pfn: Pfn): Pfn | null {
    this.folio(pfn, 'vm_normal_page'); // pte_page(): hugetlb entries always map a folio
    return pfn;
  }

  pfn_to_page(pfn: Pfn): Pfn | null {
    this.folio(pfn, 'pfn_to_page');
    return pfn;
  }

  zero_pfn(): Pfn {
    this.m.fail(`zero_pfn in ${this.path}: hugetlb has no zero page`);
  }

  page_anon(page: Pfn): boolean {
    return this.folio(page, 'page_anon').anon;
  }

  page_exclusive(page: Pfn): boolean {
    return this.folio(page, 'page_exclusive').anonExclusive;
  }

  page_mapcount(page: Pfn): bigint {
    return BigInt(this.folio(page, 'page_mapcount').mapcount);
  }

  get_page(page: Pfn): void {
    this.folio(page, 'get_page').refcount++;
  }

  put_page(page: Pfn): void {
    putFolio(this.m, this.folio(page, 'put_page'), 'put_page');
  }

  page_add_rmap(page: Pfn): void {
    this.folio(page, 'page_add_rmap').mapcount++; // hugetlb_add_file_rmap
  }

  page_add_new_anon_rmap(page: Pfn): void {
    const f = this.folio(page, 'page_add_new_anon_rmap'); // hugetlb_add_new_anon_rmap
    if (!f.anon) this.m.fail(`page_add_new_anon_rmap: hugetlb folio ${f.hpfn} is a page-cache folio`);
    if (f.mapcount !== 0) this.m.fail(`page_add_new_anon_rmap: hugetlb folio ${f.hpfn} is already mapped ${f.mapcount} times`);
    f.mapcount = 1;
    f.anonExclusive = true;
    this.anonVma().anon_vma = true;
  }

  page_dup_rmap(page: Pfn): void {
    const f = this.folio(page, 'page_dup_rmap'); // hugetlb_try_dup_anon_rmap (never fails: no pins)
    f.mapcount++;
    if (f.anon) f.anonExclusive = false;
  }

  page_remove_rmap(page: Pfn): void {
    const f = this.folio(page, 'page_remove_rmap'); // hugetlb_remove_rmap
    f.mapcount--;
    if (f.mapcount < 0) this.m.fail(`page_remove_rmap: mapcount of hugetlb folio ${f.hpfn} went below zero`);
  }

  // --- counters: hugetlb pages are in hugetlb_usage, never in the rss counters

  rss_inc(counter: RssCounter): void {
    this.m.fail(`rss_inc(${counter}) in ${this.path}: hugetlb pages are counted by hugetlb_count_add, not in the rss counters`);
  }

  rss_dec(counter: RssCounter): void {
    this.m.fail(`rss_dec(${counter}) in ${this.path}: hugetlb pages are counted by hugetlb_count_sub, not in the rss counters`);
  }

  mm_counter(): RssCounter {
    this.m.fail(`mm_counter in ${this.path}: hugetlb pages are in no rss counter`);
  }

  hugetlb_count_add(): void {
    hugetlbMm(hugetlbWorld(this.m), this.rssMm().name).usage++;
  }

  hugetlb_count_sub(): void {
    const x = hugetlbMm(hugetlbWorld(this.m), this.rssMm().name);
    x.usage--;
    if (x.usage < 0) this.m.fail(`hugetlb_count_sub: hugetlb_usage of mm ${this.rssMm().name} went below zero`);
  }

  // --- new folios, the hugetlbfs page cache

  alloc_anon_page(): Pfn {
    this.anonVma().anon_vma = true; // __vmf_anon_prepare() precedes every private allocation
    return BigInt(allocFolio(hugetlbWorld(this.m), { contents: 0, anon: true, file: null, index: 0 }).hpfn);
  }

  copy_page(dst: Pfn, src: Pfn): void {
    this.folio(dst, 'copy_page').contents = this.folio(src, 'copy_page').contents;
  }

  filemap_fault(): Pfn | null {
    return this.pageCache('filemap_fault', true);
  }

  find_get_page(): Pfn | null {
    return this.pageCache('find_get_page', false);
  }

  filemap_hole(): boolean {
    const i = this.index();
    return i !== undefined && (i.file.slots[i.index] ?? null) === null;
  }

  filemap_present(): boolean {
    const i = this.index();
    return i !== undefined && (i.file.slots[i.index] ?? null) !== null;
  }

  private index(): { file: HugetlbWorld['files'] extends Map<string, infer F> ? F : never; index: number } | undefined {
    const v = this.cur.vma;
    const file = v.file !== null ? this.m.world.hugetlb?.files.get(v.file) : undefined;
    if (!file) this.m.fail(`${this.path}: VMA at ${v.start} maps no hugetlbfs file`);
    const index = v.pgoff + (this.cur.addr - v.start);
    return index >= 0 && index < file.size ? { file, index } : undefined;
  }

  /** hugetlbfs page cache: the folio at the index with a reference (allocated into the cache when asked); none beyond i_size. */
  private pageCache(what: string, allocate: boolean): Pfn | null {
    const i = this.index();
    if (!i) return null;
    const slot = i.file.slots[i.index] ?? null;
    let f: HugetlbFolio;
    if (slot !== null) f = this.folio(BigInt(slot), what);
    else if (!allocate) return null;
    else {
      f = allocFolio(hugetlbWorld(this.m), { contents: 0, anon: false, file: i.file.name, index: i.index }); // the cache's reference
      i.file.slots[i.index] = f.hpfn;
    }
    f.refcount++;
    return BigInt(f.hpfn);
  }

  // --- what hugetlb never does

  swapin(): Pfn {
    this.m.fail(`swapin in ${this.path}: hugetlb folios are never swapped`);
  }

  swap_duplicate(): void {
    this.m.fail(`swap_duplicate in ${this.path}: hugetlb folios are never swapped`);
  }

  swap_free(): void {
    this.m.fail(`swap_free in ${this.path}: hugetlb folios are never swapped`);
  }

  swap_read_error(): boolean {
    this.m.fail(`swap_read_error in ${this.path}: hugetlb folios are never swapped`);
  }

  mfill_eexist(): void {
    // hugetlb_mfill_atomic_pte's -EEXIST (runtime/hugetlb/fills.ts puts the folio back)
    if (!MFILL_PATHS.has(this.path)) this.m.fail(`mfill_eexist outside hugetlb_mfill_atomic_pte (in ${this.path})`);
    this.m.mfillRefused = true;
  }

  // UFFDIO_MOVE, long-term pins and the PMD split are not hugetlb's (MOVE refuses hugetlb VMAs, pins are not modelled
  // on hugetlb, a hugetlb entry is never split)
  move_ebusy(): void {
    this.m.fail(`move_ebusy in ${this.path}: UFFDIO_MOVE on hugetlb is not modelled`);
  }

  move_efault(): void {
    this.m.fail(`move_efault in ${this.path}: UFFDIO_MOVE on hugetlb is not modelled`);
  }

  page_maybe_dma_pinned(): boolean {
    return this.m.fail(`page_maybe_dma_pinned in ${this.path}: long-term pins of hugetlb folios are not modelled`);
  }

  split_ptes(): void {
    this.m.fail(`split_ptes in ${this.path}: a PMD-level primitive (a hugetlb entry is never split)`);
  }

  split_huge_pmd(): void {
    this.m.fail(`split_huge_pmd in ${this.path}: a PMD-level primitive (a hugetlb entry is never split)`);
  }

  pagemap(flag: PagemapFlag): void {
    if (!this.cur.pagemap) this.m.fail(`pagemap(${flag}) outside pagemap_hugetlb_range (in ${this.path})`);
    this.cur.pagemap.add(flag);
  }

  warn(message: string): void {
    const t = this.m.trace;
    t.warnings.push({ message, site: t.current, path: this.path });
  }

  private rssMm(): Mm {
    return this.cur.child ? this.cur.child.mm : this.cur.mm;
  }

  private anonVma(): Vma {
    return this.cur.child ? this.cur.child.vma : this.cur.vma;
  }
}
