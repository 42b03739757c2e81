// `ptelab explore`: exhaustive, bounded, breadth-first exploration of every sequence of user ops and kernel events
// from a world (SPIN/TLC style). BFS level by level, so the first counterexample is a shortest one; states are
// deduplicated by a 64-bit fingerprint of their canonical form (canonical.ts) in a visited table shared by the
// workers (table.ts); frontier states are kept encoded (codec.ts) in per-worker segments. This thread only runs the
// level barrier: it sizes the table, hands the level to the pool (pool.ts, level.ts), adds up the per-chunk reports,
// and joins the workers' segments into the next frontier. Every counterexample is replayed from its scenario text
// by the ordinary runner.
//
// Determinism: the frontier is cut into chunks by its size alone, every figure is reported per chunk, and the
// table's owner lane orders each new state by its first parent (table.ts): verdict, state counts, transitions and
// the counterexample itself are those of a sequential BFS, whatever the number of workers.
import type { SpecModule } from '../../contract/spec-module.js';
import { DEFAULT_OPS, type OpName } from './alphabet.js';
import type { SymmetryOptions } from './canonical.js';
import { buildCounterexample, type Counterexample } from './counterexample.js';
import { Expander, type ExpanderConfig } from './expander.js';
import {
  ABORT_GROW,
  ABORT_STOP,
  CTL_ABORT,
  CTL_COUNT,
  CTL_FAIL_CHUNK,
  CTL_GROW_AT,
  CTL_NEXT_CHUNK,
  CTL_SIZE,
  CTL_TRANSITIONS,
  NO_FAILURE,
  type ChunkReport,
  type FrontierRef,
  type LevelFailure,
} from './level.js';
import { openPool, type ExplorePool } from './pool.js';
import { allocTable, GROW_LOAD, rehash, tableCapacity, ROOT_OWNER, tableInsert, TARGET_LOAD } from './table.js';
import type { PreparedWorld } from './world.js';

export interface ExploreOptions {
  /** The longest op sequence tried after the setup. */
  readonly depth: number;
  /** Stop storing new states beyond this many (the result is then `incomplete`). Default 2,000,000. */
  readonly maxStates?: number;
  /** The op alphabet (alphabet.ts OP_NAMES); default DEFAULT_OPS. */
  readonly ops?: readonly OpName[];
  /** At most this many live mms (fork bound); default 3. */
  readonly maxMms?: number;
  /** Worker threads; 1 (default) runs in this thread. More need `moduleJs`. */
  readonly workers?: number;
  /** The spec module as JS text (what the workers load). */
  readonly moduleJs?: string;
  /** pfn / swap-offset symmetry reduction (compiler/analysis/symmetry.ts decides when it is sound; the spec module carries the verdict); default off. */
  readonly symmetry?: SymmetryOptions;
  /** Collect the handler cases entered and the kinds created (`sites`, `kinds`, `created` of the result). */
  readonly coverage?: boolean;
  /** With `coverage`: per kind, the one-bit fields that get labels of their own (apps/coverage.ts coverageFlags). */
  readonly coverageFlags?: readonly (readonly [string, readonly string[]])[];
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressIntervalMs?: number;
  /** The workers, shared by several explore() calls (one pool for a whole run); else one is opened and closed here. */
  readonly pool?: ExplorePool;
  /** Stop cleanly (Ctrl-C): the result is `incomplete`, with the figures reached, and `stopped: 'interrupted'`. */
  readonly signal?: AbortSignal;
  /** Stop before (or during) a level that would take the process's resident memory beyond this many bytes. */
  readonly maxMemory?: number;
}

export interface ExploreProgress {
  readonly world: string;
  readonly depth: number;
  readonly states: number;
  readonly transitions: number;
  readonly frontier: number;
  readonly elapsedMs: number;
  readonly rss: number;
}

export interface ExploreStats {
  /** Distinct states stored (the root included). */
  readonly states: number;
  /** Steps run (every op tried in every expanded state). */
  readonly transitions: number;
  /** Steps the runtime refused as ill-formed (never a finding). */
  readonly disabled: number;
  /** The deepest level that holds a state. */
  readonly maxDepth: number;
  /** New states first reached at each depth (index 0: the root). */
  readonly levels: readonly number[];
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  readonly transitionsPerSecond: number;
  readonly visitedBytes: number;
  readonly bytesPerState: number;
  readonly peakFrontierBytes: number;
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  readonly workers: number;
}

export type Verdict = 'counterexample' | 'complete' | 'incomplete';

export interface ExploreResult {
  readonly world: string;
  /** complete: every op sequence of length <= depth was tried (up to state equivalence); incomplete: max-states
   *  was hit first, so "no counterexample" says nothing about what was not stored. */
  readonly verdict: Verdict;
  readonly depth: number;
  /** The frontier ran dry before the depth bound: every reachable state was explored. */
  readonly exhausted: boolean;
  readonly counterexample?: Counterexample;
  readonly stats: ExploreStats;
  /** "path#index" of every case entered, and every kind an entry had (with `coverage`). */
  readonly sites?: readonly string[];
  readonly kinds?: readonly string[];
  /** With `coverage`: the labels (runtime/coverage.ts: kinds, and `kind(FLAG)` for one-bit fields) of every entry
   *  any explored step wrote, failing and duplicate-state steps included. */
  readonly created?: readonly string[];
  /** Why an `incomplete` run stopped early, besides max-states: Ctrl-C, or --max-memory (see `note`). */
  readonly stopped?: 'interrupted' | 'memory';
  readonly note?: string;
}

export const DEFAULT_MAX_STATES = 2_000_000;
export const DEFAULT_MAX_MMS = 3;


/** Chunk size from the level's size alone (never from the worker count: see the header). */
export function chunkSize(frontier: number): number {
  return Math.max(1, Math.min(128, Math.ceil(frontier / 64)));
}

const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;

function sharedCopy(a: Int32Array | Uint8Array): SharedArrayBuffer {
  const b = new SharedArrayBuffer(Math.max(4, a.byteLength));
  new Uint8Array(b).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return b;
}

export async function explore(module: SpecModule, world: PreparedWorld, options: ExploreOptions): Promise<ExploreResult> {
  const t0 = performance.now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const config: ExpanderConfig = {
    world,
    ops: options.ops ?? DEFAULT_OPS,
    maxMms: options.maxMms ?? DEFAULT_MAX_MMS,
    symmetry: options.symmetry ?? { pfns: false, slots: false },
    coverage: options.coverage ?? false,
    ...(options.coverageFlags ? { coverageFlags: options.coverageFlags } : {}),
  };
  const sites = new Set<string>();
  const kinds = new Set<string>();
  const created = new Set<string>();
  const levels: number[] = [];
  let states = 0;
  let transitions = 0;
  let disabled = 0;
  let peakRss = 0;
  let peakHeap = 0;
  let peakFrontier = 0;
  let table = allocTable(1 << 12);
  let workers = Math.max(1, options.workers ?? 1);
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_SIZE * 4));
  let depthNow = 0;
  let frontierCount = 0;
  let stopped: 'interrupted' | 'memory' | undefined;
  let note: string | undefined;

  // process.memoryUsage() walks the heap's spaces (it showed in CPU profiles at 10 calls a second): the resident size
  // alone is cheap; heap figures are sampled every tenth time
  let samples = 0;
  const sample = (full = false): void => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (full || samples++ % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const stop = (why: 'interrupted' | 'memory', text?: string): void => {
    stopped ??= why;
    if (text) note ??= text;
    Atomics.store(ctl, CTL_ABORT, ABORT_STOP);
  };
  const onAbort = (): void => stop('interrupted');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  let lastProgress = t0;
  const timer = setInterval(() => {
    sample();
    if (options.maxMemory !== undefined && peakRss > options.maxMemory) {
      stop('memory', `resident memory ${mb(peakRss)} passed --max-memory ${mb(options.maxMemory)} during depth ${depthNow + 1}`);
    }
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= (options.progressIntervalMs ?? 250)) {
      lastProgress = now;
      options.onProgress({
        world: world.name,
        depth: depthNow + 1,
        states: Math.max(states, Atomics.load(ctl, CTL_COUNT)),
        transitions: transitions + Atomics.load(ctl, CTL_TRANSITIONS),
        frontier: frontierCount,
        elapsedMs: now - t0,
        rss: process.memoryUsage.rss(),
      });
    }
  }, 100);
  timer.unref?.();

  const finish = (verdict: Verdict, exhausted: boolean, counterexample?: Counterexample): ExploreResult => {
    sample(true);
    const elapsedMs = performance.now() - t0;
    const secs = Math.max(elapsedMs, 1e-3) / 1000;
    return {
      world: world.name,
      verdict,
      depth: options.depth,
      exhausted,
      ...(counterexample ? { counterexample } : {}),
      stats: {
        states,
        transitions,
        disabled,
        maxDepth: levels.length - 1,
        levels,
        elapsedMs,
        statesPerSecond: states / secs,
        transitionsPerSecond: transitions / secs,
        visitedBytes: table.byteLength,
        bytesPerState: states > 0 ? table.byteLength / states : 0,
        peakFrontierBytes: peakFrontier,
        peakRss,
        peakHeapUsed: peakHeap,
        workers,
      },
      ...(config.coverage ? { sites: [...sites].sort(), kinds: [...kinds].sort(), created: [...created].sort() } : {}),
      ...(stopped ? { stopped } : {}),
      ...(note ? { note } : {}),
    };
  };

  const pool = options.pool ?? (await openPool(module, workers, options.moduleJs));
  workers = pool.size;
  try {
    // the root: the world after its setup
    const root = new Expander(module, config).root();
    if (root.failure) {
      levels.push(1);
      states = 1;
      return finish('counterexample', false, buildCounterexample(module, config, [], root.failure));
    }
    tableInsert(table, root.fp![0], root.fp![1], ROOT_OWNER);
    states = 1;
    levels.push(1);
    await pool.setWorld(config);
    let frontier: FrontierRef = {
      segments: [{ data: sharedCopy(root.entry!), offsets: sharedCopy(new Int32Array([0])), length: 1, end: root.entry!.length }],
      runs: new Int32Array([0, 0, 1, 0]),
    };
    let first = 0; // global index of the frontier's first state
    frontierCount = 1;
    let perParent = 16; // new states per expanded state, last level (sizes the table)

    for (let depth = 0; depth < options.depth; depth++) {
      depthNow = depth;
      if (frontierCount === 0) return finish('complete', true);
      if (Atomics.load(ctl, CTL_ABORT) === ABORT_STOP) return finish('incomplete', false);
      const frontierBytes = frontier.segments.reduce((n, s) => n + s.end + s.length * 4, 0);
      peakFrontier = Math.max(peakFrontier, frontierBytes);
      // size the table for what this level may add
      // (new states per parent shrink with depth in every bundled world: last level's figure, with a margin, is enough;
      // a level that overfills the table anyway is regrown and run again below)
      const expected = Math.min(Math.ceil(frontierCount * Math.max(perParent, 1) * 1.15) + 1024, Math.max(maxStates - states, 0) + frontierCount * 4);
      if ((states + expected) / tableCapacity(table) > TARGET_LOAD) table = rehash(table, Math.ceil((states + expected) / TARGET_LOAD), Infinity).table;
      // --max-memory: the next level's frontier at this level's bytes per state, and the table
      if (options.maxMemory !== undefined) {
        sample();
        const last = depth === options.depth - 1;
        const need = peakRss + (last ? 0 : (frontierBytes / frontierCount) * frontierCount * Math.max(perParent, 1)) + table.byteLength;
        if (need > options.maxMemory) {
          stop('memory', `depth ${depth + 1} would need about ${mb(need)} (${mb(peakRss)} now, ${frontierCount.toLocaleString('en-US')} states ` +
            `to expand, ~${perParent.toFixed(1)} new states each) and --max-memory is ${mb(options.maxMemory)}: not started`);
          return finish('incomplete', false);
        }
      }
      const size = chunkSize(frontierCount);
      const nChunks = Math.ceil(frontierCount / size);
      let reports;
      for (;;) {
        Atomics.store(ctl, CTL_NEXT_CHUNK, 0);
        Atomics.store(ctl, CTL_COUNT, states);
        Atomics.store(ctl, CTL_TRANSITIONS, 0);
        Atomics.store(ctl, CTL_FAIL_CHUNK, NO_FAILURE);
        Atomics.store(ctl, CTL_GROW_AT, Math.floor(tableCapacity(table) * GROW_LOAD));
        reports = await pool.runLevel({
          depth,
          first,
          count: frontierCount,
          chunkSize: size,
          frontier,
          table: table.buffer as SharedArrayBuffer,
          ctl: ctl.buffer as SharedArrayBuffer,
          encode: depth < options.depth - 1,
          maxStates,
        });
        const abort = Atomics.load(ctl, CTL_ABORT);
        if (abort === ABORT_GROW) {
          // the table filled up during the level: regrow it without this level's states and run the level again
          Atomics.store(ctl, CTL_ABORT, 0);
          table = rehash(table, tableCapacity(table) * 3, first).table;
          continue;
        }
        break;
      }
      if (Atomics.load(ctl, CTL_ABORT) === ABORT_STOP) {
        transitions += Atomics.load(ctl, CTL_TRANSITIONS);
        states = Math.max(states, Atomics.load(ctl, CTL_COUNT));
        return finish('incomplete', false);
      }
      const compacts = await pool.compact();

      // per chunk: what a sequential BFS would have seen, up to its first failure
      const byChunk: (ChunkReport | undefined)[] = new Array(nChunks);
      const where: ({ worker: number; first: number; count: number } | undefined)[] = new Array(nChunks);
      let failure: LevelFailure | undefined;
      reports.forEach((r, w) => {
        for (const c of r.chunks) byChunk[c.chunk] = c;
        for (const c of compacts[w]!.chunks) where[c.chunk] = { worker: w, first: c.first, count: c.count };
        if (r.failure && (!failure || r.failure.chunk < failure.chunk)) failure = r.failure;
      });
      const lastChunk = failure ? failure.chunk : nChunks - 1;
      let added = 0;
      const runs: number[] = [];
      for (let c = 0; c <= lastChunk; c++) {
        const rep = byChunk[c];
        const w = where[c];
        if (!rep || !w) throw new Error(`explore: internal error: chunk ${c} of depth ${depth + 1} was not run (a bug in ptelab: runtime/explore/explore.ts)`);
        transitions += rep.transitions;
        disabled += rep.disabled;
        if (rep.sites) for (const x of rep.sites) sites.add(x);
        if (rep.kinds) for (const x of rep.kinds) kinds.add(x);
        if (rep.created) for (const x of rep.created) created.add(x);
        if (w.count > 0) runs.push(w.worker, w.first, w.count, first + frontierCount + added);
        added += w.count;
      }
      const stored = Math.min(added, Math.max(0, maxStates - states));
      if (stored > 0) levels.push(stored);
      states += stored;
      if (failure) {
        return finish('counterexample', false, buildCounterexample(module, config, failure.path, failure));
      }
      if (states >= maxStates) return finish('incomplete', false);
      perParent = added / frontierCount;
      frontier = { segments: compacts.map((c) => ({ data: c.data, offsets: c.offsets, length: c.length, end: c.end })), runs: new Int32Array(runs) };
      first += frontierCount;
      frontierCount = added;
    }
    return finish('complete', frontierCount === 0);
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (!options.pool) await pool.close();
  }
}
