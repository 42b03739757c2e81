// The mutation test on a page-table level other than the PTE (issue #15): the mutants are made on one of ir.levels
// (its own paths and kinds) and put back into the spec, which is then emitted and explored like any mutant. Each level
// has its own tables of reasons, as the PTE level has EQUIVALENT / NEVER_CREATED in mutation.ts; a level without a
// table here cannot be mutated (there would be no way to tell a blind spot from a case nothing can reach).
import type { IrSpec } from '../../compiler/ir/types.js';
import type { LevelName } from '../../contract/table.js';
import { EQUIVALENT } from './mutation.js';

export interface LevelTables {
  /** The IR whose cases are mutated. */
  readonly ir: IrSpec;
  /** Reviewed equivalent mutants, keyed "path#index:kind" of that IR. */
  readonly equivalent: Readonly<Record<string, string>>;
  /** Kinds the runtime never creates at that level; undefined: the PTE level's tables (mutation.ts). */
  readonly neverCreated?: Readonly<Record<string, string>>;
}

/**
 * huge_pte (runtime/hugetlb/): the hugetlb model has no memory failure of a hugetlb folio and never swaps one (ops.ts
 * refuses MADV_HWPOISON, MADV_PAGEOUT and hole punching on hugetlb as not modelled). So no state ever holds these
 * huge_pte kinds. (Migration entries are made by `migrate` on a hugetlb folio, runtime/hugetlb/fills.ts, and are gone
 * again by the end of the step: their cases are reached through the paths migration runs.)
 */
export const NEVER_CREATED_HUGE_PTE: Readonly<Record<string, string>> = {
  hwpoison: 'no memory failure of a hugetlb folio in the runtime (MADV_HWPOISON on hugetlb is not modelled)',
  swap: 'mm/hugetlb.c never writes a genuine swap or device entry (hugetlb folios are never swapped nor device memory); the kind exists so that the level has no gap',
};

/**
 * huge_pte kinds that exist only inside one runtime op, never between steps: hugetlb migration is one atomic op
 * (runtime/hugetlb/fills.ts hugetlbMigrate: try_to_migrate_one on every mapping, then remove_migration_pte), so only
 * those two paths ever see a migration entry. In the kernel fork, zaps, faults, mprotect, pagemap and mremap race
 * with a migration in flight; the model has no such concurrency (as for base pages: mutation.ts TRANSIENT).
 */
export const TRANSIENT_HUGE_PTE: Readonly<Record<string, string>> = {
  migration_read: 'hugetlb migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
  migration_read_exclusive: 'hugetlb migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
  migration_write: 'hugetlb migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
};

/**
 * Reviewed equivalent mutants of the v6.17 huge_pte paths (examples/mm/linux-v6.17.pte), "path#index:kind", each
 * with why no execution can tell. Filled from a run of the level's mutation test (docs/explore.md, "hugetlb").
 */
export const EQUIVALENT_HUGE_PTE: Readonly<Record<string, string>> = {
  'hugetlb_fault#2:pte_marker':
    'takes guard markers only: the kernel refuses MADV_GUARD_INSTALL on a VM_HUGETLB VMA (v6.17 mm/madvise.c is_valid_guard_vma), so none is ever made',
  'hugetlb_fault#10:protnone':
    'the WARN for a PROT_NONE entry in an accessible VMA: hugetlb makes a protnone entry only by mprotect(PROT_NONE) (no NUMA hinting on hugetlb), and an access to a PROT_NONE VMA is refused by access_error before hugetlb_fault',
  'hugetlb_wp#1:default':
    'the WARN for a non-present entry: hugetlb_wp is only called right after a present entry was written or found, so no execution reaches it',
};

/** The IR and the reasons for mutating `level` of `ir` (undefined or 'pte': the PTE level itself). */
export function levelTables(ir: IrSpec, level: LevelName | undefined): LevelTables {
  if (level === undefined || level === 'pte') return { ir, equivalent: EQUIVALENT };
  const sub = ir.levels?.find((l) => l.level === level);
  if (!sub) throw new Error(`mutation test: spec ${ir.name} has no '${level}' level`);
  if (level !== 'huge_pte') throw new Error(`mutation test: no table of reasons for the '${level}' level (apps/mutation/levels.ts)`);
  return { ir: sub, equivalent: EQUIVALENT_HUGE_PTE, neverCreated: NEVER_CREATED_HUGE_PTE };
}

/** The spec with `mutated` in place of its level of the same name (or the mutated PTE level itself). */
export function withLevel(ir: IrSpec, mutated: IrSpec): IrSpec {
  if (mutated.level === undefined || mutated.level === 'pte') return mutated; // deleteCase/emptyCase kept ir.levels
  return { ...ir, levels: (ir.levels ?? []).map((l) => (l.level === mutated.level ? mutated : l)) };
}
