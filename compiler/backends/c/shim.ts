// The shim header the C patch sketches compile against (`gcc -fsyntax-only -Wall -Werror`): just enough kernel
// vocabulary for the sketch, written for ptelab. Types are declared with the fields the sketch reads; the runtime
// primitives of docs/handlers.md are extern functions under their kernel names. Nothing here is kernel source:
// where the kernel's own signature differs (a folio where we pass a page, a pte where we pass a pfn), the comment
// says so, and the sketch is written against these declarations.
//
// Every name the shim puts at file scope is listed with its declaration, so the C emitter can keep spec names
// (fns, predicates, constants) from colliding with it.
import { kernelApi, NEWEST_KERNEL, type KernelApi } from './kernel-api.js';

interface ShimDecl {
  /** File-scope identifiers this declaration introduces (functions, typedefs, macros, enumerators). */
  readonly names: readonly string[];
  /** The declarations; a function of the kernel API where their signature changed between versions. */
  readonly text: string | ((api: KernelApi) => string);
}

const DECLS: readonly ShimDecl[] = [
  { names: ['bool', 'true', 'false', 'NULL'], text: 'typedef _Bool bool;\n#define true\t1\n#define false\t0\n#ifndef NULL\n#define NULL\t((void *)0)\n#endif' },
  { names: ['u8', 'u16', 'u32', 'u64'], text: 'typedef unsigned char u8;\ntypedef unsigned short u16;\ntypedef unsigned int u32;\ntypedef unsigned long long u64;' },
  { names: ['BIT_ULL', 'GENMASK_ULL'], text: '#define BIT_ULL(nr)\t\t(1ULL << (nr))\n#define GENMASK_ULL(h, l)\t((~0ULL >> (63 - (h))) & (~0ULL << (l)))' },
  { names: ['static_assert'], text: '#define static_assert(expr, ...)\t_Static_assert(expr, #expr)' },
  { names: ['__maybe_unused'], text: '#define __maybe_unused\t\t__attribute__((__unused__))' },
  {
    names: ['WARN_ONCE'],
    text: '/* the kernel\'s WARN_ONCE() is a macro; a checked printf-like function is enough here */\nint WARN_ONCE(int condition, const char *fmt, ...) __attribute__((format(printf, 2, 3)));',
  },
  // page table values
  {
    names: ['pteval_t', 'pte_t', 'pgprot_t', 'pgoff_t', 'vm_fault_t', 'swp_entry_t', 'pte_val', '__pte', 'pgprot_val'],
    text: [
      'typedef u64 pteval_t;',
      'typedef struct {\n\tpteval_t pte;\n} pte_t;',
      'typedef struct {\n\tpteval_t pgprot;\n} pgprot_t;',
      'typedef unsigned long pgoff_t;',
      'typedef unsigned int vm_fault_t;',
      'typedef struct {\n\tunsigned long val;\n} swp_entry_t;',
      'static inline pteval_t pte_val(pte_t pte)\n{\n\treturn pte.pte;\n}',
      'static inline pte_t __pte(pteval_t val)\n{\n\treturn (pte_t){ .pte = val };\n}',
      'static inline pteval_t pgprot_val(pgprot_t prot)\n{\n\treturn prot.pgprot;\n}',
    ].join('\n\n'),
  },
  // PMD values, for a spec's PMD level (docs/language.md, "Levels"); the vm_fault below points at its PMD
  {
    names: ['pmdval_t', 'pmd_t', 'pmd_val', '__pmd', 'pmd_to_swp_entry', 'swp_entry_to_pmd'],
    text: [
      'typedef u64 pmdval_t;',
      'typedef struct {\n\tpmdval_t pmd;\n} pmd_t;',
      'static inline pmdval_t pmd_val(pmd_t pmd)\n{\n\treturn pmd.pmd;\n}',
      'static inline pmd_t __pmd(pmdval_t val)\n{\n\treturn (pmd_t){ .pmd = val };\n}',
      'swp_entry_t pmd_to_swp_entry(pmd_t pmd);',
      'pmd_t swp_entry_to_pmd(swp_entry_t entry);',
    ].join('\n\n'),
  },
  // the objects a handler sees
  {
    names: [],
    text: [
      'struct mm_struct;\nstruct anon_vma;\nstruct address_space;\nstruct page;\nstruct zap_details;',
      'struct file {\n\tstruct address_space *f_mapping;\n};',
      'struct vm_area_struct {\n\tstruct mm_struct *vm_mm;\n\tunsigned long vm_flags;\n\tstruct anon_vma *anon_vma;\n\tstruct file *vm_file;\n};',
      '/* a folio in the swap cache knows its slot */\nstruct folio {\n\tswp_entry_t swap;\n};',
      'struct vm_fault {\n\tstruct vm_area_struct *vma;\n\tunsigned long address;\n\tunsigned int flags;\n\tpgoff_t pgoff;\n\tpmd_t *pmd;\n\tpte_t *pte;\n\tpte_t orig_pte;\n};',
    ].join('\n\n'),
  },
  {
    names: ['VM_WRITE', 'VM_SHARED', 'VM_UFFD_MISSING', 'VM_UFFD_WP', 'FAULT_FLAG_WRITE', 'MM_CP_PROT_NUMA', 'MM_CP_UFFD_WP', 'MM_CP_UFFD_WP_RESOLVE', 'MM_CP_TRY_CHANGE_WRITABLE'],
    text: [
      '/* flag values are ours; only their names matter to the sketch */',
      '#define VM_WRITE\t\t0x00000002UL',
      '#define VM_SHARED\t\t0x00000008UL',
      '#define VM_UFFD_MISSING\t\t0x00000200UL',
      '#define VM_UFFD_WP\t\t0x00001000UL',
      '#define FAULT_FLAG_WRITE\t0x01U',
      '#define MM_CP_PROT_NUMA\t\t0x02UL',
      '#define MM_CP_UFFD_WP\t\t0x04UL',
      '#define MM_CP_UFFD_WP_RESOLVE\t0x08UL',
      '#define MM_CP_TRY_CHANGE_WRITABLE\t0x01UL',
    ].join('\n'),
  },
  { names: ['MM_FILEPAGES', 'MM_ANONPAGES', 'MM_SWAPENTS', 'MM_SHMEMPAGES'], text: 'enum {\n\tMM_FILEPAGES,\n\tMM_ANONPAGES,\n\tMM_SWAPENTS,\n\tMM_SHMEMPAGES,\n};' },
  {
    names: ['VM_FAULT_SIGBUS', 'VM_FAULT_HWPOISON', 'VM_FAULT_SIGSEGV'],
    text: '#define VM_FAULT_SIGBUS\t\t0x0002U\n#define VM_FAULT_HWPOISON\t0x0010U\n#define VM_FAULT_SIGSEGV\t0x0040U',
  },
  {
    names: ['PM_SOFT_DIRTY', 'PM_MMAP_EXCLUSIVE', 'PM_UFFD_WP', 'PM_GUARD_REGION', 'PM_FILE', 'PM_SWAP', 'PM_PRESENT'],
    text: [
      '/* /proc/pid/pagemap entry bits (fs/proc/task_mmu.c) */',
      '#define PM_SOFT_DIRTY\t\tBIT_ULL(55)',
      '#define PM_MMAP_EXCLUSIVE\tBIT_ULL(56)',
      '#define PM_UFFD_WP\t\tBIT_ULL(57)',
      '#define PM_GUARD_REGION\t\tBIT_ULL(58)',
      '#define PM_FILE\t\t\tBIT_ULL(61)',
      '#define PM_SWAP\t\t\tBIT_ULL(62)',
      '#define PM_PRESENT\t\tBIT_ULL(63)',
    ].join('\n'),
  },
  // VMA and walk state
  {
    names: ['vma_is_anonymous', 'vma_is_shmem', 'userfaultfd_wp', 'userfaultfd_missing', 'userfaultfd_wp_unpopulated', 'zap_drop_markers', 'should_zap_cows'],
    text: [
      'bool vma_is_anonymous(struct vm_area_struct *vma);',
      'bool vma_is_shmem(struct vm_area_struct *vma);',
      'bool userfaultfd_wp(struct vm_area_struct *vma);',
      'bool userfaultfd_missing(struct vm_area_struct *vma);',
      'bool userfaultfd_wp_unpopulated(struct vm_area_struct *vma);',
      'bool zap_drop_markers(struct zap_details *details);',
      'bool should_zap_cows(struct zap_details *details);',
    ].join('\n'),
  },
  // hugetlb VMAs in the decisions (issue #15): include/linux/hugetlb_inline.h
  {
    names: ['is_vm_hugetlb_page'],
    text: 'bool is_vm_hugetlb_page(struct vm_area_struct *vma);',
  },
  {
    names: ['ptelab_fault_around', 'ptelab_newprot_readonly'],
    text: [
      '/* no single kernel function says these; the sketch names them */',
      'bool ptelab_fault_around(struct vm_fault *vmf);',
      'bool ptelab_newprot_readonly(pgprot_t newprot);',
    ].join('\n'),
  },
  // mprotect PROT_NONE and mremap (issue #13)
  {
    names: ['vma_is_accessible', 'vma_has_uffd_without_event_remap', 'ptelab_newprot_none'],
    text: [
      'bool vma_is_accessible(struct vm_area_struct *vma);',
      'bool vma_has_uffd_without_event_remap(struct vm_area_struct *vma);',
      '/* pgprot_val(newprot) == pgprot_val(PAGE_NONE); the sketch names it */',
      'bool ptelab_newprot_none(pgprot_t newprot);',
    ].join('\n'),
  },
  // writing the entry
  {
    names: ['set_pte_at', 'pte_clear', 'ptep_get', 'pte_same', 'handle_userfault'],
    text: [
      'void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);',
      'void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep);',
      'pte_t ptep_get(pte_t *ptep);',
      'int pte_same(pte_t a, pte_t b);',
      'vm_fault_t handle_userfault(struct vm_fault *vmf, unsigned long reason);',
    ].join('\n'),
  },
  // writing a PMD (include/linux/pgtable.h pmdp_get, arch set_pmd_at and pmd_clear)
  {
    names: ['set_pmd_at', 'pmd_clear', 'pmdp_get', 'pmd_same'],
    text: [
      'void set_pmd_at(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp, pmd_t pmd);',
      'void pmd_clear(pmd_t *pmdp);',
      'pmd_t pmdp_get(pmd_t *pmdp);',
      'int pmd_same(pmd_t a, pmd_t b);',
    ].join('\n'),
  },
  // writing a hugetlb entry: include/linux/hugetlb.h and asm-generic/hugetlb.h as the spec's kernel has them
  // (kernel-api.ts: the huge page size in set_huge_pte_at() since v6.6, mm and address in huge_ptep_get() since v6.12)
  {
    names: ['hstate_vma', 'huge_page_size', 'pages_per_huge_page', 'set_huge_pte_at', 'huge_pte_clear', 'huge_ptep_get', 'hugetlb_count_add', 'hugetlb_count_sub'],
    text: (api) =>
      [
        'struct hstate;',
        'struct hstate *hstate_vma(struct vm_area_struct *vma);',
        'unsigned long huge_page_size(struct hstate *h);',
        'unsigned int pages_per_huge_page(struct hstate *h);',
        ...(api.setHugePteAtSize
          ? ['void set_huge_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte,', '\t\t     unsigned long sz);']
          : ['void set_huge_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);']),
        'void huge_pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep, unsigned long sz);',
        api.hugePtepGetMmAddr ? 'pte_t huge_ptep_get(struct mm_struct *mm, unsigned long addr, pte_t *ptep);' : 'pte_t huge_ptep_get(pte_t *ptep);',
        'void hugetlb_count_add(long l, struct mm_struct *mm);',
        'void hugetlb_count_sub(long l, struct mm_struct *mm);',
      ].join('\n'),
  },
  // __unmap_hugepage_range()'s flags (include/linux/mm.h; the value is ours)
  {
    names: ['zap_flags_t', 'ZAP_FLAG_DROP_MARKER'],
    text: 'typedef unsigned int zap_flags_t;\n#define ZAP_FLAG_DROP_MARKER\t((zap_flags_t)0x1)',
  },
  // pages
  {
    names: ['vm_normal_page', 'pfn_to_page', 'page_to_pfn', 'my_zero_pfn', 'folio_pfn', 'PageAnon', 'PageAnonExclusive', 'page_mapcount', 'get_page', 'put_page'],
    text: [
      '/* the kernel\'s vm_normal_page() takes the pte; the sketch passes the pfn it read from it */',
      'struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);',
      'struct page *pfn_to_page(unsigned long pfn);',
      'unsigned long page_to_pfn(struct page *page);',
      'unsigned long my_zero_pfn(unsigned long addr);',
      'unsigned long folio_pfn(struct folio *folio);',
      'bool PageAnon(struct page *page);',
      'bool PageAnonExclusive(struct page *page);',
      'int page_mapcount(struct page *page);',
      'void get_page(struct page *page);',
      'void put_page(struct page *page);',
    ].join('\n'),
  },
  {
    names: ['page_add_rmap', 'page_add_new_anon_rmap', 'page_dup_rmap', 'page_remove_rmap'],
    text: [
      '/* rmap in its page-based form (the kernel now has folio_*_rmap_pte()) */',
      'void page_add_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr);',
      'void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long addr);',
      'void page_dup_rmap(struct page *page, bool compound);',
      'void page_remove_rmap(struct page *page, struct vm_area_struct *vma, bool compound);',
    ].join('\n'),
  },
  {
    names: ['inc_mm_counter', 'dec_mm_counter', 'add_mm_counter', 'mm_counter', 'HPAGE_PMD_NR'],
    text: [
      'void inc_mm_counter(struct mm_struct *mm, int member);',
      'void dec_mm_counter(struct mm_struct *mm, int member);',
      'void add_mm_counter(struct mm_struct *mm, int member, long value);',
      'int mm_counter(struct page *page);',
      '/* include/linux/huge_mm.h: the pages a PMD maps, 1 << HPAGE_PMD_ORDER (512 with 4 KiB pages) */',
      '#define HPAGE_PMD_NR\t\t512',
    ].join('\n'),
  },
  {
    names: ['alloc_zeroed_user_highpage_movable', 'copy_user_highpage', 'ptelab_fault_page', 'find_get_page', 'linear_page_index'],
    text: [
      'struct page *alloc_zeroed_user_highpage_movable(struct vm_area_struct *vma, unsigned long addr);',
      'void copy_user_highpage(struct page *to, struct page *from, unsigned long addr,',
      '\t\t\tstruct vm_area_struct *vma);',
      '/* ->fault() (filemap_fault(), shmem_fault()), then vmf->page: the page-cache page, referenced */',
      'struct page *ptelab_fault_page(struct vm_fault *vmf);',
      'struct page *find_get_page(struct address_space *mapping, pgoff_t index);',
      'pgoff_t linear_page_index(struct vm_area_struct *vma, unsigned long addr);',
    ].join('\n'),
  },
  // userfaultfd modes and the mfill flags (issue #14): include/linux/userfaultfd_k.h, mm/userfaultfd.c
  {
    names: ['VM_UFFD_MINOR', 'userfaultfd_minor', 'uffd_flags_t', 'MFILL_ATOMIC_COPY', 'MFILL_ATOMIC_ZEROPAGE', 'MFILL_ATOMIC_CONTINUE', 'MFILL_ATOMIC_WP'],
    text: [
      '#define VM_UFFD_MINOR		0x00002000UL',
      'bool userfaultfd_minor(struct vm_area_struct *vma);',
      'typedef unsigned int uffd_flags_t;',
      'enum {\n\tMFILL_ATOMIC_COPY,\n\tMFILL_ATOMIC_ZEROPAGE,\n\tMFILL_ATOMIC_CONTINUE,\n};',
      '#define MFILL_ATOMIC_WP		0x100U',
    ].join('\n'),
  },
  {
    names: ['ptelab_shmem_hole', 'ptelab_shmem_present'],
    text: [
      '/* shmem_get_folio_gfp()\'s userfaultfd checks at vmf->pgoff (inside i_size): */',
      '/* a hole / a folio or swap entry */',
      'bool ptelab_shmem_hole(struct vm_fault *vmf);',
      'bool ptelab_shmem_present(struct vm_fault *vmf);',
    ].join('\n'),
  },
  {
    // PAGEMAP_SCAN (v6.7) and UFFD_FEATURE_WP_ASYNC (v6.7); GUP pins and fork's early COW
    names: ['userfaultfd_wp_async', 'PM_SCAN_WP_MATCHING', 'PAGE_IS_WRITTEN', 'pagemap_scan_private', 'folio_needs_cow_for_dma', 'page_folio'],
    text: [
      'bool userfaultfd_wp_async(struct vm_area_struct *vma);',
      '#define PM_SCAN_WP_MATCHING\t(1 << 0)',
      '#define PAGE_IS_WRITTEN\t\t(1 << 1)',
      'struct pagemap_scan_private { struct { u64 flags; } arg; };',
      'struct folio *page_folio(struct page *page);',
      'bool folio_needs_cow_for_dma(struct vm_area_struct *vma, struct folio *folio);',
    ].join('\n'),
  },
  {
    names: ['ptelab_mfill_eexist', 'uffd_flags_mode_is'],
    text: [
      '/* mfill_atomic_pte(): the destination is populated; the ioctl fails with -EEXIST */',
      'void ptelab_mfill_eexist(void);',
      'bool uffd_flags_mode_is(uffd_flags_t flags, int mode);',
    ].join('\n'),
  },
  // include/uapi/asm-generic/errno-base.h: the errnos move_pages_pte refuses with (mm/userfaultfd.c has them from
  // linux/errno.h)
  { names: ['EFAULT', 'EBUSY'], text: '#define EFAULT\t\t14\n#define EBUSY\t\t16' },
  {
    names: ['ptelab_move_refuse'],
    text: [
      '/* move_pages_pte(): UFFDIO_MOVE refuses the page (-EBUSY, -EFAULT); the source entry stays */',
      'void ptelab_move_refuse(int err);',
    ].join('\n'),
  },
  {
    names: ['ptelab_split_ptes', 'ptelab_split_huge_pmd'],
    text: [
      '/* __split_huge_pmd_locked(): the PTEs that replace the PMD, each built by the PTE-level case */',
      'void ptelab_split_ptes(int form, bool write, bool exclusive, bool young, bool dirty,',
      '\t\t       bool soft_dirty, bool uffd_wp);',
      '/* __split_huge_pmd() on the faulting PMD (wp_huge_pmd() falls back to PTEs) */',
      'void ptelab_split_huge_pmd(struct vm_area_struct *vma, unsigned long addr);',
    ].join('\n'),
  },
  // swap entries
  {
    names: ['swp_entry', 'swp_type', 'swp_offset', 'pte_to_swp_entry', 'swp_entry_to_pte', 'swap_duplicate', 'swap_free', 'lookup_swap_cache'],
    text: [
      'swp_entry_t swp_entry(unsigned long type, pgoff_t offset);',
      'swp_entry_t pte_to_swp_entry(pte_t pte);',
      'pte_t swp_entry_to_pte(swp_entry_t entry);',
      'unsigned int swp_type(swp_entry_t entry);',
      'pgoff_t swp_offset(swp_entry_t entry);',
      'int swap_duplicate(swp_entry_t entry);',
      'void swap_free(swp_entry_t entry);',
      'struct page *lookup_swap_cache(swp_entry_t entry, struct vm_area_struct *vma, unsigned long addr);',
    ].join('\n'),
  },
  // errors and poison
  {
    names: ['ptelab_swap_read_error', 'ptelab_ttu_hwpoison'],
    text: [
      '/* the swap-cache folio of entry is !uptodate after its read (a swap read error) */',
      'bool ptelab_swap_read_error(swp_entry_t entry, struct vm_area_struct *vma, unsigned long addr);',
      '/* try_to_unmap_one(): PageHWPoison(subpage) && (flags & TTU_HWPOISON) */',
      'bool ptelab_ttu_hwpoison(struct folio *folio);',
    ].join('\n'),
  },
];

/** File-scope names the shim defines: the emitter renames spec names that would collide with them. */
export const SHIM_NAMES: ReadonlySet<string> = new Set(DECLS.flatMap((d) => d.names));

/**
 * The shim header text (no generated-by line: it does not depend on a spec), for the kernel API a sketch calls
 * (CSketch.kernel; the newest by default): a 5.19 sketch is checked against 5.19's signatures.
 */
export function shimHeader(api: KernelApi = kernelApi(NEWEST_KERNEL)): string {
  return [
    '/* SPDX-License-Identifier: MIT */',
    '/*',
    ' * ptelab shim: the kernel vocabulary a ptelab patch sketch compiles against. Declarations',
    ' * only, written for ptelab; not kernel source. Check the C of a sketch with',
    ' * gcc -fsyntax-only -Wall -Werror -include ptelab-shim.h',
    ' */',
    '#ifndef PTELAB_SHIM_H',
    '#define PTELAB_SHIM_H',
    '',
    DECLS.map((d) => (typeof d.text === 'string' ? d.text : d.text(api))).join('\n\n'),
    '',
    '#endif /* PTELAB_SHIM_H */',
    '',
  ].join('\n');
}
