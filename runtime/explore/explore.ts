// `ptelab explore`: exhaustive, bounded, breadth-first exploration of every sequence of user ops and kernel events
// from a world (SPIN/TLC style). BFS level by level, so the first counterexample is a shortest one; states are
// deduplicated by a 64-bit fingerprint of their canonical form (canonical.ts) in a compact visited set; frontier
// states are kept encoded (codec.ts). Every counterexample is replayed from its scenario text by the ordinary runner.
//
// Determinism: the frontier is cut into chunks by size alone; chunk results are consumed in frontier order, whether
// they come from this thread or from worker threads, so verdict, state counts and the counterexample itself do not
// depend on the number of workers.
import { Worker } from 'node:worker_threads';
import type { SpecModule } from '../../contract/spec-module.js';
import { DEFAULT_OPS, type OpName } from './alphabet.js';
import { IntArena } from './arena.js';
import type { SymmetryOptions } from './canonical.js';
import { buildCounterexample, type Counterexample } from './counterexample.js';
import { ENTRY_HEADER, Expander, type ChunkResult, type ExpanderConfig } from './expander.js';
import { VisitedSet } from './visited.js';
import type { WorkerInit } from './worker.js';
import { workerScriptUrl } from './worker-url.js';
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
  /** Collect the handler cases entered by any explored step. */
  readonly coverage?: boolean;
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressIntervalMs?: number;
}

export interface ExploreProgress {
  readonly world: string;
  readonly depth: number;
  readonly states: number;
  readonly transitions: number;
  readonly frontier: number;
  readonly elapsedMs: number;
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
}

export const DEFAULT_MAX_STATES = 2_000_000;
export const DEFAULT_MAX_MMS = 3;

/** Chunk size from the level's size alone (never from the worker count: see the header). */
function chunkSize(frontier: number): number {
  return Math.max(1, Math.min(128, Math.ceil(frontier / 64)));
}

interface Chunk {
  readonly first: number; // index of its first entry in the frontier
  readonly start: number; // offsets in the frontier arena
  readonly end: number;
}

type ChunkSource = (chunks: readonly Chunk[], frontier: Int32Array, depth: number) => AsyncGenerator<ChunkResult>;

export async function explore(module: SpecModule, world: PreparedWorld, options: ExploreOptions): Promise<ExploreResult> {
  const t0 = performance.now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const workers = Math.max(1, options.workers ?? 1);
  const config: ExpanderConfig = {
    world,
    ops: options.ops ?? DEFAULT_OPS,
    maxMms: options.maxMms ?? DEFAULT_MAX_MMS,
    symmetry: options.symmetry ?? { pfns: false, slots: false },
    coverage: options.coverage ?? false,
  };
  const expander = new Expander(module, config);
  const visited = new VisitedSet(64, workers > 1); // grows by doubling: small worlds stay small
  const sites = new Set<string>();
  const kinds = new Set<string>();
  const levels: number[] = [];
  let transitions = 0;
  let disabled = 0;
  let peakRss = 0;
  let peakHeap = 0;
  let peakFrontier = 0;
  let lastSample = 0;
  let lastProgress = t0;
  const sample = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastSample < 100) return;
    lastSample = now;
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };

  const finish = (verdict: Verdict, depth: number, exhausted: boolean, counterexample?: Counterexample): ExploreResult => {
    sample(true);
    const elapsedMs = performance.now() - t0;
    const secs = Math.max(elapsedMs, 1e-3) / 1000;
    return {
      world: world.name,
      verdict,
      depth,
      exhausted,
      ...(counterexample ? { counterexample } : {}),
      stats: {
        states: visited.size,
        transitions,
        disabled,
        maxDepth: levels.length - 1,
        levels,
        elapsedMs,
        statesPerSecond: visited.size / secs,
        transitionsPerSecond: transitions / secs,
        visitedBytes: visited.bytes,
        bytesPerState: visited.size > 0 ? visited.bytes / visited.size : 0,
        peakFrontierBytes: peakFrontier,
        peakRss,
        peakHeapUsed: peakHeap,
        workers,
      },
      ...(config.coverage ? { sites: [...sites].sort(), kinds: [...kinds].sort() } : {}),
    };
  };

  // the root: the world after its setup
  const root = expander.root();
  if (root.failure) {
    levels.push(1);
    return finish('counterexample', options.depth, false, buildCounterexample(module, config, [], root.failure));
  }
  visited.add(root.fp![0], root.fp![1]);
  levels.push(1);
  let frontier = new IntArena(root.entry!.length);
  frontier.append(root.entry!, 0, root.entry!.length);
  let offsets: number[] = [0];

  let pool: Pool | undefined;
  let source: ChunkSource;
  if (workers > 1) {
    if (!options.moduleJs) throw new Error('explore: --workers needs the module as JS text (moduleJs)');
    pool = await Pool.start(workers, { moduleJs: options.moduleJs, config });
    source = pool.source(() => visited.view);
  } else {
    source = async function* (chunks, data, depth) {
      const seen = (lo: number, hi: number): boolean => visited.has(lo, hi);
      for (const c of chunks) yield expander.expand(data.subarray(c.start, c.end), depth, seen);
    };
  }

  const pathOf = (data: Int32Array, offset: number): number[] => {
    const n = data[offset + 1]!;
    return Array.from(data.subarray(offset + ENTRY_HEADER, offset + ENTRY_HEADER + n));
  };

  try {
    let capped = false;
    for (let depth = 0; depth < options.depth; depth++) {
      const count = offsets.length;
      if (count === 0) return finish('complete', options.depth, true);
      const size = chunkSize(count);
      const chunks: Chunk[] = [];
      for (let i = 0; i < count; i += size) {
        const j = Math.min(count, i + size);
        chunks.push({ first: i, start: offsets[i]!, end: j < count ? offsets[j]! : frontier.length });
      }
      const data = frontier.data;
      const next = new IntArena(Math.max(1024, frontier.length * 2));
      const nextOffsets: number[] = [];
      let added = 0;
      let k = 0;
      for await (const r of source(chunks, data, depth)) {
        const chunk = chunks[k++]!;
        transitions += r.transitions;
        disabled += r.disabled;
        if (r.sites) for (const s of r.sites) sites.add(s);
        if (r.kinds) for (const x of r.kinds) kinds.add(x);
        const cand = r.candidates;
        for (let p = 0; p < cand.length; ) {
          const entry = cand[p]!;
          const op = cand[p + 1]!;
          const lo = cand[p + 2]!;
          const hi = cand[p + 3]!;
          const encLen = cand[p + 4]!;
          const encStart = p + 5;
          p = encStart + encLen;
          if (capped) continue;
          if (!visited.add(lo, hi)) continue;
          // a new state: [len, pathLen, parent's path..., op, encoding...]
          const parentAt = offsets[chunk.first + entry]!;
          const parentPathLen = data[parentAt + 1]!;
          const at = next.length;
          nextOffsets.push(at);
          next.reserve(ENTRY_HEADER + parentPathLen + 1 + encLen);
          next.push(ENTRY_HEADER + parentPathLen + 1 + encLen);
          next.push(parentPathLen + 1);
          next.append(data, parentAt + ENTRY_HEADER, parentAt + ENTRY_HEADER + parentPathLen);
          next.push(op);
          next.append(cand, encStart, encStart + encLen);
          added++;
          if (visited.size >= maxStates) capped = true;
        }
        if (r.failure) {
          const path = [...pathOf(data, offsets[chunk.first + r.failure.entry]!), r.failure.op];
          if (added > 0) levels.push(added);
          const cex = buildCounterexample(module, config, path, r.failure);
          return finish('counterexample', options.depth, false, cex);
        }
        peakFrontier = Math.max(peakFrontier, frontier.bytes + next.bytes);
        sample();
        const now = performance.now();
        if (options.onProgress && now - lastProgress >= (options.progressIntervalMs ?? 250)) {
          lastProgress = now;
          options.onProgress({ world: world.name, depth: depth + 1, states: visited.size, transitions, frontier: count, elapsedMs: now - t0 });
        }
      }
      if (added > 0) levels.push(added);
      frontier = next;
      offsets = nextOffsets;
      if (capped) return finish('incomplete', options.depth, false);
    }
    return finish('complete', options.depth, offsets.length === 0);
  } finally {
    await pool?.close();
  }
}

// ------------------------------------------------------------------------------------------------- worker pool

interface Pending {
  resolve(r: ChunkResult): void;
  reject(e: Error): void;
}

class Pool {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];

  private constructor(private readonly workers: Worker[]) {
    this.load = workers.map(() => 0);
    workers.forEach((w, i) => {
      w.on('message', (m: { type: string; chunk: number; result?: ChunkResult; message?: string }) => {
        const p = this.pending.get(m.chunk);
        if (!p) return; // a chunk of an abandoned level
        this.pending.delete(m.chunk);
        this.load[i]!--;
        if (m.type === 'result') p.resolve(m.result!);
        else p.reject(new Error(`explore worker: ${m.message}`));
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
    });
  }

  static async start(n: number, init: WorkerInit): Promise<Pool> {
    const url = await workerScriptUrl();
    const workers: Worker[] = [];
    await Promise.all(
      Array.from({ length: n }, () => {
        const w = new Worker(url, { workerData: init });
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          const onMsg = (m: { type: string }) => {
            if (m.type === 'ready') {
              w.off('message', onMsg);
              resolve();
            }
          };
          w.on('message', onMsg);
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`explore worker exited with code ${code} before it was ready`)));
        });
      }),
    );
    return new Pool(workers);
  }

  private submit(data: Int32Array, depth: number, visited: Int32Array): Promise<ChunkResult> {
    const chunk = this.seq++;
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    const p = new Promise<ChunkResult>((resolve, reject) => this.pending.set(chunk, { resolve, reject }));
    p.catch(() => {}); // an abandoned chunk's rejection is not an unhandled one
    this.workers[best]!.postMessage({ type: 'expand', chunk, depth, data, visited }, [data.buffer as ArrayBuffer]);
    return p;
  }

  /** Results in chunk order; a few chunks per worker in flight. */
  source(visited: () => Int32Array): ChunkSource {
    const window = this.workers.length * 3;
    return async function* (this: Pool, chunks: readonly Chunk[], data: Int32Array, depth: number) {
      const inflight: Promise<ChunkResult>[] = [];
      let submitted = 0;
      for (let c = 0; c < chunks.length; c++) {
        while (submitted < chunks.length && submitted < c + window) {
          const ch = chunks[submitted]!;
          inflight[submitted++] = this.submit(data.slice(ch.start, ch.end), depth, visited());
        }
        const r = await inflight[c]!;
        delete inflight[c];
        yield r;
      }
    }.bind(this);
  }

  async close(): Promise<void> {
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
