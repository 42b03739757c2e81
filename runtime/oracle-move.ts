// The oracle's UFFDIO_MOVE (v6.8, issue #14): what the user of v6.17 must observe, from the uffd-unit-tests `move`
// test, the UFFDIO_MOVE man page and v6.17 fs/userfaultfd.c userfaultfd_move / mm/userfaultfd.c move_pages, without
// reading a PTE.
//
// - Refusals before any page: no uffd EBADF; len 0 EINVAL; the destination (then the source) outside every VMA ENOENT;
//   either range not inside one private anonymous VMA, different access flags, a read-only source, or a destination
//   not registered with the uffd: EINVAL. A private destination VMA gets its anon_vma first (find_vma_and_prepare_anon).
// - Page by page: a populated destination (a page, a swap entry, a marker of any kind) EEXIST; an empty source ENOENT,
//   or skipped with ALLOW_SRC_HOLES; a marker at the source (a WP_UNPOPULATED protection, a guard) EFAULT; else the
//   contents move and the source reads 0 again. An error after some pages moved is EAGAIN (a short move).
// - Exact (v6.17 mm/userfaultfd.c move_pages_pte, Kingxukai/linux 0291023e7330, sources S42): a page that is not
//   PageAnonExclusive, or a swap entry without the exclusive bit, is EBUSY. The oracle keeps that flag itself from what
//   the user did (OracleCell.forked): fork clears it in both mms, and only this mm's write fault sets it again (the
//   other mm's COW, exit or unmap do not). The zero page moves whoever maps it (move_zeropage_pte). Lost contents: a
//   hwpoison entry or a poisoned marker is a non_swap_entry, EFAULT; an unreadable swap entry moves like any swap
//   entry (its exclusive bit decides) and stays unreadable at the destination (OracleCell.lostKind).
// - What the user cannot tell apart, and the oracle therefore accepts either way, deciding on the outcome:
//   * exclusivity after a read of a shared page (it may have been a swap-in, which v6.17 do_swap_page maps exclusive
//     when nobody else holds the folio), after khugepaged's collapse, after a long-term pin (move_present_pte refuses
//     a maybe-pinned folio, which the bundled 6.17 specs model: OracleCell.forked 3 until the page leaves, an unpin
//     does not say whether it was the last pin), and a never-written page after fork (the zero page
//     moves, a zeroed page a WP_UNPOPULATED fault allocated does not);
//   * lost contents the oracle only knows as maybe lost, or lost without knowing which entry holds them;
//   * a write-protected page loses its protection if it was present (move_present_pte builds a new writable PTE from
//     the destination's vm_page_prot) and keeps it if it had been swapped out (move_swap_pte moves the swap entry,
//     uffd-wp bit and all). Reclaim is invisible, so the moved page is "maybe protected" until a write (a WP fault or
//     not) or pagemap decides.
// One uncertain page per move is modelled (more would make the outcome ambiguous about which pages moved).
import { uffdByName, uffdOfVma } from './uffd/contexts.js';
import type { Prediction, StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { Op } from './scenario/types.js';
import { findVma, vmaEnd } from './vma.js';
import { followsSwapWp } from './oracle-lost.js';
import { oracleWrite, type OracleCell, type OracleMm, type OracleState, type OracleVma } from './oracle.js';

type MoveOp = Extract<Op, { op: 'uffd_move' }>;

const OK: Prediction = Object.freeze({ type: 'ok' });
const err = (errno: string): Prediction => ({ type: 'error', errno });

/** One way the move may have gone: its outcome and the cells it leaves. */
interface Branch {
  readonly outcome: Prediction;
  readonly cells: Map<number, OracleCell>;
}

/** The branches predict() could not decide between, for observe() (keyed by the oracle state and the op). */
const pending = new WeakMap<OracleState, { readonly op: MoveOp; readonly mm: OracleMm; readonly branches: readonly Branch[] }>();

/** An empty anon cell (no page, no marker): pte_none. */
function isNone(c: OracleCell | undefined, v: OracleVma): boolean {
  return !c || (!c.populated && !c.guard && c.lost === 0 && !(c.prot && v.registered));
}

export function oracleMove(s: OracleState, mm: OracleMm, op: MoveOp): Prediction {
  pending.delete(s);
  if (!uffdByName(mm, op.uffd)) return err('EBADF');
  const { src, addr: dst, pages } = op;
  if (pages <= 0) return err('EINVAL');
  const dv = findVma(mm.vmas, dst);
  if (!dv) return err('ENOENT');
  if (!dv.shared) dv.anonVma = true;
  const sv = findVma(mm.vmas, src);
  if (!sv) return err('ENOENT');
  if (sv.file !== null || dv.file !== null) return err('EINVAL'); // only anonymous memory (shared or MAP_PRIVATE files)
  if (src + pages > vmaEnd(sv) || dst + pages > vmaEnd(dv)) return err('EINVAL');
  if (sv.readable !== dv.readable || sv.writable !== dv.writable || !sv.writable) return err('EINVAL');
  // validate_move_areas(): registered with the very context the ioctl came through (runtime/uffd/contexts.ts)
  if (!(dv.registered || dv.missing || dv.minor) || dv.ctx !== (op.uffd ?? '')) return err('EINVAL');
  const branches = run(mm, sv, dv, op, 0, new Map(mm.cells), 0, false);
  if (branches.length === 1) {
    mm.cells = branches[0]!.cells;
    return branches[0]!.outcome;
  }
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      if (sameOutcome(branches[i]!.outcome, branches[j]!.outcome) && !sameCells(branches[i]!.cells, branches[j]!.cells)) {
        throw new ScenarioError('a UFFDIO_MOVE whose outcome cannot tell which pages moved (two pages that may be refused): not modelled');
      }
    }
  }
  pending.set(s, { op, mm, branches });
  const options: Prediction[] = [];
  for (const b of branches) if (!options.some((o) => sameOutcome(o, b.outcome))) options.push(b.outcome);
  return options.length === 1 ? options[0]! : { type: 'either', options };
}

/** Pages from index i on, over `cells` (owned by this branch); `moved` pages so far; `forked`: an uncertain page was met. */
function run(mm: OracleMm, sv: OracleVma, dv: OracleVma, op: MoveOp, i: number, cells: Map<number, OracleCell>, moved: number, uncertain: boolean): Branch[] {
  const fail = (errno: string): Branch[] => [{ outcome: moved === 0 ? err(errno) : err('EAGAIN'), cells }];
  for (; i < op.pages; i++) {
    const s = op.src + i;
    const d = op.addr + i;
    if (!isNone(cells.get(d), dv)) return fail('EEXIST');
    const c = cells.get(s);
    if (isNone(c, sv)) {
      if (!op.allowSrcHoles) return fail('ENOENT');
      moved++;
      continue;
    }
    const cell = c!;
    if (cell.guard || !cell.populated) return fail('EFAULT'); // a guard marker, a WP_UNPOPULATED uffd-wp marker
    // lost contents: a hwpoison entry or a poisoned marker is a non_swap_entry (-EFAULT); an unreadable swap entry is
    // a swap entry like any (its exclusive bit decides); not known which: any of the three
    const lostUnknown = cell.lost === 2 || (cell.lost === 1 && cell.lostKind === 0);
    if (cell.lost === 1 && cell.lostKind === 1) return fail('EFAULT');
    // PageAnonExclusive / pte_swp_exclusive: a page shared since fork is -EBUSY, unless it is the zero page, which
    // move_zeropage_pte moves whoever maps it (a never-written page may be the zero page or a zeroed page: either)
    const shared = cell.forked === 1 && cell.value !== null;
    if (shared && !lostUnknown) return fail('EBUSY');
    if (lostUnknown || cell.forked !== 0) {
      if (uncertain) throw new ScenarioError('a UFFDIO_MOVE over two pages that may each be refused: not modelled');
      const refused: Branch[] = lostUnknown ? [...fail('EFAULT'), ...fail('EBUSY')] : fail('EBUSY');
      const next = new Map(cells);
      moveCell(next, s, d, cell);
      return [...refused, ...run(mm, sv, dv, op, i + 1, next, moved + 1, true)];
    }
    moveCell(cells, s, d, cell);
    moved++;
  }
  return [{ outcome: OK, cells }];
}

/**
 * The contents go to d (still exclusive: only an exclusive page or swap entry moves); s is empty again. The protection
 * is "maybe" (see the header); lost contents stay lost (an unreadable swap entry moves as it is).
 */
function moveCell(cells: Map<number, OracleCell>, s: number, d: number, c: OracleCell): void {
  cells.delete(s);
  cells.set(d, { ...c, snaps: null, prot: false, maybeProt: c.prot || c.maybeProt, mapped: false, zero: false, forked: 0 });
}

/** After the runner saw the outcome: the branch that gave it. */
export function observeMove(s: OracleState, op: Op, outcome: StepOutcome): boolean {
  if (op.op !== 'uffd_move') return false;
  const p = pending.get(s);
  pending.delete(s);
  if (!p || p.op !== op) return true;
  const b = p.branches.find((x) => sameOutcome(x.outcome, outcome));
  if (b) p.mm.cells = b.cells;
  return true;
}

/**
 * A write or pagemap over a page UFFDIO_MOVE left "maybe protected": the outcome says whether it kept its uffd-wp
 * state (it had been swapped out) or not. Returns true when it handled the observation.
 */
export function observeMaybeProt(s: OracleState, op: Op, outcome: StepOutcome): boolean {
  if (op.op === 'pagemap_scan') return observeScan(s, op, outcome);
  if (op.op !== 'write' && op.op !== 'pagemap') return false;
  const mm = s.mms.get(op.mm);
  const c = mm?.cells.get(op.addr);
  if (!mm || !c || !c.maybeProt) return false;
  if (followsSwapWp(c)) {
    // a guard or lost cell's swap uffd-wp bit: pagemap shows it on a guard marker (PM_UFFD_WP); a write's signal does not
    if (op.op !== 'pagemap' || !c.guard || outcome.type !== 'pagemap') return false;
    c.maybeProt = false;
    c.prot = outcome.uffd_wp;
    return true;
  }
  const v = findVma(mm.vmas, op.addr);
  if (!v || !v.registered) return false;
  c.maybeProt = false;
  if (op.op === 'pagemap') {
    c.prot = outcome.type === 'pagemap' && outcome.uffd_wp;
    return true;
  }
  c.prot = (outcome.type === 'userfault' && outcome.mode === 'wp') || outcome.type === 'sigbus';
  if (!c.prot && outcome.type === 'ok') oracleWrite(s, mm, op.addr, op.value); // the write the prediction left out
  return true;
}

/** A PAGEMAP_SCAN report (without `wp`, which protected them) decides the maybe-protected pages of its range. */
function observeScan(s: OracleState, op: Extract<Op, { op: 'pagemap_scan' }>, outcome: StepOutcome): boolean {
  const mm = s.mms.get(op.mm);
  if (!mm || op.wp || outcome.type !== 'scan') return false;
  for (let a = op.addr; a < op.addr + op.pages; a++) {
    const c = mm.cells.get(a);
    // a guard or lost cell's swap uffd-wp bit is reported in any VMA (oracle-scan.ts)
    if (!c || !c.maybeProt || !(followsSwapWp(c) || findVma(mm.vmas, a)?.registered)) continue;
    c.maybeProt = false;
    c.prot = !outcome.written.includes(a); // PAGE_IS_WRITTEN: not protected
  }
  return false; // nothing else about a scan is left to observe
}

/** What a write over a maybe-protected page may give (undefined: the cell is not one). */
export function maybeProtWrite(mm: OracleMm, v: OracleVma, addr: number): Prediction | undefined {
  const c = mm.cells.get(addr);
  if (!c || !c.maybeProt || !v.registered) return undefined;
  const wp: Prediction = uffdOfVma(mm, v.ctx)?.sigbus ? { type: 'sigbus' } : { type: 'userfault', mode: 'wp', addr };
  return { type: 'either', options: [wp, OK] };
}

function sameOutcome(a: Prediction | StepOutcome, b: Prediction | StepOutcome): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'error' && b.type === 'error') return a.errno === b.errno;
  return true;
}

function sameCells(a: Map<number, OracleCell>, b: Map<number, OracleCell>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, c] of a) if (JSON.stringify(c) !== JSON.stringify(b.get(k))) return false;
  return true;
}
