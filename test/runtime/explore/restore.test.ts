// The explorer resets one working world and oracle to the parent state before every op it tries (restoreWorld,
// restoreOracle) instead of cloning. A restored state must be what a clone is: equal field for field and in Map and
// array order, sharing nothing that can change, and stepping on exactly like the original — from any dirty state
// the working copy was left in (another state, a failed step, a fork or an exit that changed the mms).
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFiles } from '../../../runtime/scenario/load.js';
import { repoRoot } from '../../helpers/repo.js';
import { cloneOracle, createOracle, restoreOracle } from '../../../runtime/oracle.js';
import { Session } from '../../../runtime/runner.js';
import { cloneWorld, createWorld, restoreWorld } from '../../../runtime/world.js';
import { randomScenario, randomSeveralScenario } from '../random-ops.js';
import { plain } from './plain.js';
import { spec, type TestSpec } from './helpers.js';

describe('restoreWorld / restoreOracle', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('turn a dirty working state into an exact, independent copy on 30 random walks', () => {
    let states = 0;
    // one working state for every walk: it carries whatever the last restore and step left in it
    const work = new Session(s617.module, createWorld(), createOracle());
    for (let seed = 1; seed <= 30; seed++) {
      const ops = randomScenario(seed, 40);
      const session = new Session(s617.module);
      for (let i = 0; i < ops.length; i++) {
        const { failure } = session.step({ op: ops[i]! }, i);
        if (failure) break;
        const wantWorld = plain(cloneWorld(session.world));
        const wantOracle = plain(cloneOracle(session.oracle));
        restoreWorld(work.machine.world, session.world);
        restoreOracle(work.oracle, session.oracle);
        expect(plain(work.machine.world)).toStrictEqual(wantWorld);
        expect(plain(work.oracle)).toStrictEqual(wantOracle);
        // the next op (or, at the end, the first op again) steps on the copy exactly as on a clone, and the copy
        // shares nothing with the original: the original is unchanged afterwards
        const next = ops[i + 1] ?? ops[6]!;
        const a = session.clone().step({ op: next }, i + 1);
        const b = work.step({ op: next }, i + 1);
        expect(b.record.outcome).toEqual(a.record.outcome);
        expect(b.failure?.message).toEqual(a.failure?.message);
        expect(plain(session.world)).toStrictEqual(wantWorld);
        expect(plain(session.oracle)).toStrictEqual(wantOracle);
        states++;
      }
    }
    expect(states).toBeGreaterThan(300);
  });

  it('do the same on walks with two userfaultfd contexts per mm and long-term pins', () => {
    let states = 0;
    let named = 0;
    let pinned = 0;
    const work = new Session(s617.module, createWorld(), createOracle());
    for (let seed = 1; seed <= 8; seed++) {
      const ops = randomSeveralScenario(seed, 30);
      const session = new Session(s617.module);
      for (let i = 0; i < ops.length; i++) {
        if (session.step({ op: ops[i]! }, i).failure) break;
        restoreWorld(work.machine.world, session.world);
        restoreOracle(work.oracle, session.oracle);
        expect(plain(work.machine.world), `seed ${seed} step ${i}`).toStrictEqual(plain(cloneWorld(session.world)));
        expect(plain(work.oracle), `seed ${seed} step ${i}`).toStrictEqual(plain(cloneOracle(session.oracle)));
        for (const mm of session.world.mms.values()) {
          if (mm.namedUffds.size > 0) named++;
          if ((mm.pins ?? []).length > 0) pinned++;
        }
        states++;
      }
    }
    expect(states).toBeGreaterThan(80);
    expect(named).toBeGreaterThan(20); // the walks held named contexts and pins (not only their setup)
    expect(pinned).toBeGreaterThan(5);
  });
});

describe('restoreWorld / restoreOracle on every bundled scenario', () => {
  // Every op the scenario language has is in some bundled scenario: a world or oracle field an op sets that the
  // restore does not copy shows here, whichever engineer added the op.
  it('turn a dirty working state into an exact copy after every step of every scenario on x86_64 6.17', async () => {
    const s617 = await spec('examples/x86_64-v6.17.pte');
    const { scenarios } = loadScenarioFiles([path.join(repoRoot, 'examples/scenarios')]);
    expect(scenarios.length).toBeGreaterThan(30);
    const work = new Session(s617.module, createWorld(), createOracle());
    let steps = 0;
    for (const sc of scenarios) {
      const session = new Session(s617.module);
      for (let i = 0; i < sc.steps.length; i++) {
        const { failure } = session.step(sc.steps[i]!, i);
        if (failure) break;
        restoreWorld(work.machine.world, session.world);
        restoreOracle(work.oracle, session.oracle);
        expect(plain(work.machine.world), `${sc.name}, step ${i}`).toStrictEqual(plain(cloneWorld(session.world)));
        expect(plain(work.oracle), `${sc.name}, step ${i}`).toStrictEqual(plain(cloneOracle(session.oracle)));
        steps++;
      }
    }
    expect(steps).toBeGreaterThan(300);
  });
});
