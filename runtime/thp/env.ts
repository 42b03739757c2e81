// HandlerEnv for the PMD level: runs a spec's PMD path on one block's PMD leaf. Page primitives act on the whole
// folio, as the kernel's PMD paths do (folio_get, folio_add_new_anon_rmap / folio_try_dup_anon_rmap_pmd /
// folio_remove_rmap_pmd, add_mm_counter(.., +-HPAGE_PMD_NR)): in the model a PMD mapping counts as one mapping, one
// reference and one rss count of each of the folio's THP_NR pages, so a split (the same counts moved to the PTEs) and
// every other path keep the per-page conservation that checkInvariants() checks.
import type { CaseSite, HandlerContext, HandlerEnv, Outcome, PagemapFlag, Pfn, Primitives, RssCounter, Word } from '../../contract/spec-module.js';
import { SPLIT_PTE_PATH } from '../../contract/table.js';
import { toSmall } from '../entries.js';
import { makeContext, type Machine } from '../machine.js';
import { ZERO_PFN, type Mm, type Page, type Vma } from '../world.js';
import { HUGE_ZERO_PFN, THP_NR, allocThp, folioPages, pmdRefs, type ThpLevel } from './model.js';

/** The PMD a path runs on. */
export interface PmdCursor {
  readonly mm: Mm;
  readonly vma: Vma;
  /** The block's first address (the PMD's haddr). */
  readonly block: number;
  /** copy_huge_pmd only: the child's mm and VMA. */
  readonly child?: { readonly mm: Mm; readonly vma: Vma };
  /** pagemap_pmd_range only. */
  readonly pagemap?: Set<PagemapFlag>;
}

/** Run a PMD-level path. */
export function runPmdPath(m: Machine, t: ThpLevel, path: string, cur: PmdCursor, ctx: HandlerContext): Outcome {
  const fn = t.level.paths[path];
  if (!fn) m.fail(`the spec's pmd level has no path '${path}'`);
  const trace = m.trace;
  const savedSite = trace.current;
  const savedPath = trace.currentPath;
  trace.currentPath = path;
  // the folio the PMD names when the path starts: a split reads it before it invalidates the PMD
  const w = cur.mm.pmd.get(cur.block) ?? 0n;
  const { info, pfn } = pmdRefs(t, w);
  const head = info.refs === 'page' || info.refs === 'pfn' ? pfn : -1;
  try {
    return fn(new PmdEnv(m, t, path, cur, ctx, head));
  } finally {
    trace.current = savedSite;
    trace.currentPath = savedPath;
  }
}

/** Write a PMD (set_pmd_at / pmdp_huge_get_and_clear), remembering the case that did it. */
export function writePmd(m: Machine, mm: Mm, block: number, w: Word): void {
  if (w === 0n) mm.pmd.delete(block);
  else mm.pmd.set(block, w);
  const t = m.trace;
  if (t.current && t.detailed) {
    t.noteEntry(mm.name, block);
    t.noteMm(mm.name);
  }
}

class PmdEnv implements HandlerEnv, Primitives {
  readonly prim: Primitives = this;

  constructor(
    private readonly m: Machine,
    private readonly t: ThpLevel,
    private readonly path: string,
    private readonly cur: PmdCursor,
    readonly ctx: HandlerContext,
    /** The head pfn of the folio the PMD named when the path started (-1: none). */
    private readonly head: number,
  ) {}

  get pte(): Word {
    return this.cur.mm.pmd.get(this.cur.block) ?? 0n;
  }

  set(w: Word): void {
    writePmd(this.m, this.cur.mm, this.cur.block, w);
  }

  copy(w: Word): void {
    const child = this.cur.child;
    if (!child) this.m.fail(`'copy' outside copy_huge_pmd (in ${this.path})`);
    writePmd(this.m, child.mm, this.cur.block, w);
  }

  enter(site: CaseSite): void {
    this.m.coverage?.noteCase(site);
    this.m.trace.enter(this.path, site, this.cur.mm.name, this.cur.block);
  }

  call(path: string, args: Readonly<Record<string, bigint>>): Outcome {
    const c = this.ctx;
    return runPmdPath(this.m, this.t, path, this.cur, {
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

  /** The folio whose head is pfn, or a violation (the zero pages are never counted). */
  private folio(pfn: Pfn, what: string): Page[] {
    const n = toSmall(pfn);
    if (n === ZERO_PFN || n === HUGE_ZERO_PFN) this.m.fail(`${what}: the ${n === ZERO_PFN ? '' : 'huge '}zero page is never counted`);
    const pages = n >= 0 ? folioPages(this.m.world, n) : undefined;
    if (!pages) this.m.fail(`${what}: pfn ${pfn} is not the head of a live THP`);
    for (const p of pages) this.m.trace.notePage(p.pfn);
    return pages;
  }

  // --- page lookup: a PMD names its folio by the head pfn (pmd_pfn())

  vm_normal_page(pfn: Pfn): Pfn | null {
    const n = toSmall(pfn);
    if (n === ZERO_PFN || n === HUGE_ZERO_PFN) return null; // vm_normal_page_pmd(): is_huge_zero_pmd() -> NULL
    this.folio(pfn, 'vm_normal_page');
    return pfn;
  }

  pfn_to_page(pfn: Pfn): Pfn | null {
    this.folio(pfn, 'pfn_to_page');
    return pfn;
  }

  /** At the PMD level: the huge zero folio (mm_get_huge_zero_folio; it never runs out in the model). */
  zero_pfn(): Pfn {
    return BigInt(HUGE_ZERO_PFN);
  }

  page_anon(page: Pfn): boolean {
    return this.folio(page, 'page_anon')[0]!.anon;
  }

  page_exclusive(page: Pfn): boolean {
    return this.folio(page, 'page_exclusive')[0]!.anonExclusive;
  }

  page_mapcount(page: Pfn): bigint {
    return BigInt(this.folio(page, 'page_mapcount')[0]!.mapcount);
  }

  // --- the folio's counts: every page of it

  get_page(page: Pfn): void {
    for (const p of this.folio(page, 'get_page')) p.refcount++;
  }

  put_page(page: Pfn): void {
    for (const p of this.folio(page, 'put_page')) this.m.putPage(p, 'put_page');
  }

  page_add_rmap(page: Pfn): void {
    for (const p of this.folio(page, 'page_add_rmap')) p.mapcount++;
  }

  page_add_new_anon_rmap(page: Pfn): void {
    for (const p of this.folio(page, 'page_add_new_anon_rmap')) {
      if (!p.anon) this.m.fail(`page_add_new_anon_rmap: pfn ${p.pfn} is a page-cache page`);
      if (p.mapcount !== 0) this.m.fail(`page_add_new_anon_rmap: pfn ${p.pfn} is already mapped ${p.mapcount} times`);
      p.mapcount = 1;
      p.anonExclusive = true; // RMAP_EXCLUSIVE
    }
    this.anonVma().anon_vma = true;
  }

  page_dup_rmap(page: Pfn): void {
    for (const p of this.folio(page, 'page_dup_rmap')) {
      p.mapcount++;
      if (p.anon) p.anonExclusive = false; // folio_try_dup_anon_rmap_pmd(): shared with the child now
    }
  }

  page_remove_rmap(page: Pfn): void {
    for (const p of this.folio(page, 'page_remove_rmap')) {
      p.mapcount--;
      if (p.mapcount < 0) this.m.fail(`page_remove_rmap: mapcount of pfn ${p.pfn} went below zero`);
    }
  }

  // --- rss: HPAGE_PMD_NR at a time (THP_NR in the model)

  rss_inc(counter: RssCounter): void {
    const mm = this.cur.child ? this.cur.child.mm : this.cur.mm;
    mm.rss[counter] += THP_NR;
    this.m.trace.noteMm(mm.name);
  }

  rss_dec(counter: RssCounter): void {
    const mm = this.cur.child ? this.cur.child.mm : this.cur.mm;
    mm.rss[counter] -= THP_NR;
    this.m.trace.noteMm(mm.name);
  }

  mm_counter(page: Pfn): RssCounter {
    return this.folio(page, 'mm_counter')[0]!.anon ? 'anon' : 'shmem';
  }

  // --- PTE-level primitives: not at the PMD level

  /** At the PMD level: vma_alloc_anon_folio_pmd(), a zeroed THP (one reference per page, unmapped). */
  alloc_anon_page(): Pfn {
    return BigInt(allocThp(this.m, this.t, []));
  }

  copy_page(): void {
    this.notHere('copy_page');
  }

  filemap_fault(): Pfn | null {
    return this.notHere('filemap_fault');
  }

  find_get_page(): Pfn | null {
    return this.notHere('find_get_page');
  }

  swapin(): Pfn {
    return this.notHere('swapin');
  }

  swap_duplicate(): void {
    this.notHere('swap_duplicate');
  }

  swap_free(): void {
    this.notHere('swap_free');
  }

  swap_read_error(): boolean {
    return this.notHere('swap_read_error');
  }

  filemap_hole(): boolean {
    return this.notHere('filemap_hole');
  }

  filemap_present(): boolean {
    return this.notHere('filemap_present');
  }

  mfill_eexist(): void {
    this.notHere('mfill_eexist');
  }

  move_ebusy(): void {
    this.notHere('move_ebusy');
  }

  move_efault(): void {
    this.notHere('move_efault');
  }

  page_maybe_dma_pinned(): boolean {
    return this.notHere('page_maybe_dma_pinned');
  }

  hugetlb_count_add(): void {
    this.notHere('hugetlb_count_add');
  }

  hugetlb_count_sub(): void {
    this.notHere('hugetlb_count_sub');
  }

  private notHere(name: string): never {
    return this.m.fail(`${name}() is a PTE-level primitive (in the pmd level's ${this.path})`);
  }

  // --- the split: the PTEs that replace the PMD, each built by the PTE level's __split_huge_pmd_locked

  split_ptes(form: bigint, write: bigint, exclusive: bigint, young: bigint, dirty: bigint, soft_dirty: bigint, uffd_wp: bigint): void {
    const { mm, vma, block } = this.cur;
    if (form !== 2n && this.head < 0) this.m.fail(`split_ptes: the PMD named no folio when ${this.path} started`);
    for (let i = 0; i < THP_NR; i++) {
      const addr = block + i;
      if ((mm.pt.get(addr) ?? 0n) !== 0n) this.m.fail(`split_ptes: the PTE at ${mm.name}:${addr} under a PMD leaf is not none`);
      const args = { form, pfn: form === 2n ? 0n : BigInt(this.head + i), write, exclusive, young, dirty, soft_dirty, uffd_wp };
      this.m.runPath(SPLIT_PTE_PATH, { mm, vma, addr }, makeContext(mm, vma, { args }));
    }
  }

  split_huge_pmd(): void {
    const { mm, vma, block } = this.cur;
    runPmdPath(this.m, this.t, '__split_huge_pmd_locked', { mm, vma, block }, makeContext(mm, vma));
  }

  // --- misc

  pagemap(flag: PagemapFlag): void {
    if (!this.cur.pagemap) this.m.fail(`pagemap(${flag}) outside pagemap_pmd_range (in ${this.path})`);
    this.cur.pagemap.add(flag);
  }

  warn(message: string): void {
    const t = this.m.trace;
    t.warnings.push({ message, site: t.current, path: this.path });
  }

  private anonVma(): Vma {
    return this.cur.child ? this.cur.child.vma : this.cur.vma;
  }
}
