// Where a spec's pieces live in the kernel tree: the arch of a spec, the file each path's code belongs to, and the
// kernel function a hunk names in its `@@ ... @@` line. Names and paths only (v6.17 names; older trees differ).
import { DECISIONS, ENTRY_PATHS, LEVEL_ENTRY_PATHS, SPLIT_PTE_PATH, type KernelPlace, type LevelName } from '../../../contract/table.js';
import type { IrKind, IrSpec } from '../../ir/types.js';
import { calledPaths } from '../../ir/visit.js';

export type Arch = 'x86' | 'arm64' | 'generic';

/** The arch of a spec: from its name or its files, else from its formats (arm64 has VALID, x86 PRESENT). */
export function specArch(ir: IrSpec): Arch {
  const names = [ir.name, ir.file, ...ir.chain].join(' ').toLowerCase();
  if (/arm64|aarch64/.test(names)) return 'arm64';
  if (/x86|amd64|i386/.test(names)) return 'x86';
  const pte = ir.formats.find((f) => f.name === 'pte');
  if (pte?.fields.some((f) => f.name === 'VALID')) return 'arm64';
  if (pte?.fields.some((f) => f.name === 'PRESENT')) return 'x86';
  return 'generic';
}

export interface ArchFiles {
  /** Bit definitions (`#define`s of the fields and their accessors). */
  readonly defs: string;
  /** Arch helpers (the spec's fns). */
  readonly helpers: string;
}

export function archFiles(arch: Arch): ArchFiles {
  switch (arch) {
    case 'x86':
      return { defs: 'arch/x86/include/asm/pgtable_types.h', helpers: 'arch/x86/include/asm/pgtable.h' };
    case 'arm64':
      return { defs: 'arch/arm64/include/asm/pgtable-prot.h', helpers: 'arch/arm64/include/asm/pgtable.h' };
    case 'generic':
      return { defs: 'include/linux/pgtable.h', helpers: 'include/linux/mm.h' };
  }
}

export const SWAP_H = 'include/linux/swap.h';
export const SWAPOPS_H = 'include/linux/swapops.h';
export const INTERNAL_H = 'mm/internal.h';

/** Path files in kernel-series order; a file not listed sorts after these, by name. */
export const PATH_FILE_ORDER: readonly string[] = [
  'include/linux/mm_inline.h',
  'include/linux/userfaultfd_k.h',
  'mm/memory.c',
  'mm/mprotect.c',
  'mm/rmap.c',
  'mm/migrate.c',
  'mm/swapfile.c',
  'fs/proc/task_mmu.c',
  'mm/filemap.c',
  'fs/userfaultfd.c',
  'mm/mremap.c',
];

/** Kernel functions (short signatures for hunk headers). */
const SIG: Readonly<Record<string, string>> = {
  copy_pte_range: 'static int copy_pte_range(struct vm_area_struct *dst_vma, ...)',
  copy_present_ptes: 'static inline int copy_present_ptes(struct vm_area_struct *dst_vma, ...)',
  copy_nonpresent_pte: 'static int copy_nonpresent_pte(struct mm_struct *dst_mm, ...)',
  zap_pte_range: 'static unsigned long zap_pte_range(struct mmu_gather *tlb, ...)',
  zap_present_ptes: 'static inline int zap_present_ptes(struct mmu_gather *tlb, ...)',
  zap_nonpresent_ptes: 'static inline int zap_nonpresent_ptes(struct mmu_gather *tlb, ...)',
  zap_install_uffd_wp_if_needed: 'static inline void zap_install_uffd_wp_if_needed(struct vm_area_struct *vma, ...)',
  pte_install_uffd_wp_if_needed: 'static inline bool pte_install_uffd_wp_if_needed(struct vm_area_struct *vma, ...)',
  handle_pte_fault: 'static vm_fault_t handle_pte_fault(struct vm_fault *vmf)',
  do_pte_missing: 'static vm_fault_t do_pte_missing(struct vm_fault *vmf)',
  do_anonymous_page: 'static vm_fault_t do_anonymous_page(struct vm_fault *vmf)',
  do_fault: 'static vm_fault_t do_fault(struct vm_fault *vmf)',
  do_cow_fault: 'static vm_fault_t do_cow_fault(struct vm_fault *vmf)',
  finish_fault: 'vm_fault_t finish_fault(struct vm_fault *vmf)',
  do_wp_page: 'static vm_fault_t do_wp_page(struct vm_fault *vmf)',
  wp_page_copy: 'static vm_fault_t wp_page_copy(struct vm_fault *vmf)',
  do_numa_page: 'static vm_fault_t do_numa_page(struct vm_fault *vmf)',
  do_swap_page: 'vm_fault_t do_swap_page(struct vm_fault *vmf)',
  handle_pte_marker: 'static vm_fault_t handle_pte_marker(struct vm_fault *vmf)',
  filemap_map_pages: 'vm_fault_t filemap_map_pages(struct vm_fault *vmf, ...)',
  change_pte_range: 'static long change_pte_range(struct mmu_gather *tlb, ...)',
  try_to_unmap_one: 'static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma, ...)',
  try_to_migrate_one: 'static bool try_to_migrate_one(struct folio *folio, struct vm_area_struct *vma, ...)',
  remove_migration_pte: 'static bool remove_migration_pte(struct folio *folio, ...)',
  unuse_pte: 'static int unuse_pte(struct vm_area_struct *vma, pmd_t *pmd, ...)',
  pte_to_pagemap_entry: 'static pagemap_entry_t pte_to_pagemap_entry(struct pagemapread *pm, ...)',
  vma_needs_copy: 'static bool vma_needs_copy(struct vm_area_struct *dst_vma, ...)',
  should_fault_around: 'static inline bool should_fault_around(struct vm_fault *vmf)',
  vma_can_userfault: 'static inline bool vma_can_userfault(struct vm_area_struct *vma, ...)',
  userfaultfd_unregister: 'static int userfaultfd_unregister(struct userfaultfd_ctx *ctx, unsigned long arg)',
  userfaultfd_release: 'static int userfaultfd_release(struct inode *inode, struct file *file)',
  move_ptes: 'static int move_ptes(struct pagetable_move_control *pmc, ...)',
  move_pages_pte: 'static int move_pages_pte(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd, ...)',
  mfill_atomic_pte_poison: 'static int mfill_atomic_pte_poison(pmd_t *dst_pmd, ...)',
  guard_install_pte_entry: 'static int guard_install_pte_entry(pte_t *pte, ...)',
  guard_remove_pte_entry: 'static int guard_remove_pte_entry(pte_t *pte, ...)',
  userfaultfd_poison: 'static int userfaultfd_poison(struct userfaultfd_ctx *ctx, unsigned long arg)',
  is_valid_guard_vma: 'static bool is_valid_guard_vma(struct vm_area_struct *vma, bool allow_locked)',
  pagemap_scan_pmd_entry: 'static int pagemap_scan_pmd_entry(pmd_t *pmd, unsigned long start, ...)',
  make_uffd_wp_pte: 'static void make_uffd_wp_pte(struct vm_area_struct *vma, ...)',
  copy_present_page: 'static inline int copy_present_page(struct vm_area_struct *dst_vma, ...)',
  do_pagemap_cmd: 'static long do_pagemap_cmd(struct file *file, unsigned int cmd, unsigned long arg)',
  // THP, the PMD level (v6.17 mm/huge_memory.c, mm/khugepaged.c, fs/proc/task_mmu.c)
  copy_huge_pmd: 'int copy_huge_pmd(struct mm_struct *dst_mm, struct mm_struct *src_mm, ...)',
  zap_huge_pmd: 'int zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, ...)',
  change_huge_pmd: 'int change_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, ...)',
  do_huge_pmd_wp_page: 'vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf)',
  set_pmd_migration_entry: 'int set_pmd_migration_entry(struct page_vma_mapped_walk *pvmw, ...)',
  remove_migration_pmd: 'void remove_migration_pmd(struct page_vma_mapped_walk *pvmw, struct page *new)',
  __split_huge_pmd_locked: 'static void __split_huge_pmd_locked(struct vm_area_struct *vma, pmd_t *pmd, ...)',
  collapse_huge_page: 'static int collapse_huge_page(struct mm_struct *mm, unsigned long address, ...)',
  pagemap_pmd_range: 'static int pagemap_pmd_range(pmd_t *pmdp, unsigned long addr, ...)',
  // hugetlb, the huge_pte level (v6.17 mm/hugetlb.c, fs/proc/task_mmu.c)
  copy_hugetlb_page_range: 'int copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src, ...)',
  __unmap_hugepage_range: 'void __unmap_hugepage_range(struct mmu_gather *tlb, struct vm_area_struct *vma, ...)',
  hugetlb_change_protection: 'long hugetlb_change_protection(struct vm_area_struct *vma, ...)',
  hugetlb_fault: 'vm_fault_t hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma, ...)',
  hugetlb_no_page: 'static vm_fault_t hugetlb_no_page(struct address_space *mapping, ...)',
  hugetlb_wp: 'static vm_fault_t hugetlb_wp(struct vm_fault *vmf)',
  pagemap_hugetlb_range: 'static int pagemap_hugetlb_range(pte_t *ptep, unsigned long hmask, ...)',
  move_huge_pte: 'static void move_huge_pte(struct vm_area_struct *vma, unsigned long old_addr, ...)',
};

/**
 * A path of the bundled handlers: its file and the kernel function its dispatcher stands for. The entry paths are
 * the contract's rows (contract/table.ts), but for copy_page_range, whose per-entry code is in copy_pte_range(); the
 * rest are the paths the bundled specs call.
 */
const PATHS: Readonly<Record<string, KernelPlace>> = {
  ...ENTRY_PATHS,
  copy_page_range: { file: 'mm/memory.c', fn: 'copy_pte_range' },
  zap_present_ptes: { file: 'mm/memory.c', fn: 'zap_present_ptes' },
  zap_present_pte: { file: 'mm/memory.c', fn: 'zap_pte_range' },
  zap_migration_entry: { file: 'mm/memory.c', fn: 'zap_nonpresent_ptes' },
  zap_device_entry: { file: 'mm/memory.c', fn: 'zap_nonpresent_ptes' },
  zap_device_private: { file: 'mm/memory.c', fn: 'zap_pte_range' },
  zap_install_uffd_wp_if_needed: { file: 'mm/memory.c', fn: 'zap_install_uffd_wp_if_needed' },
  pte_install_uffd_wp_if_needed: { file: 'include/linux/mm_inline.h', fn: 'pte_install_uffd_wp_if_needed' },
  do_pte_missing: { file: 'mm/memory.c', fn: 'do_pte_missing' },
  do_anonymous_page: { file: 'mm/memory.c', fn: 'do_anonymous_page' },
  do_fault: { file: 'mm/memory.c', fn: 'do_fault' },
  do_cow_fault: { file: 'mm/memory.c', fn: 'do_cow_fault' },
  finish_fault: { file: 'mm/memory.c', fn: 'finish_fault' },
  do_wp_page: { file: 'mm/memory.c', fn: 'do_wp_page' },
  wp_page_copy: { file: 'mm/memory.c', fn: 'wp_page_copy' },
  do_numa_page: { file: 'mm/memory.c', fn: 'do_numa_page' },
  do_swap_page: { file: 'mm/memory.c', fn: 'do_swap_page' },
  try_to_unmap_pte: { file: 'mm/rmap.c', fn: 'try_to_unmap_one' },
  try_to_migrate_pte: { file: 'mm/rmap.c', fn: 'try_to_migrate_one' },
  remove_migration_one: { file: 'mm/migrate.c', fn: 'remove_migration_pte' },
  pagemap_pfn_swap: { file: 'fs/proc/task_mmu.c', fn: 'pte_to_pagemap_entry' },
  make_uffd_wp_pte: { file: 'fs/proc/task_mmu.c', fn: 'make_uffd_wp_pte' },
  copy_present_page: { file: 'mm/memory.c', fn: 'copy_present_page' },
  // the PTE loop of the PMD split builds each PTE: v6.17 mm/huge_memory.c __split_huge_pmd_locked
  [SPLIT_PTE_PATH]: { file: 'mm/huge_memory.c', fn: '__split_huge_pmd_locked' },
};

/**
 * The other levels' paths: the contract's entry rows (contract/table.ts, LEVEL_ENTRY_PATHS), and the bundled paths
 * that stand for a kernel function of their own (v6.17 mm/hugetlb.c: hugetlb_fault() calls hugetlb_no_page(), which
 * may call hugetlb_wp(); ptelab's hugetlb_no_page_file/_anon are the two halves of hugetlb_no_page()).
 */
const LEVEL_PATHS: Readonly<Record<Exclude<LevelName, 'pte'>, Readonly<Record<string, KernelPlace>>>> = {
  pmd: LEVEL_ENTRY_PATHS.pmd,
  huge_pte: {
    ...LEVEL_ENTRY_PATHS.huge_pte,
    hugetlb_no_page: { file: 'mm/hugetlb.c', fn: 'hugetlb_no_page' },
    hugetlb_no_page_file: { file: 'mm/hugetlb.c', fn: 'hugetlb_no_page' },
    hugetlb_no_page_anon: { file: 'mm/hugetlb.c', fn: 'hugetlb_no_page' },
    hugetlb_wp: { file: 'mm/hugetlb.c', fn: 'hugetlb_wp' },
  },
};

/** The known paths of a level: a name means a different kernel function at each (`__split_huge_pmd_locked`). */
function placesOf(level: LevelName | undefined): Readonly<Record<string, KernelPlace>> {
  return !level || level === 'pte' ? PATHS : LEVEL_PATHS[level];
}

export function signature(fn: string): string {
  return SIG[fn] ?? `${fn}()`;
}

/**
 * The file of every path: its own when known, else the file of the first path (in spec order) that calls it, else
 * mm/memory.c.
 */
export function pathFiles(ir: IrSpec): Map<string, string> {
  const out = new Map<string, string>();
  const places = placesOf(ir.level);
  for (const p of ir.paths) {
    const known = places[p.name];
    if (known) out.set(p.name, known.file);
  }
  const callers = callGraph(ir);
  let changed = true;
  while (changed) {
    changed = false;
    for (const p of ir.paths) {
      if (out.has(p.name)) continue;
      const from = ir.paths.find((q) => out.has(q.name) && callers.get(q.name)?.has(p.name));
      if (from) {
        out.set(p.name, out.get(from.name)!);
        changed = true;
      }
    }
  }
  for (const p of ir.paths) if (!out.has(p.name)) out.set(p.name, 'mm/memory.c');
  return out;
}

/** path -> the paths it calls. */
export function callGraph(ir: IrSpec): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const p of ir.paths) {
    g.set(p.name, new Set());
    for (const c of p.cases) for (const callee of calledPaths(c.body)) g.get(p.name)!.add(callee);
  }
  return g;
}

/**
 * The kernel function a path's dispatcher stands for: its own when the path is a bundled one; for a path a proposal
 * adds, the function of the first path (in spec order) that calls it, since that is where its code would go; else
 * the path's name.
 */
export function pathFunction(path: string, ir?: IrSpec): string {
  const places = placesOf(ir?.level);
  const known = places[path]?.fn;
  if (known || !ir) return known ?? path;
  const callers = callGraph(ir);
  const seen = new Set<string>([path]);
  let current = path;
  for (;;) {
    const from = ir.paths.find((q) => !seen.has(q.name) && callers.get(q.name)?.has(current));
    if (!from) return path;
    const fn = places[from.name]?.fn;
    if (fn) return fn;
    seen.add(from.name);
    current = from.name;
  }
}

/**
 * The kernel function that handles this kind on this path: fork and zap split present from non-present entries,
 * a fault on a marker goes through handle_pte_marker(); otherwise the path's function.
 */
export function caseFunction(ir: IrSpec, path: string, kind: IrKind | undefined): string {
  const fn = pathFunction(path, ir);
  if (!kind || (ir.level && ir.level !== 'pte')) return fn;
  const shape = kindShape(ir, kind);
  if (path === 'copy_page_range') return shape === 'none' ? 'copy_pte_range' : shape === 'present' ? 'copy_present_ptes' : 'copy_nonpresent_pte';
  if (path === 'zap_pte_range') return shape === 'none' ? 'zap_pte_range' : shape === 'present' ? 'zap_present_ptes' : 'zap_nonpresent_ptes';
  if (path === 'do_swap_page' && kind.name === 'pte_marker') return 'handle_pte_marker';
  return fn;
}

/** none / present / non-present, from the spec's own pte_none and pte_present predicates (on the kind's base). */
function kindShape(ir: IrSpec, kind: IrKind): 'none' | 'present' | 'nonpresent' {
  const holds = (pred: string): boolean => {
    const p = ir.predicates.find((x) => x.name === pred);
    return !!p && p.cubes.some(([m, v]) => (kind.base & m) === v);
  };
  if (holds('pte_none')) return 'none';
  if (holds('pte_present')) return 'present';
  return 'nonpresent';
}

export function decisionPlace(name: string): KernelPlace {
  return (DECISIONS as Readonly<Record<string, KernelPlace>>)[name] ?? { file: 'mm/memory.c', fn: name };
}

/** Files in series order: known path files first, then the rest by name. */
export function sortPathFiles(files: Iterable<string>): string[] {
  const rank = (f: string): number => {
    const i = PATH_FILE_ORDER.indexOf(f);
    return i < 0 ? PATH_FILE_ORDER.length : i;
  };
  return [...new Set(files)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function isHeader(file: string): boolean {
  return file.endsWith('.h');
}
