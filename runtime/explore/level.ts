// One BFS level, as run by every worker (a worker thread, or this thread with one worker): claim chunks of the
// frontier (a shared counter), decode each state, run every op of its alphabet through a Session (the same stepping,
// invariants and oracle as `ptelab run`), fingerprint the successors into the shared visited table (table.ts) and
// append the new ones to this worker's own output segment. Then, once every worker is done (the level barrier in
// explore.ts), compact(): keep the successors this worker's parent still owns.
//
// Chunks are cut from the level's size alone, and everything reported is per chunk, so explore.ts can add up exactly
// what a sequential BFS would have seen up to its first failure: the result does not depend on the worker count.
import type { Coverage } from '../coverage.js';
import { createOracle, restoreOracle } from '../oracle.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { createWorld, restoreWorld } from '../world.js';
import { alphabet } from './alphabet.js';
import { decodeState, encodeState } from './codec.js';
import { Expander, type ExpanderConfig } from './expander.js';
import { INSERT_DUP, INSERT_NEW, ROOT_OWNER, tableInsert, tableOwner } from './table.js';
import { IntArena } from './arena.js';
import { ENTRY_HEADER, MAX_PACKED, get32, packInts, put32, putPacked, unpackInts } from './pack.js';

export { ENTRY_HEADER } from './pack.js';

// The control block (an Int32Array on a SharedArrayBuffer) shared by the workers of a level.
export const CTL_NEXT_CHUNK = 0;
export const CTL_COUNT = 1; // states in the table (updated once per parent)
export const CTL_TRANSITIONS = 2; // transitions of this level so far (progress)
export const CTL_FAIL_CHUNK = 3; // lowest chunk with a failure, or NO_FAILURE
export const CTL_ABORT = 4; // ABORT_GROW or ABORT_STOP
export const CTL_GROW_AT = 5; // count beyond which the level aborts to grow the table
export const CTL_SIZE = 8;
export const NO_FAILURE = 0x7fffffff;
export const ABORT_GROW = 1;
export const ABORT_STOP = 2;

/** Where the frontier's entries are: per segment buffer, runs of entries in global order. */
export interface FrontierRef {
  /** Per segment: the entries (bytes), the offset of each entry, how many there are and where the last one ends. */
  readonly segments: readonly { readonly data: SharedArrayBuffer; readonly offsets: SharedArrayBuffer; readonly length: number; readonly end: number }[];
  /** Runs, 4 ints each: segment, first entry (index into its offsets), count, global index of the first. */
  readonly runs: Int32Array;
}

export interface LevelTask {
  /** The frontier holds the states at this depth. */
  readonly depth: number;
  /** Global BFS index of the frontier's first entry. */
  readonly first: number;
  readonly count: number;
  readonly chunkSize: number;
  readonly frontier: FrontierRef;
  readonly table: SharedArrayBuffer;
  readonly ctl: SharedArrayBuffer;
  /** Store the successors' states (false at the last level, and once max-states is reached: they are never expanded). */
  readonly encode: boolean;
  readonly maxStates: number;
}

export interface ChunkReport {
  readonly chunk: number;
  readonly transitions: number;
  readonly disabled: number;
  /** This worker's output entries of the chunk: [outFirst, outFirst + outCount). */
  readonly outFirst: number;
  readonly outCount: number;
  readonly sites?: string[];
  readonly kinds?: string[];
  /** Coverage labels (runtime/coverage.ts) of the entries the chunk's steps wrote. */
  readonly created?: string[];
}

export interface LevelFailure {
  readonly chunk: number;
  /** The failing state's global index and the op's index in its alphabet. */
  readonly entry: number;
  readonly op: number;
  readonly kind: string;
  readonly message: string;
  /** Op indices from the root, the failing op last. */
  readonly path: number[];
}

export interface LevelReport {
  readonly chunks: ChunkReport[];
  readonly failure?: LevelFailure;
  readonly aborted: number;
}

export interface CompactReport {
  readonly data: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  /** Entries kept, and where the last one ends in data. */
  readonly length: number;
  readonly end: number;
  /** Per chunk this worker ran: the kept entries [first, first + count) of its offsets. */
  readonly chunks: { readonly chunk: number; readonly first: number; readonly count: number }[];
}

/** A growable int32 array on SharedArrayBuffers (only its owner writes). */
class SharedArena {
  data = new Int32Array(new SharedArrayBuffer(4096));
  length = 0;

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const d = new Int32Array(new SharedArrayBuffer(cap * 4));
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
}

/** A growable byte array on SharedArrayBuffers (only its owner writes): the packed entries. */
class SharedBytes {
  data = new Uint8Array(new SharedArrayBuffer(1 << 16));
  length = 0;

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.data.length) return;
    // grow by half: the copy and the old buffer count against peak memory until the next GC
    let cap = Math.ceil(this.data.length * 1.5);
    while (cap < need) cap = Math.ceil(cap * 1.5);
    const d = new Uint8Array(new SharedArrayBuffer(cap));
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }
}

export class LevelRunner {
  readonly expander: Expander;
  private out = new SharedBytes();
  private offs = new SharedArena();
  private scratch = new IntArena(1024);
  private unpacked = new Int32Array(1024);
  private readonly workWorld = createWorld();
  private readonly workOracle = createOracle();
  private reports: ChunkReport[] = [];
  private failure: LevelFailure | undefined;
  private task!: LevelTask;
  private ctl!: Int32Array;
  private table!: Int32Array;
  private segs: { data: Uint8Array; offsets: Int32Array; length: number; end: number }[] = [];
  private nChunks = 0;
  private done = false;
  private aborted = 0;

  constructor(module: SpecModule, config: ExpanderConfig) {
    this.expander = new Expander(module, config);
  }

  begin(task: LevelTask): void {
    this.task = task;
    this.ctl = new Int32Array(task.ctl);
    this.table = new Int32Array(task.table);
    this.segs = task.frontier.segments.map((s) => ({ data: new Uint8Array(s.data), offsets: new Int32Array(s.offsets), length: s.length, end: s.end }));
    this.nChunks = Math.ceil(task.count / task.chunkSize);
    this.out = new SharedBytes();
    this.offs = new SharedArena();
    this.reports = [];
    this.failure = undefined;
    this.done = false;
    this.aborted = 0;
  }

  /** Claim and run one chunk; false when there is nothing left for this worker. */
  step(): boolean {
    if (this.done) return false;
    const ctl = this.ctl;
    const abort = Atomics.load(ctl, CTL_ABORT);
    if (abort !== 0) {
      this.aborted = abort;
      this.done = true;
      return false;
    }
    const c = Atomics.add(ctl, CTL_NEXT_CHUNK, 1);
    // chunks are claimed in increasing order: past the lowest failing chunk, nothing can come first
    if (c >= this.nChunks || c > Atomics.load(ctl, CTL_FAIL_CHUNK)) {
      this.done = true;
      return false;
    }
    this.runChunk(c);
    return true;
  }

  end(): LevelReport {
    return { chunks: this.reports, ...(this.failure ? { failure: this.failure } : {}), aborted: this.aborted };
  }

  private runChunk(c: number): void {
    const task = this.task;
    const ex = this.expander;
    const session = ex.session;
    const machine = session.machine;
    const ctl = this.ctl;
    const table = this.table;
    const names = ex.names;
    const coverage = ex.config.coverage;
    const kinds = coverage ? new Set<string>() : undefined;
    const stepIndex = ex.config.world.setup.length + task.depth;
    const out = this.out;
    const offs = this.offs;
    const outFirst = offs.length;
    const runs = task.frontier.runs;
    let transitions = 0;
    let disabled = 0;

    const g0 = c * task.chunkSize;
    const g1 = Math.min(task.count, g0 + task.chunkSize);
    // the run holding entry g0 (runs are in global order)
    let r = 0;
    let lo = 0;
    let hi = runs.length / 4 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (runs[mid * 4 + 3]! - task.first <= g0) {
        r = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let k = g0 - (runs[r * 4 + 3]! - task.first);
    let stopped = false;
    for (let g = g0; g < g1 && !stopped; g++) {
      if (k >= runs[r * 4 + 2]!) {
        r++;
        k = 0;
      }
      const seg = this.segs[runs[r * 4]!]!;
      const data = seg.data;
      const e = runs[r * 4 + 1]! + k;
      const at = seg.offsets[e]!;
      const end = e + 1 < seg.length ? seg.offsets[e + 1]! : seg.end;
      k++;
      // unpack the path and the state (never longer than their bytes)
      if (this.unpacked.length < end - at) this.unpacked = new Int32Array(Math.max(end - at, this.unpacked.length * 2));
      const ints = this.unpacked;
      unpackInts(data, at + ENTRY_HEADER, end, ints);
      const pathLen = ints[0]!;
      const parentGlobal = task.first + g;
      const parent = decodeState(ints, 1 + pathLen, names);
      const ops = alphabet(parent.world, task.depth, ex.alphabetConfig, machine.entries);
      const encode = task.encode && Atomics.load(ctl, CTL_COUNT) < task.maxStates;
      let added = 0;
      for (let i = 0; i < ops.length; i++) {
        // the working state is reset to the parent in place: no clone per op tried; the last op runs on the decoded
        // parent itself (nothing needs it afterwards: it was decoded for this loop alone)
        const last = i === ops.length - 1;
        const world = last ? parent.world : this.workWorld;
        const oracle = last ? parent.oracle : this.workOracle;
        if (!last) {
          restoreWorld(world, parent.world);
          restoreOracle(oracle, parent.oracle);
        }
        machine.world = world;
        session.oracle = oracle;
        let failure = session.checkDeferringProbes(ops[i]!, stepIndex);
        transitions++;
        if (failure?.kind === 'scenario') {
          disabled++;
          continue;
        }
        let flo = 0;
        let fhi = 0;
        let ins = INSERT_DUP;
        if (!failure) {
          const fp = ex.canon.fingerprint(world, oracle);
          flo = fp[0]!;
          fhi = fp[1]!;
          ins = tableInsert(table, flo, fhi, parentGlobal);
          // a state already in the table passed the uffd-wp probes when it was first reached (by a parent no later
          // than this one: the owner lane keeps the lowest), so they run once per state
          if (ins !== INSERT_DUP) failure = session.pendingProbes();
        }
        if (failure) {
          const path = Array.from(ints.subarray(1, 1 + pathLen));
          path.push(i);
          this.failure = { chunk: c, entry: parentGlobal, op: i, kind: failure.kind, message: failure.message, path };
          for (;;) {
            const cur = Atomics.load(ctl, CTL_FAIL_CHUNK);
            if (cur <= c || Atomics.compareExchange(ctl, CTL_FAIL_CHUNK, cur, c) === cur) break;
          }
          stopped = true;
          this.done = true; // every chunk this worker could claim next comes after this one
          break;
        }
        // the kinds of a state already stored were collected when it was first reached (or, for the root, are
        // collected here: the setup is not a transition), so only a state new to the table is walked
        if (kinds && (ins !== INSERT_DUP || tableOwner(table, flo, fhi) === ROOT_OWNER)) {
          for (const mm of world.mms.values()) for (const w of mm.pt.values()) kinds.add(machine.entries.info(w).kind ?? '?');
        }
        if (ins === INSERT_DUP) continue;
        if (ins === INSERT_NEW) added++;
        offs.push(out.length);
        if (encode) {
          const s = this.scratch;
          s.clear();
          encodeState(world, oracle, names, s);
          out.reserve(ENTRY_HEADER + (pathLen + 2 + s.length) * MAX_PACKED);
          const d = out.data;
          let p = out.length;
          put32(d, p, flo);
          put32(d, p + 4, fhi);
          put32(d, p + 8, parentGlobal);
          p = putPacked(d, p + ENTRY_HEADER, pathLen + 1);
          p = packInts(ints.subarray(1), pathLen, d, p);
          p = putPacked(d, p, i);
          out.length = packInts(s.data, s.length, d, p);
        } else {
          out.reserve(ENTRY_HEADER);
          const d = out.data;
          const p = out.length;
          put32(d, p, flo);
          put32(d, p + 4, fhi);
          put32(d, p + 8, parentGlobal);
          out.length = p + ENTRY_HEADER;
        }
      }
      // only NEW successors are counted (a LOWERED one was counted by its first finder): the count is exact
      if (added > 0 && Atomics.add(ctl, CTL_COUNT, added) + added > Atomics.load(ctl, CTL_GROW_AT)) {
        Atomics.compareExchange(ctl, CTL_ABORT, 0, 1);
      }
    }
    Atomics.add(ctl, CTL_TRANSITIONS, transitions);
    this.reports.push({
      chunk: c,
      transitions,
      disabled,
      outFirst,
      outCount: offs.length - outFirst,
      ...(kinds ? { kinds: [...kinds] } : {}),
      ...(machine.coverage ? takeCoverage(machine.coverage) : {}),
    });
  }

  /** After the level: keep the successors whose owner is still their parent, in place. */
  compact(): CompactReport {
    const table = this.table;
    const src = this.out.data;
    const offs = this.offs.data;
    const nOffs = this.offs.length;
    let w = 0;
    let kept = 0;
    const chunks: CompactReport['chunks'] = [];
    for (const rep of this.reports) {
      const first = kept;
      for (let e = rep.outFirst; e < rep.outFirst + rep.outCount; e++) {
        const at = offs[e]!;
        // (offs[e + 1] is still the original: kept <= e)
        const end = e + 1 < nOffs ? offs[e + 1]! : this.out.length;
        if (tableOwner(table, get32(src, at), get32(src, at + 4)) !== get32(src, at + 8)) continue;
        if (w !== at) src.copyWithin(w, at, end);
        offs[kept++] = w;
        w += end - at;
      }
      chunks.push({ chunk: rep.chunk, first, count: kept - first });
    }
    return { data: src.buffer as SharedArrayBuffer, offsets: offs.buffer as SharedArrayBuffer, length: kept, end: w, chunks };
  }
}

/** The cases entered and the labels created since the last chunk (then forgotten: each chunk reports its own). */
function takeCoverage(cov: Coverage): { sites: string[]; created: string[] } {
  const out = { sites: [...cov.ran], created: [...cov.created.keys()] };
  cov.created.clear();
  cov.ran.clear();
  return out;
}
