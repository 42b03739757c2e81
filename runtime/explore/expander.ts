// One BFS expansion step, shared by the main thread and the worker threads: decode each frontier state of a chunk,
// run every op of its alphabet through a Session (the same stepping, invariants and oracle as `ptelab run`),
// fingerprint the successors and encode them. A chunk stops at its first failing transition: in BFS order nothing
// after it can be a shorter counterexample.
import { cloneOracle } from '../oracle.js';
import { Session } from '../runner.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { cloneWorld } from '../world.js';
import { alphabet, type AlphabetConfig, type OpName } from './alphabet.js';
import { IntArena } from './arena.js';
import { Canonicalizer, type SymmetryOptions } from './canonical.js';
import { Names, decodeState, encodeState } from './codec.js';
import { runSetup, type PreparedWorld } from './world.js';

/** Plain data: what a worker needs besides the module. */
export interface ExpanderConfig {
  readonly world: PreparedWorld;
  readonly ops: readonly OpName[];
  readonly maxMms: number;
  readonly symmetry: SymmetryOptions;
  /** Collect the handler cases entered (for the mutation test's equivalence analysis). */
  readonly coverage: boolean;
}

export interface ChunkFailure {
  /** Index of the state within the chunk, and of the op within that state's alphabet. */
  readonly entry: number;
  readonly op: number;
  readonly kind: string;
  readonly message: string;
}

export interface ChunkResult {
  /** Per successful transition: entry, op, fingerprint lo, hi, encoding length, encoding. */
  readonly candidates: Int32Array;
  readonly failure?: ChunkFailure;
  readonly transitions: number;
  /** Transitions the runtime refused as ill-formed (never a finding). */
  readonly disabled: number;
  /** "path#index" of every case entered, and every kind an entry had after a step, when coverage is on. */
  readonly sites?: string[];
  readonly kinds?: string[];
}

/**
 * Frontier entries are [entryLength, pathLength, op indices..., state encoding...]: the path (op indices in each
 * state's alphabet, from the root) is all a counterexample needs, so no parent pointers are kept.
 */
export const ENTRY_HEADER = 2;

export class Expander {
  readonly names: Names;
  readonly session: Session;
  readonly canon: Canonicalizer;
  readonly alphabetConfig: AlphabetConfig;
  private readonly sites = new Set<string>();
  private readonly kinds = new Set<string>();

  constructor(
    readonly module: SpecModule,
    readonly config: ExpanderConfig,
  ) {
    const w = config.world;
    this.names = new Names(w.names, w.childPrefix);
    this.session = new Session(module);
    this.session.machine.trace.detailed = false; // no blame notes: a counterexample is replayed with them (counterexample.ts)
    this.canon = new Canonicalizer(module, this.session.machine.entries, this.names, config.symmetry);
    this.alphabetConfig = { ops: new Set(config.ops), maxMms: config.maxMms, childPrefix: w.childPrefix, valueBase: w.valueBase };
  }

  /** Run the setup: the root entry and its fingerprint, or the setup's own failure. */
  root(): { entry?: Int32Array; fp?: [number, number]; failure?: ChunkFailure } {
    const { session, failure } = runSetup(this.module, this.config.world);
    if (failure) return { failure: { entry: 0, op: -1, kind: failure.kind, message: failure.message } };
    const out = new IntArena(256);
    out.push(0);
    out.push(0);
    encodeState(session.world, session.oracle, this.names, out);
    out.data[0] = out.length;
    const fp = this.canon.fingerprint(session.world, session.oracle);
    return { entry: out.toArray(), fp: [fp[0]!, fp[1]!] };
  }

  /**
   * Expand every entry of `chunk` (states at `depth`: their path has `depth` ops). `seen` (optional) tells states
   * already visited: they are left out of the candidates (the caller would reject them anyway).
   */
  expand(chunk: Int32Array, depth: number, seen?: (lo: number, hi: number) => boolean): ChunkResult {
    const out = new IntArena(chunk.length * 8 + 64);
    const session = this.session;
    const machine = session.machine;
    const stepIndex = this.config.world.setup.length + depth;
    const coverage = this.config.coverage;
    let transitions = 0;
    let disabled = 0;
    let pos = 0;
    for (let e = 0; pos < chunk.length; e++) {
      const len = chunk[pos]!;
      const pathLen = chunk[pos + 1]!;
      const parent = decodeState(chunk, pos + ENTRY_HEADER + pathLen, this.names);
      const ops = alphabet(parent.world, depth, this.alphabetConfig, machine.entries);
      for (let i = 0; i < ops.length; i++) {
        const world = i === ops.length - 1 ? parent.world : cloneWorld(parent.world);
        const oracle = i === ops.length - 1 ? parent.oracle : cloneOracle(parent.oracle);
        machine.world = world;
        session.oracle = oracle;
        const failure = session.check(ops[i]!, stepIndex);
        transitions++;
        if (coverage) for (const t of machine.trace.trail) this.sites.add(`${t.site.path}#${t.site.index}`);
        if (failure) {
          if (failure.kind === 'scenario') {
            disabled++;
            continue;
          }
          return {
            candidates: out.toArray(),
            failure: { entry: e, op: i, kind: failure.kind, message: failure.message },
            transitions,
            disabled,
            ...this.takeSites(),
          };
        }
        if (coverage) {
          for (const mm of world.mms.values()) for (const w of mm.pt.values()) this.kinds.add(machine.entries.info(w).kind ?? '?');
        }
        const fp = this.canon.fingerprint(world, oracle);
        if (seen && seen(fp[0]!, fp[1]!)) continue;
        out.push(e);
        out.push(i);
        out.push(fp[0]!);
        out.push(fp[1]!);
        const lenAt = out.length;
        out.push(0);
        encodeState(world, oracle, this.names, out);
        out.data[lenAt] = out.length - lenAt - 1;
      }
      pos += len;
    }
    return { candidates: out.toArray(), transitions, disabled, ...this.takeSites() };
  }

  private takeSites(): { sites?: string[]; kinds?: string[] } {
    if (!this.config.coverage) return {};
    const sites = [...this.sites];
    const kinds = [...this.kinds];
    this.sites.clear();
    this.kinds.clear();
    return { sites, kinds };
  }
}
