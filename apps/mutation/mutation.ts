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
//   from the EQUIVALENT table after a human looked at it. The tables hold reasons, never results: a listed mutant
//   that explore kills counts as killed, and a listed key that names no case is reported as stale.
//
// The score is killed / (mutants - equivalent).
import type { IrCase, IrPath, IrSpec } from '../../compiler/ir/types.js';
import { exhaustiveness, type PathView } from '../../compiler/analysis/exhaustiveness.js';
import { calledPaths } from '../../compiler/ir/visit.js';
import { DEFAULT_OPS, type OpName } from '../../runtime/explore/alphabet.js';
import { failureCore } from '../../runtime/explore/counterexample.js';
import { explore, type ExploreResult } from '../../runtime/explore/explore.js';
import { exploreWorlds, runSymmetry } from '../../runtime/explore/explore-worlds.js';
import { loadSpecModule } from '../load-module.js';
import type { PreparedWorld } from '../../runtime/explore/world.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import { levelEntryPaths, type LevelName } from '../../contract/table.js';
import { levelTables, withLevel } from './levels.js';

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
  /** The operators to apply; default both. */
  readonly operators?: readonly MutationOperator[];
  /** Mutate this level's handler cases instead of the PTE level's (apps/mutation/levels.ts); default the PTE level. */
  readonly level?: LevelName;
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
  /** The case's kind, or 'default'. */
  readonly kind: string;
  readonly site: string;
  readonly status: MutantStatus;
  /** check: the new finding; explore: world, length and failure; equivalent/survived: the reason. */
  readonly detail: string;
  /** explore: the counterexample scenario text. */
  readonly scenario?: string;
  /** equivalent: on what grounds (reviewed: the EQUIVALENT table; never created / transient: the kind tables). */
  readonly grounds?: 'reviewed' | 'never created' | 'transient';
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

// ------------------------------------------------------------------------------------------------- check (IR)

/** PTE050/PTE051/PTE052 on the IR: what `ptelab check` reports (compiler/analysis/exhaustiveness.ts), as text. */
export function exhaustivenessFindings(ir: IrSpec): Set<string> {
  const paths: PathView<undefined>[] = ir.paths.map((p) => ({
    name: p.name,
    at: undefined,
    cases: p.cases.map((c) => ({ kind: c.kind, guarded: !!c.guard, at: undefined, calls: calledPaths(c.body).map((path) => ({ path, at: undefined })) })),
  }));
  const findings = exhaustiveness(ir.kinds.map((k) => k.name), paths, levelEntryPaths(ir.level ?? 'pte')).filter((f) => f.code !== 'PTE053');
  return new Set(findings.map((f) => `${f.code} ${f.message}`));
}

/** Does the case do anything? (A body of only `keep` is the empty mutant already.) */
export function hasStatements(c: IrCase): boolean {
  return c.body.some((st) => st.s !== 'keep');
}

/** The spec with case `index` of `path` kept but its statements removed (it claims its entries and does nothing). */
export function emptyCase(ir: IrSpec, path: string, index: number): IrSpec {
  return {
    ...ir,
    paths: ir.paths.map((p) =>
      p.name !== path ? p : { ...p, cases: p.cases.map((c, i): IrCase => (i !== index ? c : { ...c, body: [{ s: 'keep', line: c.site.line }] })) },
    ),
  };
}

/** The spec without case `index` of `path` (cases re-indexed: the emitted module indexes its sites by position). */
export function deleteCase(ir: IrSpec, path: string, index: number): IrSpec {
  return {
    ...ir,
    paths: ir.paths.map((p) =>
      p.name !== path ? p : { ...p, cases: p.cases.filter((_, i) => i !== index).map((c, i): IrCase => ({ ...c, index: i })) },
    ),
  };
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
  // the IR whose cases are mutated (the PTE level, or one of ir.levels) and its tables of reasons
  const tables = levelTables(ir, options.level);
  const target = tables.ir;

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
  const baseFindings = exhaustivenessFindings(target);

  const all: { path: IrPath; c: IrCase; i: number; op: MutationOperator }[] = [];
  for (const p of target.paths) {
    p.cases.forEach((c, i) => {
      for (const op of operators) if (op === 'delete' || hasStatements(c)) all.push({ path: p, c, i, op });
    });
  }
  const caseKeys = new Set(target.paths.flatMap((p) => p.cases.map((c, i) => `${p.name}#${i}:${c.kind ?? 'default'}`)));
  const staleReasons = Object.keys(tables.equivalent).filter((k) => !caseKeys.has(k)).sort();
  const selected = (m: (typeof all)[number]): boolean => {
    if (!options.only) return true;
    const caseId = `${m.path.name}#${m.i}`;
    return options.only.includes(caseId) || options.only.includes(`${caseId}/${m.op}`);
  };
  const todo = all.filter(selected);
  const mutants: MutantResult[] = [];
  for (const { path, c, i, op } of todo) {
    const caseId = `${path.name}#${i}`;
    const kind = c.kind ?? 'default';
    const head = { id: `${caseId}/${op}`, caseId, operator: op, path: path.name, index: i, kind, site: `${c.site.file}:${c.site.line}` };
    const result = await judge();
    mutants.push(result);
    options.onMutant?.(result, mutants.length, todo.length);

    async function judge(): Promise<MutantResult> {
      const mutated = op === 'delete' ? deleteCase(target, path.name, i) : emptyCase(target, path.name, i);
      const mutant = withLevel(ir, mutated);
      const fresh = [...exhaustivenessFindings(mutated)].filter((f) => !baseFindings.has(f));
      if (fresh.length > 0) return { ...head, status: 'check', detail: fresh[0]! };
      const known = tables.equivalent[`${caseId}:${kind}`];
      const covering = coveredBy.get(caseId) ?? [];
      if (covering.length === 0) {
        if (known) return { ...head, status: 'equivalent', detail: known, grounds: 'reviewed' };
        const never = c.kind !== undefined ? (tables.neverCreated ?? NEVER_CREATED)[c.kind] : undefined;
        const transient = c.kind !== undefined && !kindsSeen.has(c.kind) && !tables.neverCreated ? TRANSIENT[c.kind] : undefined;
        const why = never
          ? `never runs: no ${c.kind} entry is ever created (${never})`
          : transient
            ? `never runs: no explored state holds a ${c.kind} entry between steps (${transient})`
            : c.kind !== undefined && !kindsSeen.has(c.kind) && !tables.neverCreated
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
    cases: target.paths.reduce((n, p) => n + p.cases.length, 0),
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
