// The uffd-wp state of an entry, as the spec itself reports it, and the two invariants about it (docs/runtime.md,
// "uffd-wp invariants"). The runtime never reads a bit: an entry carries uffd-wp state exactly when the spec's own
// pagemap_pte reports PM_UFFD_WP for it (fs/proc/task_mmu.c pte_to_pagemap_entry: pte_uffd_wp, pte_swp_uffd_wp,
// pte_marker_uffd_wp), so a spec whose pagemap has no PM_UFFD_WP (5.10: before 5.14) shows no uffd-wp state here and
// its leftovers are found by the oracle instead.
//
// - A writable entry (the MMU lets a store through) with uffd-wp state: the kernel's page_table_check warns about it
//   (page_table_check_pte_flags(), "mm/page_table_check: support userfault wr-protect entries", v6.10), and it was
//   the report behind "mm: clear uffd-wp PTE/PMD state on mremap()" (0cef0bb836e3, v6.13).
// - uffd-wp state (bit or marker) in a VMA without VM_UFFD_WP: what unregister, close and mremap left behind before
//   f369b07c8614 (v6.0), c88033efe9a3 (v6.9) and 0cef0bb836e3 (v6.13); such state revives as a WP fault when the
//   range is registered again (docs/runtime.md, "Unregister, close and mremap"); only state that does come back as a
//   WP fault is reported (a probe write on a copy of the world: the swap uffd-wp bit a PAGEMAP_SCAN leaves on a
//   poisoned or guard marker never does).
//
// Blame: when a decision (uffd_unregister_resets_wp, uffd_release_resets_wp, uffd_mremap_resets_wp) said "leave the
// entries as they are", every entry left with uffd-wp state is noted as last written by that decision, so both the
// invariant and a later oracle failure name the decision rather than the protect step that installed the entry.
import type { CaseSite, PagemapFlag } from '../contract/spec-module.js';
import type { Decision } from '../contract/table.js';
import { KIND_NONE } from './entries.js';
import { Machine, makeContext } from './machine.js';
import { access } from './ops.js';
import { cloneWorld } from './world.js';
import { entryKey, type Violation } from './trace.js';
import { findVma, vmaEnd } from './vma.js';
import type { Mm, Vma } from './world.js';

/** Does the spec's pagemap_pte report PM_UFFD_WP for the entry at addr? A probe: no trail, coverage or blame notes. */
export function uffdWpState(m: Machine, mm: Mm, vma: Vma, addr: number): boolean {
  if (!m.module.paths['pagemap_pte']) return false;
  const flags = new Set<PagemapFlag>();
  return m.quietly(() => m.runPath('pagemap_pte', { mm, vma, addr, pagemap: flags }, makeContext(mm, vma))) && flags.has('PM_UFFD_WP');
}

/** A decision as a blame site (formatSite prints "decision NAME at FILE:LINE"). */
export function decisionSite(m: Machine, d: Decision): CaseSite | undefined {
  const s = m.module.decisionSites?.[d];
  return s ? { path: d, index: -1, kind: 'decision', file: s.file, line: s.line } : undefined;
}

/** The decision `d` left vma's entries as they were: note it as the writer of every entry still carrying uffd-wp state. */
export function noteDecisionLeftovers(m: Machine, mm: Mm, vma: Vma, d: Decision): void {
  const t = m.trace;
  if (!t.detailed) return;
  const site = decisionSite(m, d);
  if (!site) return;
  for (let a = vma.start; a < vmaEnd(vma); a++) {
    const w = mm.pt.get(a);
    if (w === undefined || m.entries.info(w).kind === KIND_NONE) continue;
    if (uffdWpState(m, mm, vma, a)) t.entryWriters.set(entryKey(mm.name, a), { site, step: t.step });
  }
}

/**
 * Would the leftover come back as a WP fault once the VMA is registered for WP again? A write on a copy of the world,
 * with the VMA registered and a synchronous context. State that no fault ever consults is not a revival: a PAGEMAP_SCAN
 * with PM_SCAN_WP_MATCHING sets the swap uffd-wp bit of a poisoned or guard marker (make_uffd_wp_pte), which
 * unregister and close leave (v6.17 change_pte_range skips those markers), but handle_pte_marker() answers POISONED
 * and GUARD before it looks at uffd-wp.
 */
function revivesAsWpFault(m: Machine, mmName: string, addr: number): boolean {
  const probe = new Machine(m.module, cloneWorld(m.world));
  probe.trace.detailed = false;
  const mm = probe.world.mms.get(mmName)!;
  const v = findVma(mm.vmas, addr)!;
  v.uffd_wp = true;
  mm.uffd = { event_fork: false, wp_unpopulated: mm.uffd?.wp_unpopulated ?? false };
  try {
    const o = access(probe, mm, addr, true, 0);
    return o.type === 'userfault' && o.mode === 'wp';
  } catch {
    return true; // a broken entry: report the leftover as before (the other invariants say more)
  }
}

/** The two uffd-wp invariants over every mm (appended to checkInvariants' findings). */
export function uffdWpViolations(m: Machine, out: Violation[]): void {
  const { module, trace } = m;
  for (const mm of m.world.mms.values()) {
    for (const addr of mm.pt.keys()) {
      const w = mm.pt.get(addr)!;
      const e = m.entries.info(w);
      if (e.kind === undefined || e.kind === KIND_NONE) continue;
      const v = findVma(mm.vmas, addr);
      if (!v) continue;
      const writable = e.refs === 'page' && module.mmu_write(w);
      if (v.uffd_wp && !writable) continue; // nothing to check: only these two states are wrong
      if (!uffdWpState(m, mm, v, addr)) continue;
      // a decision that left the entry is to blame for a leftover, even when a path of this step then visited it
      const noted = trace.entrySite(mm.name, addr);
      const site = !v.uffd_wp && noted && noted.index < 0 ? noted : trace.blame(mm.name, addr);
      const what = `${e.kind} 0x${w.toString(16)} at ${mm.name}:${addr}`;
      if (writable) {
        out.push({
          message: `writable entry ${what} still carries uffd-wp: page_table_check_pte_flags() warns (a uffd-wp entry must be write-protected)`,
          site,
        });
      }
      if (!v.uffd_wp && revivesAsWpFault(m, mm.name, addr)) {
        out.push({
          message: `uffd-wp state left in a VMA not registered for WP: ${what} (it would come back as a WP fault after a new UFFDIO_REGISTER)`,
          site,
        });
      }
    }
  }
}
