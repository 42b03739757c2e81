// The contract between a generated spec module (generated/<spec>/<spec>.ts, written by the TS back end) and the
// shared runtime. The runtime knows no bit number: everything about PTE values comes through this interface, and
// everything that is not a PTE (pages, page cache, swap slots, VMAs, uffd state) comes from the runtime through
// HandlerEnv. Generated code imports only types from here. The rows (paths, context, primitives, counters, flags,
// decisions, features) are values in contract/table.ts; the types here are derived from them.
import type { Decision, HandlerContext, LevelName, Primitives, SpecFeatures, SymmetryVerdict, UffdMode, Word } from './table.js';

export type { Decision, EntryPath, HandlerContext, PagemapFlag, Pfn, Primitives, RssCounter, SpecFeatures, SymmetryOptions, SymmetryVerdict, UffdFeature, Word } from './table.js';

/**
 * What an entry refers to (the kind's `refs` clause):
 * - `page`: maps the page (the entry counts in the page's mapcount/refcount and in an rss counter);
 * - `pfn`: names a page without mapping it (migration, hwpoison, device entries);
 * - `slot`: holds one swap count of a swap slot.
 */
export type KindRefs =
  | { readonly target: 'page'; readonly field: string }
  | { readonly target: 'pfn'; readonly field: string }
  | { readonly target: 'slot'; readonly typeField: string; readonly offsetField: string };

export interface KindInfo {
  readonly name: string;
  readonly format: string;
  readonly refs?: KindRefs;
  /** The kind's exact set as ternary cubes: w is in the kind iff (w & mask) === value for some cube. */
  readonly cubes: readonly (readonly [mask: bigint, value: bigint])[];
}

/** Where a handler case came from, for violation reports: "zap_pte_range case #3 (x86_64-v6.17.pte:120)". */
export interface CaseSite {
  readonly path: string;
  readonly index: number;
  readonly kind: string;
  readonly file: string;
  readonly line: number;
}

export type Outcome =
  | { readonly type: 'done' }
  | { readonly type: 'retry' }
  | { readonly type: 'userfault'; readonly mode: UffdMode }
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'hwpoison' };

export interface HandlerEnv {
  /** The handled entry's current value (re-read after every `set`). */
  readonly pte: Word;
  /** Write the handled entry (set_pte_at / ptep_get_and_clear). */
  set(w: Word): void;
  /** copy_page_range only: write the child's entry. */
  copy(w: Word): void;
  readonly ctx: HandlerContext;
  readonly prim: Primitives;
  /** Called by generated code when a case is entered: the runtime keeps the trail for reports. */
  enter(site: CaseSite): void;
  /** `call PATH [with {..}]`: run another path on the same entry, with extra args. */
  call(path: string, args: Readonly<Record<string, bigint>>): Outcome;
}

export type PathFn = (env: HandlerEnv) => Outcome;

/**
 * One page-table level other than the PTE's (`level pmd`, `level huge_pte`, issue #15): its kinds, classify/decode, constants and
 * paths, emitted by the TS back end like the PTE level's. The runtime drives the paths of LEVEL_ENTRY_PATHS
 * (runtime/thp/ the pmd level's, runtime/hugetlb/ the huge_pte level's).
 */
export interface LevelModule {
  readonly level: LevelName;
  readonly kinds: readonly KindInfo[];
  classify(w: Word): string | undefined;
  decode(kind: string, w: Word): Readonly<Record<string, bigint>>;
  /** The level's constants (the shared ones too), by name: the runtime reads the few the contract names. */
  readonly consts: Readonly<Record<string, bigint>>;
  readonly paths: Readonly<Record<string, PathFn>>;
  /** The level's MMU walk (predicates `mmu_read` / `mmu_write` of the level), when it declares one. */
  readonly mmu_read?: (w: Word) => boolean;
  readonly mmu_write?: (w: Word) => boolean;
}

export interface SpecModule {
  readonly name: string;
  readonly description: string;
  readonly word: number;
  readonly kinds: readonly KindInfo[];
  /** The kind of w, or undefined for a gap (the runtime reports it as an invariant violation). */
  classify(w: Word): string | undefined;
  /** Logical field values of w in `kind`'s format. */
  decode(kind: string, w: Word): Readonly<Record<string, bigint>>;
  /** What the MMU allows without a fault: read, and write. Required predicates `mmu_read`, `mmu_write`. */
  mmu_read(w: Word): boolean;
  mmu_write(w: Word): boolean;
  readonly paths: Readonly<Record<string, PathFn>>;
  readonly decisions: Readonly<Record<Decision, (ctx: HandlerContext) => boolean>>;
  /**
   * The userfaultfd features the spec's kernel offers (UFFDIO_API refuses any other with EINVAL), and those it lacks
   * with the compiler's reason (compiler/analysis/uffd-features.ts). Absent: every feature the runtime models.
   */
  readonly uffdFeatures?: SpecFeatures;
  /**
   * Which identities the explorer may renumber for this spec (compiler/analysis/symmetry.ts). Absent: none.
   */
  readonly symmetry?: SymmetryVerdict;
  /**
   * Where each declared decision stands, so that a report can blame a decision (the runtime's uffd-wp leftovers:
   * runtime/uffd-wp-state.ts). Absent in modules generated before it existed.
   */
  readonly decisionSites?: Readonly<Partial<Record<Decision, { readonly file: string; readonly line: number }>>>;
  /** The spec's other levels (absent: a PTE-only spec, or a module generated before levels were emitted). */
  readonly levels?: Readonly<Partial<Record<LevelName, LevelModule>>>;
}
