// The contract of PAGEMAP_SCAN and of long-term pins (issue #14 items 3 and 5), written without looking at any
// encoding, as v6.17 behaves (docs/runtime.md, "WP_ASYNC, PAGEMAP_SCAN and pins"):
// - a page is reported PAGE_IS_WRITTEN unless it is write-protected (uffd-wp) in its registered VMA; a page UFFDIO_MOVE
//   left "maybe protected" (oracle-move.ts) may be reported or not;
// - `wp` (PM_SCAN_WP_MATCHING) write-protects every page it reports, in VMAs that allow it: VM_UFFD_WP with
//   UFFD_FEATURE_WP_ASYNC, file-backed or with UFFD_FEATURE_WP_UNPOPULATED (userfaultfd_wp_use_markers()); other
//   VMAs are skipped, or with `check` (PM_SCAN_CHECK_WPASYNC) end the scan with EPERM;
// - a guard marker or an entry that certainly holds lost contents is reported by its swap uffd-wp bit, which the oracle
//   follows (oracle-lost.ts followsSwapWp); an address whose contents are only maybe lost may be reported or not;
// - with WP_ASYNC a write to a protected page completes and unprotects it (oracle.ts write());
// - a pin faults the page in like a read; pins change nothing the user sees through reads, writes and pagemap (fork
//   gives the child its own copy either way).
import type { Prediction } from './outcome.js';
import type { OracleCell, OracleMm, OracleState } from './oracle.js';
import { oracleCell, oracleRead } from './oracle.js';
import { followsSwapWp } from './oracle-lost.js';
import { findVma, vmaEnd, vmasIn } from './vma.js';
import { uffdOfVma } from './uffd/contexts.js';

const OK: Prediction = Object.freeze({ type: 'ok' });
const err = (errno: string): Prediction => ({ type: 'error', errno });

export function predictScan(mm: OracleMm, start: number, pages: number, wp: boolean, check: boolean): Prediction {
  const end = start + pages;
  const written: number[] = [];
  const maybe: number[] = [];
  for (const v of vmasIn(mm.vmas, start, end)) {
    const u = uffdOfVma(mm, v.ctx); // the VMA's own context (several per mm)
    const allowed = v.registered && u !== null && u.wp_async === true && (v.file !== null || u.wp_unpopulated);
    if (!allowed) {
      if (check) return err('EPERM');
      if (wp) continue;
    }
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const c: OracleCell | undefined = mm.cells.get(a);
      if (c && followsSwapWp(c)) {
        // a guard marker, a poisoned marker, a hwpoison or unreadable swap entry: reported unless its swap uffd-wp bit
        // is set (v6.17 pte_swp_uffd_wp_any); with `wp`, make_uffd_wp_pte sets that bit (pte_swp_mkuffd_wp). A bit
        // the oracle does not know (maybeProt) is learnt from the report (observeMaybeProt)
        if (c.maybeProt) maybe.push(a);
        else if (!c.prot) written.push(a);
        if (wp) {
          c.prot = true;
          c.maybeProt = false;
        }
        continue;
      }
      if (c && c.lost !== 0) {
        maybe.push(a); // maybe lost: an intact page or a lost one, the entry is not known
        if (wp) c.prot = true;
        continue;
      }
      if (v.registered && c && c.maybeProt) {
        // moved by UFFDIO_MOVE while protected: reported unless it had been swapped out (oracle-move.ts); with `wp` it
        // ends protected either way, else observeMaybeProt() learns which from the report
        maybe.push(a);
        if (wp) {
          c.prot = true;
          c.maybeProt = false;
        }
        continue;
      }
      if (v.registered && c && c.prot) continue;
      written.push(a);
      if (wp) oracleCell(mm, a).prot = true;
    }
  }
  return { type: 'scan', written, maybe };
}

/** A read-only long-term pin: the page is faulted in as a read; GUP refuses a VMA it cannot read (EFAULT). */
export function predictPin(s: OracleState, mm: OracleMm, addr: number): Prediction {
  const v = findVma(mm.vmas, addr);
  if (!v || !v.readable) return err('EFAULT');
  return asPin(oracleRead(s, mm, addr));
}

function asPin(p: Prediction): Prediction {
  if (p.type === 'value') return OK;
  if (p.type === 'either') return { type: 'either', options: p.options.map(asPin) };
  return p;
}
