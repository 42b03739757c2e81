// A scenario as data: what the scenario parser produces, what the runner executes and what the explorer generates.
// Addresses are page indices in an mm's address space; file offsets are page indices in a file.

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type VmaSpec =
  | { readonly type: 'anon'; readonly start: number; readonly pages: number; readonly hugepage?: boolean } // hugepage: MADV_HUGEPAGE
  | { readonly type: 'file'; readonly file: string; readonly shared: boolean; readonly start: number; readonly pages: number; readonly pgoff: number };

export type { UffdFeature } from '../../contract/table.js';
import type { UffdFeature, UffdMode, UffdRangeIoctl } from '../../contract/table.js';
export type { UffdMode, UffdRangeIoctl } from '../../contract/table.js';

/** Expected outcome of a step, as the scenario author wrote it (`-> 1`, `-> userfault wp`, `-> wp`). */
export type Expect =
  | { readonly type: 'value'; readonly value: number }
  | { readonly type: 'ok' }
  | { readonly type: 'userfault'; readonly mode: UffdMode; readonly addr?: number } // `-> userfault minor at 3`
  | { readonly type: 'ioctls'; readonly ioctls: readonly UffdRangeIoctl[] } // UFFDIO_REGISTER's reply
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'error'; readonly errno: string } // e.g. EINVAL from UFFDIO_REGISTER
  | { readonly type: 'pagemap'; readonly uffd_wp: boolean }
  // errors and poison, guard regions (docs/scenarios.md)
  | { readonly type: 'hwpoison' } // the access ends with the hwpoison signal (VM_FAULT_HWPOISON: SIGBUS, BUS_MCEERR_AR)
  | { readonly type: 'hang' } // the call never returns (restart_syscall() every time: -ERESTARTNOINTR is restarted in the kernel)
  | { readonly type: 'guard'; readonly guard: boolean } // pagemap: PM_GUARD_REGION set / clear
  | { readonly type: 'written'; readonly pages: readonly number[] }; // PAGEMAP_SCAN: the pages reported PAGE_IS_WRITTEN

// `uffd`: the userfaultfd the step goes through (`via NAME`, `uffd NAME`; absent: the mm's first one, runtime/uffd/contexts.ts)
export type Op =
  // setup and user operations
  | { readonly op: 'file'; readonly name: string; readonly pages: number; readonly hugetlb?: boolean; readonly huge?: boolean } // hugetlb: a hugetlbfs file, pages = huge pages; huge: shmem huge=always (PMD-size folios)
  | { readonly op: 'mm'; readonly name: string }
  | { readonly op: 'mmap'; readonly mm: string; readonly vma: VmaSpec }
  | { readonly op: 'munmap'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'read'; readonly mm: string; readonly addr: number }
  | { readonly op: 'write'; readonly mm: string; readonly addr: number; readonly value: number }
  | { readonly op: 'fork'; readonly mm: string; readonly child: string }
  | { readonly op: 'exit'; readonly mm: string }
  | { readonly op: 'uffd_open'; readonly mm: string; readonly uffd?: string; readonly features: readonly UffdFeature[] }
  | { readonly op: 'register'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number; readonly modes?: readonly UffdMode[] } // no modes: MODE_WP
  | { readonly op: 'unregister'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'protect'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'resolve'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'uffd_close'; readonly mm: string; readonly uffd?: string }
  // none: PROT_NONE (writable is then false)
  | { readonly op: 'mprotect'; readonly mm: string; readonly addr: number; readonly pages: number; readonly writable: boolean; readonly none?: boolean }
  | { readonly op: 'madv_dontneed'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'madv_pageout'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'punch_hole'; readonly file: string; readonly index: number; readonly pages: number }
  // dontunmap: MREMAP_DONTUNMAP; shrink: the new size in pages (in place: `to` is then `addr`)
  | { readonly op: 'mremap'; readonly mm: string; readonly addr: number; readonly pages: number; readonly to: number; readonly dontunmap?: boolean; readonly shrink?: number }
  | { readonly op: 'pagemap'; readonly mm: string; readonly addr: number }
  // userfaultfd ioctls that resolve faults (issue #14); wp = *_MODE_WP, dontwake = *_MODE_DONTWAKE
  | { readonly op: 'uffd_copy'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number; readonly value: number; readonly wp: boolean; readonly dontwake: boolean }
  | { readonly op: 'uffd_zeropage'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number; readonly wp: boolean; readonly dontwake: boolean }
  | { readonly op: 'uffd_continue'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number; readonly wp: boolean; readonly dontwake: boolean }
  | { readonly op: 'uffd_wake'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number }
  // UFFDIO_MOVE (v6.8) of [src, src + pages) to [addr, addr + pages); allowSrcHoles = UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES
  | { readonly op: 'uffd_move'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number; readonly src: number; readonly allowSrcHoles: boolean; readonly dontwake: boolean }
  // kernel events: invisible to the user
  | { readonly op: 'reclaim'; readonly mm: string; readonly addr: number } // swap out the page mapped there (anon) / evict it (shmem)
  | { readonly op: 'evict'; readonly file: string; readonly index: number } // shmem page to swap
  | { readonly op: 'migrate'; readonly mm: string; readonly addr: number }
  | { readonly op: 'numa_scan'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'swapoff' }
  // errors and poison, guard regions (runtime/ops-lost.ts, runtime/ops-guard.ts)
  | { readonly op: 'uffd_poison'; readonly mm: string; readonly uffd?: string; readonly addr: number; readonly pages: number } // UFFDIO_POISON
  | { readonly op: 'madv_hwpoison'; readonly mm: string; readonly addr: number; readonly pages: number } // MADV_HWPOISON: memory_failure()
  | { readonly op: 'madv_guard_install'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'madv_guard_remove'; readonly mm: string; readonly addr: number; readonly pages: number }
  | { readonly op: 'swap_error'; readonly mm: string; readonly addr: number } // kernel: A's anon page goes to swap, and the slot cannot be read back
  // PAGEMAP_SCAN (v6.7) asking PAGE_IS_WRITTEN; wp = PM_SCAN_WP_MATCHING, check = PM_SCAN_CHECK_WPASYNC (runtime/uffd/scan.ts)
  | { readonly op: 'pagemap_scan'; readonly mm: string; readonly addr: number; readonly pages: number; readonly wp: boolean; readonly check: boolean }
  // a read-only long-term GUP pin of one page (pin_user_pages(FOLL_LONGTERM)) and its release (runtime/ops-pin.ts)
  | { readonly op: 'pin'; readonly mm: string; readonly addr: number }
  | { readonly op: 'unpin'; readonly mm: string; readonly addr: number }
  // kernel event (THP, issue #15): khugepaged collapses the aligned block around the address into a THP (runtime/thp/)
  | { readonly op: 'collapse'; readonly mm: string; readonly addr: number };

export interface Step {
  readonly op: Op;
  readonly expect?: Expect;
  readonly loc?: SourceLoc;
}

export interface Scenario {
  readonly name: string;
  /** Where it comes from: a selftest, a mail, a fix. */
  readonly source?: string;
  readonly file?: string;
  readonly steps: readonly Step[];
}
