// The scenario ops on hugetlb VMAs (issue #15, docs/runtime.md "hugetlb"), driving the spec's huge_pte level the way
// mm/hugetlb.c's callers do (v6.17): faults (hugetlb_fault from handle_mm_fault), fork (copy_page_range ->
// copy_hugetlb_page_range, after vma_needs_copy), zaps (unmap_single_vma -> __unmap_hugepage_range with the caller's
// zap flags), change_protection -> hugetlb_change_protection (UFFDIO_WRITEPROTECT, unregister/close resets, mprotect),
// pagemap (pagemap_hugetlb_range), mremap (move_hugetlb_page_tables -> move_huge_pte). ops.ts calls in here for every
// VMA that is_vm_hugetlb_page(); nothing here reads a bit of an entry.
import type { ContextParts, Machine } from '../machine.js';
import { makeContext } from '../machine.js';
import type { StepOutcome } from '../outcome.js';
import { ScenarioError } from '../scenario-error.js';
import { ViolationError } from '../trace.js';
import { faultOutcome } from '../uffd/register.js';
import type { Mm, Vma } from '../world.js';
import type { LevelModule, PagemapFlag } from '../../contract/spec-module.js';
import { folio, hugetlbLevel, hugetlbWorld, runHugetlbPath } from './machine.js';
import { hugetlbMm } from './state.js';

/** An access refused by the MMU is retried at most this many times before it is called a fault loop. */
const MAX_FAULTS = 4;

/** The PTE-level paths ops.ts runs over a range, and their hugetlb counterparts (unmap_single_vma, change_protection). */
const RANGE_PATHS: Readonly<Record<string, string>> = {
  zap_pte_range: '__unmap_hugepage_range',
  change_pte_range: 'hugetlb_change_protection',
};

/** The huge_pte level, or a scenario error: this spec describes no hugetlb entries. */
export function levelOf(m: Machine): LevelModule {
  const level = hugetlbLevel(m);
  if (!level) throw new ScenarioError(`spec ${m.module.name} has no 'level huge_pte' paths: it describes no hugetlb entries`);
  return level;
}

/** The level's MMU walk (`predicate mmu_read/mmu_write on ...` after `level huge_pte`): a hugetlb access needs it. */
function mmuOf(m: Machine, level: LevelModule): { readonly read: (w: bigint) => boolean; readonly write: (w: bigint) => boolean } {
  const { mmu_read, mmu_write } = level;
  if (!mmu_read || !mmu_write) throw new ScenarioError(`spec ${m.module.name}: its huge_pte level declares no mmu_read / mmu_write predicates, so no access to a hugetlb page can be modelled`);
  return { read: mmu_read, write: mmu_write };
}

/** `file H pages N hugetlb`: a hugetlbfs file of N huge pages (memfd_create(MFD_HUGETLB) / a file on hugetlbfs). */
export function createHugetlbFile(m: Machine, name: string, pages: number): StepOutcome {
  if (m.world.files.has(name) || m.world.hugetlb?.files.has(name)) throw new ScenarioError(`file '${name}' already exists`);
  if (pages <= 0) throw new ScenarioError(`file '${name}' needs at least one page`);
  hugetlbWorld(m).files.set(name, { name, size: pages, slots: new Array<null>(pages).fill(null) });
  return { type: 'ok' };
}

/**
 * hugetlbfs_file_mmap(): a writable mapping (VM_WRITE) that reaches past the end of the file grows i_size to its end
 * (pgoff + length), so the new indexes are holes, not beyond i_size (fs/hugetlbfs/inode.c, v5.10 to v6.17, there as
 * hugetlbfs_file_mmap_prepare()).
 */
export function hugetlbMmapGrow(m: Machine, name: string, end: number): void {
  const files = hugetlbWorld(m).files;
  const f = files.get(name);
  if (f && end > f.size) files.set(name, { name, size: end, slots: [...f.slots, ...new Array<null>(end - f.size).fill(null)] });
}

/**
 * A range path of ops.ts on a hugetlb VMA: zap_pte_range -> __unmap_hugepage_range, change_pte_range ->
 * hugetlb_change_protection (NUMA hinting skips hugetlb VMAs: task_numa_work). `parts` is the caller's context.
 */
export function hugetlbRange(m: Machine, mm: Mm, v: Vma, lo: number, hi: number, path: string, parts: ContextParts): void {
  const target = RANGE_PATHS[path];
  if (!target) throw new ViolationError(`${path} on a hugetlb VMA: ptelab has no hugetlb counterpart for it (a bug in ptelab's runtime)`);
  if (parts.prot?.numa) return; // v6.17 kernel/sched/fair.c task_numa_work: is_vm_hugetlb_page() VMAs are skipped
  if (hi <= lo) return;
  const level = levelOf(m);
  const ctx = makeContext(mm, v, parts);
  for (let a = lo; a < hi; a++) runHugetlbPath(m, level, target, { mm, vma: v, addr: a }, ctx);
}

/**
 * free_pgtables() after an unmap of [start, end): what __unmap_hugepage_range left must refer to nothing (a marker
 * kept is discarded with its table, as the kernel does); an entry that still maps a folio would leak it.
 */
export function freeHugetlbPgtables(m: Machine, mm: Mm, start: number, end: number, why: string): void {
  const pt = m.world.hugetlb?.mms.get(mm.name)?.pt;
  if (!pt) return;
  const level = hugetlbLevel(m);
  for (const [a, w] of [...pt]) {
    if (a < start || a >= end) continue;
    const kind = level?.classify(w);
    const info = kind === undefined ? undefined : level!.kinds.find((k) => k.name === kind);
    if (kind === undefined || info?.refs !== undefined) {
      const site = m.trace.blame(mm.name, a);
      throw new ViolationError(`${why}: hugetlb entry ${kind ?? 'unclassified'} 0x${w.toString(16)} at ${mm.name}:${a} left behind by __unmap_hugepage_range` +
        (info?.refs ? ' still refers to a folio (it would leak)' : ''), site, site?.path);
    }
    pt.delete(a);
  }
}

/** At exit, after every VMA was unmapped: the mm's hugetlb_usage must be back at zero. */
export function checkHugetlbUsage(m: Machine, mm: Mm): void {
  const usage = m.world.hugetlb?.mms.get(mm.name)?.usage ?? 0;
  if (usage !== 0) {
    const site = m.trace.mmSites.get(mm.name);
    throw new ViolationError(`Bad hugetlb_usage mm:${mm.name} val:${usage} after every hugetlb VMA was unmapped`, site, site?.path);
  }
}

/**
 * A user load or store in a hugetlb VMA: the MMU reads the huge page's entry (the level's mmu_read / mmu_write); a
 * refused access is access_error() (SIGSEGV) or hugetlb_fault(), retried until the MMU allows it or the fault ends
 * with a signal or a userfault.
 */
export function hugetlbAccess(m: Machine, mm: Mm, vma: Vma, addr: number, write: boolean, value: number): StepOutcome {
  const level = levelOf(m);
  const mmu = mmuOf(m, level);
  for (let faults = 0; ; faults++) {
    const w = m.world.hugetlb?.mms.get(mm.name)?.pt.get(addr) ?? 0n;
    if (write ? mmu.write(w) : mmu.read(w)) return complete(m, level, mm, addr, w, write, value);
    if (write && !vma.writable) return { type: 'sigsegv' };
    if (!vma.readable) return { type: 'sigsegv' };
    if (faults === MAX_FAULTS) {
      const site = m.trace.blame(mm.name, addr);
      throw new ViolationError(`fault loop: the ${write ? 'write' : 'read'} at ${mm.name}:${addr} (hugetlb) still faults after ` +
        `${MAX_FAULTS} hugetlb_fault calls (entry ${level.classify(w) ?? 'unclassified'} 0x${w.toString(16)})`, site, site?.path);
    }
    const o = runHugetlbPath(m, level, 'hugetlb_fault', { mm, vma, addr }, makeContext(mm, vma, { fault: { write, around: false } }));
    const done = faultOutcome(o, mm, vma, addr);
    if (done) return done;
  }
}

function complete(m: Machine, level: LevelModule, mm: Mm, addr: number, w: bigint, write: boolean, value: number): StepOutcome {
  const kind = level.classify(w);
  const info = kind === undefined ? undefined : level.kinds.find((k) => k.name === kind);
  const site = m.trace.blame(mm.name, addr);
  if (!info || info.refs?.target !== 'page') {
    throw new ViolationError(`the MMU allowed a ${write ? 'write' : 'read'} at ${mm.name}:${addr} through a hugetlb '${kind ?? 'unclassified'}' entry, which maps no folio`, site, site?.path);
  }
  const n = level.decode(kind!, w)[info.refs.field]!;
  const f = m.world.hugetlb?.folios[Number(n)];
  if (!f || f.freed) throw new ViolationError(`${write ? 'write' : 'read'} at ${mm.name}:${addr} through a hugetlb entry naming folio ${n}, which is not live`, site, site?.path);
  if (!write) return { type: 'value', value: f.contents };
  f.contents = value;
  return { type: 'ok' };
}

/** copy_page_range() of a hugetlb VMA (the caller asked vma_needs_copy): copy_hugetlb_page_range per huge page. */
export function hugetlbCopy(m: Machine, mm: Mm, v: Vma, child: Mm, cv: Vma): void {
  const level = levelOf(m);
  const ctx = makeContext(mm, v, { dst: { uffd_wp: cv.uffd_wp } });
  for (let a = v.start; a < v.start + v.pages; a++) runHugetlbPath(m, level, 'copy_hugetlb_page_range', { mm, vma: v, addr: a, child: { mm: child, vma: cv } }, ctx);
}

/** /proc/pid/pagemap of a hugetlb address: pagemap_hugetlb_range. */
export function hugetlbPagemap(m: Machine, mm: Mm, vma: Vma, addr: number): StepOutcome {
  const flags = new Set<PagemapFlag>();
  runHugetlbPath(m, levelOf(m), 'pagemap_hugetlb_range', { mm, vma, addr, pagemap: flags }, makeContext(mm, vma));
  return { type: 'pagemap', uffd_wp: flags.has('PM_UFFD_WP'), flags: [...flags].sort() };
}

/**
 * move_hugetlb_page_tables(): each entry of [addr, addr + pages) is taken off the old address and handed to the
 * spec's move_huge_pte at the new one, with the old VMA's context (move.clear_uffd_wp decided by the caller).
 */
export function hugetlbMoveEntries(m: Machine, mm: Mm, dst: Vma, addr: number, pages: number, to: number, parts: ContextParts, oldVma: Vma): void {
  const level = levelOf(m);
  const pt = hugetlbMm(hugetlbWorld(m), mm.name).pt;
  const moved: [number, bigint][] = [];
  for (let a = addr; a < addr + pages; a++) {
    const w = pt.get(a);
    if (w === undefined) continue;
    pt.delete(a);
    moved.push([to + (a - addr), w]);
  }
  for (const [d, w] of moved) pt.set(d, w);
  const ctx = makeContext(mm, oldVma, parts);
  for (let a = to; a < to + pages; a++) runHugetlbPath(m, level, 'move_huge_pte', { mm, vma: dst, addr: a }, ctx);
}

/** Ops the hugetlb model does not cover: a scenario error, so a result is never claimed for them. */
export function notModelled(what: string): never {
  throw new ScenarioError(`${what} on a hugetlb VMA or file is not modelled (docs/runtime.md, "hugetlb")`);
}

/** The folio a hugetlb address maps, for the alphabet and reports (undefined: none). */
export function mappedFolio(m: Machine, mm: Mm, addr: number): number | undefined {
  const level = hugetlbLevel(m);
  const w = m.world.hugetlb?.mms.get(mm.name)?.pt.get(addr);
  if (!level || w === undefined) return undefined;
  const kind = level.classify(w);
  const info = kind === undefined ? undefined : level.kinds.find((k) => k.name === kind);
  if (info?.refs?.target !== 'page') return undefined;
  const n = Number(level.decode(kind!, w)[info.refs.field]!);
  return folio(m, n, 'mappedFolio').hpfn;
}
