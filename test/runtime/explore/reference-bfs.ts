// The reference the parallel explorer is held to (explore-equality.test.ts): the plainest sequential BFS over the
// same Session.check, the same alphabet and the same canonical fingerprints — one state after the other, a JS Set of
// fingerprints, stop at the first failure. No chunks, no shared table, no owners, no segments: if the level barrier,
// the table's owner lane or the compaction ever reorder, lose or invent a state, the figures differ.
import { cloneOracle, type OracleState } from '../../../runtime/oracle.js';
import type { SpecModule } from '../../../contract/spec-module.js';
import { cloneWorld, type World } from '../../../runtime/world.js';
import { DEFAULT_OPS, alphabet, type OpName } from '../../../runtime/explore/alphabet.js';
import type { SymmetryOptions } from '../../../runtime/explore/canonical.js';
import { IntArena } from '../../../runtime/explore/arena.js';
import { decodeState, encodeState } from '../../../runtime/explore/codec.js';
import { buildCounterexample } from '../../../runtime/explore/counterexample.js';
import { Expander, type ExpanderConfig } from '../../../runtime/explore/expander.js';
import type { PreparedWorld } from '../../../runtime/explore/world.js';

export interface ReferenceResult {
  readonly verdict: 'complete' | 'incomplete' | 'counterexample';
  readonly states: number;
  readonly transitions: number;
  readonly disabled: number;
  readonly levels: number[];
  readonly counterexample?: string;
}

export function referenceBfs(
  module: SpecModule,
  world: PreparedWorld,
  o: { depth: number; maxStates?: number; ops?: readonly OpName[]; maxMms?: number; symmetry?: SymmetryOptions },
): ReferenceResult {
  const config: ExpanderConfig = { world, ops: o.ops ?? DEFAULT_OPS, maxMms: o.maxMms ?? 3, symmetry: o.symmetry ?? { pfns: false, slots: false }, coverage: false };
  const maxStates = o.maxStates ?? 2_000_000;
  const ex = new Expander(module, config);
  const { session, canon, names } = ex;
  const root = ex.root();
  const levels = [1];
  if (root.failure) return { verdict: 'counterexample', states: 1, transitions: 0, disabled: 0, levels, counterexample: buildCounterexample(module, config, [], root.failure).text };
  const seen = new Set<string>([`${root.fp![0]}:${root.fp![1]}`]);
  let frontier: { path: number[]; state: Int32Array }[] = [{ path: [], state: root.state! }];
  let transitions = 0;
  let disabled = 0;
  const result = (verdict: ReferenceResult['verdict'], cx?: string): ReferenceResult => ({
    verdict, states: seen.size, transitions, disabled, levels, ...(cx !== undefined ? { counterexample: cx } : {}),
  });
  for (let depth = 0; depth < o.depth; depth++) {
    if (frontier.length === 0) return result('complete');
    const next: typeof frontier = [];
    let capped = false;
    const add = (path: number[], world: World, oracle: OracleState): void => {
      const fp = canon.fingerprint(world, oracle);
      const key = `${fp[0]}:${fp[1]}`;
      if (capped || seen.has(key)) return;
      seen.add(key);
      const a = new IntArena(256);
      encodeState(world, oracle, names, a);
      next.push({ path, state: a.toArray() });
      if (seen.size >= maxStates) capped = true;
    };
    for (const parent of frontier) {
      const ps = decodeState(parent.state, 0, names);
      const ops = alphabet(ps.world, depth, ex.alphabetConfig, session.machine.entries);
      for (let i = 0; i < ops.length; i++) {
        session.machine.world = cloneWorld(ps.world);
        session.oracle = cloneOracle(ps.oracle);
        const f = session.check(ops[i]!, world.setup.length + depth);
        transitions++;
        if (f?.kind === 'scenario') {
          disabled++;
          continue;
        }
        if (f) {
          if (next.length > 0) levels.push(next.length);
          return result('counterexample', buildCounterexample(module, config, [...parent.path, i], f).text);
        }
        add([...parent.path, i], session.machine.world, session.oracle);
      }
    }
    if (next.length > 0) levels.push(next.length);
    if (capped) return result('incomplete');
    frontier = next;
  }
  return result('complete');
}
