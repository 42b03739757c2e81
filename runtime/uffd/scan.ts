// PAGEMAP_SCAN (issue #14 item 3): the ioctl on /proc/pid/pagemap that reports which pages were written since they
// were last write-protected, and optionally write-protects them again, for UFFD_FEATURE_WP_ASYNC users (v6.7,
// "fs/proc/task_mmu: implement IOCTL to get and optionally clear info about PTEs", 52526ca7fdb9; v6.17
// fs/proc/task_mmu.c do_pagemap_scan, read in Kingxukai/linux 9b44fff655e2, docs/sources.md S40).
//
// ptelab asks what pagemap_ioctl.c asks: category_mask = return_mask = PAGE_IS_WRITTEN, with PM_SCAN_WP_MATCHING
// (`wp`: write-protect what is reported) and PM_SCAN_CHECK_WPASYNC (`check`). The runtime walks the range VMA by VMA
// as walk_page_range() does and applies pagemap_scan_test_walk(): a VMA is "wp allowed" when userfaultfd_wp_async()
// and userfaultfd_wp_use_markers() (VM_UFFD_WP, WP_ASYNC on the context, and file-backed or WP_UNPOPULATED); one that
// is not ends the scan with EPERM under `check` (VMAs before it are done), is skipped under `wp`, and is walked
// otherwise. The spec's pagemap_scan_pte decides per entry (PAGE_IS_WRITTEN, make_uffd_wp_pte).
//
// Modelling choice: ptelab has no page-table pages, so every address of a VMA is an entry of a PTE table and
// pagemap_scan_pte_hole() (the walk's callback for a range with no PTE table: reported and protected only when the
// VMA category alone is interesting, which PAGE_IS_WRITTEN never is) does not run. A kernel scan of a never-touched
// range skips it; ptelab's reports its none entries as written (the PAGE_IS_WRITTEN path reports any entry that is not
// uffd-wp) and `wp` gives them markers. After a UFFDIO_WRITEPROTECT of the range (wp_init() in pagemap_ioctl.c, which
// populates the PTE tables with markers) the two agree.
import type { PagemapFlag } from '../../contract/spec-module.js';
import { makeContext, type Machine } from '../machine.js';
import type { StepOutcome } from '../outcome.js';
import { vmaEnd, vmasIn } from '../vma.js';
import { uffdOfVma } from './contexts.js';
import type { Mm, Vma } from '../world.js';

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

/** pagemap_scan_test_walk()'s wp_allowed: userfaultfd_wp_async(vma) && userfaultfd_wp_use_markers(vma). */
export function wpAllowed(mm: Mm, v: Vma): boolean {
  const u = uffdOfVma(mm, v.uffd_ctx); // the VMA's own context (several per mm)
  return v.uffd_wp && u !== null && u.wp_async === true && (!v.anon || u.wp_unpopulated);
}

export function pagemapScan(m: Machine, mm: Mm, start: number, pages: number, wp: boolean, check: boolean): StepOutcome {
  const end = start + pages;
  const vs = vmasIn(mm.vmas, start, end);
  // Whether the ioctl exists is the spec's decision, asked of a VMA (the first of the range, else any): before v6.7 the
  // pagemap file has no ioctl (vfs_ioctl: -ENOTTY). With no VMA at all the spec cannot be asked: the walk finds nothing
  const ask = vs[0] ?? mm.vmas[0];
  if (ask && !m.module.decisions.pagemap_scan_supported(makeContext(mm, ask))) return err('ENOTTY');
  const written: number[] = [];
  for (const v of vs) {
    if (!wpAllowed(mm, v)) {
      if (check) return err('EPERM'); // "User requested explicit failure over wp-async capability"
      if (wp) continue; // silently skipped
    }
    const ctx = makeContext(mm, v, { scan: { wp } });
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const flags = new Set<PagemapFlag>();
      m.runPath('pagemap_scan_pte', { mm, vma: v, addr: a, pagemap: flags }, ctx);
      if (flags.has('PAGE_IS_WRITTEN')) written.push(a);
    }
  }
  return { type: 'scan', written };
}
