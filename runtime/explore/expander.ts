// What every BFS worker holds for one world (level.ts runs the levels with it): a Session on the spec module (the
// same stepping, invariants and oracle as `ptelab run`), the name codes, the canonicalizer and the alphabet's
// configuration; and the root state.
import { Coverage } from '../coverage.js';
import { Session } from '../runner.js';
import type { SpecModule } from '../../contract/spec-module.js';
import type { AlphabetConfig, OpName } from './alphabet.js';
import { IntArena } from './arena.js';
import { Canonicalizer, type SymmetryOptions } from './canonical.js';
import { Names, encodeState } from './codec.js';
import { ENTRY_HEADER, MAX_PACKED, packInts, put32, putPacked } from './pack.js';
import { runSetup, type PreparedWorld } from './world.js';

/** Plain data: what a worker needs besides the module. */
export interface ExpanderConfig {
  readonly world: PreparedWorld;
  readonly ops: readonly OpName[];
  readonly maxMms: number;
  readonly symmetry: SymmetryOptions;
  /** Collect the handler cases entered (for the mutation test's equivalence analysis) and the kinds created. */
  readonly coverage: boolean;
  /** With `coverage`: per kind, the one-bit fields counted as labels of their own (apps/coverage.ts coverageFlags). */
  readonly coverageFlags?: readonly (readonly [string, readonly string[]])[];
}

export class Expander {
  readonly names: Names;
  readonly session: Session;
  readonly canon: Canonicalizer;
  readonly alphabetConfig: AlphabetConfig;

  constructor(
    readonly module: SpecModule,
    readonly config: ExpanderConfig,
  ) {
    const w = config.world;
    this.names = new Names(w.names, w.childPrefix);
    this.session = new Session(module);
    if (config.coverage) this.session.machine.coverage = new Coverage(new Map(config.coverageFlags ?? []));
    this.session.machine.trace.detailed = false; // no blame notes: a counterexample is replayed with them (counterexample.ts)
    this.canon = new Canonicalizer(module, this.session.machine.entries, this.names, config.symmetry);
    this.alphabetConfig = { ops: new Set(config.ops), maxMms: config.maxMms, childPrefix: w.childPrefix, valueBase: w.valueBase };
  }

  /** Run the setup: the root's frontier entry (level.ts) and its state (codec.ts) and fingerprint, or the setup's own failure. */
  root(): { entry?: Uint8Array; state?: Int32Array; fp?: [number, number]; failure?: { kind: string; message: string } } {
    const { session, failure } = runSetup(this.module, this.config.world);
    if (failure) return { failure: { kind: failure.kind, message: failure.message } };
    const fp = this.canon.fingerprint(session.world, session.oracle);
    const state = new IntArena(256);
    encodeState(session.world, session.oracle, this.names, state);
    // fingerprint, owner -1 (no parent), path length 0, the state
    const entry = new Uint8Array(ENTRY_HEADER + (1 + state.length) * MAX_PACKED);
    put32(entry, 0, fp[0]!);
    put32(entry, 4, fp[1]!);
    put32(entry, 8, -1);
    const end = packInts(state.data, state.length, entry, putPacked(entry, ENTRY_HEADER, 0));
    return { entry: entry.slice(0, end), state: state.toArray(), fp: [fp[0]!, fp[1]!] };
  }
}
