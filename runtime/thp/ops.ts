// The scenario ops on THP blocks (docs/runtime.md, "THP"), driving the spec's PMD paths the way the kernel's callers
// do (v6.17): zap_pmd_range / copy_pmd_range / change_pmd_range hand a PMD leaf that the range covers whole to
// zap_huge_pmd / copy_huge_pmd / change_huge_pmd and split one it covers in part (__split_huge_pmd), the fault
// handler sends a refused access on a PMD leaf to do_huge_pmd_numa_page or wp_huge_pmd (and a first touch of a
// THP-enabled block to do_huge_pmd_anonymous_page: fault.ts), pagemap_pmd_range reports each base page of a leaf,
// khugepaged collapses a block of PTEs into a THP. Ops the model has no PMD walk for split the PMDs in their range
// first and then run at the PTE level, which the user cannot tell apart (the uffd-wp and data contracts are per
// base page). applyOp() calls thpBefore() before an op and thpAfterFork() after a fork.
import type { Outcome, PagemapFlag } from '../../contract/spec-module.js';
import { makeContext, type ContextParts, type Machine } from '../machine.js';
import { OK, type StepOutcome } from '../outcome.js';
import type { Op } from '../scenario/types.js';
import { ViolationError } from '../trace.js';
import { faultOutcome } from '../uffd/register.js';
import { findVma, hasHole, vmaEnd, vmasIn } from '../vma.js';
import { ZERO_PFN, livePage, type Mm, type Vma } from '../world.js';
import { runPmdPath, type PmdCursor } from './env.js';
import { hugeAnonFault } from './fault.js';
import { fileThpFault, splitShmemFolios, splitShmemFoliosAt } from './file.js';
import { HUGE_ZERO_PFN, THP_NR, allocThp, blockOf, folioPages, pmdRefs, thpLevel, type ThpLevel } from './model.js';

const MAX_FAULTS = 4;
type Zap = { readonly drop_markers: boolean; readonly even_cows: boolean };
const ZAP_UNMAP: Zap = Object.freeze({ drop_markers: true, even_cows: true });
const ZAP_DONTNEED: Zap = Object.freeze({ drop_markers: false, even_cows: true });
const NO_MPROTECT = Object.freeze({ none: false, try_change_writable: false });
const PROT_UFFD_WP = Object.freeze({ uffd_wp: true, uffd_wp_resolve: false, numa: false, wrprotect: false, ...NO_MPROTECT });
const PROT_RESOLVE = Object.freeze({ uffd_wp: false, uffd_wp_resolve: true, numa: false, wrprotect: false, ...NO_MPROTECT });
const PROT_NUMA = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: true, wrprotect: false, ...NO_MPROTECT });
const PROT_RO = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: true, none: false, try_change_writable: false });
const PROT_RW = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: false, none: false, try_change_writable: true });
const PROT_NONE = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: true, none: true, try_change_writable: false });

/** Is addr under a PMD leaf of mm? (The PTE-level walkers skip those addresses: their PTE table does not exist.) */
export function underPmd(mm: Mm, addr: number): boolean {
  return mm.pmd.size > 0 && mm.pmd.has(blockOf(addr));
}

function pmdCursor(m: Machine, mm: Mm, block: number): PmdCursor {
  const vma = findVma(mm.vmas, block);
  if (!vma || vmaEnd(vma) < block + THP_NR) {
    throw new ViolationError(`the PMD leaf at ${mm.name}:${block} is not inside one VMA`, m.trace.blame(mm.name, block));
  }
  return { mm, vma, block };
}

function runPmd(m: Machine, t: ThpLevel, path: string, mm: Mm, block: number, parts: ContextParts, extra: Partial<PmdCursor> = {}): Outcome {
  const cur = { ...pmdCursor(m, mm, block), ...extra };
  return runPmdPath(m, t, path, cur, makeContext(mm, cur.vma, parts));
}

/** __split_huge_pmd(): the PMD at block becomes PTEs (or goes, for a file THP). */
export function splitPmd(m: Machine, t: ThpLevel, mm: Mm, block: number): void {
  if (!mm.pmd.has(block)) return;
  runPmd(m, t, '__split_huge_pmd_locked', mm, block, {});
  if (mm.pmd.has(block)) {
    throw new ViolationError(`__split_huge_pmd_locked left the PMD at ${mm.name}:${block} in place`, m.trace.blame(mm.name, block));
  }
}

/** The blocks with a PMD leaf that overlap [start, end), split into those the range covers whole and the rest. */
function blocksIn(mm: Mm, start: number, end: number): { whole: number[]; part: number[] } {
  const whole: number[] = [];
  const part: number[] = [];
  for (const b of [...mm.pmd.keys()].sort((x, y) => x - y)) {
    if (b + THP_NR <= start || b >= end) continue;
    (b >= start && b + THP_NR <= end ? whole : part).push(b);
  }
  return { whole, part };
}

function splitRange(m: Machine, t: ThpLevel, mm: Mm, start: number, end: number, all: boolean): void {
  const { whole, part } = blocksIn(mm, start, end);
  for (const b of all ? [...whole, ...part] : part) splitPmd(m, t, mm, b);
}

/** zap_pmd_range(): whole leaves to zap_huge_pmd, partly covered ones split first (then zapped as PTEs). */
function zapRange(m: Machine, t: ThpLevel, mm: Mm, start: number, end: number, zap: Zap): void {
  const { whole, part } = blocksIn(mm, start, end);
  for (const b of part) splitPmd(m, t, mm, b);
  for (const b of whole) {
    runPmd(m, t, 'zap_huge_pmd', mm, b, { zap });
    const left = mm.pmd.get(b);
    if (left !== undefined) {
      const { info } = pmdRefs(t, left);
      if (info.refs !== null || zap === ZAP_UNMAP) {
        throw new ViolationError(`zap_huge_pmd left ${info.kind ?? 'an unclassified PMD'} 0x${left.toString(16)} at ${mm.name}:${b}`, m.trace.blame(mm.name, b));
      }
    }
  }
}

/**
 * change_pmd_range(): whole leaves to change_huge_pmd, partly covered ones split first; so is every leaf of a file VMA
 * that UFFDIO_WRITEPROTECT protects (pgtable_split_needed: MM_CP_UFFD_WP && !vma_is_anonymous, v6.17 mm/mprotect.c),
 * whose PTEs then get the uffd-wp markers at the PTE level.
 */
function changeRange(m: Machine, t: ThpLevel, mm: Mm, v: Vma, start: number, end: number, prot: ContextParts['prot']): void {
  const { whole, part } = blocksIn(mm, Math.max(start, v.start), Math.min(end, vmaEnd(v)));
  const splitNeeded = prot?.uffd_wp === true && !v.anon;
  for (const b of splitNeeded ? [...part, ...whole] : part) splitPmd(m, t, mm, b);
  if (splitNeeded) return;
  for (const b of whole) runPmdPath(m, t, 'change_huge_pmd', { mm, vma: v, block: b }, makeContext(mm, v, { prot }));
}

/**
 * Run before applyOp() does an op: the THP part of it. Returns the op's outcome when the op is done (an access or a
 * pagemap read through a PMD leaf), or undefined for applyOp() to go on at the PTE level.
 */
export function thpBefore(m: Machine, op: Op): StepOutcome | undefined {
  const t = thpLevel(m.module);
  if (!t) return undefined;
  if (op.op === 'collapse') return collapse(m, t, m.world.mms.get(op.mm), op.addr);
  if (!('mm' in op)) return undefined;
  const mm = m.world.mms.get(op.mm);
  if (!mm) return undefined;
  if (op.op === 'reclaim' || op.op === 'swap_error' || op.op === 'madv_pageout' || op.op === 'madv_hwpoison' || op.op === 'migrate') {
    // a PMD-size shmem folio is split before one of its pages is swapped out or migrated (runtime/thp/file.ts)
    splitShmemFoliosAt(m, t, mm, op.addr, op.addr + ('pages' in op ? Math.max(op.pages, 1) : 1), (x, b) => splitPmd(m, t, x, b));
  }
  if (op.op === 'reclaim' || op.op === 'swap_error' || op.op === 'madv_pageout' || op.op === 'madv_hwpoison' || (op.op === 'migrate' && !mm.pmd.has(blockOf(op.addr)))) {
    splitSharers(m, t, mm, op.addr, op.addr + ('pages' in op ? Math.max(op.pages, 1) : 1));
  }
  if (op.op === 'read' || op.op === 'write') {
    // an anon THP fault (do_huge_pmd_anonymous_page) first, then the access through a PMD leaf or a huge shmem
    // file's first fault (do_set_pmd)
    const f = hugeAnonFault(m, t, mm, op.addr, op.op === 'write');
    if (f !== undefined && f !== 'pmd') return f;
    return accessHuge(m, t, mm, op.addr, op.op === 'write', op.op === 'write' ? op.value : 0);
  }
  if (mm.pmd.size === 0) return undefined;
  switch (op.op) {
    case 'pagemap':
      return pagemapPmd(m, t, mm, op.addr);
    case 'munmap':
      if (op.pages > 0) zapRange(m, t, mm, op.addr, op.addr + op.pages, ZAP_UNMAP);
      return undefined;
    case 'exit':
      zapRange(m, t, mm, -Infinity, Infinity, ZAP_UNMAP);
      return undefined;
    case 'madv_dontneed':
      if (op.pages > 0) zapRange(m, t, mm, op.addr, op.addr + op.pages, ZAP_DONTNEED);
      return undefined;
    case 'protect':
    case 'resolve': {
      // userfaultfd_writeprotect(): the checks come first (writeprotect() in ops.ts answers them); nothing changes then
      const end = op.addr + op.pages;
      const vs = vmasIn(mm.vmas, op.addr, end);
      if (!mm.uffd || op.pages <= 0 || vs.length === 0 || vs.some((v) => !v.uffd_wp)) return undefined;
      // a PROT_NONE VMA's vm_page_prot is PAGE_NONE: the leaves stay protnone (ops.ts protFor)
      for (const v of vs) {
        const prot = op.op === 'protect' ? PROT_UFFD_WP : PROT_RESOLVE;
        changeRange(m, t, mm, v, op.addr, end, v.readable ? prot : { ...prot, none: true, wrprotect: true });
      }
      return undefined;
    }
    case 'mprotect':
      mprotectPmd(m, t, mm, op.addr, op.addr + op.pages, op.writable && !op.none, !op.none);
      return undefined;
    case 'numa_scan':
      for (const v of vmasIn(mm.vmas, op.addr, op.addr + op.pages)) if (v.readable) changeRange(m, t, mm, v, op.addr, op.addr + op.pages, PROT_NUMA);
      return undefined;
    case 'migrate':
      return migratePmd(m, t, mm, op.addr);
    case 'fork':
    case 'uffd_open':
    case 'mmap':
      if (op.op === 'mmap') splitRange(m, t, mm, op.vma.start, op.vma.start + op.vma.pages, true);
      return undefined;
    case 'register':
      // a registration splits VMAs at the range's ends (vma_adjust_trans_huge splits a PMD across the new boundary)
      splitRange(m, t, mm, op.addr, op.addr + op.pages, false);
      return undefined;
    case 'uffd_close':
      splitRange(m, t, mm, -Infinity, Infinity, true);
      return undefined;
    case 'mremap':
      splitRange(m, t, mm, op.addr, op.addr + op.pages, true);
      if (op.shrink === undefined) splitRange(m, t, mm, op.to, op.to + op.pages, true);
      return undefined;
    default: {
      // every other op with a range: the model has no PMD walk for it, the PMDs in its range are split first
      const pages = 'pages' in op && typeof op.pages === 'number' ? op.pages : 1;
      if ('addr' in op && typeof op.addr === 'number') splitRange(m, t, mm, op.addr, op.addr + Math.max(pages, 1), true);
      return undefined;
    }
  }
}

/**
 * The ops that reach a page through the rmap (reclaim, the swap-out of swap_error and MADV_PAGEOUT: try_to_unmap with TTU_SPLIT_HUGE_PMD for a
 * PMD-mappable folio, v6.17 (9b44fff655e2) mm/vmscan.c shrink_folio_list and mm/rmap.c try_to_unmap_one, the flag
 * there since bd4c82c22c "mm, THP, swap: delay splitting THP after swapped out", v4.14; migration of a folio
 * that is not PMD-mapped here; MADV_HWPOISON: try_to_split_thp_page, mm/memory-failure.c) see every mapping of the
 * page, not only the op's mm: the PMDs of the op's range are split, then every PMD in any mm that maps the folio of
 * a page the range now maps by PTE (a THP half split by a COW in one process and still PMD-mapped in its fork
 * child), so the PTE-level rmap walk finds each mapping.
 */
function splitSharers(m: Machine, t: ThpLevel, mm: Mm, start: number, end: number): void {
  splitRange(m, t, mm, start, end, true);
  const pfns: number[] = [];
  for (let a = start; a < end; a++) {
    const e = m.entries.info(mm.pt.get(a) ?? 0n);
    if (e.refs === 'page' && e.pfn !== ZERO_PFN && e.pfn >= 0) pfns.push(e.pfn);
  }
  if (pfns.length === 0) return;
  for (const other of m.world.mms.values()) {
    for (const [b, w] of [...other.pmd]) {
      const { info, pfn: head } = pmdRefs(t, w);
      if (info.refs === 'page' && head >= 0 && pfns.some((p) => p >= head && p < head + THP_NR)) splitPmd(m, t, other, b);
    }
  }
}

/**
 * A hole punch or an eviction of a huge shmem file: the PMD-size folios the indices [lo, hi) touch are split first
 * (mm/truncate.c truncate_inode_partial_folio, mm/shmem.c shmem_writeout; a folio the punch covers whole goes whole
 * in the kernel: its PMDs are zapped by unmap_mapping_range all the same, and the user cannot tell the difference).
 */
export function thpFileBefore(m: Machine, fileName: string, lo: number, hi: number): void {
  const t = thpLevel(m.module);
  const file = m.world.files.get(fileName);
  if (!t || !file?.huge) return;
  splitShmemFolios(m, t, file, lo, hi, (x, b) => splitPmd(m, t, x, b));
}

/** After fork(): copy_pmd_range() gives each PMD leaf of a VMA that vma_needs_copy to copy_huge_pmd. */
export function thpAfterFork(m: Machine, parent: Mm, child: Mm): void {
  const t = thpLevel(m.module);
  if (!t || parent.pmd.size === 0) return;
  parent.vmas.forEach((v, i) => {
    const cv = child.vmas[i]!;
    const ctx = makeContext(parent, v, { dst: { uffd_wp: cv.uffd_wp } });
    if (!m.module.decisions.vma_needs_copy(ctx)) return;
    for (const b of blocksIn(parent, v.start, vmaEnd(v)).whole) {
      runPmdPath(m, t, 'copy_huge_pmd', { mm: parent, vma: v, block: b, child: { mm: child, vma: cv } }, ctx);
    }
  });
}

/**
 * mprotect_fixup() per VMA, as ops.ts mprotect() does it: a VMA whose flags change gets change_huge_pmd with its new
 * vm_page_prot on the leaves it covers whole (VM_READ/VM_WRITE are the new ones: the kernel sets them first); the
 * leaves across the range's ends are split (vma_adjust_trans_huge). A hole stops it, as it stops mprotect().
 */
function mprotectPmd(m: Machine, t: ThpLevel, mm: Mm, start: number, end: number, writable: boolean, readable: boolean): void {
  if (end <= start) return;
  splitRange(m, t, mm, start, end, false);
  const prot = !readable ? PROT_NONE : writable ? PROT_RW : PROT_RO;
  let at = start;
  for (const v of [...mm.vmas]) {
    if (vmaEnd(v) <= start || v.start >= end) continue;
    if (Math.max(v.start, start) !== at) return;
    at = vmaEnd(v);
    if (v.writable === writable && v.readable === readable) continue;
    const nv: Vma = { ...v, writable, readable };
    const { whole } = blocksIn(mm, Math.max(start, v.start), Math.min(end, vmaEnd(v)));
    for (const b of whole) runPmdPath(m, t, 'change_huge_pmd', { mm, vma: nv, block: b }, makeContext(mm, nv, { prot }));
  }
}

// ------------------------------------------------------------------------------------------------- access, pagemap

/**
 * A load or store at an address under a PMD leaf: the MMU walk of the PMD (the level's mmu_read / mmu_write), else
 * __handle_mm_fault's PMD branch (wp_huge_pmd: the spec's do_huge_pmd_wp_page), retried like a PTE fault. Once the
 * PMD is gone (split), the access goes on at the PTE level (undefined).
 */
function accessPmd(m: Machine, t: ThpLevel, mm: Mm, addr: number, write: boolean, value: number): StepOutcome | undefined {
  const block = blockOf(addr);
  const vma = findVma(mm.vmas, addr);
  if (!vma) return undefined;
  for (let faults = 0; ; faults++) {
    const w = mm.pmd.get(block);
    if (w === undefined) return undefined;
    if (write ? t.mmu_write(w) : t.mmu_read(w)) return completePmd(m, t, mm, addr, w, write, value);
    if (write && !vma.writable) return { type: 'sigsegv' };
    if (!vma.readable) return { type: 'sigsegv' };
    if (faults === MAX_FAULTS) {
      throw new ViolationError(`fault loop: the ${write ? 'write' : 'read'} at ${mm.name}:${addr} still faults on the PMD after ${MAX_FAULTS} faults`, m.trace.blame(mm.name, block));
    }
    // __handle_mm_fault: a protnone leaf of an accessible VMA goes to do_huge_pmd_numa_page (`retry` when it restored
    // one), every other refused access to wp_huge_pmd
    const fault = { fault: { write, around: false } };
    const numa = runPmd(m, t, 'do_huge_pmd_numa_page', mm, block, fault);
    if (numa.type !== 'done') {
      const done = faultOutcome(numa, mm, vma, addr);
      if (done) return done;
      continue;
    }
    const o = runPmd(m, t, 'do_huge_pmd_wp_page', mm, block, fault);
    const done = faultOutcome(o, mm, vma, addr);
    if (done) return done;
  }
}

/**
 * A load or store: through a PMD leaf if the block has one; once there is none (never was, or the fault split it), a
 * fault that v6.17 ends in do_set_pmd maps a shmem THP first (runtime/thp/file.ts) and the access goes through it.
 * Otherwise undefined: the PTE level does the access.
 */
function accessHuge(m: Machine, t: ThpLevel, mm: Mm, addr: number, write: boolean, value: number): StepOutcome | undefined {
  const o = mm.pmd.size > 0 ? accessPmd(m, t, mm, addr, write, value) : undefined;
  if (o !== undefined || !fileThpFault(m, t, mm, addr, write)) return o;
  return accessPmd(m, t, mm, addr, write, value);
}

function completePmd(m: Machine, t: ThpLevel, mm: Mm, addr: number, w: bigint, write: boolean, value: number): StepOutcome {
  const { info, pfn } = pmdRefs(t, w);
  const how = write ? 'write' : 'read';
  if (info.refs === 'page' && pfn === HUGE_ZERO_PFN) {
    // the huge zero folio reads as zeros; no MMU may let a store through to it
    if (!write) return { type: 'value', value: 0 };
    throw new ViolationError(`the MMU allowed a write at ${mm.name}:${addr} through the huge zero PMD`, m.trace.blame(mm.name, blockOf(addr)));
  }
  if (info.refs !== 'page' || pfn < 0) {
    throw new ViolationError(`the MMU allowed a ${how} at ${mm.name}:${addr} through a '${info.kind ?? 'unclassified'}' PMD, which maps no page`, m.trace.blame(mm.name, blockOf(addr)));
  }
  const p = livePage(m.world, pfn + (addr - blockOf(addr)));
  if (!p || pfn === ZERO_PFN) {
    throw new ViolationError(`${how} at ${mm.name}:${addr} through a PMD naming pfn ${pfn}, which is not a live THP`, m.trace.blame(mm.name, blockOf(addr)));
  }
  if (!write) return { type: 'value', value: p.contents };
  p.contents = value;
  return OK;
}

function pagemapPmd(m: Machine, t: ThpLevel, mm: Mm, addr: number): StepOutcome | undefined {
  const block = blockOf(addr);
  if (!mm.pmd.has(block) || !findVma(mm.vmas, addr)) return undefined;
  const flags = new Set<PagemapFlag>();
  runPmd(m, t, 'pagemap_pmd_range', mm, block, {}, { pagemap: flags });
  return { type: 'pagemap', uffd_wp: flags.has('PM_UFFD_WP'), flags: [...flags].sort() };
}

// ------------------------------------------------------------------------------------------------- khugepaged, migration

/**
 * khugepaged's collapse of the aligned block around addr (hpage_collapse_scan_pmd + collapse_huge_page, v6.17
 * mm/khugepaged.c), with max_ptes_none = max_ptes_swap = max_ptes_shared = 0 (a sysfs setting): every PTE of the
 * block maps an exclusive anon page mapped only here, and none carries uffd-wp state ("khugepaged: skip collapse if
 * uffd-wp detected", e1e267c7928f: SCAN_PTE_UFFD_WP; read through the spec's pagemap_pte). Then the block's PTE
 * table goes (each mapping's rmap, reference and rss dropped, as __collapse_huge_page_copy_succeeded does), a THP
 * gets the data, and the spec's collapse_huge_page maps it. Otherwise nothing happens: the user sees nothing either
 * way, which is the promise the oracle holds khugepaged to.
 */
function collapse(m: Machine, t: ThpLevel, mm: Mm | undefined, addr: number): StepOutcome {
  if (!mm) return OK;
  const block = blockOf(addr);
  const vma = findVma(mm.vmas, block);
  if (!vma || !vma.anon || vmaEnd(vma) < block + THP_NR || mm.pmd.has(block) || hasHole(mm.vmas, block, block + THP_NR)) return OK;
  const pages = [];
  for (let i = 0; i < THP_NR; i++) {
    const a = block + i;
    const w = mm.pt.get(a) ?? 0n;
    const e = m.entries.info(w);
    if (e.refs !== 'page' || e.pfn === ZERO_PFN) return OK; // none, zero page, swap, marker, migration: refused
    const p = livePage(m.world, e.pfn);
    if (!p || !p.anon || p.mapcount !== 1 || !p.anonExclusive || !m.module.mmu_read(w)) return OK;
    if (uffdWpAt(m, mm, vma, a)) return OK;
    pages.push(p);
  }
  const head = allocThp(m, t, pages.map((p) => p.contents));
  for (let i = 0; i < THP_NR; i++) {
    const p = pages[i]!;
    mm.pt.delete(block + i);
    p.mapcount--;
    mm.rss.anon--;
    m.putPage(p, 'collapse (old page)');
  }
  // the allocation's reference becomes the PMD's (as alloc_anon_page's becomes the PTE's in do_anonymous_page)
  runPmd(m, t, 'collapse_huge_page', mm, block, { args: { pfn: BigInt(head) } });
  if (!mm.pmd.has(block)) throw new ViolationError(`collapse_huge_page did not map the THP at ${mm.name}:${block}`, m.trace.blame(mm.name, block));
  return OK;
}

function uffdWpAt(m: Machine, mm: Mm, vma: Vma, addr: number): boolean {
  const flags = new Set<PagemapFlag>();
  m.runPath('pagemap_pte', { mm, vma, addr, pagemap: flags }, makeContext(mm, vma));
  return flags.has('PM_UFFD_WP');
}

/**
 * Migration of a THP mapped by PMDs only (try_to_migrate_one -> set_pmd_migration_entry on every PMD naming it, the
 * copy, remove_migration_pmd on every PMD migration entry): the folio moves whole. A folio some PTE maps too (a PMD
 * split in another mm) is split everywhere first and migrated page by page at the PTE level.
 */
function migratePmd(m: Machine, t: ThpLevel, mm: Mm, addr: number): StepOutcome | undefined {
  const block = blockOf(addr);
  const w = mm.pmd.get(block);
  if (w === undefined || !findVma(mm.vmas, addr)) return undefined;
  const { info, pfn: head } = pmdRefs(t, w);
  const old = info.refs === 'page' ? folioPages(m.world, head) : undefined;
  if (!old) return undefined;
  const maps = [...m.world.mms.values()].flatMap((x) => [...x.pmd].filter(([, v]) => pmdRefs(t, v).info.refs === 'page' && pmdRefs(t, v).pfn === head).map(([b]) => ({ mm: x, block: b })));
  if (old.some((p) => p.mapcount !== maps.length)) {
    for (const c of maps) splitPmd(m, t, c.mm, c.block);
    return undefined;
  }
  for (const p of old) p.refcount++; // the migration's own reference (isolation)
  for (const c of maps) runPmd(m, t, 'set_pmd_migration_entry', c.mm, c.block, {});
  const head2 = allocThp(m, t, old.map((p) => p.contents));
  const fresh = folioPages(m.world, head2)!;
  fresh.forEach((p, i) => (p.anonExclusive = old[i]!.anonExclusive));
  const migrate = { dst_pfn: BigInt(head2) };
  for (const c of maps) runPmd(m, t, 'remove_migration_pmd', c.mm, c.block, { migrate });
  for (const p of fresh) m.putPage(p, 'migration (new THP)');
  for (const p of old) {
    if (p.mapcount !== 0 || p.refcount !== 1) {
      throw new ViolationError(`THP migration: old pfn ${p.pfn} still has mapcount ${p.mapcount}, refcount ${p.refcount}`, m.trace.pageSites.get(p.pfn));
    }
    m.putPage(p, 'migration (old THP)');
  }
  return OK;
}
