// A world: the setup the explorer starts from. It is written in the scenario language (docs/scenarios.md): one
// scenario whose steps create the files, mms, VMAs, the uffd and its registration, and any initial writes. A world
// file may hold several worlds (one per scenario). The setup runs once, through the same Session as `ptelab run`.
import { Session, formatFailure, type Failure } from '../runner.js';
import type { Scenario, Step } from '../scenario/types.js';
import type { SpecModule } from '../../contract/spec-module.js';

/** Plain data (it crosses to worker threads). */
export interface PreparedWorld {
  readonly name: string;
  readonly file?: string;
  readonly setup: readonly Step[];
  /** The setup's mm, file and named-context names, in order of appearance. */
  readonly names: readonly string[];
  /** Fork children are PREFIX<n> (a prefix no setup name uses). */
  readonly childPrefix: string;
  /** The largest value the setup writes: explored writes use larger ones. */
  readonly valueBase: number;
}

const PREFIXES = ['C', 'K', 'Q', 'X', 'Y', 'Z', 'P', 'R'];

export function prepareWorld(s: Scenario): PreparedWorld {
  const names: string[] = [];
  let valueBase = 0;
  for (const { op } of s.steps) {
    if (op.op === 'mm' || op.op === 'file') names.push(op.name);
    else if (op.op === 'fork') names.push(op.child);
    else if (op.op === 'uffd_open' && op.uffd !== undefined && !names.includes(op.uffd)) names.push(op.uffd); // a named context (several per mm)
    else if (op.op === 'write') valueBase = Math.max(valueBase, op.value);
  }
  if (valueBase > 0x3fffffff) throw new Error(`world '${s.name}': write values must stay below 2^30 (the explorer adds to them)`);
  const childPrefix = PREFIXES.find((p) => !names.some((n) => new RegExp(`^${p}\\d+$`).test(n)));
  if (!childPrefix) throw new Error(`world '${s.name}': no free prefix for fork children`);
  return { name: s.name, ...(s.file !== undefined ? { file: s.file } : {}), setup: s.steps, names, childPrefix, valueBase };
}

export interface SetupResult {
  readonly session: Session;
  /** The setup itself fails on this spec: the world is a counterexample of length 0. */
  readonly failure?: Failure;
}

export function runSetup(module: SpecModule, w: PreparedWorld): SetupResult {
  const session = new Session(module);
  for (let i = 0; i < w.setup.length; i++) {
    const { failure } = session.step(w.setup[i]!, i);
    if (failure) {
      if (failure.kind === 'scenario' || failure.kind === 'expect') {
        throw new Error(`world '${w.name}': setup step ${i} fails as written: ${formatFailure(failure)}`);
      }
      return { session, failure };
    }
  }
  return { session };
}
