// The spec <-> runtime contract as one table of values. Everything a compiled spec and the shared runtime agree on
// lives here: the paths the runtime drives, the context a handler may read, the primitives it may call (with their
// argument and result types), the rss counters, the pagemap flags, the decisions the runtime asks, the userfaultfd
// features and the explorer's symmetry options. The elaborator, the TS back end, the C back end and the runtime all
// read these rows; the TypeScript types of the contract (contract/spec-module.ts) are derived from them, so a row
// added here is a type error in every reader until each handles it (docs/architecture.md, "A new primitive").

/** The value types of the handler language that cross the contract. `page` is a page named by its pfn, or none. */
export type ContractTy = 'bool' | 'int' | 'page' | 'counter' | 'pmflag' | 'void';

/** Where the kernel does what a row stands for, for comments and the patch sketch (Linux 6.17 unless a row says). */
export interface KernelPlace {
  readonly file: string;
  readonly fn: string;
}

/**
 * Paths the runtime drives directly, in the order the runtime's operations meet them; each must handle every kind
 * (the exhaustiveness check, PTE050-052). Every other path of a spec is reached by `call`.
 */
export const ENTRY_PATHS = {
  copy_page_range: { file: 'mm/memory.c', fn: 'copy_page_range' },
  zap_pte_range: { file: 'mm/memory.c', fn: 'zap_pte_range' },
  handle_pte_fault: { file: 'mm/memory.c', fn: 'handle_pte_fault' },
  change_pte_range: { file: 'mm/mprotect.c', fn: 'change_pte_range' },
  try_to_unmap_one: { file: 'mm/rmap.c', fn: 'try_to_unmap_one' },
  try_to_migrate_one: { file: 'mm/rmap.c', fn: 'try_to_migrate_one' },
  remove_migration_pte: { file: 'mm/migrate.c', fn: 'remove_migration_pte' },
  unuse_pte: { file: 'mm/swapfile.c', fn: 'unuse_pte' },
  pagemap_pte: { file: 'fs/proc/task_mmu.c', fn: 'pte_to_pagemap_entry' },
  filemap_map_pages: { file: 'mm/filemap.c', fn: 'filemap_map_pages' },
  // UFFDIO_COPY / _ZEROPAGE / _CONTINUE (issue #14): the destination entry of each page, once the runtime has the page
  mfill_atomic_pte: { file: 'mm/userfaultfd.c', fn: 'mfill_atomic_pte' },
  // UFFDIO_POISON (v6.6): every entry of the range, after the runtime's pte_none test (-EEXIST otherwise)
  mfill_atomic_pte_poison: { file: 'mm/userfaultfd.c', fn: 'mfill_atomic_pte_poison' },
  // MADV_GUARD_INSTALL (v6.13): the walk's pte_entry + install_pte; `retry` asks for zap_page_range_single first
  guard_install_pte_entry: { file: 'mm/madvise.c', fn: 'guard_install_pte_entry' },
  // MADV_GUARD_REMOVE (v6.13)
  guard_remove_pte_entry: { file: 'mm/madvise.c', fn: 'guard_remove_pte_entry' },
  // mremap(): each entry of the moved range, after ptep_get_and_clear() at the old address, is written at the new one
  move_ptes: { file: 'mm/mremap.c', fn: 'move_ptes' },
  // UFFDIO_MOVE (v6.8, issue #14): the destination entry of each page, holding what the runtime took off the source
  // entry after its pte_none checks (dst none else -EEXIST, src none else -ENOENT / a hole); move_ebusy / move_efault
  // refuse, and the runtime puts the entry back (runtime/uffd/move.ts)
  move_pages_pte: { file: 'mm/userfaultfd.c', fn: 'move_pages_pte' },
  // PAGEMAP_SCAN (v6.7, 52526ca7fdb9): each PTE of a VMA the walk takes, as pagemap_scan_pmd_entry() visits it with
  // category_mask = return_mask = PAGE_IS_WRITTEN; the handler reports PAGE_IS_WRITTEN and, with scan.wp
  // (PM_SCAN_WP_MATCHING), write-protects the entry (make_uffd_wp_pte)
  pagemap_scan_pte: { file: 'fs/proc/task_mmu.c', fn: 'pagemap_scan_pmd_entry' },
} as const satisfies Record<string, KernelPlace>;
export type EntryPath = keyof typeof ENTRY_PATHS;
export const ENTRY_PATH_NAMES = Object.keys(ENTRY_PATHS) as readonly EntryPath[];

/** One context value: its type and what the kernel reads for it. */
interface ContextRow {
  readonly ty: ContractTy;
  readonly doc: string;
}

/** Context values a handler may read, per object (docs/handlers.md lists which paths fill which objects). */
export const CONTEXT = {
  vma: {
    anon: { ty: 'bool', doc: 'vma_is_anonymous()' },
    shmem: { ty: 'bool', doc: 'shmem file mapping, shared or private' },
    shared: { ty: 'bool', doc: 'VM_SHARED' },
    private_file: { ty: 'bool', doc: 'MAP_PRIVATE file mapping (COW of page-cache pages)' },
    writable: { ty: 'bool', doc: 'VM_WRITE' },
    accessible: { ty: 'bool', doc: 'vma_is_accessible(): false after mprotect PROT_NONE (vm_page_prot is then PAGE_NONE)' },
    uffd_wp: { ty: 'bool', doc: 'VM_UFFD_WP registered' },
    uffd_missing: { ty: 'bool', doc: 'VM_UFFD_MISSING registered' },
    uffd_wp_unpopulated: { ty: 'bool', doc: 'UFFD_FEATURE_WP_UNPOPULATED on the context' },
    anon_vma: { ty: 'bool', doc: 'vma->anon_vma != NULL' },
    uffd_minor: { ty: 'bool', doc: 'VM_UFFD_MINOR registered' },
    uffd_wp_async: { ty: 'bool', doc: 'userfaultfd_wp_async(): VM_UFFD_WP on a context with UFFD_FEATURE_WP_ASYNC (v6.7)' },
    // issue #15: a hugetlbfs mapping (shared or MAP_PRIVATE); vma.shmem and vma.anon are false there
    hugetlb: { ty: 'bool', doc: 'is_vm_hugetlb_page()' },
  },
  /** fork only: the child VMA. */
  dst: { uffd_wp: { ty: 'bool', doc: 'the child VMA keeps VM_UFFD_WP (UFFD_FEATURE_EVENT_FORK)' } },
  /** zap only: struct zap_details. */
  zap: {
    drop_markers: { ty: 'bool', doc: 'ZAP_FLAG_DROP_MARKER' },
    even_cows: { ty: 'bool', doc: 'zap_details.even_cows (or no details)' },
  },
  /** faults only. */
  fault: {
    write: { ty: 'bool', doc: 'FAULT_FLAG_WRITE' },
    around: { ty: 'bool', doc: 'filemap_map_pages() fault-around of a neighbouring entry' },
  },
  /** change_pte_range only (mprotect, UFFDIO_WRITEPROTECT, NUMA hinting). */
  prot: {
    uffd_wp: { ty: 'bool', doc: 'MM_CP_UFFD_WP' },
    uffd_wp_resolve: { ty: 'bool', doc: 'MM_CP_UFFD_WP_RESOLVE' },
    numa: { ty: 'bool', doc: 'MM_CP_PROT_NUMA' },
    wrprotect: { ty: 'bool', doc: 'the new protection has no write permission' },
    // mprotect() only (mprotect_fixup -> change_protection with the VMA's new vm_page_prot); VM_WRITE is already the
    // new one (vma.writable), as the kernel updates vm_flags before it walks the page table
    none: { ty: 'bool', doc: 'the new vm_page_prot is PAGE_NONE: mprotect(PROT_NONE), or any change_protection() of a PROT_NONE VMA (!vma_is_accessible(); not NUMA hinting)' },
    try_change_writable: { ty: 'bool', doc: 'MM_CP_TRY_CHANGE_WRITABLE (mprotect to a writable protection: vma_wants_manual_pte_write_upgrade())' },
  },
  /** try_to_unmap_one (anon swap-out): the swap slot the page is being written to. */
  reclaim: {
    slot_type: { ty: 'int', doc: 'swp_type(folio->swap)' },
    slot_offset: { ty: 'int', doc: 'swp_offset(folio->swap)' },
    hwpoison: { ty: 'bool', doc: 'TTU_HWPOISON on a PageHWPoison folio: memory_failure() unmapping a poisoned page' },
  },
  /** remove_migration_pte: the destination page of the migration. */
  migrate: { dst_pfn: { ty: 'int', doc: 'folio_pfn(dst)' } },
  /** mfill_atomic_pte only: the ioctl (uffd_flags_t's mode) and its MODE_WP. */
  mfill: {
    copy: { ty: 'bool', doc: 'MFILL_ATOMIC_COPY (UFFDIO_COPY)' },
    zeropage: { ty: 'bool', doc: 'MFILL_ATOMIC_ZEROPAGE (UFFDIO_ZEROPAGE)' },
    continue: { ty: 'bool', doc: 'MFILL_ATOMIC_CONTINUE (UFFDIO_CONTINUE)' },
    wp: { ty: 'bool', doc: 'MFILL_ATOMIC_WP (UFFDIO_COPY_MODE_WP, UFFDIO_CONTINUE_MODE_WP)' },
  },
  /** move_ptes (mremap) only. */
  move: {
    clear_uffd_wp: {
      ty: 'bool',
      doc: 'need_clear_uffd_wp: the old VMA has VM_UFFD_WP without UFFD_FEATURE_EVENT_REMAP and the spec\'s uffd_mremap_resets_wp holds',
    },
  },
  /** pagemap_scan_pte (PAGEMAP_SCAN) only. */
  scan: { wp: { ty: 'bool', doc: 'PM_SCAN_WP_MATCHING: write-protect the pages the scan reports' } },
} as const satisfies Record<string, Record<string, ContextRow>>;
export type ContextObject = keyof typeof CONTEXT;

/** One primitive: argument and result types. `inline` primitives are expressions, not runtime calls. */
interface PrimitiveRow {
  readonly args: readonly ContractTy[];
  readonly ret: ContractTy;
  readonly inline?: true;
  /** A `page` result that is never none (the runtime always has one to give). */
  readonly total?: true;
}

/** The primitives a handler calls (docs/handlers.md). Pages are named by pfn; a `page` result may be none. */
export const PRIMITIVES = {
  // page lookup
  vm_normal_page: { args: ['int'], ret: 'page' }, // none for the zero page (and any pfn with no page)
  pfn_to_page: { args: ['int'], ret: 'page' },
  zero_pfn: { args: [], ret: 'int' },
  page_anon: { args: ['page'], ret: 'bool' },
  page_exclusive: { args: ['page'], ret: 'bool' }, // PageAnonExclusive
  page_mapcount: { args: ['page'], ret: 'int' },
  page_pfn: { args: ['page'], ret: 'int', inline: true }, // a page is named by its pfn
  // reference counting and rmap
  get_page: { args: ['page'], ret: 'void' },
  put_page: { args: ['page'], ret: 'void' },
  page_add_rmap: { args: ['page'], ret: 'void' }, // a new mapping of an existing page (file or anon)
  page_add_new_anon_rmap: { args: ['page'], ret: 'void' }, // first mapping of a fresh anon page (marks it exclusive)
  page_dup_rmap: { args: ['page'], ret: 'void' }, // fork: the child maps it too (anon: no longer exclusive)
  page_remove_rmap: { args: ['page'], ret: 'void' },
  // rss (the handled mm; in copy_page_range the child's)
  rss_inc: { args: ['counter'], ret: 'void' },
  rss_dec: { args: ['counter'], ret: 'void' },
  mm_counter: { args: ['page'], ret: 'counter' },
  // new pages
  alloc_anon_page: { args: [], ret: 'page', total: true }, // refcount 1, unmapped, contents 0
  copy_page: { args: ['page', 'page'], ret: 'void' },
  filemap_fault: { args: [], ret: 'page' }, // page-cache page at the faulting address, with a reference; none beyond EOF
  find_get_page: { args: [], ret: 'page' }, // fault-around: the page-cache page only if resident, with a reference
  // swap
  swapin: { args: ['int', 'int'], ret: 'page', total: true }, // a page with the slot's contents, with a reference
  swap_duplicate: { args: ['int', 'int'], ret: 'void' },
  swap_free: { args: ['int', 'int'], ret: 'void' },
  swap_read_error: { args: ['int', 'int'], ret: 'bool' }, // the read of the slot failed: the swap-cache folio is !uptodate
  // pagemap_pte only: set a bit of the reported entry
  pagemap: { args: ['pmflag'], ret: 'void' },
  // shmem_get_folio_gfp()'s userfaultfd checks: the faulting index is a hole (no page, no swap) inside the file /
  // holds a page or a swap entry. Both false beyond the end of the file (shmem_fault is SIGBUS there first)
  filemap_hole: { args: [], ret: 'bool' },
  filemap_present: { args: [], ret: 'bool' },
  // mfill_atomic_pte only: the destination is populated, the ioctl fails with EEXIST (mfill_atomic_install_pte's
  // pte_none_mostly() check, mfill_atomic_pte_zeropage's pte_none()); the runtime drops the page it brought
  mfill_eexist: { args: [], ret: 'void' },
  // move_pages_pte only: UFFDIO_MOVE refuses this page with -EBUSY (not an exclusive anon page, or a non-exclusive swap
  // entry, or a page that may be DMA-pinned) / -EFAULT (a non-swap entry that is not a migration entry: markers,
  // hwpoison, device entries); the runtime puts the entry back at the source
  move_ebusy: { args: [], ret: 'void' },
  move_efault: { args: [], ret: 'void' },
  // folio_maybe_dma_pinned() && MMF_HAS_PINNED (folio_needs_cow_for_dma()): a long-term GUP pin holds the page
  page_maybe_dma_pinned: { args: ['page'], ret: 'bool' },
  // THP (issue #15), PMD level only: the PTEs a split makes, one call per PMD (runtime/thp/split.ts runs the PTE
  // level's __split_huge_pmd_locked on each with arg.form = 0 present / 1 migration entry / 2 zero page, arg.pfn the
  // base page, and the other arguments as arg.write, arg.exclusive, arg.young, arg.dirty, arg.soft_dirty, arg.uffd_wp)
  split_ptes: { args: ['int', 'int', 'int', 'int', 'int', 'int', 'int'], ret: 'void' },
  // PMD level only: __split_huge_pmd() on the handled PMD (wp_huge_pmd's fallback), then the fault retries on PTEs
  split_huge_pmd: { args: [], ret: 'void' },
  // the huge_pte level only (issue #15): mm->hugetlb_usage, which hugetlb pages count in instead of the rss counters
  // (v6.17 include/linux/hugetlb.h hugetlb_count_add / hugetlb_count_sub, by pages_per_huge_page)
  hugetlb_count_add: { args: [], ret: 'void' },
  hugetlb_count_sub: { args: [], ret: 'void' },
} as const satisfies Record<string, PrimitiveRow>;
export type PrimitiveName = keyof typeof PRIMITIVES;
/** The primitives the runtime implements (the inline ones are compiled to expressions). */
export type RuntimePrimitiveName = { [K in PrimitiveName]: (typeof PRIMITIVES)[K] extends { inline: true } ? never : K }[PrimitiveName];

/** The per-mm rss counters, with the kernel's names (include/linux/mm_types_task.h, enum MM_*). */
export const RSS_COUNTERS = {
  anon: 'MM_ANONPAGES',
  file: 'MM_FILEPAGES',
  shmem: 'MM_SHMEMPAGES',
  swapents: 'MM_SWAPENTS',
} as const;
export type RssCounter = keyof typeof RSS_COUNTERS;
export const RSS_COUNTER_NAMES = Object.keys(RSS_COUNTERS) as readonly RssCounter[];

/** The bits of a /proc/pid/pagemap entry a spec's pagemap_pte may set (fs/proc/task_mmu.c). */
export const PAGEMAP_FLAGS = ['PM_PRESENT', 'PM_SWAP', 'PM_FILE', 'PM_UFFD_WP', 'PM_SOFT_DIRTY', 'PM_GUARD_REGION', 'PAGE_IS_WRITTEN'] as const;
// PAGE_IS_WRITTEN is a PAGEMAP_SCAN category (include/uapi/linux/fs.h, v6.7), set by pagemap_scan_pte only
export type PagemapFlag = (typeof PAGEMAP_FLAGS)[number];

/**
 * Boolean decisions the runtime asks the spec (over the context only, no PTE). `uffd_unregister_resets_wp` and
 * `uffd_release_resets_wp` are asked per VMA, before VM_UFFD_WP is dropped, by UFFDIO_UNREGISTER and by the close of
 * the userfaultfd: true runs change_pte_range(uffd_wp_resolve) over the VMA first (the kernel's uffd_wp_range(..,
 * false)); false leaves the PTEs' uffd-wp bits and markers where they are. `uffd_mremap_resets_wp` is asked the same
 * way for the VMA mremap() moved, which leaves the uffd (no UFFD_FEATURE_EVENT_REMAP is modelled): true stands for
 * move_ptes() clearing the moved entries' uffd-wp state (v6.13, 0cef0bb836e3), false moves them as they are.
 */
export const DECISIONS = {
  vma_needs_copy: { file: 'mm/memory.c', fn: 'vma_needs_copy' },
  should_fault_around: { file: 'mm/memory.c', fn: 'should_fault_around' },
  vma_can_userfault_wp: { file: 'include/linux/userfaultfd_k.h', fn: 'vma_can_userfault' },
  // v6.17 moved both into mm/userfaultfd.c userfaultfd_clear_vma(); fs/userfaultfd.c holds the entry points in every
  // version
  uffd_unregister_resets_wp: { file: 'fs/userfaultfd.c', fn: 'userfaultfd_unregister' },
  uffd_release_resets_wp: { file: 'fs/userfaultfd.c', fn: 'userfaultfd_release' },
  // mremap_userfaultfd_prep() (fs/userfaultfd.c) drops VM_UFFD_WP in every version; the entries are moved, and since
  // v6.13 (0cef0bb836e3) cleared, in mm/mremap.c move_ptes()
  uffd_mremap_resets_wp: { file: 'mm/mremap.c', fn: 'move_ptes' },
  // UFFDIO_REGISTER_MODE_MISSING / _MINOR, asked like vma_can_userfault_wp for every VMA of the range (issue #14)
  vma_can_userfault_missing: { file: 'include/linux/userfaultfd_k.h', fn: 'vma_can_userfault' },
  vma_can_userfault_minor: { file: 'include/linux/userfaultfd_k.h', fn: 'vma_can_userfault' },
  // UFFDIO_MOVE (v6.8) may take pages of this VMA (vma_move_compatible and the anon-only rule); a spec whose decision
  // is the literal `false` describes a kernel without UFFDIO_MOVE (no UFFD_FEATURE_MOVE, no MOVE in the reply)
  uffd_can_move: { file: 'mm/userfaultfd.c', fn: 'move_pages' },
  // UFFDIO_CONTINUE_MODE_WP (v6.2) on this VMA; false: the mode bit is refused with EINVAL
  uffd_continue_mode_wp: { file: 'fs/userfaultfd.c', fn: 'userfaultfd_continue' },
  // UFFDIO_POISON exists (v6.6, fc71884a5f59); before, userfaultfd_ioctl() answers an unknown command with -EINVAL
  uffd_poison_supported: { file: 'fs/userfaultfd.c', fn: 'userfaultfd_poison' },
  // MADV_GUARD_INSTALL / _REMOVE accepted on the VMA (v6.13 is_valid_guard_vma; file-backed VMAs since v6.15);
  // before v6.13 madvise_behavior_valid() does not know the advice: -EINVAL
  madv_guard_supported: { file: 'mm/madvise.c', fn: 'is_valid_guard_vma' },
  // UFFDIO_UNREGISTER of a VMA another userfaultfd of the mm registered is -EINVAL ("userfaultfd: prevent
  // unregistering VMAs through a different userfaultfd", 2025); false: it is unregistered whichever context asks
  uffd_unregister_checks_ctx: { file: 'fs/userfaultfd.c', fn: 'userfaultfd_unregister' },
  // the PAGEMAP_SCAN ioctl on /proc/pid/pagemap exists (v6.7, 52526ca7fdb9: proc_pagemap_operations.unlocked_ioctl);
  // before, the file has no ioctl and fs/ioctl.c vfs_ioctl() answers -ENOTTY
  pagemap_scan_supported: { file: 'fs/proc/task_mmu.c', fn: 'do_pagemap_cmd' },
} as const satisfies Record<string, KernelPlace>;
export type Decision = keyof typeof DECISIONS;
export const DECISION_NAMES = Object.keys(DECISIONS) as readonly Decision[];

/** The userfaultfd features the runtime models, with the kernel's names and the version that brought each. */
export const UFFD_FEATURES = {
  event_fork: { kernel: 'UFFD_FEATURE_EVENT_FORK', since: 'v4.11' },
  wp_unpopulated: { kernel: 'UFFD_FEATURE_WP_UNPOPULATED', since: 'v6.4' },
  sigbus: { kernel: 'UFFD_FEATURE_SIGBUS', since: 'v4.14' },
  move: { kernel: 'UFFD_FEATURE_MOVE', since: 'v6.8' },
  // "userfaultfd: non-cooperative: add mremap() event", 72f87654c696, v4.11: with it the moved VMA keeps its context
  event_remap: { kernel: 'UFFD_FEATURE_EVENT_REMAP', since: 'v4.11' },
  // "userfaultfd: UFFD_FEATURE_WP_ASYNC", d61ea1cb0095, v6.7: do_wp_page() resolves a uffd-wp fault itself
  wp_async: { kernel: 'UFFD_FEATURE_WP_ASYNC', since: 'v6.7' },
} as const;

/** The registration modes (UFFDIO_REGISTER_MODE_*), as the scenario language and the fault message name them. */
export const UFFD_MODES = {
  missing: { kernel: 'UFFDIO_REGISTER_MODE_MISSING', vmFlag: 'VM_UFFD_MISSING', since: 'v4.3' },
  wp: { kernel: 'UFFDIO_REGISTER_MODE_WP', vmFlag: 'VM_UFFD_WP', since: 'v5.7' },
  minor: { kernel: 'UFFDIO_REGISTER_MODE_MINOR', vmFlag: 'VM_UFFD_MINOR', since: 'v5.13 (shmem v5.14)' },
} as const;
export type UffdMode = keyof typeof UFFD_MODES;
export const UFFD_MODE_NAMES = Object.keys(UFFD_MODES) as readonly UffdMode[];

/**
 * The range ioctls UFFDIO_REGISTER reports in uffdio_register.ioctls (bit = _UFFDIO_* number,
 * include/uapi/linux/userfaultfd.h). ptelab reports the ones it models; UFFDIO_POISON (v6.6, bit 0x0A) is not.
 */
export const UFFD_RANGE_IOCTLS = {
  wake: { kernel: 'UFFDIO_WAKE', bit: 0x02 },
  copy: { kernel: 'UFFDIO_COPY', bit: 0x03 },
  zeropage: { kernel: 'UFFDIO_ZEROPAGE', bit: 0x04 },
  move: { kernel: 'UFFDIO_MOVE', bit: 0x05 },
  writeprotect: { kernel: 'UFFDIO_WRITEPROTECT', bit: 0x06 },
  continue: { kernel: 'UFFDIO_CONTINUE', bit: 0x07 },
} as const;
export type UffdRangeIoctl = keyof typeof UFFD_RANGE_IOCTLS;
export const UFFD_RANGE_IOCTL_NAMES = Object.keys(UFFD_RANGE_IOCTLS) as readonly UffdRangeIoctl[];
export type UffdFeature = keyof typeof UFFD_FEATURES;
export const UFFD_FEATURE_NAMES = Object.keys(UFFD_FEATURES) as readonly UffdFeature[];

/**
 * The explorer's symmetry reductions: which identities it may renumber by first appearance. A spec module says which
 * are sound for it (compiler/analysis/symmetry.ts decides, the TS back end emits the verdict).
 */
export const SYMMETRY_OPTIONS = {
  pfns: 'renumber pfns (pages) by first appearance',
  slots: 'renumber swap offsets by first appearance',
} as const;
export type SymmetryOptions = { readonly [K in keyof typeof SYMMETRY_OPTIONS]: boolean };

/** The compiler's verdict on which symmetry reductions are sound for a spec. */
export interface SymmetryVerdict extends SymmetryOptions {
  /** Why a reduction is off (empty when both are on). */
  readonly reasons: readonly string[];
}

/** The userfaultfd features a spec's kernel offers, and those it lacks with why the compiler says so. */
export interface SpecFeatures {
  readonly offered: readonly UffdFeature[];
  readonly missing: readonly { readonly feature: UffdFeature; readonly reason: string }[];
}

// ---- the TypeScript side of the rows, derived ----

/** A PTE value (the whole word). */
export type Word = bigint;
/** A physical page: its pfn. The runtime allocates pfns; the zero page has a fixed pfn. */
export type Pfn = bigint;

type TsArg<T extends ContractTy> = T extends 'bool' ? boolean : T extends 'int' ? bigint : T extends 'page' ? Pfn : T extends 'counter' ? RssCounter : T extends 'pmflag' ? PagemapFlag : never;
type TsRet<T extends ContractTy> = T extends 'page' ? Pfn | null : T extends 'void' ? void : TsArg<T>;
type TsArgs<A extends readonly ContractTy[]> = { -readonly [I in keyof A]: A[I] extends ContractTy ? TsArg<A[I]> : never };

/** The runtime's primitives, one method per non-inline row, plus `warn` (a statement, not an expression). */
export type Primitives = {
  [K in RuntimePrimitiveName]: (
    ...args: TsArgs<(typeof PRIMITIVES)[K]['args']>
  ) => (typeof PRIMITIVES)[K] extends { total: true } ? Pfn : TsRet<(typeof PRIMITIVES)[K]['ret']>;
} & { warn(message: string): void };

/** Context values a handler may read, one object per row group, plus the `call ... with { }` arguments. */
export type HandlerContext = {
  readonly [O in ContextObject]: { readonly [P in keyof (typeof CONTEXT)[O]]: TsArg<(typeof CONTEXT)[O][P] extends ContextRow ? (typeof CONTEXT)[O][P]['ty'] : never> };
} & {
  /** Values passed by `call PATH with { name = value }`, e.g. uffd_wp from a uffd-wp marker. */
  readonly args: Readonly<Record<string, bigint>>;
};

// ---- page-table levels (issue #15) ----

/**
 * The page-table levels a spec may describe with `level NAME` (docs/language.md, "Levels"). Items before any `level`
 * are of the PTE level, so a spec without one describes PTEs only. `none` names the level's emptiness predicate
 * (the PTE035 check reads it), `copies` the level's fork path (where `copy` writes the child's entry).
 */
export const LEVELS = {
  pte: { kernel: 'pte_t', none: 'pte_none', copies: 'copy_page_range', doc: 'a PTE: maps one base page, or holds a swap entry' },
  pmd: { kernel: 'pmd_t', none: 'pmd_none', copies: 'copy_huge_pmd', pageShift: 'PMD_SHIFT', doc: 'a PMD leaf: maps a THP, or holds a PMD swap or migration entry' },
  huge_pte: { kernel: 'pte_t (hugetlb)', none: 'huge_pte_none', copies: 'copy_hugetlb_page_range', doc: 'a hugetlb entry as mm/hugetlb.c reads it (huge_ptep_get)' },
} as const;
export type LevelName = keyof typeof LEVELS;
export const LEVEL_NAMES = Object.keys(LEVELS) as readonly LevelName[];

/**
 * The entry paths of each level other than the PTE's (whose are ENTRY_PATHS): a level that declares any path must
 * declare these and handle every kind of the level in each (PTE050-052, per level). The huge_pte level's are driven by
 * runtime/hugetlb/ (docs/runtime.md, "hugetlb"); the rows also make `check` ask a proposal of any level the same
 * question it asks a PTE one.
 */
export const LEVEL_ENTRY_PATHS = {
  pmd: {
    copy_huge_pmd: { file: 'mm/huge_memory.c', fn: 'copy_huge_pmd' },
    zap_huge_pmd: { file: 'mm/huge_memory.c', fn: 'zap_huge_pmd' },
    change_huge_pmd: { file: 'mm/huge_memory.c', fn: 'change_huge_pmd' },
    do_huge_pmd_wp_page: { file: 'mm/huge_memory.c', fn: 'do_huge_pmd_wp_page' },
    // the first touch of a pmd_none block of a THP-eligible anon VMA (__handle_mm_fault -> create_huge_pmd)
    do_huge_pmd_anonymous_page: { file: 'mm/huge_memory.c', fn: 'do_huge_pmd_anonymous_page' },
    // a refused access to a PMD leaf asks it first: `retry` when it restored a NUMA-hinting (protnone) leaf,
    // anything else falls through to do_huge_pmd_wp_page (__handle_mm_fault's order)
    do_huge_pmd_numa_page: { file: 'mm/huge_memory.c', fn: 'do_huge_pmd_numa_page' },
    set_pmd_migration_entry: { file: 'mm/huge_memory.c', fn: 'set_pmd_migration_entry' },
    remove_migration_pmd: { file: 'mm/huge_memory.c', fn: 'remove_migration_pmd' },
    __split_huge_pmd_locked: { file: 'mm/huge_memory.c', fn: '__split_huge_pmd_locked' },
    // THP runtime (runtime/thp/): khugepaged / MADV_COLLAPSE installs the new PMD over the PTE table it took away
    collapse_huge_page: { file: 'mm/khugepaged.c', fn: 'collapse_huge_page' },
    // a fault on a huge shmem file maps its PMD-size page-cache folio (finish_fault / filemap_map_pmd, runtime/thp/file.ts)
    do_set_pmd: { file: 'mm/memory.c', fn: 'do_set_pmd' },
    // /proc/pid/pagemap of each base page under a PMD leaf (PM_UFFD_WP, PM_SOFT_DIRTY, ...)
    pagemap_pmd_range: { file: 'fs/proc/task_mmu.c', fn: 'pagemap_pmd_range' },
  },
  huge_pte: {
    copy_hugetlb_page_range: { file: 'mm/hugetlb.c', fn: 'copy_hugetlb_page_range' },
    __unmap_hugepage_range: { file: 'mm/hugetlb.c', fn: '__unmap_hugepage_range' },
    hugetlb_change_protection: { file: 'mm/hugetlb.c', fn: 'hugetlb_change_protection' },
    hugetlb_fault: { file: 'mm/hugetlb.c', fn: 'hugetlb_fault' },
    // what /proc/pid/pagemap reports for a hugetlb entry (pagemap_pte sets the flags the same way)
    pagemap_hugetlb_range: { file: 'fs/proc/task_mmu.c', fn: 'pagemap_hugetlb_range' },
    // mremap() of a hugetlb VMA: each entry, taken off the old address, is written at the new one (like move_ptes)
    move_huge_pte: { file: 'mm/hugetlb.c', fn: 'move_huge_pte' },
    // UFFDIO_COPY / UFFDIO_CONTINUE into a hugetlb VMA (mfill_atomic_hugetlb): the destination entry, once the runtime
    // has the folio (args.pfn); mfill_eexist refuses (-EEXIST) and the runtime drops the folio
    hugetlb_mfill_atomic_pte: { file: 'mm/hugetlb.c', fn: 'hugetlb_mfill_atomic_pte' },
    // UFFDIO_POISON into a hugetlb VMA (v6.6): hugetlb_mfill_atomic_pte's MFILL_ATOMIC_POISON branch
    hugetlb_mfill_atomic_pte_poison: { file: 'mm/hugetlb.c', fn: 'hugetlb_mfill_atomic_pte' },
    // migration of a hugetlb folio: try_to_migrate_one's folio_test_hugetlb branch on each entry mapping it, then
    // remove_migration_pte on each migration entry (migrate.dst_pfn the new folio)
    try_to_migrate_one: { file: 'mm/rmap.c', fn: 'try_to_migrate_one' },
    remove_migration_pte: { file: 'mm/migrate.c', fn: 'remove_migration_pte' },
  },
} as const satisfies Record<Exclude<LevelName, 'pte'>, Record<string, KernelPlace>>;

/**
 * The constant whose shift names a page in a `refs page(F)` of the level (F = pfn >> (shift - PAGE_SHIFT): a PMD leaf
 * holds a huge page frame number), or undefined when F is the pfn itself (the PTE level).
 */
export function levelPageShift(level: LevelName | undefined): string | undefined {
  const row = LEVELS[level ?? 'pte'] as { readonly pageShift?: string };
  return row.pageShift;
}

/**
 * The PTE-level path the PMD split hands each new PTE to (runtime/thp/split.ts): `split_ptes(...)` in a PMD
 * __split_huge_pmd_locked case says what the PTEs carry, this path builds each one (on a none PTE, `arg.*`).
 */
export const SPLIT_PTE_PATH = '__split_huge_pmd_locked';

/** The entry paths of a level, in the order of its rows. */
export function levelEntryPaths(level: LevelName): readonly string[] {
  return level === 'pte' ? ENTRY_PATH_NAMES : Object.keys(LEVEL_ENTRY_PATHS[level]);
}
