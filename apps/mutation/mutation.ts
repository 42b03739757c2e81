// The mutation test of the explorer ("no blind spots"). Two mutants per handler case of a spec, made at the IR level
// (then emitted and loaded like any spec):
//
// - `delete`: the case is deleted (later cases and the path's fallback see its entries);
// - `empty`: the case stays but its statements are removed (its key statements: it still claims its entries, and
//   does nothing with them: the "path forgot to handle the kind" bug class of the PTE-marker history). Not made for a
//   case whose body is already only `keep` (the mutant would be the spec itself).
//
// Each mutant must be caught:
//
// - by `check`: the exhaustiveness rules (PTE050: an entry path no longer handles a kind; PTE051: a `call` can
//   reach a path that no longer handles the caller's kind), re-run here on the mutant's IR; or
// - by `explore` within the bounds (a counterexample on some world); or
// - be listed as equivalent with a one-line reason: automatically when the baseline exploration never entered the
//   case and no explored state ever held its kind because the runtime cannot create one (NEVER_CREATED below), or
//   its guard is false for every value of its kind (a kernel dispatch-order case: dead-guard.ts), or
//   from the EQUIVALENT table after a human looked at it. The tables hold reasons, never results: a listed mutant
//   that explore kills counts as killed, and a listed key that names no case is reported as stale.
//
// The score is killed / (mutants - equivalent).
import type { IrCase, IrPath, IrSpec } from '../../compiler/ir/types.js';
import { exhaustiveness, type PathView } from '../../compiler/analysis/exhaustiveness.js';
import { calledPaths } from '../../compiler/ir/visit.js';
import { levelEntryPaths } from '../../contract/table.js';
import { DEFAULT_OPS, type OpName } from '../../runtime/explore/alphabet.js';
import { failureCore } from '../../runtime/explore/counterexample.js';
import { explore, type ExploreResult } from '../../runtime/explore/explore.js';
import { exploreWorlds, runSymmetry } from '../../runtime/explore/explore-worlds.js';
import { loadSpecModule } from '../load-module.js';
import { deadGuard } from './dead-guard.js';
import { EQUIVALENT_HUGE_PTE, NEVER_CREATED_HUGE_PTE, TRANSIENT_HUGE_PTE } from './levels.js';
import type { PreparedWorld } from '../../runtime/explore/world.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';

export interface MutationOptions {
  /** The IR of the spec to mutate (e.g. the `ir` of compileClean('examples/x86_64-v6.17.pte')). */
  readonly ir: IrSpec;
  /** Default: every bundled world. */
  readonly worlds?: readonly PreparedWorld[];
  /** Exploration depth per world; default 5. */
  readonly depth?: number;
  /** Per world and mutant; default 300,000. */
  readonly maxStates?: number;
  readonly ops?: readonly OpName[];
  readonly maxMms?: number;
  readonly workers?: number;
  /** Only these mutants: "path#index" (both operators) or "path#index/delete", "path#index/empty"; default all. */
  readonly only?: readonly string[];
  /** Only the cases of this level's paths ('pte', 'pmd'); default every level of the spec. */
  readonly level?: string;
  /** The operators to apply; default both. */
  readonly operators?: readonly MutationOperator[];
  /** Called after each mutant. */
  readonly onMutant?: (r: MutantResult, done: number, total: number) => void;
}

export type MutantStatus = 'check' | 'explore' | 'equivalent' | 'survived';

/** delete: the case is deleted; empty: the case is kept with no statements (see the header). */
export type MutationOperator = 'delete' | 'empty';
export const MUTATION_OPERATORS: readonly MutationOperator[] = ['delete', 'empty'];

export interface MutantResult {
  /** "path#index/operator", the case numbered as in the original IR. */
  readonly id: string;
  /** "path#index": the key of the case (EQUIVALENT is keyed by it and the kind). */
  readonly caseId: string;
  readonly operator: MutationOperator;
  readonly path: string;
  readonly index: number;
  /** The page-table level of the path ('pte', 'pmd'). */
  readonly level: string;
  /** The case's kind, or 'default'. */
  readonly kind: string;
  readonly site: string;
  readonly status: MutantStatus;
  /** check: the new finding; explore: world, length and failure; equivalent/survived: the reason. */
  readonly detail: string;
  /** explore: the counterexample scenario text. */
  readonly scenario?: string;
  /**
   * equivalent: on what grounds (reviewed: the EQUIVALENT table; dead guard: the case's guard is false for every value
   * of its kind, proven on the layout (dead-guard.ts); never created / transient: the kind tables).
   */
  readonly grounds?: 'reviewed' | 'dead guard' | 'never created' | 'transient';
}

export interface OperatorScore {
  readonly total: number;
  readonly killed: number;
  readonly equivalent: number;
  readonly survived: number;
  readonly score: number;
}

export interface MutationReport {
  readonly spec: string;
  readonly depth: number;
  readonly maxStates: number;
  readonly worlds: number;
  /** Handler cases of the spec. */
  readonly cases: number;
  readonly total: number;
  readonly killedByCheck: number;
  readonly killedByExplore: number;
  readonly equivalent: number;
  readonly survived: number;
  /** killed / (total - equivalent). */
  readonly score: number;
  readonly byOperator: Readonly<Record<MutationOperator, OperatorScore>>;
  readonly mutants: readonly MutantResult[];
  /** EQUIVALENT keys that name no case of this spec (the spec changed under the table). */
  readonly staleReasons: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Mutants a human has looked at and found equivalent (within the runtime's model), keyed by
 * "path#index:kind" of the v6.17 generic mm handlers. Each reason says why no execution can tell.
 */
export const EQUIVALENT: Readonly<Record<string, string>> = {
  'zap_pte_range#19:pte_marker':
    'takes guard markers only, and only the zaps that drop markers (munmap, exit) clear them; the emptied case leaves the marker, and the runtime then discards it with the page table (free_pgtables), as the kernel would',
  'change_pte_range#6:hwpoison':
    'sets or clears the swap uffd-wp bit of a hwpoison entry: the contents are lost, every access is the hwpoison signal either way, PM_UFFD_WP of lost contents is not part of the contract, and the zap that ends it (anon VMAs only) leaves no marker',
  'pagemap_pte#4:hwpoison':
    'pagemap of a hwpoison entry: the contract fixes neither PM_UFFD_WP nor anything else for lost contents, and the entry is never a guard',
  'zap_pte_range#21:pte_marker':
    'takes an empty marker only (no bit set): no handler makes one (the kernel WARNs on it for that reason)',
  'filemap_map_pages#0:none':
    'fault-around is an optimisation the user cannot see: without it the neighbour page faults on its own access, with the same result',
  'zap_migration_entry#0:default':
    'called by zap_pte_range for migration entries only, and no migration entry outlives the runtime\'s migrate op (see TRANSIENT)',
  'zap_device_entry#0:default': 'called by zap_pte_range for device-private/exclusive entries only, which the runtime never creates',
  'pte_install_uffd_wp_if_needed#1:default':
    'the WARN for a caller that did not clear the entry first: no caller in the spec does that, so no execution reaches it',
  'pagemap_pfn_swap#0:default':
    'called by pagemap_pte for migration, device and hwpoison entries only: no migration entry outlives the migrate op, the runtime never creates device entries, and for a hwpoison entry (contents lost) the contract fixes neither PM_UFFD_WP nor anything else pagemap_pfn_swap reports',
  // the PMD level (issue #15, runtime/thp/): the WARNs for PMD kinds no state holds between steps (LEVEL_KINDS)
  'collapse_huge_page#1:default': 'the WARN for a PMD that is not pmd_none at collapse: the runtime collapses only a block with no PMD leaf, so no execution reaches it',
  'zap_huge_pmd#7:default': 'takes only PMD kinds no state holds between steps (invalid, swap: see LEVEL_KINDS), so no execution reaches it',
  'copy_huge_pmd#7:default': 'takes only PMD kinds no state holds between steps (invalid, swap: see LEVEL_KINDS), so no execution reaches it',
  'change_huge_pmd#7:default': 'takes only PMD kinds no state holds between steps (invalid, swap: see LEVEL_KINDS), so no execution reaches it',
  'do_huge_pmd_wp_page#1:default': 'a fault reaches the PMD path only through a PMD leaf the runtime holds between steps, trans_huge or protnone, and do_huge_pmd_numa_page takes (retry) every protnone one first, so no execution reaches it',
  'do_huge_pmd_anonymous_page#1:default': 'the WARN for a PMD that is not pmd_none at the THP fault: the runtime (runtime/thp/fault.ts) faults only a block with no PMD leaf, so no execution reaches it',
  '__split_huge_pmd_locked#7:default': 'takes only PMD kinds no state holds between steps (invalid, swap: see LEVEL_KINDS), so no execution reaches it',
  'pagemap_pmd_range#7:default': 'takes only PMD kinds no state holds between steps (invalid, swap: see LEVEL_KINDS), so no execution reaches it',
  'do_set_pmd#0:none':
    'a do_set_pmd that maps nothing (deleted or emptied) is VM_FAULT_FALLBACK: the runtime, as finish_fault does, finishes the fault on the PTEs from the same page-cache folio, which the user cannot tell from a PMD (the contract is per base page). Its bookkeeping is checked by test/runtime/thp-shmem-invariants.test.ts (a do_set_pmd without get_page, page_add_rmap or rss_inc is an invariant failure at the fault)',
  'do_set_pmd#1:default': 'the fallback for a PMD that is no longer pmd_none under the lock: the runtime maps a shmem THP only on a block with no PMD leaf and no PTE (runtime/thp/file.ts), so no execution reaches it',
  'pmd_swp_set_bits#2:default': 'the WARN for an entry change_huge_pmd did not just build: called only on the readable migration entry it made, so no execution reaches it',
  'pmd_swp_set_uffd_wp#3:default': 'the WARN for a caller that passes no PMD migration entry: every caller passes the migration entry it just built',
  'pmd_swp_set_bits_any#3:default': 'the WARN for an entry set_pmd_migration_entry did not just build: called only on the migration entry it made',
  'remove_migration_pmd_bits#1:default': 'the WARN for an entry remove_migration_pmd_one did not just map: called only on the trans_huge PMD it made',
  'pmd_swp_set_uffd_wp#2:migration_write': 'a writable migration entry comes from a writable PMD, which never carries uffd-wp (protection write-protects the PMD), and the fresh entry has the bit clear: clearing it again changes nothing',
  'pmd_swp_set_bits_any#0:migration_write': 'sets soft-dirty, which the contract does not cover (the oracle checks PM_UFFD_WP, not PM_SOFT_DIRTY), and the uffd-wp bit, which a writable migration entry never carries (see pmd_swp_set_uffd_wp#2)',
  // the huge_pte level (issue #15, runtime/hugetlb/): reviewed in apps/mutation/levels.ts
  ...EQUIVALENT_HUGE_PTE,
};

/**
 * Kinds that exist only inside one runtime op, never between steps: the runtime's migration is one atomic op
 * (try_to_migrate_one on every mapping, copy, remove_migration_pte on every migration entry: ops.ts migrateAt), so
 * only those two paths ever see a migration entry. In the kernel other paths race with a migration in flight (fork,
 * zap, faults, mprotect, pagemap see its entries); the runtime does not model that concurrency, so the cases of the
 * other paths for these kinds are equivalent within the model, and a blind spot of it (docs/explore.md).
 */
const TRANSIENT: Readonly<Record<string, string>> = {
  migration_read: 'migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
  migration_read_exclusive: 'migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
  migration_write: 'migration entries exist only inside the runtime\'s migrate op, which is atomic (no concurrent migration is modelled)',
};

/** Kinds the runtime never creates (only a handler could, and none of the bundled ones does). */
const NEVER_CREATED: Readonly<Record<string, string>> = {
  device_private_read: 'no device memory (ZONE_DEVICE) in the runtime',
  device_private_write: 'no device memory (ZONE_DEVICE) in the runtime',
  device_exclusive: 'no device-exclusive access (make_device_exclusive) in the runtime',
  device_exclusive_read: 'no device-exclusive access (make_device_exclusive) in the runtime',
  device_exclusive_write: 'no device-exclusive access (make_device_exclusive) in the runtime',
};

/**
 * Kinds of another level that no state between steps holds, by level, with why (docs/runtime.md, "THP"): the
 * runtime keeps only PMD leaves (mm.pmd), and only trans_huge ones. Like the PTE tables, a rule applies only to a
 * case the unmutated exploration never entered.
 */
const LEVEL_KINDS: Readonly<Record<string, Readonly<Record<string, { readonly grounds: 'never created' | 'transient'; readonly why: string }>>>> = {
  pmd: {
    none: { grounds: 'never created', why: 'the runtime runs a PMD path only on a PMD leaf it holds (collapse_huge_page, do_huge_pmd_anonymous_page and do_set_pmd aside, which run on pmd_none), as v6.17 zap_pmd_range, copy_pmd_range and change_pmd_range call the huge paths only for is_swap_pmd or pmd_trans_huge; an empty PMD is the PTE level' },
    table: { grounds: 'never created', why: 'the runtime holds no PMD table entries: a block mapped by PTEs is the PTE level, which the same callers hand a table PMD to' },
    invalid: { grounds: 'transient', why: 'pmdp_invalidate makes one only inside a PMD path (change_huge_pmd, __split_huge_pmd_locked), never between steps' },
    swap: { grounds: 'never created', why: 'the kernel writes no PMD swap entry other than a migration entry: a THP is split before it goes to swap' },
    migration_read: { grounds: 'transient', why: 'THP migration is one atomic op in the runtime (set_pmd_migration_entry, copy, remove_migration_pmd): no PMD migration entry outlives it' },
    migration_read_exclusive: { grounds: 'transient', why: 'THP migration is one atomic op in the runtime (set_pmd_migration_entry, copy, remove_migration_pmd): no PMD migration entry outlives it' },
    migration_write: { grounds: 'transient', why: 'THP migration is one atomic op in the runtime (set_pmd_migration_entry, copy, remove_migration_pmd): no PMD migration entry outlives it' },
  },  // the huge_pte level (runtime/hugetlb/): its reasons live in apps/mutation/levels.ts
  huge_pte: {
    ...Object.fromEntries(Object.entries(NEVER_CREATED_HUGE_PTE).map(([k, why]) => [k, { grounds: 'never created' as const, why }])),
    ...Object.fromEntries(Object.entries(TRANSIENT_HUGE_PTE).map(([k, why]) => [k, { grounds: 'transient' as const, why }])),
  },
};

/** The spec's levels, each with its IR: the PTE level (the spec itself) first. */
export function irLevels(ir: IrSpec): { readonly level: string; readonly ir: IrSpec }[] {
  return [{ level: 'pte', ir }, ...(ir.levels ?? []).map((l) => ({ level: l.level ?? 'pte', ir: l }))];
}

/** The spec with `f` applied to the level IR that holds `path` (path names are unique across a spec's levels). */
function onPathLevel(ir: IrSpec, path: string, f: (l: IrSpec) => IrSpec, level?: string): IrSpec {
  const holds = (l: IrSpec): boolean => l.paths.some((p) => p.name === path);
  // a level may name a path as the PTE level does (huge_pte's try_to_migrate_one, the PMD's __split_huge_pmd_locked):
  // with `level` the mutant is made on that level only
  if (level === undefined || level === 'pte' ? holds(ir) : false) return f(ir);
  return { ...ir, levels: (ir.levels ?? []).map((l) => (holds(l) && (level === undefined || l.level === level) ? f(l) : l)) };
}

// ------------------------------------------------------------------------------------------------- check (IR)

/** PTE050/PTE051/PTE052 on the IR: what `ptelab check` reports (compiler/analysis/exhaustiveness.ts), as text. */
export function exhaustivenessFindings(ir: IrSpec): Set<string> {
  const out = new Set<string>();
  for (const { level, ir: l } of irLevels(ir)) {
    if (level !== 'pte' && l.paths.length === 0) continue; // a level with no paths (a layout only), as `check` skips it
    const paths: PathView<undefined>[] = l.paths.map((p) => ({
      name: p.name,
      at: undefined,
      cases: p.cases.map((c) => ({ kind: c.kind, guarded: !!c.guard, at: undefined, calls: calledPaths(c.body).map((path) => ({ path, at: undefined })) })),
    }));
    const findings = exhaustiveness(l.kinds.map((k) => k.name), paths, levelEntryPaths(level === 'pte' ? 'pte' : l.level!)).filter((f) => f.code !== 'PTE053');
    for (const f of findings) out.add(`${level === 'pte' ? '' : `${level} level: `}${f.code} ${f.message}`);
  }
  return out;
}

/** Does the case do anything? (A body of only `keep` is the empty mutant already.) */
export function hasStatements(c: IrCase): boolean {
  return c.body.some((st) => st.s !== 'keep');
}

/** The spec with case `index` of `path` kept but its statements removed (it claims its entries and does nothing). */
export function emptyCase(ir: IrSpec, path: string, index: number, level?: string): IrSpec {
  return onPathLevel(ir, path, (l) => ({
    ...l,
    paths: l.paths.map((p) =>
      p.name !== path ? p : { ...p, cases: p.cases.map((c, i): IrCase => (i !== index ? c : { ...c, body: [{ s: 'keep', line: c.site.line }] })) },
    ),
  }), level);
}

/** The spec without case `index` of `path` (cases re-indexed: the emitted module indexes its sites by position). */
export function deleteCase(ir: IrSpec, path: string, index: number, level?: string): IrSpec {
  return onPathLevel(ir, path, (l) => ({
    ...l,
    paths: l.paths.map((p) =>
      p.name !== path ? p : { ...p, cases: p.cases.filter((_, i) => i !== index).map((c, i): IrCase => ({ ...c, index: i })) },
    ),
  }), level);
}

// ------------------------------------------------------------------------------------------------- the run

export async function runMutationTest(options: MutationOptions): Promise<MutationReport> {
  const t0 = performance.now();
  const ir = options.ir;
  const worlds = options.worlds ?? bundledWorlds();
  const depth = options.depth ?? 5;
  const maxStates = options.maxStates ?? 300_000;
  const base = {
    depth,
    maxStates,
    ops: options.ops ?? DEFAULT_OPS,
    ...(options.maxMms !== undefined ? { maxMms: options.maxMms } : {}),
    workers: options.workers ?? 1,
  };
  const operators = options.operators ?? MUTATION_OPERATORS;

  // the baseline: clean, and which cases each world's exploration enters
  const original = await loadSpecModule(ir);
  const coveredBy = new Map<string, PreparedWorld[]>();
  const kindsSeen = new Set<string>(['none']); // a missing entry is a none entry
  const sizes = new Map<PreparedWorld, number>();
  const baseline = await exploreWorlds(original.module, worlds, { ...base, moduleJs: original.js, coverage: true });
  for (const [i, r] of baseline.entries()) {
    const w = worlds[i]!;
    if (r.verdict === 'n/a' || r.verdict === 'error') continue; // a world the spec's kernel cannot run (applicable.ts)
    if (r.verdict === 'counterexample') {
      throw new Error(`mutation test: the unmutated spec already fails on world '${w.name}': ${r.counterexample!.failure.message}`);
    }
    sizes.set(w, r.stats.states);
    for (const s of r.sites ?? []) coveredBy.set(s, [...(coveredBy.get(s) ?? []), w]);
    for (const k of r.kinds ?? []) kindsSeen.add(k);
  }
  const baseFindings = exhaustivenessFindings(ir);

  const all: { path: IrPath; c: IrCase; i: number; op: MutationOperator; level: string }[] = [];
  for (const { level, ir: l } of irLevels(ir)) {
    if (options.level !== undefined && options.level !== level) continue;
    for (const p of l.paths) {
      p.cases.forEach((c, i) => {
        for (const op of operators) if (op === 'delete' || hasStatements(c)) all.push({ path: p, c, i, op, level });
      });
    }
  }
  const caseKeys = new Set(irLevels(ir).flatMap(({ ir: l }) => l.paths.flatMap((p) => p.cases.map((c, i) => `${p.name}#${i}:${c.kind ?? 'default'}`))));
  const staleReasons = Object.keys(EQUIVALENT).filter((k) => !caseKeys.has(k)).sort();
  const selected = (m: (typeof all)[number]): boolean => {
    if (!options.only) return true;
    // an id names a path of options.level, or of the PTE level without one (levels may share path names)
    if (m.level !== (options.level ?? 'pte')) return false;
    const caseId = `${m.path.name}#${m.i}`;
    return options.only.includes(caseId) || options.only.includes(`${caseId}/${m.op}`);
  };
  const todo = all.filter(selected);
  const mutants: MutantResult[] = [];
  for (const { path, c, i, op, level } of todo) {
    const caseId = `${path.name}#${i}`;
    const kind = c.kind ?? 'default';
    const head = { id: `${caseId}/${op}`, caseId, operator: op, path: path.name, index: i, level, kind, site: `${c.site.file}:${c.site.line}` };
    const result = await judge();
    mutants.push(result);
    options.onMutant?.(result, mutants.length, todo.length);

    async function judge(): Promise<MutantResult> {
      const mutant = op === 'delete' ? deleteCase(ir, path.name, i, level) : emptyCase(ir, path.name, i, level);
      const fresh = [...exhaustivenessFindings(mutant)].filter((f) => !baseFindings.has(f));
      if (fresh.length > 0) return { ...head, status: 'check', detail: fresh[0]! };
      const known = EQUIVALENT[`${caseId}:${kind}`];
      const covering = coveredBy.get(caseId) ?? [];
      if (covering.length === 0) {
        if (known) return { ...head, status: 'equivalent', detail: known, grounds: 'reviewed' };
        if (level !== 'pte') {
          const rule = c.kind !== undefined ? LEVEL_KINDS[level]?.[c.kind] : undefined;
          if (rule) return { ...head, status: 'equivalent', detail: `never runs: no ${level} ${c.kind} entry between steps (${rule.why})`, grounds: rule.grounds };
          return { ...head, status: 'survived', detail: `never runs within the bounds: no explored step enters it (depth ${depth})` };
        }
        const dead = deadGuard(ir, c);
        if (dead) return { ...head, status: 'equivalent', detail: dead, grounds: 'dead guard' };
        const never = c.kind !== undefined ? NEVER_CREATED[c.kind] : undefined;
        const transient = c.kind !== undefined && !kindsSeen.has(c.kind) ? TRANSIENT[c.kind] : undefined;
        const why = never
          ? `never runs: no ${c.kind} entry is ever created (${never})`
          : transient
            ? `never runs: no explored state holds a ${c.kind} entry between steps (${transient})`
            : c.kind !== undefined && !kindsSeen.has(c.kind)
              ? `never runs within the bounds: no explored state holds a ${c.kind} entry (depth ${depth})`
              : `never runs within the bounds: no explored step enters it (depth ${depth})`;
        if (never) return { ...head, status: 'equivalent', detail: why, grounds: 'never created' };
        if (transient) return { ...head, status: 'equivalent', detail: why, grounds: 'transient' };
        return { ...head, status: 'survived', detail: why };
      }
      const loaded = await loadSpecModule(mutant);
      const order = [...covering].sort((a, b) => (sizes.get(a) ?? 0) - (sizes.get(b) ?? 0));
      let incomplete = false;
      for (const w of order) {
        const r: ExploreResult = await explore(loaded.module, w, { ...base, moduleJs: loaded.js, symmetry: runSymmetry(loaded.module, {}) });
        if (r.verdict === 'counterexample') {
          const cx = r.counterexample!;
          return {
            ...head,
            status: 'explore',
            detail: `world "${w.name}", ${cx.ops.length} ops: ${cx.failure.kind}: ${failureCore(cx.failure.message)}`,
            scenario: cx.text,
          };
        }
        if (r.verdict === 'incomplete') incomplete = true;
      }
      if (known) return { ...head, status: 'equivalent', detail: known, grounds: 'reviewed' };
      return {
        ...head,
        status: 'survived',
        detail: `runs in ${covering.length} world${covering.length === 1 ? '' : 's'} but no counterexample within depth ${depth}${incomplete ? ' (some explorations incomplete)' : ''}`,
      };
    }
  }

  const tally = (list: readonly MutantResult[]): OperatorScore => {
    const killed = list.filter((m) => m.status === 'check' || m.status === 'explore').length;
    const equivalent = list.filter((m) => m.status === 'equivalent').length;
    const judged = list.length - equivalent;
    return { total: list.length, killed, equivalent, survived: list.length - killed - equivalent, score: judged > 0 ? killed / judged : 1 };
  };
  const count = (st: MutantStatus): number => mutants.filter((m) => m.status === st).length;
  const overall = tally(mutants);
  return {
    spec: ir.name,
    depth,
    maxStates,
    worlds: worlds.length,
    cases: ir.paths.reduce((n, p) => n + p.cases.length, 0),
    total: mutants.length,
    killedByCheck: count('check'),
    killedByExplore: count('explore'),
    equivalent: count('equivalent'),
    survived: count('survived'),
    score: overall.score,
    byOperator: {
      delete: tally(mutants.filter((m) => m.operator === 'delete')),
      empty: tally(mutants.filter((m) => m.operator === 'empty')),
    },
    mutants,
    staleReasons,
    elapsedMs: performance.now() - t0,
  };
}
