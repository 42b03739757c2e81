// The op alphabet: every op the explorer tries in a state, derived from the state itself (its mms, their VMAs, the
// files) so that forks and exits change it. Ops that provably change nothing and observe nothing new in the state at
// hand are left out (a reclaim where no page is mapped, protect on an unregistered VMA, ...): they would only
// re-check a state already checked.
import { KIND_NONE, type EntryInfo, type EntryTable } from '../entries.js';
import type { Op } from '../scenario/types.js';
import { makeContext } from '../machine.js';
import { ZERO_PFN, livePage, type Mm, type Vma, type World } from '../world.js';
import { thpOps } from '../thp/alphabet.js';
import { hugetlbAlphabet } from '../hugetlb/alphabet.js';
import { openUffdNames, registeredVia, via } from '../uffd/contexts.js';
import { uffdFills, uffdVmaOps } from './uffd-ops.js';

/** Op names for --ops, in the order they are tried for each address / mm / file. */
export const OP_NAMES = [
  'read',
  'write',
  'pagemap',
  'protect',
  'resolve',
  'register',
  'unregister',
  'dontneed',
  'pageout',
  'reclaim',
  'migrate',
  'numa',
  'mprotect',
  'munmap',
  'fork',
  'exit',
  'close',
  'evict',
  'punch',
  'swapoff',
  // userfaultfd ioctls that fill a page (issue #14); UFFDIO_WAKE is not tried: it changes nothing in the model
  'copy',
  'zeropage',
  'continue',
  // errors and poison, guard regions
  'poison',
  'hwpoison',
  'swap_error',
  'guard_install',
  'guard_remove',
  // issue #13: mremap of one page to the mirror address (addr ± REMAP_STRIDE), mprotect PROT_NONE
  'mremap',
  'protnone',
  // issue #14: UFFDIO_MOVE of one page into a VM_UFFD_MISSING anon VMA (runtime/uffd/move.ts)
  'move',
  // issue #14 item 3: PAGEMAP_SCAN of one page, reporting PAGE_IS_WRITTEN, and with PM_SCAN_WP_MATCHING
  'scan',
  // issue #15, THP (runtime/thp/alphabet.ts): khugepaged, and the whole-THP ops on a PMD leaf
  'collapse',
  'huge',
  // issue #14 item 5: a long-term GUP pin of one page (pin_user_pages FOLL_PIN | FOLL_LONGTERM) and its release
  'pin',
  'unpin',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** The default alphabet: all but re-registration, mprotect (both), munmap, scan and pins (which only grow the state space). */
export const DEFAULT_OPS: readonly OpName[] = OP_NAMES.filter((n) => n !== 'register' && n !== 'mprotect' && n !== 'munmap' && n !== 'protnone' && n !== 'scan' && n !== 'pin' && n !== 'unpin');

/**
 * mremap moves a page between two fixed places, addr and its mirror addr ± REMAP_STRIDE (MREMAP_FIXED: whatever was
 * there is unmapped first), so repeated moves revisit states instead of walking off through the address space. The
 * bundled worlds map at most 2 pages from 0, below the stride.
 */
export const REMAP_STRIDE = 8;

export interface AlphabetConfig {
  readonly ops: ReadonlySet<OpName>;
  /** At most this many live mms (fork is left out beyond). */
  readonly maxMms: number;
  /** Fork children are named PREFIX<depth+1>. */
  readonly childPrefix: string;
  /** Writes store valueBase + depth + 1: a value no earlier step wrote, so a lost or misdirected write shows. */
  readonly valueBase: number;
}

export function parseOpList(list: string): OpName[] {
  const out: OpName[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    if (!(OP_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown op '${name}' (the ops are ${OP_NAMES.join(', ')})`);
    }
    out.push(name as OpName);
  }
  return out;
}

/** The ops to try in `world` at `depth` (0 = the first op after the setup), in a fixed order. */
export function alphabet(world: World, depth: number, cfg: AlphabetConfig, entries: EntryTable): Op[] {
  const on = cfg.ops;
  const out: Op[] = [];
  for (const mm of world.mms.values()) {
    const name = mm.name;
    for (const v of mm.vmas) {
      if (v.hugetlb) {
        const poison = supports(entries, mm, v, 'uffd_poison_supported');
        hugetlbAlphabet(out, on, world, entries.module.levels?.huge_pte, poison, mm, v, cfg.valueBase + depth + 1, REMAP_STRIDE); // runtime/hugetlb/alphabet.ts
        continue;
      }
      for (let addr = v.start; addr < v.start + v.pages; addr++) {
        if (on.has('read')) out.push({ op: 'read', mm: name, addr });
        if (on.has('write')) out.push({ op: 'write', mm: name, addr, value: cfg.valueBase + depth + 1 });
        if (on.has('pagemap')) out.push({ op: 'pagemap', mm: name, addr });
        // through the context that registered the VMA (several userfaultfds per mm: uffd-ops.ts)
        const own = uffdVmaOps(out, on, mm, v, addr);
        if (own !== null) uffdFills(out, on, name, own, v, addr, cfg.valueBase + depth + 1, { zeropage: true });
        if (on.has('dontneed')) out.push({ op: 'madv_dontneed', mm: name, addr, pages: 1 });
        // reclaim, migrate and pageout do nothing where no page is mapped (pageout: mapped once)
        const e = entries.info(mm.pt.get(addr) ?? 0n);
        const page = e.refs === 'page' && e.pfn !== ZERO_PFN ? livePage(world, e.pfn) : undefined;
        if (page && on.has('pageout') && page.mapcount === 1) out.push({ op: 'madv_pageout', mm: name, addr, pages: 1 });
        if (page && on.has('reclaim')) out.push({ op: 'reclaim', mm: name, addr });
        if (page && on.has('migrate')) out.push({ op: 'migrate', mm: name, addr });
        if (on.has('numa')) out.push({ op: 'numa_scan', mm: name, addr, pages: 1 });
        if (on.has('mprotect')) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: !v.writable });
        if (on.has('munmap')) out.push({ op: 'munmap', mm: name, addr, pages: 1 });
        // UFFDIO_POISON is ENOENT before it touches anything on a VMA that is not registered. An op the spec's kernel
        // does not have (UFFDIO_POISON before v6.6, guard regions before v6.13) is left out, as a world needing a
        // uffd feature the kernel lacks is: its EINVAL would only restate that the kernel is older than the contract
        if (on.has('poison') && own !== null && v.uffd_wp && supports(entries, mm, v, 'uffd_poison_supported')) {
          out.push({ op: 'uffd_poison', mm: name, ...own, addr, pages: 1 });
        }
        // memory failure and swap errors: anonymous memory only, and only where there is a page or a slot to lose
        if (v.anon && (page !== undefined || e.refs === 'slot')) {
          // (memory failure of a pinned page is not modelled: runtime/ops-lost.ts refuses it)
          if (on.has('hwpoison') && !page?.pins) out.push({ op: 'madv_hwpoison', mm: name, addr, pages: 1 });
          if (on.has('swap_error') && !page?.pins && !(e.refs === 'slot' && world.swap.slots[e.slotOffset]?.error)) out.push({ op: 'swap_error', mm: name, addr });
        }
        if (supports(entries, mm, v, 'madv_guard_supported')) {
          if (on.has('guard_install')) out.push({ op: 'madv_guard_install', mm: name, addr, pages: 1 });
          // MADV_GUARD_REMOVE changes nothing where the entry is none or refers to something (a guard marker refers to nothing)
          if (on.has('guard_remove') && e.kind !== KIND_NONE && e.refs === null) out.push({ op: 'madv_guard_remove', mm: name, addr, pages: 1 });
        }
        if (on.has('mremap')) out.push({ op: 'mremap', mm: name, addr, pages: 1, to: addr < REMAP_STRIDE ? addr + REMAP_STRIDE : addr - REMAP_STRIDE });
        if (on.has('protnone') && v.readable) out.push({ op: 'mprotect', mm: name, addr, pages: 1, writable: false, none: true });
        // PAGEMAP_SCAN: the report alone, and the get-and-clear pagemap_ioctl.c does (PM_SCAN_WP_MATCHING |
        // PM_SCAN_CHECK_WPASYNC); a kernel without the ioctl is left out, as UFFDIO_POISON is. The get-and-clear is
        // tried on every entry: on a guard or poisoned marker and a hwpoison entry it sets the swap uffd-wp bit the
        // oracle follows (oracle-lost.ts followsSwapWp), which the next report shows
        if (on.has('scan') && supports(entries, mm, v, 'pagemap_scan_supported')) {
          out.push({ op: 'pagemap_scan', mm: name, addr, pages: 1, wp: false, check: false });
          out.push({ op: 'pagemap_scan', mm: name, addr, pages: 1, wp: true, check: true });
        }
        if (on.has('pin') && canPin(world, mm, v, addr, e)) out.push({ op: 'pin', mm: name, addr });
      }
      out.push(...thpOps(mm, v, on, entries));
    }
    if (on.has('move')) uffdMoves(out, mm, entries);
    if (on.has('unpin') && mm.pins) {
      const seen = new Set<number>();
      for (const { addr } of mm.pins) if (!seen.has(addr)) {
        seen.add(addr);
        out.push({ op: 'unpin', mm: name, addr });
      }
    }
    if (on.has('fork') && world.mms.size < cfg.maxMms) out.push({ op: 'fork', mm: name, child: `${cfg.childPrefix}${depth + 1}` });
    if (on.has('exit')) out.push({ op: 'exit', mm: name });
    // close() of each context: it unregisters that context's VMAs only (userfaultfd_release_all)
    if (on.has('close')) for (const c of openUffdNames(mm)) out.push({ op: 'uffd_close', mm: name, ...via(c) });
  }
  for (const f of world.files.values()) {
    for (let i = 0; i < f.size; i++) {
      const slot = f.slots[i];
      if (on.has('evict') && slot && slot.type === 'page') out.push({ op: 'evict', file: f.name, index: i });
      // (a hole punched over a pinned page is not modelled: runtime/ops.ts punchHole refuses it)
      if (on.has('punch') && !(slot?.type === 'page' && world.pages[slot.pfn]?.pins)) out.push({ op: 'punch_hole', file: f.name, index: i, pages: 1 });
    }
  }
  if (on.has('swapoff') && world.swap.slots.some((s, off) => off > 0 && s !== null)) out.push({ op: 'swapoff' });
  return out;
}

/** Does the spec's kernel have the op at all (its decision for this VMA)? */
function supports(entries: EntryTable, mm: Mm, v: Vma, decision: 'uffd_poison_supported' | 'madv_guard_supported' | 'pagemap_scan_supported'): boolean {
  return entries.module.decisions[decision](makeContext(mm, v));
}

/**
 * UFFDIO_MOVE as user space uses it, to resolve missing faults: one page from any other address of a private anon VMA
 * to each address of an anon VMA registered with VM_UFFD_MISSING (kept to that mode, as the fills are, so the WP-only
 * worlds keep their state spaces). Whether the move is refused (a populated destination, a hole, a page shared since
 * fork, a marker) is the runtime's and the spec's business, so every pair is tried. Left out where the spec's kernel
 * has no UFFDIO_MOVE (before v6.8), as UFFDIO_POISON is.
 */
function uffdMoves(out: Op[], mm: Mm, entries: EntryTable): void {
  if (!entries.module.uffdFeatures?.offered.includes('move')) return;
  for (const dv of mm.vmas) {
    if (!dv.anon || !dv.uffd_missing) continue;
    // through the destination's own context (validate_move_areas refuses any other with EINVAL)
    const own = registeredVia(mm, dv);
    if (own === null) continue;
    for (let dst = dv.start; dst < dv.start + dv.pages; dst++) {
      for (const sv of mm.vmas) {
        if (!sv.anon || sv.shared) continue;
        for (let src = sv.start; src < sv.start + sv.pages; src++) {
          if (src !== dst) out.push({ op: 'uffd_move', mm: mm.name, ...own, addr: dst, pages: 1, src, allowSrcHoles: false, dontwake: false });
        }
      }
    }
  }
}

/**
 * A long-term pin where GUP would take it as ptelab models it (runtime/ops-pin.ts): on a readable VMA, at an address
 * this mm has not pinned yet (a second pin of the same page only adds to a count), and either in a shared mapping
 * (the pin faults the page in like a read) or on an exclusive anon page already mapped: anywhere else v6.17's GUP
 * would first unshare (gup_must_unshare, FAULT_FLAG_UNSHARE), which the runtime refuses as unmodelled.
 */
function canPin(world: World, mm: Mm, v: Vma, addr: number, e: EntryInfo): boolean {
  if (!v.readable || (mm.pins ?? []).some((x) => x.addr === addr)) return false;
  if (v.shared) return true;
  const p = e.refs === 'page' && e.pfn !== ZERO_PFN ? livePage(world, e.pfn) : undefined;
  return p !== undefined && p.anon && p.anonExclusive;
}
