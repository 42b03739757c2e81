// Every scenario Op, driving the spec's paths the way the kernel's callers do (docs/handlers.md "Entry paths and
// their callers"). The runtime decides which entries a path runs on and with which context; the spec decides what
// happens to each entry. Kernel references are to v6.17 unless stated.
import { KIND_NONE, type EntryInfo } from './entries.js';
import { makeContext, swapInFilePage, type ContextParts, type Cursor, type Machine } from './machine.js';
import { OK, type StepOutcome } from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import { faultOutcome, registerModes } from './uffd/register.js';
import { mfill, registered, wake } from './uffd/mfill.js';
import { closeUffd, openUffd, uffdByName, uffdOfVma } from './uffd/contexts.js';
import { uffdMove } from './uffd/move.js';
import type { Op, UffdFeature, VmaSpec } from './scenario/types.js';
import type { PagemapFlag } from '../contract/spec-module.js';
import { ViolationError, entryKey } from './trace.js';
import { noteDecisionLeftovers } from './uffd-wp-state.js';
import { findVma, hasHole, insertVma, isolateRange, overlaps, removeRange, splitAt, vmaEnd, vmasIn } from './vma.js';
import { guardInstall, guardRemove } from './ops-guard.js';
import { madvHwpoison, swapError, uffdPoison } from './ops-lost.js';
import { isPinned, pin, unpin, unpinAll } from './ops-pin.js';
import { pagemapScan } from './uffd/scan.js';
import { thpAfterFork, thpBefore, thpFileBefore, underPmd } from './thp/ops.js';
import * as H from './hugetlb/ops.js';
import { hugetlbMigrate, hugetlbPoison, poisonPrecheck } from './hugetlb/fills.js';
import {
  SWAP_TYPE,
  ZERO_PFN,
  allocPage,
  allocSwapSlot,
  createMm,
  freeSwapSlot,
  livePage,
  type Mm,
  type Page,
  type Vma,
} from './world.js';

/** An access refused by the MMU is retried at most this many times before it is called a fault loop. */
export const MAX_FAULTS = 4;
/** Fault-around window: fault_around_bytes = 64 KiB = 16 pages, aligned. */
export const FAULT_AROUND_PAGES = 16;

export const err = (errno: string): StepOutcome => ({ type: 'error', errno });
const SIGSEGV: StepOutcome = Object.freeze({ type: 'sigsegv' });

const ZAP_UNMAP = Object.freeze({ drop_markers: true, even_cows: true }); // unmap_vmas(): munmap, exit_mmap
export const ZAP_DONTNEED = Object.freeze({ drop_markers: false, even_cows: true }); // madvise_dontneed_single_vma()
const ZAP_MAPPING = Object.freeze({ drop_markers: false, even_cows: false }); // unmap_mapping_range(.., even_cows = 0)
const PROT_NO_MPROTECT = Object.freeze({ none: false, try_change_writable: false });
const PROT_UFFD_WP = Object.freeze({ uffd_wp: true, uffd_wp_resolve: false, numa: false, wrprotect: false, ...PROT_NO_MPROTECT });
const PROT_RESOLVE = Object.freeze({ uffd_wp: false, uffd_wp_resolve: true, numa: false, wrprotect: false, ...PROT_NO_MPROTECT });
const PROT_NUMA = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: true, wrprotect: false, ...PROT_NO_MPROTECT });
// mprotect_fixup() -> change_protection(vma->vm_page_prot, cp_flags): PROT_READ, PROT_READ|PROT_WRITE (with
// MM_CP_TRY_CHANGE_WRITABLE), PROT_NONE (PAGE_NONE). No uffd-wp flag: the entries' uffd-wp state is carried as is.
const PROT_MPROTECT_RO = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: true, none: false, try_change_writable: false });
const PROT_MPROTECT_RW = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: false, none: false, try_change_writable: true });
const PROT_MPROTECT_NONE = Object.freeze({ uffd_wp: false, uffd_wp_resolve: false, numa: false, wrprotect: true, none: true, try_change_writable: false });

/** Run one op on the machine's world. Throws ViolationError (spec bug) or ScenarioError (ill-formed step). */
export function applyOp(m: Machine, op: Op): StepOutcome {
  // THP (runtime/thp/ops.ts): the PMD part of the op first; an access or pagemap through a PMD leaf ends there
  const thp = thpBefore(m, op);
  if (thp) return thp;
  switch (op.op) {
    case 'file':
      return op.hugetlb ? H.createHugetlbFile(m, op.name, op.pages) : createFile(m, op.name, op.pages, op.huge === true);
    case 'mm':
      if (m.world.mms.has(op.name)) throw new ScenarioError(`mm '${op.name}' already exists`);
      m.world.mms.set(op.name, createMm(op.name));
      return OK;
    case 'mmap':
      return mmap(m, getMm(m, op.mm), op.vma);
    case 'munmap':
      if (op.pages <= 0) return err('EINVAL');
      unmapRange(m, getMm(m, op.mm), op.addr, op.addr + op.pages, 'munmap');
      return OK;
    case 'read':
      return access(m, getMm(m, op.mm), op.addr, false, 0);
    case 'write':
      return access(m, getMm(m, op.mm), op.addr, true, op.value);
    case 'fork':
      return fork(m, getMm(m, op.mm), op.child);
    case 'exit':
      return exit(m, getMm(m, op.mm));
    case 'uffd_open':
      return uffdOpen(m, getMm(m, op.mm), op.features, op.uffd);
    case 'register':
      return registerModes(m, getMm(m, op.mm), op.addr, op.addr + op.pages, op.modes ?? ['wp'], op.uffd);
    case 'unregister':
      return unregister(m, getMm(m, op.mm), op.addr, op.addr + op.pages, op.uffd);
    case 'protect':
      return writeprotect(m, getMm(m, op.mm), op.addr, op.addr + op.pages, true, op.uffd);
    case 'resolve':
      return writeprotect(m, getMm(m, op.mm), op.addr, op.addr + op.pages, false, op.uffd);
    case 'uffd_close':
      return uffdClose(m, getMm(m, op.mm), op.uffd);
    case 'mprotect':
      return mprotect(m, getMm(m, op.mm), op.addr, op.addr + op.pages, op.writable && !op.none, !op.none);
    case 'madv_dontneed':
      return dontneed(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    case 'madv_pageout':
      return pageout(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    case 'punch_hole':
      return punchHole(m, op.file, op.index, op.pages);
    case 'mremap':
      if (op.shrink !== undefined) return mremapShrink(m, getMm(m, op.mm), op.addr, op.pages, op.shrink);
      return mremap(m, getMm(m, op.mm), op.addr, op.pages, op.to, op.dontunmap === true);
    case 'pagemap':
      return pagemap(m, getMm(m, op.mm), op.addr);
    case 'reclaim':
      return reclaimAt(m, getMm(m, op.mm), op.addr);
    case 'evict':
      return evict(m, op.file, op.index);
    case 'migrate':
      return migrateAt(m, getMm(m, op.mm), op.addr);
    case 'numa_scan':
      return numaScan(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    case 'swapoff':
      return swapoff(m);
    case 'uffd_copy':
      return mfill(m, getMm(m, op.mm), 'copy', op.addr, op.pages, op, op.value);
    case 'uffd_zeropage':
      return mfill(m, getMm(m, op.mm), 'zeropage', op.addr, op.pages, op, 0);
    case 'uffd_continue':
      return mfill(m, getMm(m, op.mm), 'continue', op.addr, op.pages, op, 0);
    case 'uffd_wake':
      return wake(getMm(m, op.mm), op.pages, op.uffd);
    case 'uffd_move':
      return uffdMove(m, getMm(m, op.mm), op.src, op.addr, op.pages, op);
    // errors and poison (ops-lost.ts), guard regions (ops-guard.ts)
    case 'uffd_poison':
      if (findVma(getMm(m, op.mm).vmas, op.addr)?.hugetlb) {
        const v = poisonPrecheck(m, getMm(m, op.mm), op.addr, op.addr + op.pages, op.uffd);
        return 'type' in v ? v : hugetlbPoison(m, getMm(m, op.mm), v, op.addr, op.addr + op.pages);
      }
      return uffdPoison(m, getMm(m, op.mm), op.addr, op.addr + op.pages, op.uffd);
    case 'madv_hwpoison':
      onHugetlb(m, op.mm, op.addr, 'MADV_HWPOISON');
      return madvHwpoison(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    case 'swap_error':
      return swapError(m, getMm(m, op.mm), op.addr);
    case 'madv_guard_install':
      onHugetlb(m, op.mm, op.addr, 'MADV_GUARD_INSTALL');
      return guardInstall(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    case 'madv_guard_remove':
      onHugetlb(m, op.mm, op.addr, 'MADV_GUARD_REMOVE');
      return guardRemove(m, getMm(m, op.mm), op.addr, op.addr + op.pages);
    // PAGEMAP_SCAN (uffd/scan.ts), long-term GUP pins (ops-pin.ts): issue #14 items 3 and 5
    case 'pagemap_scan':
      return pagemapScan(m, getMm(m, op.mm), op.addr, op.pages, op.wp, op.check);
    case 'pin':
      return pin(m, getMm(m, op.mm), op.addr);
    case 'unpin':
      return unpin(m, getMm(m, op.mm), op.addr);
    case 'collapse':
      return OK; // thpBefore() did it (a spec without a drivable PMD level has no THP: khugepaged finds nothing)
  }
}

// ------------------------------------------------------------------------------------------------- helpers

/** An op the hugetlb model does not cover, on a hugetlb VMA: a scenario error (runtime/hugetlb/ops.ts). */
function onHugetlb(m: Machine, mm: string, addr: number, what: string): void {
  if (findVma(getMm(m, mm).vmas, addr)?.hugetlb) H.notModelled(what);
}

function getMm(m: Machine, name: string): Mm {
  const mm = m.world.mms.get(name);
  if (!mm) throw new ScenarioError(`no mm '${name}' (never created, or exited)`);
  return mm;
}

export function run(m: Machine, path: string, mm: Mm, vma: Vma, addr: number, parts: ContextParts): void {
  m.runPath(path, { mm, vma, addr }, makeContext(mm, vma, parts));
}

/** Run `path` on every entry of [start, end) that lies in a VMA (the kernel's page-table walk over a range). */
export function runOnRange(m: Machine, mm: Mm, start: number, end: number, path: string, parts: ContextParts): void {
  // vmasIn's VMAs, walked in place (this runs for most ops the explorer tries; paths and primitives never add or
  // remove a VMA)
  const vmas = mm.vmas;
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i]!;
    if (!overlaps(v, start, end)) continue;
    const lo = Math.max(start, v.start);
    const hi = Math.min(end, vmaEnd(v));
    if (v.hugetlb) {
      H.hugetlbRange(m, mm, v, lo, hi, path, protFor(parts, v)); // __unmap_hugepage_range / hugetlb_change_protection
      continue;
    }
    const ctx = makeContext(mm, v, protFor(parts, v));
    for (let a = lo; a < hi; a++) if (!underPmd(mm, a)) m.runPath(path, { mm, vma: v, addr: a }, ctx);
  }
}

/**
 * change_protection() takes the new protection from vma->vm_page_prot (NUMA hinting aside), which is PAGE_NONE in a
 * PROT_NONE VMA whoever calls it: UFFDIO_WRITEPROTECT and the unregister/close resets there keep the entries PROT_NONE.
 */
function protFor(parts: ContextParts, v: Vma): ContextParts {
  const p = parts.prot;
  if (!p || p.numa || p.none || v.readable) return parts;
  return { ...parts, prot: { ...p, none: true, wrprotect: true, try_change_writable: false } };
}

export function info(m: Machine, mm: Mm, addr: number): EntryInfo {
  return m.entries.info(mm.pt.get(addr) ?? 0n);
}

export function violationAt(m: Machine, mm: Mm, addr: number, message: string): ViolationError {
  const site = m.trace.blame(mm.name, addr);
  return new ViolationError(message, site, site?.path);
}

/** Every entry (in every mm) whose kind maps `pfn` via `refs page`, or also names it via `refs pfn`. */
export function entriesNaming(m: Machine, pfn: number, alsoPfnRefs: boolean): Cursor[] {
  const out: Cursor[] = [];
  for (const mm of m.world.mms.values()) {
    for (const [addr, w] of mm.pt) {
      const e = m.entries.info(w);
      if (e.pfn !== pfn || !(e.refs === 'page' || (alsoPfnRefs && e.refs === 'pfn'))) continue;
      const vma = findVma(mm.vmas, addr);
      if (!vma) throw violationAt(m, mm, addr, `entry at ${mm.name}:${addr} lies outside every VMA`);
      out.push({ mm, vma, addr });
    }
  }
  return out;
}

function describeEntry(m: Machine, mm: Mm, addr: number): string {
  const w = mm.pt.get(addr) ?? 0n;
  return `${mm.name}:${addr} (${m.entries.info(w).kind ?? 'unclassified'} 0x${w.toString(16)})`;
}

/** After an rmap walk that must have unmapped the page: nothing maps it any more. */
export function assertUnmapped(m: Machine, p: Page, after: string): void {
  const still = entriesNaming(m, p.pfn, false);
  if (still.length > 0) {
    throw violationAt(m, still[0]!.mm, still[0]!.addr, `page still mapped after ${after}: pfn ${p.pfn} at ${describeEntry(m, still[0]!.mm, still[0]!.addr)}`);
  }
  if (p.mapcount !== 0) {
    const site = m.trace.pageSites.get(p.pfn);
    throw new ViolationError(`page pfn ${p.pfn}: mapcount ${p.mapcount} after ${after}, but no entry maps it`, site, site?.path);
  }
}

/** The last reference is the runtime's own: anything else is a leaked reference. */
export function assertOnlyRefs(m: Machine, p: Page, expected: number, after: string): void {
  if (p.refcount !== expected) {
    const site = m.trace.pageSites.get(p.pfn);
    const extra = p.refcount - expected;
    throw new ViolationError(
      `page pfn ${p.pfn}: refcount ${p.refcount} after ${after}, expected ${expected} ` +
        `(${extra > 0 ? `${extra} leaked reference${extra > 1 ? 's' : ''}` : `${-extra} reference${extra < -1 ? 's' : ''} dropped twice`})`,
      site,
      site?.path,
    );
  }
}

// ------------------------------------------------------------------------------------------------- setup

function createFile(m: Machine, name: string, pages: number, huge: boolean): StepOutcome {
  if (m.world.files.has(name)) throw new ScenarioError(`file '${name}' already exists`);
  if (pages <= 0) throw new ScenarioError(`file '${name}' needs at least one page`);
  m.world.files.set(name, { name, size: pages, slots: new Array<null>(pages).fill(null), ...(huge ? { huge: true as const } : {}) });
  return OK;
}

function mmap(m: Machine, mm: Mm, spec: VmaSpec): StepOutcome {
  if (spec.pages <= 0) return err('EINVAL');
  const hugetlb = spec.type === 'file' && m.world.hugetlb?.files.has(spec.file) === true; // a hugetlbfs file (runtime/hugetlb/)
  if (spec.type === 'file' && !hugetlb && !m.world.files.has(spec.file)) throw new ScenarioError(`no file '${spec.file}'`);
  // MAP_FIXED: whatever was mapped there is unmapped first.
  unmapRange(m, mm, spec.start, spec.start + spec.pages, 'mmap (MAP_FIXED)');
  if (hugetlb) H.hugetlbMmapGrow(m, spec.file, spec.pgoff + spec.pages); // the VMA is writable
  insertVma(mm.vmas, {
    start: spec.start,
    pages: spec.pages,
    anon: spec.type === 'anon',
    file: spec.type === 'file' ? spec.file : null,
    shared: spec.type === 'file' && spec.shared,
    pgoff: spec.type === 'file' ? spec.pgoff : 0,
    writable: true,
    readable: true,
    uffd_wp: false,
    anon_vma: false,
    uffd_missing: false,
    uffd_minor: false,
    uffd_ctx: '',
    hugetlb,
    ...(spec.type === 'anon' && spec.hugepage ? { hugepage: true } : {}),
  });
  return OK;
}

// ------------------------------------------------------------------------------------------------- unmap, exit

/**
 * unmap_vmas() + free_pgtables(): zap with ZAP_FLAG_DROP_MARKER and even_cows, then the page tables go. An entry
 * that still refers to a page or slot would leak it (the kernel's "Bad page map"); one that refers to nothing
 * (a marker left behind) is discarded with its page table, as the kernel does.
 */
function unmapRange(m: Machine, mm: Mm, start: number, end: number, why: string): void {
  runOnRange(m, mm, start, end, 'zap_pte_range', { zap: ZAP_UNMAP });
  freePgtables(m, mm, start, end, why);
  H.freeHugetlbPgtables(m, mm, start, end, why);
  removeRange(mm.vmas, start, end);
}

function freePgtables(m: Machine, mm: Mm, start: number, end: number, why: string): void {
  for (const [a, w] of [...mm.pt]) {
    if (a < start || a >= end) continue;
    const e = m.entries.info(w);
    if (e.kind === undefined || e.refs !== null) {
      throw violationAt(m, mm, a, `${why}: entry ${describeEntry(m, mm, a)} left behind by zap_pte_range` +
        (e.refs ? ` still refers to a ${e.refs === 'slot' ? 'swap slot' : 'page'} (it would leak)` : ''));
    }
    mm.pt.delete(a);
  }
}

const RSS_NAMES = { file: 'MM_FILEPAGES', anon: 'MM_ANONPAGES', swapents: 'MM_SWAPENTS', shmem: 'MM_SHMEMPAGES' } as const;

/** exit_mmap(): unmap everything; check_mm() then wants every rss counter back at zero. */
function exit(m: Machine, mm: Mm): StepOutcome {
  for (const v of [...mm.vmas]) {
    runOnRange(m, mm, v.start, vmaEnd(v), 'zap_pte_range', { zap: ZAP_UNMAP });
  }
  freePgtables(m, mm, -Infinity, Infinity, `exit of ${mm.name}`);
  unpinAll(m, mm);
  H.freeHugetlbPgtables(m, mm, -Infinity, Infinity, `exit of ${mm.name}`);
  H.checkHugetlbUsage(m, mm);
  for (const c of ['file', 'anon', 'swapents', 'shmem'] as const) {
    if (mm.rss[c] !== 0) {
      const site = m.trace.mmSites.get(mm.name);
      throw new ViolationError(`Bad rss-counter state mm:${mm.name} type:${RSS_NAMES[c]} val:${mm.rss[c]}`, site, site?.path);
    }
  }
  m.world.mms.delete(mm.name);
  return OK;
}

// ------------------------------------------------------------------------------------------------- access

/**
 * A user load or store. The MMU decides from the PTE alone (mmu_read/mmu_write); a refused access goes to
 * do_user_addr_fault(): no VMA or a write to a VMA without VM_WRITE is SIGSEGV (access_error()), anything else is
 * handle_pte_fault(), retried until the MMU allows the access or the handler ends it with a signal/userfault.
 */
export function access(m: Machine, mm: Mm, addr: number, write: boolean, value: number): StepOutcome {
  const vma = findVma(mm.vmas, addr);
  if (!vma) return SIGSEGV;
  if (vma.hugetlb) return H.hugetlbAccess(m, mm, vma, addr, write, value);
  const module = m.module;
  let aroundDone = false;
  for (let faults = 0; ; faults++) {
    const w = mm.pt.get(addr) ?? 0n;
    if (write ? module.mmu_write(w) : module.mmu_read(w)) return complete(m, mm, addr, w, write, value);
    if (write && !vma.writable) return SIGSEGV;
    if (!vma.readable) return SIGSEGV; // access_error(): !vma_is_accessible() (mprotect PROT_NONE), never do_numa_page
    if (faults === MAX_FAULTS) {
      const kind = m.entries.info(w).kind ?? 'unclassified';
      throw violationAt(m, mm, addr, `fault loop: the ${write ? 'write' : 'read'} at ${mm.name}:${addr} still faults after ` +
        `${MAX_FAULTS} handle_pte_fault calls (entry ${kind} 0x${w.toString(16)})`);
    }
    // do_read_fault(): ->map_pages() (fault-around) before ->fault(), for a read of a missing file page.
    if (!write && !aroundDone && vma.file !== null && m.entries.info(w).kind === KIND_NONE) {
      aroundDone = true;
      faultAround(m, mm, vma, addr);
    }
    const o = m.runPath('handle_pte_fault', { mm, vma, addr }, makeContext(mm, vma, { fault: { write, around: false } }));
    const done = faultOutcome(o, mm, vma, addr);
    if (done) return done;
  }
}

function complete(m: Machine, mm: Mm, addr: number, w: bigint, write: boolean, value: number): StepOutcome {
  const e = m.entries.info(w);
  const how = write ? 'write' : 'read';
  if (e.refs !== 'page') {
    throw violationAt(m, mm, addr, `the MMU allowed a ${how} at ${mm.name}:${addr} through a '${e.kind ?? 'unclassified'}' entry, which maps no page`);
  }
  if (e.pfn === ZERO_PFN) {
    if (write) throw violationAt(m, mm, addr, `write at ${mm.name}:${addr} went into the zero page (mapped writable)`);
    return { type: 'value', value: 0 };
  }
  const p = livePage(m.world, e.pfn);
  if (!p) throw violationAt(m, mm, addr, `${how} at ${mm.name}:${addr} through an entry naming pfn ${e.pfn}, which is not a live page`);
  if (!write) return { type: 'value', value: p.contents };
  p.contents = value;
  return OK;
}

/** do_fault_around(): map the resident page-cache pages of the none entries around addr, if the spec allows it. */
function faultAround(m: Machine, mm: Mm, vma: Vma, addr: number): void {
  if (!m.module.decisions.should_fault_around(makeContext(mm, vma, { fault: { write: false, around: false } }))) return;
  const start = Math.max(vma.start, addr - (addr % FAULT_AROUND_PAGES));
  const end = Math.min(vmaEnd(vma), addr - (addr % FAULT_AROUND_PAGES) + FAULT_AROUND_PAGES);
  const ctx = makeContext(mm, vma, { fault: { write: false, around: true } });
  for (let a = start; a < end; a++) {
    if (a === addr || info(m, mm, a).kind !== KIND_NONE) continue;
    m.runPath('filemap_map_pages', { mm, vma, addr: a }, ctx);
  }
}

// ------------------------------------------------------------------------------------------------- fork

/**
 * dup_mmap(): the child's VMAs first (dup_userfaultfd(): VM_UFFD_WP survives only with UFFD_FEATURE_EVENT_FORK, and
 * then the child gets its own context with the same features), then copy_page_range() for every VMA for which
 * vma_needs_copy() holds.
 */
function fork(m: Machine, mm: Mm, childName: string): StepOutcome {
  if (m.world.mms.has(childName)) throw new ScenarioError(`mm '${childName}' already exists`);
  const child = createMm(childName);
  // dup_userfaultfd() VMA by VMA: each follows its own context's EVENT_FORK, and the child gets a context for each
  // context of the parent that kept a VMA (runtime/uffd/contexts.ts)
  const kept = new Set<string>();
  for (const v of mm.vmas) {
    const eventFork = registered(v) && uffdOfVma(mm, v.uffd_ctx)?.event_fork === true;
    if (eventFork) kept.add(v.uffd_ctx);
    child.vmas.push({ ...v, uffd_wp: v.uffd_wp && eventFork, uffd_missing: v.uffd_missing && eventFork, uffd_minor: v.uffd_minor && eventFork, uffd_ctx: eventFork ? v.uffd_ctx : '' });
  }
  for (const name of kept) openUffd(child, name, uffdOfVma(mm, name)!);
  m.world.mms.set(childName, child);
  mm.vmas.forEach((v, i) => {
    const cv = child.vmas[i]!;
    const ctx = makeContext(mm, v, { dst: { uffd_wp: cv.uffd_wp } });
    if (!m.module.decisions.vma_needs_copy(ctx)) return;
    if (v.hugetlb) return H.hugetlbCopy(m, mm, v, child, cv); // copy_page_range -> copy_hugetlb_page_range
    for (let a = v.start; a < vmaEnd(v); a++) {
      if (!underPmd(mm, a)) m.runPath('copy_page_range', { mm, vma: v, addr: a, child: { mm: child, vma: cv } }, ctx);
    }
  });
  thpAfterFork(m, mm, child);
  return OK;
}

// ------------------------------------------------------------------------------------------------- userfaultfd

function uffdOpen(m: Machine, mm: Mm, features: readonly UffdFeature[], name: string | undefined): StepOutcome {
  if (uffdByName(mm, name)) {
    throw new ScenarioError(name === undefined
      ? `mm '${mm.name}' already has its first userfaultfd; open another one with a name ('uffd U2') and use it with 'via U2'`
      : `mm '${mm.name}' already has a userfaultfd named '${name}' open`);
  }
  // UFFDIO_API: a feature the kernel does not know is refused, and the process has no usable userfaultfd.
  const offered = m.module.uffdFeatures?.offered;
  if (offered && features.some((f) => !offered.includes(f))) return err('EINVAL');
  openUffd(mm, name, {
    event_fork: features.includes('event_fork'),
    // userfaultfd_api() (fs/userfaultfd.c, v6.7 "userfaultfd: UFFD_FEATURE_WP_ASYNC" to v6.18): WP_ASYNC turns WP_UNPOPULATED on
    wp_unpopulated: features.includes('wp_unpopulated') || features.includes('wp_async'),
    event_remap: features.includes('event_remap'),
    sigbus: features.includes('sigbus'),
    wp_async: features.includes('wp_async'),
  });
  return OK;
}

/**
 * userfaultfd_unregister(): every VMA of the range loses VM_UFFD_WP. Whether its PTEs are reset first
 * (uffd_wp_range(.., false), "mm/uffd: reset write protection when unregister with wp-mode", v6.0) is the spec's
 * `uffd_unregister_resets_wp`; without it the uffd-wp bits and markers stay behind, as in 5.10.
 */
function unregister(m: Machine, mm: Mm, start: number, end: number, uffd: string | undefined): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  if (end <= start) return err('EINVAL');
  const vs = vmasIn(mm.vmas, start, end);
  if (vs.length === 0) return err('EINVAL');
  for (const v of vs) {
    // a VMA another context registered: -EINVAL where the spec's kernel checks it (runtime/uffd/contexts.ts)
    const other = registered(v) && v.uffd_ctx !== (uffd ?? '');
    if (other && m.module.decisions.uffd_unregister_checks_ctx(makeContext(mm, v))) return err('EINVAL');
    if (!m.module.decisions.vma_can_userfault_wp(makeContext(mm, v))) return err('EINVAL');
  }
  for (const v of isolateRange(mm.vmas, start, end)) clearVma(m, mm, v, 'uffd_unregister_resets_wp');
  return OK;
}

/** Drop VM_UFFD_WP from v, first resolving its PTEs if the spec's decision says the kernel does. */
function clearVma(
  m: Machine,
  mm: Mm,
  v: Vma,
  resets: 'uffd_unregister_resets_wp' | 'uffd_release_resets_wp',
): void {
  v.uffd_missing = false; // the other modes go with the registration; only WP leaves state in the PTEs
  v.uffd_minor = false;
  v.uffd_ctx = '';
  if (!v.uffd_wp) return;
  if (m.module.decisions[resets](makeContext(mm, v))) resolveVma(m, mm, v);
  else noteDecisionLeftovers(m, mm, v, resets);
  v.uffd_wp = false;
}

/** change_pte_range(uffd_wp_resolve) over the whole VMA (the kernel's uffd_wp_range(.., false)). */
function resolveVma(m: Machine, mm: Mm, v: Vma): void {
  runOnRange(m, mm, v.start, vmaEnd(v), 'change_pte_range', { prot: PROT_RESOLVE });
}

/**
 * mwriteprotect_range(): VMA by VMA over the range (holes skipped); a VMA without VM_UFFD_WP stops it with ENOENT,
 * after the VMAs before it were done.
 */
function writeprotect(m: Machine, mm: Mm, start: number, end: number, enable: boolean, uffd: string | undefined): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF'); // any open context of the mm (runtime/uffd/contexts.ts)
  if (end <= start) return err('EINVAL');
  const vs = vmasIn(mm.vmas, start, end);
  if (vs.length === 0) return err('ENOENT');
  for (const v of vs) {
    if (!v.uffd_wp) return err('ENOENT');
    runOnRange(m, mm, Math.max(start, v.start), Math.min(end, vmaEnd(v)), 'change_pte_range', {
      prot: enable ? PROT_UFFD_WP : PROT_RESOLVE,
    });
  }
  return OK;
}

/**
 * userfaultfd_release(): every VMA of the context loses VM_UFFD_WP; its PTEs are reset first only when the spec's
 * `uffd_release_resets_wp` says so ("mm/userfaultfd: reset ptes when close() for wr-protected ones", v6.9).
 */
function uffdClose(m: Machine, mm: Mm, uffd: string | undefined): StepOutcome {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  // userfaultfd_release_all(): only the VMAs of the closing context; the others keep theirs (contexts.ts)
  for (const v of mm.vmas) if (registered(v) && v.uffd_ctx === (uffd ?? '')) clearVma(m, mm, v, 'uffd_release_resets_wp');
  closeUffd(mm, uffd);
  return OK;
}

// ------------------------------------------------------------------------------------------------- mprotect, madvise

/**
 * do_mprotect_pkey(): mprotect_fixup() VMA by VMA from start; a hole ends it with ENOMEM. A VMA whose flags do not
 * change is left alone (mprotect_fixup returns early); otherwise VM_READ/VM_WRITE are updated first, then
 * change_protection() runs change_pte_range with the new vm_page_prot: PROT_READ (prot.wrprotect), PROT_READ|PROT_WRITE
 * (prot.try_change_writable: MM_CP_TRY_CHANGE_WRITABLE) or PROT_NONE (prot.none: PAGE_NONE). v6.17 mm/mprotect.c.
 */
function mprotect(m: Machine, mm: Mm, start: number, end: number, writable: boolean, readable: boolean): StepOutcome {
  if (end <= start) return err('EINVAL');
  splitAt(mm.vmas, start);
  splitAt(mm.vmas, end);
  const prot = !readable ? PROT_MPROTECT_NONE : writable ? PROT_MPROTECT_RW : PROT_MPROTECT_RO;
  let at = start;
  for (const v of mm.vmas) {
    if (vmaEnd(v) <= start || v.start >= end) continue;
    if (v.start !== at) return err('ENOMEM');
    at = vmaEnd(v);
    if (v.writable === writable && v.readable === readable) continue; // newflags == oldflags
    v.writable = writable;
    v.readable = readable;
    runOnRange(m, mm, v.start, vmaEnd(v), 'change_pte_range', { prot });
  }
  return at < end ? err('ENOMEM') : OK;
}

/** madvise_walk_vmas(): every VMA in the range is done; a hole makes the result ENOMEM anyway. */
function dontneed(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  if (end <= start) return err('EINVAL');
  runOnRange(m, mm, start, end, 'zap_pte_range', { zap: ZAP_DONTNEED });
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

/** madvise_cold_or_pageout_pte_range(): reclaim each mapped page that is mapped only here (folio_mapcount == 1). */
function pageout(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  if (end <= start) return err('EINVAL');
  if (vmasIn(mm.vmas, start, end).some((v) => v.hugetlb)) H.notModelled('MADV_PAGEOUT');
  for (const v of vmasIn(mm.vmas, start, end)) {
    for (let a = Math.max(start, v.start); a < Math.min(end, vmaEnd(v)); a++) {
      const p = mappedPage(m, mm, a);
      if (p && p.mapcount === 1) reclaimPage(m, p);
    }
  }
  return hasHole(mm.vmas, start, end) ? err('ENOMEM') : OK;
}

// ------------------------------------------------------------------------------------------------- files

/**
 * fallocate(PUNCH_HOLE) on shmem: unmap_mapping_range() first (every mapping of those indices, in every mm, with
 * neither zap flag: private COW pages stay), then shmem_truncate_range() drops page-cache pages and swap slots.
 */
function punchHole(m: Machine, fileName: string, index: number, pages: number): StepOutcome {
  if (m.world.hugetlb?.files.has(fileName)) H.notModelled('fallocate(PUNCH_HOLE)');
  const file = m.world.files.get(fileName);
  if (!file) throw new ScenarioError(`no file '${fileName}'`);
  if (pages <= 0) return err('EINVAL');
  const end = Math.min(index + pages, file.size);
  // truncation takes a pinned page out of the page cache while the pin keeps it alive: not modelled (ops-pin.ts)
  for (let i = index; i < end; i++) {
    const slot = file.slots[i] ?? null;
    const p = slot?.type === 'page' ? m.world.pages[slot.pfn] : undefined;
    if (p && isPinned(p)) throw new ScenarioError(`a hole punched over a pinned page-cache page (${fileName}[${i}]) is not modelled`);
  }
  thpFileBefore(m, fileName, index, end); // PMD-size folios: their PMDs zapped, the folios split (runtime/thp/file.ts)
  for (const mm of m.world.mms.values()) {
    for (const v of mm.vmas) {
      if (v.file !== fileName) continue;
      const lo = Math.max(index, v.pgoff);
      const hi = Math.min(end, v.pgoff + v.pages);
      for (let i = lo; i < hi; i++) run(m, 'zap_pte_range', mm, v, v.start + (i - v.pgoff), { zap: ZAP_MAPPING });
    }
  }
  for (let i = index; i < end; i++) {
    const slot = file.slots[i] ?? null;
    if (slot === null) continue;
    if (slot.type === 'swap') {
      file.slots[i] = null;
      const s = m.world.swap.slots[slot.offset];
      if (!s) throw new ViolationError(`${fileName}[${i}] holds swap slot ${slot.offset}, which is free`);
      m.swapFree(slot.offset, s, 'shmem_truncate_range');
      continue;
    }
    const p = m.world.pages[slot.pfn];
    if (!p || p.freed) throw new ViolationError(`${fileName}[${i}]: page-cache page pfn ${slot.pfn} was freed while in the cache`, m.trace.pageSites.get(slot.pfn));
    assertUnmapped(m, p, 'truncate');
    file.slots[i] = null;
    assertOnlyRefs(m, p, 1, `truncate of ${fileName}[${i}] (only the page cache's reference may remain)`);
    m.putPage(p, 'truncate');
  }
  return OK;
}

function evict(m: Machine, fileName: string, index: number): StepOutcome {
  if (m.world.hugetlb?.files.has(fileName)) return OK; // hugetlb folios are never reclaimed: nothing happens
  const file = m.world.files.get(fileName);
  if (!file) throw new ScenarioError(`no file '${fileName}'`);
  thpFileBefore(m, fileName, index, index + 1); // shmem_writeout splits a PMD-size folio (runtime/thp/file.ts)
  const slot = file.slots[index] ?? null;
  if (slot && slot.type === 'page') {
    const p = livePage(m.world, slot.pfn);
    if (p) reclaimPage(m, p);
  }
  return OK;
}

// ------------------------------------------------------------------------------------------------- reclaim, migration

/** The page an entry maps (refs page, not the zero page), if any. */
export function mappedPage(m: Machine, mm: Mm, addr: number): Page | undefined {
  const e = info(m, mm, addr);
  if (e.refs !== 'page' || e.pfn === ZERO_PFN) return undefined;
  return livePage(m.world, e.pfn);
}

function reclaimAt(m: Machine, mm: Mm, addr: number): StepOutcome {
  const p = findVma(mm.vmas, addr) ? mappedPage(m, mm, addr) : undefined;
  if (p) reclaimPage(m, p);
  return OK;
}

function reclaimPage(m: Machine, p: Page): void {
  // v6.17 shrink_folio_list(): a maybe-pinned anon folio is kept before add_to_swap(), still mapped; a page-cache
  // folio is unmapped first and only then kept (reclaimShmem)
  if (p.anon) {
    if (!isPinned(p)) reclaimAnon(m, p);
  } else reclaimShmem(m, p);
}

/**
 * shrink_folio_list() for an anon page: add_to_swap() (a slot with SWAP_HAS_CACHE), try_to_unmap() (every
 * mapping becomes a swap entry holding one swap count), pageout(), then the page leaves the swap cache and is
 * freed. The runtime holds the isolation reference throughout.
 */
/** Returns the slot the page went to. */
export function reclaimAnon(m: Machine, p: Page): number {
  const world = m.world;
  p.refcount++;
  const off = allocSwapSlot(world, p.contents);
  const reclaim = { slot_type: BigInt(SWAP_TYPE), slot_offset: BigInt(off), hwpoison: false };
  for (const c of entriesNaming(m, p.pfn, false)) run(m, 'try_to_unmap_one', c.mm, c.vma, c.addr, { reclaim });
  assertUnmapped(m, p, 'try_to_unmap_one (anon swap-out)');
  const slot = world.swap.slots[off]!;
  slot.cache = false; // __delete_from_swap_cache()
  if (slot.count === 0) freeSwapSlot(world, off);
  assertOnlyRefs(m, p, 1, 'anon swap-out');
  m.putPage(p, 'anon swap-out');
  return off;
}

/**
 * shmem eviction: try_to_unmap() every mapping (markers are the spec's business), then shmem_writeout() moves the
 * page to a swap slot held by the file (count 1) and the page is freed; a pinned page is only unmapped.
 */
function reclaimShmem(m: Machine, p: Page): void {
  const world = m.world;
  const file = p.file !== null ? world.files.get(p.file) : undefined;
  if (!file) throw new ViolationError(`shmem reclaim: pfn ${p.pfn} is not a page-cache page`);
  p.refcount++;
  for (const c of entriesNaming(m, p.pfn, false)) run(m, 'try_to_unmap_one', c.mm, c.vma, c.addr, {});
  assertUnmapped(m, p, 'try_to_unmap_one (shmem eviction)');
  if (isPinned(p)) {
    // "Folio is unmapped now so it cannot be newly pinned anymore": a maybe-pinned folio stays in the cache
    m.putPage(p, 'reclaim keeps a pinned page');
    return;
  }
  assertOnlyRefs(m, p, 2, 'shmem eviction (page cache + reclaim)');
  const off = allocSwapSlot(world, p.contents);
  const slot = world.swap.slots[off]!;
  slot.count = 1; // the file's reference (the swap entry in the shmem xarray)
  slot.cache = false;
  file.slots[p.index] = { type: 'swap', offset: off };
  p.refcount = 1;
  m.putPage(p, 'shmem eviction');
}

/**
 * migrate_pages() for one page: try_to_migrate() (every mapping becomes a migration entry), copy to a new page
 * (folio_migrate_mapping() moves the page-cache slot), remove_migration_ptes() on every entry naming the old pfn,
 * then the old page is freed. PG_anon_exclusive is carried to the new page (the kernel carries it in the entries).
 */
function migrateAt(m: Machine, mm: Mm, addr: number): StepOutcome {
  if (findVma(mm.vmas, addr)?.hugetlb) return hugetlbMigrate(m, mm, addr); // runtime/hugetlb/fills.ts
  const p = findVma(mm.vmas, addr) ? mappedPage(m, mm, addr) : undefined;
  if (!p || isPinned(p)) return OK; // a pinned page does not migrate (folio_try_share_anon_rmap_pte() / the refcount check)
  const world = m.world;
  p.refcount++;
  for (const c of entriesNaming(m, p.pfn, false)) run(m, 'try_to_migrate_one', c.mm, c.vma, c.addr, {});
  assertUnmapped(m, p, 'try_to_migrate_one');
  const np = allocPage(world, { contents: p.contents, anon: p.anon, file: p.file, index: p.index, refcount: 1 });
  np.anonExclusive = p.anonExclusive;
  if (p.file !== null) {
    world.files.get(p.file)!.slots[p.index] = { type: 'page', pfn: np.pfn };
    np.refcount++;
    p.refcount--;
  }
  const migrate = { dst_pfn: BigInt(np.pfn) };
  for (const c of entriesNaming(m, p.pfn, true)) run(m, 'remove_migration_pte', c.mm, c.vma, c.addr, { migrate });
  m.putPage(np, 'migration (new page)');
  assertOnlyRefs(m, p, 1, 'migration (old page)');
  m.putPage(p, 'migration (old page)');
  return OK;
}

function numaScan(m: Machine, mm: Mm, start: number, end: number): StepOutcome {
  // task_numa_work() skips VMAs that are not vma_is_accessible(): a PROT_NONE range is never NUMA-hinted
  for (const v of vmasIn(mm.vmas, start, end)) {
    if (v.readable) runOnRange(m, mm, Math.max(start, v.start), Math.min(end, vmaEnd(v)), 'change_pte_range', { prot: PROT_NUMA });
  }
  return OK;
}

/**
 * try_to_unuse(): shmem_unuse() brings every shmem swap slot back into the page cache, then unuse_pte() runs on
 * every entry holding a slot. Afterwards no slot may be in use. The device is then on again (swapon), empty.
 */
function swapoff(m: Machine): StepOutcome {
  const world = m.world;
  for (const file of world.files.values()) {
    file.slots.forEach((slot, i) => {
      if (slot && slot.type === 'swap') swapInFilePage(m, file.name, i, slot.offset);
    });
  }
  for (const mm of world.mms.values()) {
    for (const [a, w] of [...mm.pt]) {
      if (m.entries.info(w).refs !== 'slot') continue;
      const vma = findVma(mm.vmas, a);
      if (!vma) throw violationAt(m, mm, a, `entry at ${mm.name}:${a} lies outside every VMA`);
      run(m, 'unuse_pte', mm, vma, a, {});
    }
  }
  const slots = world.swap.slots;
  for (let off = 1; off < slots.length; off++) {
    const s = slots[off];
    if (s) {
      const site = m.trace.slotSites.get(off);
      throw new ViolationError(`swapoff: slot ${SWAP_TYPE}:${off} still in use (count ${s.count}) after unuse_pte`, site, site?.path);
    }
  }
  return OK;
}

// ------------------------------------------------------------------------------------------------- pagemap, mremap

function pagemap(m: Machine, mm: Mm, addr: number): StepOutcome {
  const vma = findVma(mm.vmas, addr);
  if (!vma) return { type: 'pagemap', uffd_wp: false, flags: [] }; // pagemap_pte_hole() outside a VMA
  if (vma.hugetlb) return H.hugetlbPagemap(m, mm, vma, addr);
  const flags = new Set<PagemapFlag>();
  m.runPath('pagemap_pte', { mm, vma, addr, pagemap: flags }, makeContext(mm, vma));
  return { type: 'pagemap', uffd_wp: flags.has('PM_UFFD_WP'), flags: [...flags].sort() };
}

/**
 * mremap(addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED [| MREMAP_DONTUNMAP], to): the destination is unmapped, the
 * source range becomes its own VMA at `to`, and move_ptes() takes each entry off the old address and hands it to the
 * spec's `move_ptes` path at the new one (v6.17 mm/mremap.c). move.clear_uffd_wp is the kernel's need_clear_uffd_wp:
 * the old VMA has VM_UFFD_WP, its context lacks UFFD_FEATURE_EVENT_REMAP, and the spec's `uffd_mremap_resets_wp` says
 * this kernel clears the moved entries' uffd-wp state ("mm: clear uffd-wp PTE/PMD state on mremap()", 0cef0bb836e3,
 * v6.13; 5.10 and 5.19 move them as they are). mremap_userfaultfd_prep() then keeps the moved VMA in the context only
 * with EVENT_REMAP (the EVENT_REMAP message itself is not modelled), else drops VM_UFFD_WP. With MREMAP_DONTUNMAP the
 * old range stays mapped with its flags and registration, its entries now none.
 */
function mremap(m: Machine, mm: Mm, addr: number, pages: number, to: number, dontunmap: boolean): StepOutcome {
  if (pages <= 0) return err('EINVAL');
  if (to < addr + pages && addr < to + pages) return err('EINVAL');
  const src = findVma(mm.vmas, addr);
  if (!src || addr + pages > vmaEnd(src)) return err('EFAULT');
  unmapRange(m, mm, to, to + pages, 'mremap (destination)');
  const [moved] = isolateRange(mm.vmas, addr, addr + pages);
  if (!moved) return err('EFAULT');
  const remap = uffdOfVma(mm, moved.uffd_ctx)?.event_remap === true; // the moved VMA's own context's
  const clear = moved.uffd_wp && !remap && m.module.decisions.uffd_mremap_resets_wp(makeContext(mm, moved));
  const oldCtx = makeContext(mm, moved, { move: { clear_uffd_wp: clear } });
  let dst: Vma = moved;
  if (dontunmap) {
    // move_vma() with MREMAP_DONTUNMAP: a copy of the VMA at `to`; the old one stays, without anon_vma
    // (unlink_anon_vmas: the isolated VMA is the whole old range)
    dst = { ...moved };
    moved.anon_vma = false;
  } else {
    mm.vmas.splice(mm.vmas.indexOf(moved), 1);
  }
  const t = m.trace;
  if (dst.hugetlb) {
    if (dontunmap) H.notModelled('MREMAP_DONTUNMAP');
    dst.start = to;
    insertVma(mm.vmas, dst);
    H.hugetlbMoveEntries(m, mm, dst, addr, pages, to, { move: { clear_uffd_wp: clear } }, moved); // move_hugetlb_page_tables
  }
  for (let a = addr; a < addr + pages && !dst.hugetlb; a++) {
    const w = mm.pt.get(a);
    const d = to + (a - addr);
    const note = t.entryWriter(mm.name, a);
    if (note) t.entryWriters.set(entryKey(mm.name, d), note);
    if (w === undefined) continue;
    mm.pt.delete(a);
    mm.pt.set(d, w);
  }
  if (!dst.hugetlb) {
    dst.start = to;
    insertVma(mm.vmas, dst);
    for (let a = to; a < to + pages; a++) m.runPath('move_ptes', { mm, vma: dst, addr: a }, oldCtx);
  }
  if (moved.uffd_wp && !remap && !clear) noteDecisionLeftovers(m, mm, dst, 'uffd_mremap_resets_wp');
  if (!remap) {
    dst.uffd_wp = false; // mremap_userfaultfd_prep(): no EVENT_REMAP, the new VMA leaves the context
    dst.uffd_missing = false; // with every mode it was registered in
    dst.uffd_minor = false;
    dst.uffd_ctx = '';
  }
  return OK;
}

/**
 * mremap(addr, old_len, new_len < old_len, 0): shrink in place. The tail is unmapped as munmap does
 * (do_vmi_munmap: zap with ZAP_FLAG_DROP_MARKER); no entry moves.
 */
function mremapShrink(m: Machine, mm: Mm, addr: number, pages: number, newPages: number): StepOutcome {
  if (pages <= 0 || newPages <= 0 || newPages > pages) return err('EINVAL');
  const src = findVma(mm.vmas, addr);
  if (!src || addr + pages > vmaEnd(src)) return err('EFAULT');
  if (newPages < pages) unmapRange(m, mm, addr + newPages, addr + pages, 'mremap (shrink)');
  return OK;
}
