// The mutation test of the explorer ("no blind spots"): for every handler case of a spec, the spec with that case
// deleted (at the IR level: the case removed from ir.paths, then emitted and loaded like any spec) must be caught:
//
// - by `check`: the exhaustiveness rules (PTE050: an entry path no longer handles a kind; PTE051: a `call` can
//   reach a path that no longer handles the caller's kind), re-run here on the mutant's IR; or
// - by `explore` within the bounds (a counterexample on some world); or
// - be listed as equivalent with a one-line reason: automatically when the baseline exploration never entered the
//   case (deleting code that never runs changes no explored execution; the reason names the kind and whether any
//   explored state ever held such an entry), or from the table below after a human looked at it.
//
// The score is killed / (mutants - equivalent).
import type { IrCase, IrPath, IrSpec, IrStmt } from '../../compiler/ir/types.js';
import { ENTRY_PATHS } from '../spec-module.js';
import { DEFAULT_OPS, type OpName } from './alphabet.js';
import { explore, type ExploreResult } from './explore.js';
import { loadExploreSpec } from './load.js';
import { symmetryFor } from './symmetry.js';
import type { PreparedWorld } from './world.js';
import { bundledWorlds } from './worlds.js';

export interface MutationOptions {
  /** The IR of the spec to mutate (e.g. compileSpec('examples/x86_64-v6.17.pte').ir). */
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
  /** Only these mutants ("path#index", as in the original IR); default all. */
  readonly only?: readonly string[];
  /** Called after each mutant. */
  readonly onMutant?: (r: MutantResult, done: number, total: number) => void;
}

export type MutantStatus = 'check' | 'explore' | 'equivalent' | 'survived';

export interface MutantResult {
  /** "path#index" in the original IR. */
  readonly id: string;
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
}

export interface MutationReport {
  readonly spec: string;
  readonly depth: number;
  readonly worlds: number;
  readonly total: number;
  readonly killedByCheck: number;
  readonly killedByExplore: number;
  readonly equivalent: number;
  readonly survived: number;
  /** killed / (total - equivalent). */
  readonly score: number;
  readonly mutants: readonly MutantResult[];
  readonly elapsedMs: number;
}

/**
 * Mutants a human has looked at and found equivalent (within the runtime's model), keyed by
 * "path#index:kind" of the v6.17 generic mm handlers. Each reason says why no execution can tell.
 */
export const EQUIVALENT: Readonly<Record<string, string>> = {
  'zap_pte_range#11:pte_marker':
    'takes guard markers only (PTE_MARKER_GUARD): nothing makes one (no MADV_GUARD_INSTALL in the runtime, and copy_page_range only copies the bit)',
  'zap_pte_range#12:pte_marker':
    'takes poisoned markers only (PTE_MARKER_POISONED): nothing makes one (no UFFDIO_POISON / memory failure in the runtime)',
  'zap_pte_range#13:pte_marker':
    'takes an empty marker only (no bit set): no handler makes one (the kernel WARNs on it for that reason)',
  'change_pte_range#11:pte_marker':
    'takes poisoned and guard markers only: nothing makes one (no UFFDIO_POISON, MADV_GUARD_INSTALL or memory failure in the runtime)',
  'filemap_map_pages#0:none':
    'fault-around is an optimisation the user cannot see: without it the neighbour page faults on its own access, with the same result',
};

/** Kinds the runtime never creates (only a handler could, and none of the bundled ones does). */
const NEVER_CREATED: Readonly<Record<string, string>> = {
  hwpoison: 'no memory-failure injection in the runtime',
  device_private_read: 'no device memory (ZONE_DEVICE) in the runtime',
  device_private_write: 'no device memory (ZONE_DEVICE) in the runtime',
  device_exclusive: 'no device-exclusive access (make_device_exclusive) in the runtime',
  device_exclusive_read: 'no device-exclusive access (make_device_exclusive) in the runtime',
  device_exclusive_write: 'no device-exclusive access (make_device_exclusive) in the runtime',
  swapin_error: 'swap-in never fails in the runtime',
};

// ------------------------------------------------------------------------------------------------- check (IR)

/** PTE050/PTE051 on the IR: what `ptelab check`'s exhaustiveness rules would report. */
export function exhaustivenessFindings(ir: IrSpec): Set<string> {
  const out = new Set<string>();
  const kinds = ir.kinds.map((k) => k.name);
  const paths = new Map(ir.paths.map((p) => [p.name, p]));
  const handles = (p: IrPath, k: string): boolean => p.cases.some((c) => c.kind === undefined || c.kind === k);
  for (const name of ENTRY_PATHS) {
    const p = paths.get(name);
    if (!p) {
      out.add(`PTE052 the spec has no '${name}' path`);
      continue;
    }
    for (const k of kinds) if (!handles(p, k)) out.add(`PTE050 path '${name}' does not handle kind '${k}'`);
  }
  const calls = (list: readonly IrStmt[], acc: string[] = []): string[] => {
    for (const s of list) {
      if (s.s === 'call') acc.push(s.path);
      else if (s.s === 'if') {
        calls(s.then, acc);
        calls(s.else, acc);
      }
    }
    return acc;
  };
  for (const p of ir.paths) {
    p.cases.forEach((c, i) => {
      const taken = (k: string): boolean => p.cases.slice(0, i).some((e) => !e.guard && (e.kind === undefined || e.kind === k));
      const reaching = (c.kind ? [c.kind] : kinds).filter((k) => !taken(k));
      for (const target of calls(c.body)) {
        const t = paths.get(target);
        if (!t) continue;
        for (const k of reaching) if (!handles(t, k)) out.add(`PTE051 '${p.name}' calls '${target}' with a '${k}' entry, which it does not handle`);
      }
    });
  }
  return out;
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
  const base = {
    depth,
    maxStates: options.maxStates ?? 300_000,
    ops: options.ops ?? DEFAULT_OPS,
    ...(options.maxMms !== undefined ? { maxMms: options.maxMms } : {}),
    workers: options.workers ?? 1,
  };
  const symmetry = symmetryFor(ir);

  // the baseline: clean, and which cases each world's exploration enters
  const original = await loadExploreSpec(ir);
  const coveredBy = new Map<string, PreparedWorld[]>();
  const kindsSeen = new Set<string>(['none']); // a missing entry is a none entry
  const sizes = new Map<PreparedWorld, number>();
  for (const w of worlds) {
    const r = await explore(original.module, w, { ...base, moduleJs: original.js, symmetry, coverage: true });
    if (r.verdict === 'counterexample') {
      throw new Error(`mutation test: the unmutated spec already fails on world '${w.name}': ${r.counterexample!.failure.message}`);
    }
    sizes.set(w, r.stats.states);
    for (const s of r.sites ?? []) coveredBy.set(s, [...(coveredBy.get(s) ?? []), w]);
    for (const k of r.kinds ?? []) kindsSeen.add(k);
  }
  const baseFindings = exhaustivenessFindings(ir);

  const all: { path: IrPath; c: IrCase; i: number }[] = [];
  for (const p of ir.paths) p.cases.forEach((c, i) => all.push({ path: p, c, i }));
  const todo = options.only ? all.filter((m) => options.only!.includes(`${m.path.name}#${m.i}`)) : all;
  const mutants: MutantResult[] = [];
  for (const { path, c, i } of todo) {
    const id = `${path.name}#${i}`;
    const kind = c.kind ?? 'default';
    const head = { id, path: path.name, index: i, kind, site: `${c.site.file}:${c.site.line}` };
    const result = await judge();
    mutants.push(result);
    options.onMutant?.(result, mutants.length, todo.length);

    async function judge(): Promise<MutantResult> {
      const mutant = deleteCase(ir, path.name, i);
      const fresh = [...exhaustivenessFindings(mutant)].filter((f) => !baseFindings.has(f));
      if (fresh.length > 0) return { ...head, status: 'check', detail: fresh[0]! };
      const known = EQUIVALENT[`${id}:${kind}`];
      const covering = coveredBy.get(id) ?? [];
      if (covering.length === 0) {
        if (known) return { ...head, status: 'equivalent', detail: known };
        const never = c.kind !== undefined ? NEVER_CREATED[c.kind] : undefined;
        const why = never
          ? `never runs: no ${c.kind} entry is ever created (${never})`
          : c.kind !== undefined && !kindsSeen.has(c.kind)
            ? `never runs within the bounds: no explored state holds a ${c.kind} entry (depth ${depth})`
            : `never runs within the bounds: no explored step enters it (depth ${depth})`;
        return { ...head, status: never ? 'equivalent' : 'survived', detail: why };
      }
      const loaded = await loadExploreSpec(mutant);
      const order = [...covering].sort((a, b) => (sizes.get(a) ?? 0) - (sizes.get(b) ?? 0));
      let incomplete = false;
      for (const w of order) {
        const r: ExploreResult = await explore(loaded.module, w, { ...base, moduleJs: loaded.js, symmetry });
        if (r.verdict === 'counterexample') {
          const cx = r.counterexample!;
          return {
            ...head,
            status: 'explore',
            detail: `world "${w.name}", ${cx.ops.length} ops: ${cx.failure.kind}: ${cx.failure.message}`,
            scenario: cx.text,
          };
        }
        if (r.verdict === 'incomplete') incomplete = true;
      }
      if (known) return { ...head, status: 'equivalent', detail: known };
      return {
        ...head,
        status: 'survived',
        detail: `runs in ${covering.length} world${covering.length === 1 ? '' : 's'} but no counterexample within depth ${depth}${incomplete ? ' (some explorations incomplete)' : ''}`,
      };
    }
  }

  const count = (s: MutantStatus): number => mutants.filter((m) => m.status === s).length;
  const killedByCheck = count('check');
  const killedByExplore = count('explore');
  const equivalent = count('equivalent');
  const judged = mutants.length - equivalent;
  return {
    spec: ir.name,
    depth,
    worlds: worlds.length,
    total: mutants.length,
    killedByCheck,
    killedByExplore,
    equivalent,
    survived: count('survived'),
    score: judged > 0 ? (killedByCheck + killedByExplore) / judged : 1,
    mutants,
    elapsedMs: performance.now() - t0,
  };
}
