// The oracle's long-term pins (issue #14; runtime/uffd/pin.ts): `pin` is a read access as GUP's faultin_page makes it
// (a missing userfault, SIGSEGV on a guard... end it), after which the page is pinned. Private anonymous memory only
// (EINVAL elsewhere: ptelab's limit), one pin per page (EBUSY), and the cases GUP would first unshare (the zero page,
// a page shared since fork) are EFAULT in ptelab; where the user cannot tell whether the page is the zero page or a
// zero-filled page of its own, or whether fork left it shared, the oracle accepts either and learns from the outcome.
// What a pin changes for the user: fork copies the page at once (early COW, page_needs_cow_for_dma: parent and child
// each have their own page, so neither is "forked" for UFFDIO_MOVE), and UFFDIO_MOVE refuses it (EBUSY).
import type { Prediction, StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { Op } from './scenario/types.js';
import { findVma } from './vma.js';
import { oracleCell, oracleRead, type OracleMm, type OracleState } from './oracle.js';

const OK: Prediction = Object.freeze({ type: 'ok' });
const err = (errno: string): Prediction => ({ type: 'error', errno });

export function oraclePin(s: OracleState, mm: OracleMm, start: number, pages: number): Prediction {
  if (pages <= 0) return err('EINVAL');
  for (let a = start; a < start + pages; a++) {
    const v = findVma(mm.vmas, a);
    if (!v) return err('EFAULT');
    if (v.file !== null) return err('EINVAL');
    const r = oracleRead(s, mm, a);
    if (r.type !== 'value') return r;
    const c = oracleCell(mm, a);
    if (c.pinned) return err('EBUSY');
    if (c.value === null || c.forked) {
      if (pages > 1) throw new ScenarioError('a pin over several pages, one of which may need unsharing: not modelled');
      return { type: 'either', options: [err('EFAULT'), OK] }; // observe() pins it on `ok`
    }
    c.pinned = true;
  }
  return OK;
}

export function oracleUnpin(mm: OracleMm, start: number, pages: number): Prediction {
  if (pages <= 0) return err('EINVAL');
  for (let a = start; a < start + pages; a++) {
    const c = findVma(mm.vmas, a) ? mm.cells.get(a) : undefined;
    if (!c || !c.pinned) return err('EINVAL');
    c.pinned = false;
  }
  return OK;
}

export function observePin(s: OracleState, op: Op, outcome: StepOutcome): boolean {
  if (op.op !== 'pin') return false;
  const c = s.mms.get(op.mm)?.cells.get(op.addr);
  if (c && op.pages === 1 && outcome.type === 'ok') c.pinned = true;
  return true;
}
