// Property: the v6.17 stand-in never diverges from the oracle nor breaks an invariant on random op sequences; the
// broken variants are found by the same walk.
import { describe, expect, it } from 'vitest';
import { Session, formatFailure, type Failure } from '../../runtime/runner.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { makeToyModule, toyV617, type ToyBug } from '../fixtures/toy-v617-module.js';
import { randomScenario } from './random-ops.js';

function walk(module: SpecModule, seed: number, length: number): Failure | undefined {
  const s = new Session(module);
  const ops = randomScenario(seed, length);
  for (let i = 0; i < ops.length; i++) {
    const { failure } = s.step({ op: ops[i]! }, i);
    if (failure) return failure;
  }
  return undefined;
}

function firstFound(bug: ToyBug, seeds: number): Failure | undefined {
  const m = makeToyModule(bug);
  for (let seed = 1; seed <= seeds; seed++) {
    const f = walk(m, seed, 40);
    if (f) return f;
  }
  return undefined;
}

describe('random scenarios', () => {
  it('the v6.17 stand-in agrees with the oracle and keeps every invariant on 500 walks of 40 steps', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const f = walk(toyV617, seed, 40);
      if (f) failures.push(`seed ${seed}: ${formatFailure(f)}`);
    }
    expect(failures).toEqual([]);
  });

  it('finds the leaking zap as an invariant failure naming zap_pte_range', () => {
    const f = firstFound('zap_leaks_page', 50);
    expect(f).toMatchObject({ kind: 'invariant', site: { path: 'zap_pte_range', kind: 'present' } });
  });

  it('finds the zap that forgets the shmem marker as an oracle divergence', () => {
    const f = firstFound('zap_forgets_marker', 300);
    expect(f?.kind).toBe('oracle');
  });

  it('finds the fault loop', () => {
    const f = firstFound('fault_loops', 50);
    expect(f?.message).toMatch(/^fault loop/);
  });
});
