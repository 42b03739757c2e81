// The frontier codec is exact (decode(encode(s)) is s, field for field and in Map/array order, and steps on
// identically), and the canonical fingerprint does not change through it.
import { beforeAll, describe, expect, it } from 'vitest';
import { IntArena } from '../../../runtime/explore/arena.js';
import { Canonicalizer } from '../../../runtime/explore/canonical.js';
import { Names, decodeState, encodeState } from '../../../runtime/explore/codec.js';
import { Session } from '../../../runtime/runner.js';
import type { Op } from '../../../runtime/scenario/types.js';
import { randomScenario, randomSeveralScenario } from '../random-ops.js';
import { plain } from './plain.js';
import { spec, type TestSpec } from './helpers.js';
import { scaled } from '../../helpers/scale.js';

function namesOf(ops: readonly Op[]): Names {
  const names: string[] = [];
  for (const op of ops) {
    if (op.op === 'file' || op.op === 'mm') names.push(op.name);
    if (op.op === 'fork') names.push(op.child);
    if (op.op === 'uffd_open' && op.uffd !== undefined && !names.includes(op.uffd)) names.push(op.uffd);
  }
  return new Names(names, 'Q');
}

describe('frontier codec', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  // several userfaultfds per mm and long-term pins (issue #14) get walks of their own (randomSeveralScenario)
  it.each([
    ['random walks', randomScenario, 60, 8],
    ['walks with two contexts per mm and pins', randomSeveralScenario, 30, 3],
  ] as const)('round-trips every state of %s on x86_64-v6.17 exactly', (_what, walk, full, small) => {
    let states = 0;
    const walks = scaled(full, small);
    for (let seed = 1; seed <= walks; seed++) {
      const ops = walk(seed, 40);
      const names = namesOf(ops);
      const session = new Session(s617.module);
      const canon = new Canonicalizer(s617.module, session.machine.entries, names, { pfns: true, slots: true });
      for (let i = 0; i < ops.length; i++) {
        const { failure } = session.step({ op: ops[i]! }, i);
        if (failure) break;
        const arena = new IntArena(8);
        encodeState(session.world, session.oracle, names, arena);
        const back = decodeState(arena.data, 0, names);
        expect(plain(back.world)).toStrictEqual(plain(session.world));
        expect(plain(back.oracle)).toStrictEqual(plain(session.oracle));
        const fp = [...canon.fingerprint(session.world, session.oracle)];
        expect([...canon.fingerprint(back.world, back.oracle)]).toEqual(fp);
        // and the copy steps on exactly like the original
        const next = ops[i + 1];
        if (next) {
          const copy = new Session(s617.module, back.world, back.oracle);
          const a = session.clone().step({ op: next }, i + 1);
          const b = copy.step({ op: next }, i + 1);
          expect(b.record.outcome).toEqual(a.record.outcome);
          expect(b.failure?.message).toEqual(a.failure?.message);
        }
        states++;
      }
    }
    expect(states).toBeGreaterThan(walks * 10);
  });

  it('refuses values that do not fit 32 bits instead of truncating them', () => {
    const session = new Session(s617.module);
    const names = new Names(['F', 'A'], 'Q');
    session.step({ op: { op: 'file', name: 'F', pages: 1 } }, 0);
    session.step({ op: { op: 'mm', name: 'A' } }, 1);
    session.step({ op: { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 0, pages: 1, pgoff: 0 } } }, 2);
    session.step({ op: { op: 'write', mm: 'A', addr: 0, value: 2 ** 40 } }, 3);
    expect(() => encodeState(session.world, session.oracle, names, new IntArena(8))).toThrow(/32 bits/);
  });
});
