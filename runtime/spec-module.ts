// The contract between a generated spec module (generated/<spec>/<spec>.ts, written by the TS back end) and the
// shared runtime. The runtime knows no bit number: everything about PTE values comes through this interface, and
// everything that is not a PTE (pages, page cache, swap slots, VMAs, uffd state) comes from the runtime through
// HandlerEnv. Generated code imports only types from here.

/** A PTE value (the whole word). */
export type Word = bigint;

/** A physical page: its pfn. The runtime allocates pfns; the zero page has a fixed pfn. */
export type Pfn = bigint;

export type RssCounter = 'anon' | 'file' | 'shmem' | 'swapents';

export type PagemapFlag = 'PM_PRESENT' | 'PM_SWAP' | 'PM_FILE' | 'PM_UFFD_WP' | 'PM_SOFT_DIRTY' | 'PM_GUARD_REGION';

/**
 * What an entry refers to (the kind's `refs` clause):
 * - `page`: maps the page (the entry counts in the page's mapcount/refcount and in an rss counter);
 * - `pfn`: names a page without mapping it (migration, hwpoison, device entries);
 * - `slot`: holds one swap count of a swap slot.
 */
export type KindRefs =
  | { readonly target: 'page'; readonly field: string }
  | { readonly target: 'pfn'; readonly field: string }
  | { readonly target: 'slot'; readonly typeField: string; readonly offsetField: string };

export interface KindInfo {
  readonly name: string;
  readonly format: string;
  readonly refs?: KindRefs;
  /** The kind's exact set as ternary cubes: w is in the kind iff (w & mask) === value for some cube. */
  readonly cubes: readonly (readonly [mask: bigint, value: bigint])[];
}

/** Where a handler case came from, for violation reports: "zap_pte_range case #3 (x86_64-v6.17.pte:120)". */
export interface CaseSite {
  readonly path: string;
  readonly index: number;
  readonly kind: string;
  readonly file: string;
  readonly line: number;
}

export type Outcome =
  | { readonly type: 'done' }
  | { readonly type: 'retry' }
  | { readonly type: 'userfault'; readonly mode: 'wp' | 'missing' }
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'hwpoison' };

/** Context values a handler may read. Each path documents which parts the runtime fills (docs/handlers.md). */
export interface HandlerContext {
  readonly vma: {
    readonly anon: boolean; // vma_is_anonymous()
    readonly shmem: boolean; // shmem file mapping, shared or private
    readonly shared: boolean; // VM_SHARED
    readonly private_file: boolean; // MAP_PRIVATE file mapping (COW of page-cache pages)
    readonly writable: boolean; // VM_WRITE
    readonly uffd_wp: boolean; // VM_UFFD_WP registered
    readonly uffd_missing: boolean; // VM_UFFD_MISSING registered
    readonly uffd_wp_unpopulated: boolean; // UFFD_FEATURE_WP_UNPOPULATED on the context
    readonly anon_vma: boolean; // vma->anon_vma != NULL
  };
  /** fork only: the child VMA. */
  readonly dst: { readonly uffd_wp: boolean };
  /** zap only: struct zap_details. */
  readonly zap: { readonly drop_markers: boolean; readonly even_cows: boolean };
  /** faults only. */
  readonly fault: { readonly write: boolean; readonly around: boolean };
  /** change_pte_range only (mprotect, UFFDIO_WRITEPROTECT, NUMA hinting). */
  readonly prot: { readonly uffd_wp: boolean; readonly uffd_wp_resolve: boolean; readonly numa: boolean; readonly wrprotect: boolean };
  /** try_to_unmap_one (anon swap-out): the swap slot the page is being written to. */
  readonly reclaim: { readonly slot_type: bigint; readonly slot_offset: bigint };
  /** remove_migration_pte: the destination page of the migration. */
  readonly migrate: { readonly dst_pfn: Pfn };
  /** Values passed by `call PATH with { name = value }`, e.g. uffd_wp from a uffd-wp marker. */
  readonly args: Readonly<Record<string, bigint>>;
}

/** The primitives a handler calls. Pages are named by pfn; `null` is "no page". */
export interface Primitives {
  // page lookup
  vm_normal_page(pfn: Pfn): Pfn | null; // null for the zero page (and any pfn with no page)
  pfn_to_page(pfn: Pfn): Pfn | null;
  zero_pfn(): Pfn;
  page_anon(page: Pfn): boolean;
  page_exclusive(page: Pfn): boolean; // PageAnonExclusive
  page_mapcount(page: Pfn): bigint;
  // reference counting and rmap
  get_page(page: Pfn): void;
  put_page(page: Pfn): void;
  page_add_rmap(page: Pfn): void; // a new mapping of an existing page (file or anon)
  page_add_new_anon_rmap(page: Pfn): void; // first mapping of a fresh anon page (marks it exclusive)
  page_dup_rmap(page: Pfn): void; // fork: the child maps it too (anon: no longer exclusive)
  page_remove_rmap(page: Pfn): void;
  // rss (the handled mm; in copy_page_range the child's)
  rss_inc(counter: RssCounter): void;
  rss_dec(counter: RssCounter): void;
  mm_counter(page: Pfn): RssCounter;
  // new pages
  alloc_anon_page(): Pfn; // refcount 1, unmapped, contents 0
  copy_page(dst: Pfn, src: Pfn): void;
  filemap_fault(): Pfn | null; // page-cache page at the faulting address (shmem: swapped in or allocated), with a reference; null beyond EOF
  find_get_page(): Pfn | null; // fault-around: the page-cache page at the handled address only if resident, with a reference
  // swap
  swapin(type: bigint, offset: bigint): Pfn; // a page with the slot's contents, with a reference
  swap_duplicate(type: bigint, offset: bigint): void;
  swap_free(type: bigint, offset: bigint): void;
  // misc
  pagemap(flag: PagemapFlag): void; // pagemap_pte only: set a bit of the reported entry
  warn(message: string): void;
}

export interface HandlerEnv {
  /** The handled entry's current value (re-read after every `set`). */
  readonly pte: Word;
  /** Write the handled entry (set_pte_at / ptep_get_and_clear). */
  set(w: Word): void;
  /** copy_page_range only: write the child's entry. */
  copy(w: Word): void;
  readonly ctx: HandlerContext;
  readonly prim: Primitives;
  /** Called by generated code when a case is entered: the runtime keeps the trail for reports. */
  enter(site: CaseSite): void;
  /** `call PATH [with {..}]`: run another path on the same entry, with extra args. */
  call(path: string, args: Readonly<Record<string, bigint>>): Outcome;
}

export type PathFn = (env: HandlerEnv) => Outcome;

/** Paths the runtime drives directly; each must handle every kind (the exhaustiveness check). */
export const ENTRY_PATHS = [
  'copy_page_range',
  'zap_pte_range',
  'handle_pte_fault',
  'change_pte_range',
  'try_to_unmap_one',
  'try_to_migrate_one',
  'remove_migration_pte',
  'unuse_pte',
  'pagemap_pte',
  'filemap_map_pages',
] as const;
export type EntryPath = (typeof ENTRY_PATHS)[number];

/**
 * Boolean decisions the runtime asks the spec (over the context only, no PTE). `uffd_unregister_resets_wp` and
 * `uffd_release_resets_wp` are asked per VMA, before VM_UFFD_WP is dropped, by UFFDIO_UNREGISTER and by the close of
 * the userfaultfd: true runs change_pte_range(uffd_wp_resolve) over the VMA first (the kernel's uffd_wp_range(..,
 * false)); false leaves the PTEs' uffd-wp bits and markers where they are. `uffd_mremap_resets_wp` is asked the same
 * way for the VMA mremap() moved, which leaves the uffd (no UFFD_FEATURE_EVENT_REMAP is modelled): true stands for
 * move_ptes() clearing the moved entries' uffd-wp state (v6.13, 0cef0bb836e3), false moves them as they are.
 */
export const DECISIONS = [
  'vma_needs_copy',
  'should_fault_around',
  'vma_can_userfault_wp',
  'uffd_unregister_resets_wp',
  'uffd_release_resets_wp',
  'uffd_mremap_resets_wp',
] as const;
export type Decision = (typeof DECISIONS)[number];

export interface SpecModule {
  readonly name: string;
  readonly description: string;
  readonly word: number;
  readonly kinds: readonly KindInfo[];
  /** The kind of w, or undefined for a gap (the runtime reports it as an invariant violation). */
  classify(w: Word): string | undefined;
  /** Logical field values of w in `kind`'s format. */
  decode(kind: string, w: Word): Readonly<Record<string, bigint>>;
  /** What the MMU allows without a fault: read, and write. Required predicates `mmu_read`, `mmu_write`. */
  mmu_read(w: Word): boolean;
  mmu_write(w: Word): boolean;
  readonly paths: Readonly<Record<string, PathFn>>;
  readonly decisions: Readonly<Record<Decision, (ctx: HandlerContext) => boolean>>;
  /**
   * The userfaultfd features the spec's kernel offers; UFFDIO_API refuses any other with EINVAL. Absent: every
   * feature the runtime models.
   */
  readonly uffdFeatures?: readonly ('event_fork' | 'wp_unpopulated')[];
}
