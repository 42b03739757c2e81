// The oracle: an encoding-free model of what the user must observe, following the userfaultfd write-protect
// contract of the current kernel (v6.17; docs/sources.md S11-S29, uffd-unit-tests wp-fork*, wp-unpopulated). It
// never reads a PTE and shares no state with the simulation, so a spec cannot make itself pass.
//
// Per mm and address it keeps: the private contents (anon memory, or the COW copy of a MAP_PRIVATE file page),
// whether an anon address is populated (protect on a none anon entry protects nothing without WP_UNPOPULATED),
// and whether the address is write-protected. Per VMA: VM_WRITE, VM_UFFD_WP and whether it has an anon_vma (fork
// copies page tables only for those, or when the child keeps VM_UFFD_WP: vma_needs_copy()).
//
// One behaviour is not deterministic from the user's side: a write that raises a WP userfault on a MAP_PRIVATE
// file page that has no COW copy yet may or may not have made one first (do_cow_fault() over a uffd-wp marker copies
// and maps the copy write-protected before the retry faults to userspace; over a present page-cache entry,
// do_wp_page() reports at once). The copy holds the file's data at that moment, so later reads may return it even
// after the file changed. The oracle keeps those possible snapshots and accepts either value until a read decides.
import type { Prediction, StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { Op, UffdFeature, UffdMode, UffdRangeIoctl } from './scenario/types.js';
import type { UffdCtx } from './uffd/flags.js';
import { findVma, hasHole, insertVma, isolateRange, removeRange, splitAt, vmaEnd, vmasIn, type VmaRange } from './vma.js';
import { changeSwapWp, followsSwapWp, forkSwapWp, guardInstall, guardRemove, madvHwpoison, observeLost, swapError, uffdPoison } from './oracle-lost.js';
import { copyOracleCell, copyOracleVma } from './records.js';
import { closeUffd, namedUffdsKey, NO_NAMED_UFFDS, openUffd, uffdByName, uffdOfVma } from './uffd/contexts.js';
import { maybeProtWrite, observeMaybeProt, observeMove, oracleMove } from './oracle-move.js';
import { predictPin, predictScan } from './oracle-scan.js';

export interface OracleVma extends VmaRange {
  readonly anon: boolean;
  readonly file: string | null;
  readonly shared: boolean;
  writable: boolean;
  readable: boolean; // VM_READ: false after mprotect PROT_NONE
  registered: boolean; // VM_UFFD_WP
  anonVma: boolean;
  missing: boolean; // VM_UFFD_MISSING
  minor: boolean; // VM_UFFD_MINOR
  ctx: string; // the context that registered it ('' the mm's first; runtime/uffd/contexts.ts)
  /** VM_HUGEPAGE (absent = off): the first touch of an empty aligned block populates the whole block (a THP). */
  readonly hugepage?: boolean;
}

/** Pages per THP, as the runtime's THP_NR (runtime/thp/model.ts; the oracle shares no code with the simulation). */
const THP_BLOCK = 2;

export interface OracleCell {
  /** anon: own contents (null = never written: reads 0); MAP_PRIVATE file: the COW copy (null = none yet). */
  value: number | null;
  /** MAP_PRIVATE file only: values a COW copy made by a write-protect fault may hold (see the header). */
  snaps: number[] | null;
  /** anon only: a page or swap entry exists (read or written since mmap / DONTNEED). */
  populated: boolean;
  /** Write-protected through UFFDIO_WRITEPROTECT (meaningful while the VMA is registered). */
  prot: boolean;
  /** A guard region (MADV_GUARD_INSTALL): every access is SIGSEGV until MADV_GUARD_REMOVE or munmap. */
  guard: boolean;
  /**
   * The contents are lost (oracle-lost.ts): 1 = every access gets SIGBUS or the hwpoison signal until the address is
   * zapped or re-populated; 2 = maybe (the page this mm shared with the one that was lost may since have been
   * replaced; the next access tells); 0 = intact.
   */
  lost: 0 | 1 | 2;
  /**
   * File VMAs only: this mm's entry maps the page (or its COW copy), so an access does not reach shmem_fault(). Only a
   * MINOR-mode registration lets the user see it (a fault on a cached page that is not mapped is a minor userfault).
   */
  mapped: boolean;
  /** MAP_PRIVATE file only: this mm maps the zero page there (UFFDIO_ZEROPAGE): reads 0 until a write copies it. */
  zero: boolean;
  /**
   * anon: whether the page is PageAnonExclusive (or its swap entry has the exclusive bit), which decides UFFDIO_MOVE's
   * EBUSY (oracle-move.ts): 0 = exclusive (a fault, a fill or a COW made it this mm's own); 1 = not: shared since fork
   * (copy_present_ptes / copy_nonpresent_pte clear the flag in both mms) and not written by this mm since (a write
   * fault reuses or copies it: exclusive again), even if the other mm has since let go of it; 2 = either (a read may
   * have swapped a non-exclusive entry in, which v6.17 do_swap_page may map exclusive when nobody else holds the
   * folio; khugepaged's collapse); 3 = exclusive, but a long-term pin may hold it (move_present_pte refuses a
   * folio_maybe_dma_pinned() folio: either answer), until the page leaves the address (a write reuses it).
   */
  forked: 0 | 1 | 2 | 3;
  /** Moved by UFFDIO_MOVE while protected: still protected if it had been swapped out, not if present (oracle-move.ts). */
  maybeProt: boolean;
  /**
   * What holds contents that are certainly lost (lost 1), for UFFDIO_MOVE: 1 = an entry that is no swap entry (a
   * hwpoison entry of MADV_HWPOISON, a poisoned marker of UFFDIO_POISON or of swapoff): -EFAULT; 2 = a swap entry whose
   * slot cannot be read (swap_error): moved like any swap entry, still lost; 0 = not known (or not lost).
   */
  lostKind: 0 | 1 | 2;
}

/** Per file index: a hole, a page-cache page, or a page that eviction moved to swap (FILE_HOLE/FILE_CACHED/FILE_SWAPPED). */
export const FILE_HOLE = 0;
export const FILE_CACHED = 1;
export const FILE_SWAPPED = 2;

export interface OracleFile {
  readonly size: number;
  /** A hugetlbfs file (issue #15): the fills follow mfill_atomic_hugetlb (no ZEROPAGE, markers overwritten). */
  readonly hugetlb?: boolean;
  data: number[];
  /** FILE_HOLE, FILE_CACHED or FILE_SWAPPED per index: MISSING mode faults on a hole, MINOR on the others. */
  cache: number[];
}

export interface OracleMm {
  vmas: OracleVma[];
  cells: Map<number, OracleCell>;
  uffd: UffdCtx | null;
  namedUffds: ReadonlyMap<string, UffdCtx>; // the other contexts, by name (replaced, never changed in place)
}

export interface OracleState {
  files: Map<string, OracleFile>;
  mms: Map<string, OracleMm>;
}

export function createOracle(): OracleState {
  return { files: new Map(), mms: new Map() };
}

export function cloneOracle(s: OracleState): OracleState {
  // Explicit literals in allocation order (the explorer clones the oracle for every transition it tries).
  const files = new Map<string, OracleFile>();
  for (const k of s.files.keys()) {
    const f = s.files.get(k)!;
    files.set(k, { size: f.size, hugetlb: f.hugetlb, data: f.data.slice(), cache: f.cache.slice() });
  }
  const mms = new Map<string, OracleMm>();
  for (const k of s.mms.keys()) {
    const mm = s.mms.get(k)!;
    const cells = new Map<number, OracleCell>();
    for (const a of mm.cells.keys()) {
      const c = mm.cells.get(a)!;
      cells.set(a, { value: c.value, snaps: c.snaps && c.snaps.slice(), populated: c.populated, prot: c.prot, guard: c.guard, lost: c.lost, mapped: c.mapped, zero: c.zero, forked: c.forked, maybeProt: c.maybeProt, lostKind: c.lostKind });
    }
    const vs = mm.vmas;
    const vmas: OracleVma[] = new Array(vs.length);
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      vmas[i] = {
        start: v.start,
        pages: v.pages,
        pgoff: v.pgoff,
        anon: v.anon,
        file: v.file,
        shared: v.shared,
        writable: v.writable,
        readable: v.readable,
        registered: v.registered,
        anonVma: v.anonVma,
        missing: v.missing,
        minor: v.minor,
        ctx: v.ctx,
        ...(v.hugepage ? { hugepage: true } : {}),
      };
    }
    mms.set(k, { vmas, cells, uffd: mm.uffd, namedUffds: mm.namedUffds });
  }
  return { files, mms };
}

export function oracleKey(s: OracleState): string {
  const out: string[] = [];
  for (const name of [...s.files.keys()].sort()) out.push(`f${name}:${s.files.get(name)!.data.join(',')}:${s.files.get(name)!.cache.join('')}`);
  for (const name of [...s.mms.keys()].sort()) {
    const mm = s.mms.get(name)!;
    const ctxKey = (u: UffdCtx): string => `${u.event_fork ? 'f' : ''}${u.wp_unpopulated ? 'p' : ''}${u.event_remap ? 'r' : ''}${u.sigbus ? 'b' : ''}${u.wp_async ? 'a' : ''}`;
    let line = `m${name}${mm.uffd ? `|u${ctxKey(mm.uffd)}` : ''}${namedUffdsKey(mm, ctxKey)}`;
    for (const v of mm.vmas) {
      line += `|v${v.start}+${v.pages}${v.anon ? 'a' : `${v.file}@${v.pgoff}${v.shared ? 's' : 'p'}`}` +
        `${v.writable ? 'w' : ''}${v.readable ? '' : 'N'}${v.registered ? 'u' : ''}${v.anonVma ? 'A' : ''}${v.missing ? 'M' : ''}${v.minor ? 'n' : ''}${v.ctx ? `@${v.ctx}` : ''}${v.hugepage ? 'H' : ''}`;
    }
    for (const a of [...mm.cells.keys()].sort((x, y) => x - y)) {
      const c = mm.cells.get(a)!;
      if (c.value === null && !c.snaps && !c.populated && !c.prot && !c.guard && c.lost === 0 && !c.mapped && !c.zero && !c.forked && !c.maybeProt && c.lostKind === 0) continue;
      line += `|${a}:${c.value ?? '-'}${c.snaps ? `~${c.snaps.join('~')}` : ''}${c.populated ? 'P' : ''}${c.prot ? 'W' : ''}` +
        `${c.guard ? 'G' : ''}${c.lost ? `L${c.lost}` : ''}${c.mapped ? 'm' : ''}${c.zero ? 'z' : ''}${c.forked ? `k${c.forked}` : ''}${c.maybeProt ? 'w' : ''}${c.lostKind ? `K${c.lostKind}` : ''}`;
    }
    out.push(line);
  }
  return out.join('\n');
}

const OK: Prediction = Object.freeze({ type: 'ok' });
const SIGSEGV: Prediction = Object.freeze({ type: 'sigsegv' });
const SIGBUS: Prediction = Object.freeze({ type: 'sigbus' });
const err = (errno: string): Prediction => ({ type: 'error', errno });
/** An access to lost contents: SIGBUS (a swap read error before v6.6) or the hwpoison signal (hwpoison entries, poisoned markers). */
export const LOST: Prediction = Object.freeze({ type: 'either', options: [SIGBUS, Object.freeze({ type: 'hwpoison' })] as const });

/** Apply `op` to the oracle's state and say what the user must observe. */
/**
 * What the contract asks of the step. `thp`: whether the kernel has THPs the model drives (a spec with a drivable PMD
 * level: runtime/thp/model.ts thpLevel); without them MADV_HUGEPAGE changes nothing the user sees, as with THP
 * "never" (the runtime gives 5.10 and 5.19 no THP: docs/runtime.md "THP").
 */
export function predict(s: OracleState, op: Op, thp = true): Prediction {
  switch (op.op) {
    case 'file':
      if (s.files.has(op.name)) throw new ScenarioError(`file '${op.name}' already exists`);
      s.files.set(op.name, { size: op.pages, hugetlb: op.hugetlb === true, data: new Array<number>(op.pages).fill(0), cache: new Array<number>(op.pages).fill(FILE_HOLE) });
      return OK;
    case 'mm':
      if (s.mms.has(op.name)) throw new ScenarioError(`mm '${op.name}' already exists`);
      s.mms.set(op.name, { vmas: [], cells: new Map(), uffd: null, namedUffds: NO_NAMED_UFFDS });
      return OK;
    case 'mmap': {
      const mm = getMm(s, op.mm);
      const spec = op.vma;
      if (spec.pages <= 0) return err('EINVAL');
      if (spec.type === 'file' && !s.files.has(spec.file)) throw new ScenarioError(`no file '${spec.file}'`);
      unmap(mm, spec.start, spec.start + spec.pages);
      if (spec.type === 'file') {
        const f = s.files.get(spec.file);
        const end = spec.pgoff + spec.pages;
        // hugetlbfs_file_mmap(): a writable mapping past the end grows i_size to its end (fs/hugetlbfs/inode.c)
        if (f?.hugetlb && end > f.size) {
          s.files.set(spec.file, { ...f, size: end, data: [...f.data, ...new Array<number>(end - f.size).fill(0)], cache: [...f.cache, ...new Array<number>(end - f.size).fill(FILE_HOLE)] });
        }
      }
      insertVma(mm.vmas, {
        start: spec.start,
        pages: spec.pages,
        pgoff: spec.type === 'file' ? spec.pgoff : 0,
        anon: spec.type === 'anon',
        file: spec.type === 'file' ? spec.file : null,
        shared: spec.type === 'file' && spec.shared,
        writable: true,
        readable: true,
        registered: false,
        anonVma: false,
        missing: false,
        minor: false,
        ctx: '',
        ...(spec.type === 'anon' && spec.hugepage && thp ? { hugepage: true } : {}),
      });
      return OK;
    }
    case 'munmap':
      if (op.pages <= 0) return err('EINVAL');
      unmap(getMm(s, op.mm), op.addr, op.addr + op.pages);
      return OK;
    case 'read':
      return read(s, getMm(s, op.mm), op.addr);
    case 'write':
      return write(s, getMm(s, op.mm), op.addr, op.value);
    case 'fork':
      return fork(s, getMm(s, op.mm), op.child);
    case 'exit':
      getMm(s, op.mm);
      s.mms.delete(op.mm);
      return OK;
    case 'uffd_open':
      return uffdOpen(getMm(s, op.mm), op.mm, op.features, op.uffd);
    case 'register':
      return registerModes(s, getMm(s, op.mm), op.addr, op.addr + op.pages, op.modes ?? DEFAULT_MODES, op.uffd);
    case 'unregister':
      return unregister(getMm(s, op.mm), op.addr, op.addr + op.pages, op.uffd);
    case 'protect':
      return writeprotect(getMm(s, op.mm), op.addr, op.addr + op.pages, true, op.uffd);
    case 'resolve':
      return writeprotect(getMm(s, op.mm), op.addr, op.addr + op.pages, false, op.uffd);
    case 'uffd_close': {
      const mm = getMm(s, op.mm);
      if (!uffdByName(mm, op.uffd)) return err('EBADF');
      // only the closing context's VMAs lose their registration (runtime/uffd/contexts.ts)
      for (const v of mm.vmas) if (isRegistered(v) && v.ctx === (op.uffd ?? '')) unregisterVma(mm, v, 'resolve');
      closeUffd(mm, op.uffd);
      return OK;
    }
    case 'mprotect':
      return mprotect(getMm(s, op.mm), op.addr, op.addr + op.pages, op.writable && !op.none, !op.none);
    case 'madv_dontneed':
      return dontneed(getMm(s, op.mm), op.addr, op.addr + op.pages);
    case 'madv_pageout': {
      const mm = getMm(s, op.mm);
      if (op.pages <= 0) return err('EINVAL');
      pageoutRange(s, mm, op.addr, op.addr + op.pages);
      return hasHole(mm.vmas, op.addr, op.addr + op.pages) ? err('ENOMEM') : OK; // reclaim is invisible
    }
    case 'punch_hole': {
      const f = s.files.get(op.file);
      if (!f) throw new ScenarioError(`no file '${op.file}'`);
      if (op.pages <= 0) return err('EINVAL');
      // The hole reads as zeroes through shared mappings; MAP_PRIVATE COW copies survive (even_cows = 0).
      for (let i = op.index; i < Math.min(op.index + op.pages, f.size); i++) {
        f.data[i] = 0;
        f.cache[i] = FILE_HOLE;
        unmapFileIndex(s, op.file, i, true);
      }
      return OK;
    }
    case 'mremap':
      if (op.shrink !== undefined) return mremapShrink(getMm(s, op.mm), op.addr, op.pages, op.shrink);
      return mremap(getMm(s, op.mm), op.addr, op.pages, op.to, op.dontunmap === true);
    case 'pagemap': {
      const mm = getMm(s, op.mm);
      const v = findVma(mm.vmas, op.addr);
      const c = mm.cells.get(op.addr);
      // PM_GUARD_REGION (v6.14), and PM_UFFD_WP if a PAGEMAP_SCAN with PM_SCAN_WP_MATCHING set the marker's swap
      // uffd-wp bit (c.prot, oracle-lost.ts followsSwapWp)
      if (c && c.guard) return { type: 'pagemap', uffd_wp: c.maybeProt ? null : c.prot, guard: true };
      if (c && c.lost !== 0) return { type: 'pagemap', uffd_wp: null, guard: false }; // not part of the contract once lost
      if (v && v.registered && c && c.maybeProt) return { type: 'pagemap', uffd_wp: null, guard: false }; // decided by observe
      return { type: 'pagemap', uffd_wp: !!v && v.registered && !!c && c.prot, guard: false };
    }
    case 'uffd_poison':
      return uffdPoison(s, getMm(s, op.mm), op.addr, op.addr + op.pages, op.uffd);
    case 'madv_hwpoison':
      return madvHwpoison(getMm(s, op.mm), op.addr, op.addr + op.pages, s);
    case 'swap_error':
      return swapError(getMm(s, op.mm), op.addr, s);
    case 'madv_guard_install':
      return guardInstall(getMm(s, op.mm), op.addr, op.addr + op.pages);
    case 'madv_guard_remove':
      return guardRemove(getMm(s, op.mm), op.addr, op.addr + op.pages);
    // Kernel events: reclaim, eviction, migration, NUMA hinting and swapoff change nothing the user can see, except
    // that a shmem page they unmap is no longer mapped: a MINOR-mode registration sees the next access as a fault.
    case 'reclaim':
      reclaimAt(s, getMm(s, op.mm), op.addr);
      return OK;
    case 'migrate': // PageAnonExclusive travels in the migration entry (remove_migration_pte)
    case 'numa_scan':
      getMm(s, op.mm);
      return OK;
    case 'collapse': {
      // khugepaged: a THP holds the same data at the same addresses (runtime/thp/collapse.ts); its new folio is
      // exclusive (collapse_huge_page: folio_add_new_anon_rmap), and a shared page may or may not have been taken
      const mm = getMm(s, op.mm);
      for (const c of mm.cells.values()) if (c.forked === 1) c.forked = 2;
      return OK;
    }
    case 'evict':
      if (!s.files.has(op.file)) throw new ScenarioError(`no file '${op.file}'`);
      evictIndex(s, op.file, op.index);
      return OK;
    case 'swapoff':
      for (const f of s.files.values()) f.cache = f.cache.map((x) => (x === FILE_SWAPPED ? FILE_CACHED : x));
      // unuse_pte: an unreadable slot leaves a poisoned marker (no swap entry any more); exclusivity is kept as the
      // swap entry had it (RMAP_EXCLUSIVE only for an exclusive entry)
      // (a fresh marker: no swap uffd-wp bit)
      for (const mm of s.mms.values()) {
        for (const c of mm.cells.values()) if (c.lost === 1 && c.lostKind === 2) Object.assign(c, { lostKind: 1, prot: false, maybeProt: false });
      }
      return OK;
    case 'uffd_copy':
      return mfill(s, getMm(s, op.mm), 'copy', op.addr, op.pages, op.wp, op.value, op.uffd);
    case 'uffd_zeropage':
      return mfill(s, getMm(s, op.mm), 'zeropage', op.addr, op.pages, op.wp, 0, op.uffd);
    case 'uffd_continue':
      return mfill(s, getMm(s, op.mm), 'continue', op.addr, op.pages, op.wp, 0, op.uffd);
    case 'uffd_move':
      return oracleMove(s, getMm(s, op.mm), op);
    case 'uffd_wake': {
      const mm = getMm(s, op.mm);
      if (!uffdByName(mm, op.uffd)) return err('EBADF');
      return op.pages <= 0 ? err('EINVAL') : OK;
    }
    // PAGEMAP_SCAN and long-term pins (oracle-scan.ts)
    case 'pagemap_scan':
      return predictScan(getMm(s, op.mm), op.addr, op.pages, op.wp, op.check);
    case 'pin': {
      // FOLL_PIN unshares a non-exclusive anon page (gup_must_unshare), and move_present_pte refuses a maybe-pinned
      // folio with -EBUSY: the cell's page may be pinned from now on (forked 3; unpin does not say whether it was the
      // last pin of that page, so it stays)
      const mm = getMm(s, op.mm);
      const p = predictPin(s, mm, op.addr);
      const c = mm.cells.get(op.addr);
      if (c && c.populated && findVma(mm.vmas, op.addr)?.file === null) c.forked = 3;
      return p;
    }
    case 'unpin':
      getMm(s, op.mm);
      return OK;
  }
}

/** After the runner saw what a read returned: a MAP_PRIVATE page's possible COW snapshot is decided. */
export function observe(s: OracleState, op: Op, outcome: StepOutcome): void {
  if (observeMove(s, op, outcome) || observeMaybeProt(s, op, outcome)) return;
  if (observeLost(s, op, outcome)) return;
  if (op.op !== 'read' || outcome.type !== 'value') return;
  const mm = s.mms.get(op.mm);
  const v = mm && findVma(mm.vmas, op.addr);
  if (!mm || !v || v.file === null || v.shared) return;
  const c = mm.cells.get(op.addr);
  if (!c || c.value !== null || !c.snaps) return;
  const fileValue = s.files.get(v.file)!.data[v.pgoff + op.addr - v.start] ?? 0;
  if (outcome.value !== fileValue) {
    c.value = outcome.value; // the copy exists
    c.snaps = null;
    v.anonVma = true; // do_cow_fault() made it: vmf_anon_prepare() gave the VMA an anon_vma (fork copies its PTEs)
  } else {
    const same = c.snaps.filter((x) => x === outcome.value);
    c.snaps = same.length > 0 ? same : null;
  }
}

// ------------------------------------------------------------------------------------------------- helpers

function getMm(s: OracleState, name: string): OracleMm {
  const mm = s.mms.get(name);
  if (!mm) throw new ScenarioError(`no mm '${name}' (never created, or exited)`);
  return mm;
}

function cell(mm: OracleMm, addr: number): OracleCell {
  let c = mm.cells.get(addr);
  if (!c) {
    c = { value: null, snaps: null, populated: false, prot: false, guard: false, lost: 0, mapped: false, zero: false, forked: 0, maybeProt: false, lostKind: 0 };
    mm.cells.set(addr, c);
  }
  return c;
}

function unmap(mm: OracleMm, start: number, end: number): void {
  for (const v of removeRange(mm.vmas, start, end)) {
    for (let a = v.start; a < vmaEnd(v); a++) mm.cells.delete(a);
  }
}

/** The file index of addr in a file VMA, or -1 beyond the end of the file (SIGBUS). */
function fileIndex(s: OracleState, v: OracleVma, addr: number): number {
  const i = v.pgoff + (addr - v.start);
  return i < s.files.get(v.file!)!.size ? i : -1;
}

// ------------------------------------------------------------------------------------------------- access

function read(s: OracleState, mm: OracleMm, addr: number): Prediction {
  const v = findVma(mm.vmas, addr);
  if (!v || !v.readable) return SIGSEGV; // PROT_NONE: no access at all (not NUMA hinting, which is invisible)
  const g = mm.cells.get(addr);
  if (g && g.guard) return SIGSEGV; // handle_pte_marker(): a guard marker is VM_FAULT_SIGSEGV
  if (g && g.lost === 1) return LOST;
  if (g && g.lost === 2) return { type: 'either', options: [readIntact(s, mm, v, addr), ...LOST_OPTIONS] };
  return readIntact(s, mm, v, addr);
}

function readIntact(s: OracleState, mm: OracleMm, v: OracleVma, addr: number): Prediction {
  if (v.file === null) {
    const c = cell(mm, addr);
    // do_anonymous_page(): VM_UFFD_MISSING reports a missing page (none entry, or a WP_UNPOPULATED marker)
    if (!c.populated && v.missing) return userfault(mm, v, 'missing', addr);
    if (!c.populated) c.forked = 0; // the zero page is mapped now (no folio: move_zeropage_pte moves it)
    // a read of a non-exclusive page may be the swap-in of its non-exclusive swap entry (reclaim is invisible):
    // v6.17 do_swap_page maps it exclusive when nobody else holds the folio (see OracleCell.forked)
    else if (c.forked === 1) c.forked = 2;
    thpFirstTouch(mm, v, addr);
    c.populated = true;
    return { type: 'value', values: [c.value ?? 0] };
  }
  const i = fileIndex(s, v, addr);
  if (i < 0) return SIGBUS;
  const f = s.files.get(v.file)!;
  const fc = cell(mm, addr);
  if (!fc.mapped) {
    // do_read_fault(): fault-around first (not with VM_UFFD_WP or VM_UFFD_MINOR), then shmem_fault()
    if (!v.registered && !v.minor) faultAround(s, mm, v, addr);
    const uf = shmemUserfault(mm, v, f, i, addr);
    if (uf) return uf;
    if (f.hugetlb && !v.shared && f.cache[i] === FILE_HOLE) {
      // hugetlb_no_page() of a hole in a private mapping: a zeroed anon folio of this mm's own, the page cache stays
      // a hole (v6.17 mm/hugetlb.c: only VM_MAYSHARE adds the folio to the page cache)
      fc.mapped = true;
      fc.value = 0;
      fc.snaps = null;
      v.anonVma = true;
      return { type: 'value', values: [0] };
    }
    if (f.cache[i] === FILE_HOLE) f.cache[i] = FILE_CACHED; // shmem_fault() allocated a zeroed page
    else if (f.cache[i] === FILE_SWAPPED) f.cache[i] = FILE_CACHED;
    fc.mapped = true;
  }
  const fileValue = f.data[i]!;
  if (v.shared) return { type: 'value', values: [fileValue] };
  const c = mm.cells.get(addr);
  if (c && c.value !== null) return { type: 'value', values: [c.value] };
  if (c && c.zero) return { type: 'value', values: [0] };
  const values = [fileValue];
  for (const x of c?.snaps ?? []) if (!values.includes(x)) values.push(x);
  return { type: 'value', values };
}

function write(s: OracleState, mm: OracleMm, addr: number, value: number): Prediction {
  const v = findVma(mm.vmas, addr);
  if (!v || !v.writable) return SIGSEGV; // access_error()
  const g = mm.cells.get(addr);
  if (g && g.guard) return SIGSEGV;
  if (g && g.lost === 1) return LOST;
  // maybe lost: the outcome decides (observe() applies the write if it completed)
  const async = uffdOfVma(mm, v.ctx)?.wp_async === true; // UFFD_FEATURE_WP_ASYNC: do_wp_page() resolves the fault itself
  if (g && g.lost === 2) return { type: 'either', options: [v.registered && g.prot && !async ? userfault(mm, v, 'wp', addr) : OK, ...LOST_OPTIONS] };
  const i = v.file !== null ? fileIndex(s, v, addr) : 0;
  if (i < 0) return SIGBUS;
  const c = cell(mm, addr);
  if (v.file === null && !c.populated && v.missing) return userfault(mm, v, 'missing', addr);
  if (v.file === null) thpFirstTouch(mm, v, addr);
  const wasMapped = c.mapped;
  if (v.file !== null && !c.mapped) {
    // do_shared_fault() / do_cow_fault(): shmem_fault() first (its userfaults), then the page is there and mapped
    const f = s.files.get(v.file)!;
    const uf = shmemUserfault(mm, v, f, i, addr);
    if (uf) return uf;
    if (!(f.hugetlb && !v.shared && f.cache[i] === FILE_HOLE)) f.cache[i] = FILE_CACHED; // (hugetlb private: an anon folio)
    c.mapped = true;
  }
  if (v.registered && c.prot && async) c.prot = false; // the kernel clears the uffd-wp bit and the write goes on
  const maybe = async ? undefined : maybeProtWrite(mm, v, addr);
  if (maybe) return maybe; // observe() applies the write if it completed
  if (v.registered && c.prot) {
    // handle_userfault(VM_UFFD_WP): the write does not happen. What the fault did before reporting stays:
    if (v.file === null) {
      if (!c.populated) {
        v.anonVma = true; // do_anonymous_page() over a WP_UNPOPULATED marker allocated a zeroed page
        c.forked = 0; // folio_add_new_anon_rmap: exclusive
      }
      c.populated = true;
    } else if (!v.shared && c.value === null && !c.zero && !c.snaps && !wasMapped) {
      // do_cow_fault() over the uffd-wp marker (nothing was mapped here): the copy is made and mapped
      // write-protected before the retry reports; over a mapped page-cache page do_wp_page() reports at once
      c.value = s.files.get(v.file)!.data[i]!;
      v.anonVma = true;
    }
    return userfault(mm, v, 'wp', addr);
  }
  if (v.file !== null && v.shared) {
    s.files.get(v.file)!.data[i] = value;
  } else {
    c.value = value;
    c.snaps = null;
    c.zero = false;
    c.populated = true;
    // wp_page_reuse / wp_page_copy: the page this mm maps is its own (PageAnonExclusive) again; a pinned page is
    // exclusive and reused, pin and all
    if (c.forked !== 3) c.forked = 0;
    v.anonVma = true;
  }
  return OK;
}

/**
 * The THP fault as the user sees it (v6.17 do_huge_pmd_anonymous_page; docs/runtime.md "THP"): in a VM_HUGEPAGE
 * anon VMA, the first touch of an aligned block of THP_BLOCK pages that holds nothing at all (no page, no swap entry,
 * no marker: the kernel's PMD is pmd_none) populates the whole block, zero-filled (a THP, or the huge zero page for
 * a read), and prepares the anon_vma (vmf_anon_prepare). So a later UFFDIO_WRITEPROTECT protects the untouched pages
 * of the block too. The caller has answered SIGSEGV and the missing userfault first.
 */
function thpFirstTouch(mm: OracleMm, v: OracleVma, addr: number): void {
  if (!v.hugepage) return;
  const block = addr - (addr % THP_BLOCK);
  if (block < v.start || block + THP_BLOCK > vmaEnd(v)) return;
  for (let a = block; a < block + THP_BLOCK; a++) {
    const c = mm.cells.get(a);
    if (c && (c.populated || c.prot || c.guard || c.lost !== 0)) return;
  }
  for (let a = block; a < block + THP_BLOCK; a++) cell(mm, a).populated = true;
  v.anonVma = true;
}

// ------------------------------------------------------------------------------------------------- fork

/**
 * The child keeps VM_UFFD_WP (and the protection) only with UFFD_FEATURE_EVENT_FORK; it gets its own uffd then.
 * Page tables are copied only when vma_needs_copy(): the child keeps uffd-wp, or the VMA has an anon_vma. An anon
 * address populated only by the zero page is therefore unpopulated in the child of a VMA without anon_vma.
 */
function fork(s: OracleState, mm: OracleMm, childName: string): Prediction {
  if (s.mms.has(childName)) throw new ScenarioError(`mm '${childName}' already exists`);
  const child: OracleMm = { vmas: [], cells: new Map(), uffd: null, namedUffds: NO_NAMED_UFFDS };
  const kept = new Set<string>(); // each VMA follows its own context's EVENT_FORK (runtime/uffd/contexts.ts)
  for (const v of mm.vmas) {
    const eventFork = isRegistered(v) && uffdOfVma(mm, v.ctx)?.event_fork === true;
    if (eventFork) kept.add(v.ctx);
    const registered = v.registered && eventFork;
    child.vmas.push({ ...v, registered, missing: v.missing && eventFork, minor: v.minor && eventFork, ctx: eventFork ? v.ctx : '' });
    const copied = registered || v.anonVma;
    // a MAP_PRIVATE file VMA may have got an anon_vma from a COW copy a write-protect fault made (see the header): then
    // fork copied its entries, lost contents included, or did not
    let maybeCopied = false;
    if (!copied && v.file !== null && !v.shared) for (let a = v.start; a < vmaEnd(v); a++) if (mm.cells.get(a)?.snaps) maybeCopied = true;
    for (let a = v.start; a < vmaEnd(v); a++) {
      const c = mm.cells.get(a);
      if (!c) continue;
      const shared = c.forked === 2 ? 2 : 1;
      const swapWp = copied && followsSwapWp(c) ? forkSwapWp(c, registered) : undefined;
      child.cells.set(a, {
        value: copied ? c.value : null,
        snaps: c.snaps && c.snaps.slice(), // possible snapshots stay possible (over-approximated)
        populated: copied && c.populated,
        prot: swapWp ? swapWp.prot : registered && c.prot,
        mapped: copied && c.mapped,
        zero: copied && c.zero,
        guard: copied && c.guard, // copy_pte_marker(): guard markers are always copied
        lost: copied ? c.lost : maybeCopied && c.lost !== 0 ? 2 : 0, // hwpoison entries, poisoned markers, unreadable swap entries
        // an anon page both now map (copy_present_ptes / the swap entry duplicated): no longer exclusive to either
        // (a maybe stays a maybe: a pinned page is copied for the child at once, copy_present_page)
        // a maybe-pinned page is copied for the child at once (copy_present_page): the parent's stays exclusive
        forked: copied && v.file === null && c.populated && c.forked !== 3 ? shared : 0,
        maybeProt: swapWp ? swapWp.maybeProt : registered && c.maybeProt,
        lostKind: copied ? c.lostKind : 0,
      });
      if (copied && v.file === null && c.populated && c.forked !== 3) c.forked = shared;
    }
  }
  for (const name of kept) openUffd(child, name, uffdOfVma(mm, name)!);
  s.mms.set(childName, child);
  return OK;
}

// ------------------------------------------------------------------------------------------------- userfaultfd

function uffdOpen(mm: OracleMm, name: string, features: readonly UffdFeature[], uffd: string | undefined): Prediction {
  if (uffdByName(mm, uffd)) throw new ScenarioError(`mm '${name}' already has ${uffd === undefined ? 'its first userfaultfd' : `a userfaultfd named '${uffd}'`} open`);
  openUffd(mm, uffd, {
    event_fork: features.includes('event_fork'),
    // userfaultfd_api() (fs/userfaultfd.c, v6.7 "userfaultfd: UFFD_FEATURE_WP_ASYNC" to v6.18): WP_ASYNC turns WP_UNPOPULATED on
    wp_unpopulated: features.includes('wp_unpopulated') || features.includes('wp_async'),
    event_remap: features.includes('event_remap'),
    sigbus: features.includes('sigbus'),
    wp_async: features.includes('wp_async'),
  });
  return OK;
}

function unregister(mm: OracleMm, start: number, end: number, uffd: string | undefined): Prediction {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  if (end <= start || vmasIn(mm.vmas, start, end).length === 0) return err('EINVAL');
  // a VMA another context registered is EINVAL (v6.17; older kernels unregister it: their history)
  if (vmasIn(mm.vmas, start, end).some((v) => isRegistered(v) && v.ctx !== (uffd ?? ''))) return err('EINVAL');
  for (const v of isolateRange(mm.vmas, start, end)) unregisterVma(mm, v, 'resolve');
  return OK;
}

/**
 * Unregister (and close, and mremap without EVENT_REMAP) resolve the protection of the whole VMA. The swap uffd-wp bit
 * of a guard or lost cell (followsSwapWp): unregister and close resolve it as UFFDIO_WRITEPROTECT does, only in a
 * VM_UFFD_WP VMA (v6.17 userfaultfd_clear_vma -> uffd_wp_range); after mremap it is not followed (maybe).
 */
function unregisterVma(mm: OracleMm, v: OracleVma, how: 'resolve' | 'mremap'): void {
  const wp = v.registered;
  v.registered = false;
  v.missing = false;
  v.minor = false;
  v.ctx = '';
  for (let a = v.start; a < vmaEnd(v); a++) {
    const c = mm.cells.get(a);
    if (!c) continue;
    if (followsSwapWp(c)) {
      if (how === 'resolve') {
        if (wp) changeSwapWp(c, false, v.file !== null);
      } else if (c.prot || c.maybeProt) {
        c.prot = false;
        c.maybeProt = true;
      }
      continue;
    }
    c.prot = false;
    c.maybeProt = false;
  }
}

/**
 * UFFDIO_WRITEPROTECT: VMA by VMA; an unregistered VMA ends it with ENOENT. Protect covers every file address
 * (markers on none entries), but an anon address only if populated, or with UFFD_FEATURE_WP_UNPOPULATED.
 */
function writeprotect(mm: OracleMm, start: number, end: number, enable: boolean, uffd: string | undefined): Prediction {
  if (!uffdByName(mm, uffd)) return err('EBADF'); // any open context of the mm
  if (end <= start) return err('EINVAL');
  const vs = vmasIn(mm.vmas, start, end);
  if (vs.length === 0) return err('ENOENT');
  for (const v of vs) {
    if (!v.registered) return err('ENOENT');
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const c = enable ? cell(mm, a) : mm.cells.get(a);
      if (!c) continue;
      if (followsSwapWp(c)) {
        changeSwapWp(c, enable, v.file !== null); // change_pte_range: a guard or poisoned marker is skipped, a hwpoison or swap entry not
        continue;
      }
      if (!enable) {
        c.prot = c.maybeProt = false;
        continue;
      }
      c.maybeProt = false; // protected now, whatever UFFDIO_MOVE left
      // contents that are only maybe lost (lost 2) may be intact, and intact contents are protected
      if (v.file !== null || c.populated || uffdOfVma(mm, v.ctx)?.wp_unpopulated) c.prot = true;
    }
  }
  return OK;
}

// ------------------------------------------------------------------------------------------------- mprotect, madvise, mremap

/**
 * PROT_READ: writes SIGSEGV; PROT_NONE: reads and writes SIGSEGV; PROT_READ|PROT_WRITE: writes complete, except where
 * the page is uffd-wp protected in a registered VMA (mprotect never lifts that protection: the write is a WP userfault).
 * Contents and protection are kept across every change (mprotect-uffd-wp selftests, docs/scenarios.md).
 */
function mprotect(mm: OracleMm, start: number, end: number, writable: boolean, readable: boolean): Prediction {
  if (end <= start) return err('EINVAL');
  splitAt(mm.vmas, start);
  splitAt(mm.vmas, end);
  let at = start;
  for (const v of mm.vmas) {
    if (vmaEnd(v) <= start || v.start >= end) continue;
    if (v.start !== at) return err('ENOMEM');
    v.writable = writable;
    v.readable = readable;
    at = vmaEnd(v);
  }
  return at < end ? err('ENOMEM') : OK;
}

/**
 * MADV_DONTNEED: anon memory reads zero again and loses its protection (anon markers are dropped, wp-unpopulated
 * test); a MAP_PRIVATE COW copy is dropped; shmem keeps its protection (markers stay: wp-fork test).
 */
function dontneed(mm: OracleMm, start: number, end: number): Prediction {
  if (end <= start) return err('EINVAL');
  for (const v of vmasIn(mm.vmas, start, end)) {
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const c = mm.cells.get(a);
      if (!c) continue;
      // a zapped entry's swap uffd-wp bit comes back as a uffd-wp marker only in a VM_UFFD_WP file VMA
      // (zap_install_uffd_wp_if_needed); an anon cell goes below
      if (c.lost === 1 && !v.registered) c.prot = c.maybeProt = false;
      c.lost = 0; // zapped: poisoned markers, hwpoison entries and unreadable swap entries go (even_cows)
      c.lostKind = 0;
      if (v.file === null) {
        // the guard stays, with its swap uffd-wp bit (zap_nonpresent_ptes keeps guard markers)
        if (c.guard) Object.assign(c, { value: null, snaps: null, populated: false, forked: 0 });
        else mm.cells.delete(a);
      } else {
        c.mapped = false;
        if (!v.shared) {
          c.value = null;
          c.snaps = null;
          c.zero = false;
        }
      }
    }
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

/**
 * Contents move. Without UFFD_FEATURE_EVENT_REMAP the moved VMA leaves the uffd and loses its protection; with it the
 * VMA stays registered and every page keeps its protection (uffd-wp-mremap.c). MREMAP_DONTUNMAP leaves the old range
 * mapped, registered as before, and empty: anon reads 0, a file mapping reads the file, nothing is protected.
 */
function mremap(mm: OracleMm, addr: number, pages: number, to: number, dontunmap: boolean): Prediction {
  if (pages <= 0) return err('EINVAL');
  if (to < addr + pages && addr < to + pages) return err('EINVAL');
  const src = findVma(mm.vmas, addr);
  if (!src || addr + pages > vmaEnd(src)) return err('EFAULT');
  unmap(mm, to, to + pages);
  const [moved] = isolateRange(mm.vmas, addr, addr + pages);
  if (!moved) return err('EFAULT');
  let dst = moved;
  if (dontunmap) {
    dst = { ...moved };
    moved.anonVma = false; // unlink_anon_vmas() of the old VMA
  } else {
    mm.vmas.splice(mm.vmas.indexOf(moved), 1);
  }
  for (let a = addr; a < addr + pages; a++) {
    const c = mm.cells.get(a);
    if (!c) continue;
    mm.cells.delete(a);
    mm.cells.set(to + (a - addr), c);
  }
  dst.start = to;
  insertVma(mm.vmas, dst);
  if (!uffdOfVma(mm, dst.ctx)?.event_remap) unregisterVma(mm, dst, 'mremap'); // the moved VMA's own context's
  return OK;
}

// ------------------------------------------------------------------------------------------------- userfaultfd modes

/** A register step without `mode` is UFFDIO_REGISTER_MODE_WP, as before modes were modelled. */
const DEFAULT_MODES: readonly UffdMode[] = ['wp'];

/**
 * handle_userfault(): a message to the uffd with the mode's flag and the address, or SIGBUS when the context has
 * UFFD_FEATURE_SIGBUS (v6.17 fs/userfaultfd.c handle_userfault: checked before any message is queued).
 */
function userfault(mm: OracleMm, v: OracleVma, mode: UffdMode, addr: number): Prediction {
  if (uffdOfVma(mm, v.ctx)?.sigbus) return SIGBUS; // the faulting VMA's own context (runtime/uffd/contexts.ts)
  return { type: 'userfault', mode, addr };
}

/**
 * v6.17 mm/shmem.c shmem_get_folio_gfp(): a hole in a VM_UFFD_MISSING VMA is a missing userfault; a page in the
 * cache or in swap, in a VM_UFFD_MINOR VMA, a minor one. Reached only when this mm's entry does not map the page.
 */
function shmemUserfault(mm: OracleMm, v: OracleVma, f: OracleFile, i: number, addr: number): Prediction | undefined {
  if (f.cache[i] === FILE_HOLE) return v.missing ? userfault(mm, v, 'missing', addr) : undefined;
  return v.minor ? userfault(mm, v, 'minor', addr) : undefined;
}

/** do_fault_around(): the resident page-cache pages of the aligned 16-page window get mapped (read-only). */
function faultAround(s: OracleState, mm: OracleMm, v: OracleVma, addr: number): void {
  const f = s.files.get(v.file!)!;
  const base = addr - (addr % 16);
  for (let a = Math.max(v.start, base); a < Math.min(vmaEnd(v), base + 16); a++) {
    if (a === addr) continue;
    const i = fileIndex(s, v, a);
    if (i < 0 || f.cache[i] !== FILE_CACHED) continue;
    const c = cell(mm, a);
    if (!c.mapped) c.mapped = true;
  }
}

/** Does this cell map the page-cache page itself (not a MAP_PRIVATE COW copy)? Undecided snapshots count as copies. */
function mapsCachePage(v: OracleVma, c: OracleCell): boolean {
  return c.mapped && (v.shared || (c.value === null && !c.snaps && !c.zero));
}

/** Every mapping of file index i, in every mm (try_to_unmap() / unmap_mapping_range() of a page-cache page). */
function unmapFileIndex(s: OracleState, file: string, i: number, zeroToo = false): void {
  for (const mm of s.mms.values()) {
    for (const v of mm.vmas) {
      if (v.file !== file || i < v.pgoff || i >= v.pgoff + v.pages) continue;
      const c = mm.cells.get(v.start + (i - v.pgoff));
      // unmap_mapping_range() (punch) zaps a zero-page entry as well: should_zap_folio() without a folio
      if (c && zeroToo && c.zero) {
        c.zero = false;
        c.mapped = false;
      }
      if (c && mapsCachePage(v, c)) c.mapped = false;
    }
  }
}

function evictIndex(s: OracleState, file: string, i: number): void {
  const f = s.files.get(file)!;
  if (f.cache[i] !== FILE_CACHED) return;
  unmapFileIndex(s, file, i);
  f.cache[i] = FILE_SWAPPED;
}

/** The file index whose page-cache page mm maps at addr, or -1 (none, anon memory or a COW copy). */
function cachePageAt(s: OracleState, mm: OracleMm, addr: number): { file: string; index: number } | undefined {
  const v = findVma(mm.vmas, addr);
  const c = mm.cells.get(addr);
  if (!v || v.file === null || !c || !mapsCachePage(v, c)) return undefined;
  const i = fileIndex(s, v, addr);
  return i < 0 ? undefined : { file: v.file, index: i };
}

function reclaimAt(s: OracleState, mm: OracleMm, addr: number): void {
  const p = cachePageAt(s, mm, addr);
  if (p) evictIndex(s, p.file, p.index);
}

/** MADV_PAGEOUT reclaims only pages mapped once (folio_mapcount() == 1). */
function pageoutRange(s: OracleState, mm: OracleMm, start: number, end: number): void {
  for (let a = start; a < end; a++) {
    const p = cachePageAt(s, mm, a);
    if (p && mapcountOf(s, p.file, p.index) === 1) evictIndex(s, p.file, p.index);
  }
}

function mapcountOf(s: OracleState, file: string, i: number): number {
  let n = 0;
  for (const mm of s.mms.values()) {
    for (const v of mm.vmas) {
      if (v.file !== file || i < v.pgoff || i >= v.pgoff + v.pages) continue;
      const c = mm.cells.get(v.start + (i - v.pgoff));
      if (c && mapsCachePage(v, c)) n++;
    }
  }
  return n;
}

/**
 * UFFDIO_REGISTER (v6.17 fs/userfaultfd.c userfaultfd_register, include/linux/userfaultfd_k.h vma_can_userfault):
 * at least one mode; every VMA of the range must allow each mode (MINOR: shmem only, never anon; MISSING and WP:
 * anon or shmem); the modes replace the VMA's old ones. The reply lists the range ioctls: WAKE, COPY, ZEROPAGE, MOVE,
 * WRITEPROTECT only with MODE_WP, CONTINUE only with MODE_MINOR (POISON is not modelled).
 */
function registerModes(s: OracleState, mm: OracleMm, start: number, end: number, modes: readonly UffdMode[], uffd: string | undefined): Prediction {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  if (modes.length === 0) return err('EINVAL');
  if (end <= start) return err('EINVAL');
  const vs = vmasIn(mm.vmas, start, end);
  if (vs.length === 0) return err('EINVAL');
  const wp = modes.includes('wp');
  const minor = modes.includes('minor');
  if (minor && vs.some((v) => v.file === null)) return err('EINVAL');
  if (vs.some((v) => isRegistered(v) && v.ctx !== (uffd ?? ''))) return err('EBUSY'); // owned by another context
  if (vs.some((v) => v.registered && !wp && [...mm.cells.entries()].some(([a, c]) => c.prot && a >= v.start && a < vmaEnd(v)))) {
    throw new ScenarioError('re-registering a write-protected range without MODE_WP leaves stale uffd-wp state: not modelled');
  }
  for (const v of isolateRange(mm.vmas, start, end)) {
    v.registered = wp;
    v.missing = modes.includes('missing');
    v.minor = minor;
    v.ctx = uffd ?? '';
  }
  // fs/userfaultfd.c userfaultfd_register: a hugetlb VMA in the range gives UFFD_API_RANGE_IOCTLS_BASIC (no
  // ZEROPAGE, no MOVE)
  const ioctls: UffdRangeIoctl[] = vs.some((v) => v.file !== null && s.files.get(v.file)?.hugetlb === true) ? ['wake', 'copy'] : ['wake', 'copy', 'zeropage', 'move'];
  if (wp) ioctls.push('writeprotect');
  if (minor) ioctls.push('continue');
  return { type: 'ok', ioctls };
}

// ------------------------------------------------------------------------------------------------- UFFDIO_COPY & co

/**
 * UFFDIO_COPY / _ZEROPAGE / _CONTINUE (v6.17 mm/userfaultfd.c mfill_atomic): the range in one VMA with a uffd
 * context (else ENOENT); MODE_WP only on a VM_UFFD_WP VMA, ZEROPAGE has no MODE_WP, CONTINUE only on shmem (EINVAL);
 * then page by page, a failure after the first page being EAGAIN (a partial copy).
 */
function mfill(s: OracleState, mm: OracleMm, ioctl: 'copy' | 'zeropage' | 'continue', start: number, pages: number, wp: boolean, value: number, uffd?: string): Prediction {
  if (!uffdByName(mm, uffd)) return err('EBADF'); // any open context of the mm
  if (pages <= 0) return err('EINVAL');
  if (ioctl === 'zeropage' && wp) return err('EINVAL');
  const v = findVma(mm.vmas, start);
  if (!v || start + pages > vmaEnd(v) || !(v.registered || v.missing || v.minor)) return err('ENOENT');
  if (wp && !v.registered) return err('EINVAL');
  if (ioctl === 'continue' && v.file === null) return err('EINVAL');
  const hugetlb = v.file !== null && s.files.get(v.file)?.hugetlb === true;
  if (hugetlb && ioctl === 'zeropage') return err('EINVAL'); // mfill_atomic_hugetlb: no zero huge page
  if (!v.shared) v.anonVma = true; // anon_vma_prepare() for a private destination
  for (let i = 0; i < pages; i++) {
    const r = mfillPage(s, mm, v, start + i, ioctl, wp, value);
    if (r) return i === 0 ? r : err('EAGAIN');
  }
  return OK;
}

/** Shrink in place: the tail is unmapped (SIGSEGV afterwards), the rest keeps everything. */
function mremapShrink(mm: OracleMm, addr: number, pages: number, newPages: number): Prediction {
  if (pages <= 0 || newPages <= 0 || newPages > pages) return err('EINVAL');
  const src = findVma(mm.vmas, addr);
  if (!src || addr + pages > vmaEnd(src)) return err('EFAULT');
  unmap(mm, addr + newPages, addr + pages);
  return OK;
}

/**
 * One page. The destination must be none or a uffd-wp marker (pte_none_mostly(); ZEROPAGE of a private page wants
 * pte_none() and refuses a marker): EEXIST otherwise. The installed page is protected only with MODE_WP, whatever the
 * marker said. Shared shmem: the page goes into the page cache (EEXIST if the index is not a hole, EFAULT beyond
 * i_size); CONTINUE maps the page-cache page (EFAULT on a hole, EINVAL beyond i_size).
 */
function mfillPage(s: OracleState, mm: OracleMm, v: OracleVma, addr: number, ioctl: 'copy' | 'zeropage' | 'continue', wp: boolean, value: number): Prediction | undefined {
  const c = cell(mm, addr);
  // a guard marker, a poisoned marker or a hwpoison entry is not "none" here (the bundled specs refuse them; whether
  // v6.17's pte_none_mostly() lets UFFDIO_COPY replace a poisoned or guard marker is not settled in ptelab yet)
  const f0 = v.file !== null ? s.files.get(v.file) : undefined;
  if (f0?.hugetlb) {
    // hugetlb (v6.17 hugetlb_mfill_atomic_pte): huge_pte_none_mostly() lets a fill overwrite any marker, and the only
    // lost contents a hugetlb entry holds in the model are a poisoned marker (UFFDIO_POISON); CONTINUE beyond i_size is
    // EFAULT (filemap_lock_hugetlb_folio finds nothing), not EINVAL
    if (ioctl === 'continue' && fileIndex(s, v, addr) < 0) return err('EFAULT');
    const r = fileFill(s, v, c, addr, ioctl, value, false);
    if (r) return r;
    c.lost = 0;
    c.mapped = true;
    c.prot = wp;
    return undefined;
  }
  const blocked = c.guard || c.lost !== 0;
  if (blocked && ioctl !== 'continue') return err('EEXIST');
  if (v.file === null) {
    if (c.populated || (ioctl === 'zeropage' && c.prot)) return err('EEXIST');
    c.value = ioctl === 'copy' ? value : null;
    c.populated = true;
    c.prot = wp;
    return undefined;
  }
  const r = fileFill(s, v, c, addr, ioctl, value, blocked);
  if (r) return r;
  c.mapped = true;
  c.prot = wp;
  return undefined;
}

/** The file part of one page's fill: the page cache (shared, CONTINUE) or this mm's private copy; an error or undefined. */
function fileFill(s: OracleState, v: OracleVma, c: OracleCell, addr: number, ioctl: 'copy' | 'zeropage' | 'continue', value: number, blocked: boolean): Prediction | undefined {
  const f = s.files.get(v.file!)!;
  const i = fileIndex(s, v, addr);
  if (ioctl === 'continue') {
    if (i < 0) return err('EINVAL');
    if (f.cache[i] === FILE_HOLE) return err('EFAULT'); // shmem_get_folio() comes first
    if (c.mapped || blocked) return err('EEXIST');
    f.cache[i] = FILE_CACHED;
  } else if (v.shared) {
    if (f.cache[i] !== FILE_HOLE && i >= 0) return err('EEXIST');
    if (i < 0) return err('EFAULT');
    f.data[i] = ioctl === 'copy' ? value : 0;
    f.cache[i] = FILE_CACHED;
  } else {
    if (c.mapped || (ioctl === 'zeropage' && c.prot)) return err('EEXIST');
    if (ioctl === 'copy') c.value = value; // an anon page: this mm's own data from now on
    else c.zero = true; // the zero page
    c.snaps = null;
  }
  return undefined;
}
/**
 * Make `dst` equal to `src` (as cloneOracle(src) would be), reusing dst's objects where it has them: the explorer
 * resets one working oracle to the parent state before every op it tries (test/runtime/explore/restore.test.ts).
 */
export function restoreOracle(dst: OracleState, src: OracleState): void {
  if (!sameKeys(dst.files, src.files)) {
    dst.files = new Map();
    for (const k of src.files.keys()) {
      const f = src.files.get(k)!;
      dst.files.set(k, { size: f.size, hugetlb: f.hugetlb, data: f.data.slice(), cache: f.cache.slice() });
    }
  } else {
    for (const k of src.files.keys()) {
      const f = src.files.get(k)!;
      const d = dst.files.get(k)!;
      if (d.size !== f.size || d.hugetlb !== f.hugetlb) dst.files.set(k, { size: f.size, hugetlb: f.hugetlb, data: f.data.slice(), cache: f.cache.slice() });
      else {
        copyInto(d.data, f.data);
        copyInto(d.cache, f.cache);
      }
    }
  }
  if (!sameKeys(dst.mms, src.mms)) {
    const old = dst.mms;
    dst.mms = new Map();
    for (const k of src.mms.keys()) {
      const mm = src.mms.get(k)!;
      const d = old.get(k) ?? { vmas: [], cells: new Map(), uffd: null, namedUffds: NO_NAMED_UFFDS };
      restoreOracleMm(d, mm);
      dst.mms.set(k, d);
    }
  } else {
    for (const k of src.mms.keys()) {
      const mm = src.mms.get(k)!;
      restoreOracleMm(dst.mms.get(k)!, mm);
    }
  }
}

function restoreOracleMm(d: OracleMm, s: OracleMm): void {
  const sv = s.vmas;
  const dv = d.vmas;
  // VMAs and cells are flat records (but a cell's snapshot list): copied field by field (records.ts)
  while (dv.length > sv.length) dv.pop();
  for (let i = 0; i < sv.length; i++) {
    const x = dv[i];
    if (!x) dv[i] = { ...sv[i]! };
    else copyOracleVma(x, sv[i]!);
  }
  // cells: reuse the cell objects of the same addresses when the order agrees, else rebuild the Map
  const dc = d.cells;
  const sc = s.cells;
  let same = dc.size === sc.size;
  if (same) {
    const it = dc.keys();
    for (const a of sc.keys()) {
      if (it.next().value !== a) {
        same = false;
        break;
      }
    }
  }
  if (same) {
    for (const a of sc.keys()) {
      const c = sc.get(a)!;
      const x = dc.get(a)!;
      copyOracleCell(x, c);
      x.snaps = c.snaps && c.snaps.slice();
    }
  } else {
    dc.clear();
    for (const a of sc.keys()) {
      const c = sc.get(a)!;
      dc.set(a, { ...c, snaps: c.snaps && c.snaps.slice() });
    }
  }
  d.uffd = s.uffd; // immutable
  d.namedUffds = s.namedUffds; // immutable (replaced, never changed: runtime/uffd/contexts.ts)
}

function sameKeys<K, V>(a: Map<K, V>, b: Map<K, V>): boolean {
  if (a.size !== b.size) return false;
  const ia = a.keys();
  for (const k of b.keys()) if (ia.next().value !== k) return false;
  return true;
}

function copyInto(d: number[], s: readonly number[]): void {
  if (d.length !== s.length) d.length = s.length;
  for (let i = 0; i < s.length; i++) d[i] = s[i]!;
}

// ------------------------------------------------------------------------------------------------- errors, poison, guards

const LOST_OPTIONS = (LOST as Extract<Prediction, { type: 'either' }>).options;

// helpers for oracle-lost.ts (errors, poison and guard regions: their own file)
export { write as oracleWrite, cell as oracleCell, fileIndex as oracleFileIndex, unregisterVma as oracleUnregisterVma, read as oracleRead };

/** Registered with some context in some mode (vma->vm_userfaultfd_ctx.ctx set). */
function isRegistered(v: OracleVma): boolean {
  return v.registered || v.missing || v.minor;
}
