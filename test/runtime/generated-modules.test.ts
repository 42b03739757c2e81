// The generated v6.17 modules (x86_64 and arm64, from examples/) on the same random walks as the hand-written
// stand-in: they must agree with the oracle and keep every invariant. The older kernels must not (5.10 refuses
// shmem registration; 5.19 predates WP_UNPOPULATED).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import { Session, formatFailure, type Failure } from '../../runtime/runner.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { randomScenario } from './random-ops.js';

/** The checked-in generated module, loaded as `ptelab run` loads one (not type-checked here: it is golden output). */
const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

function walk(module: SpecModule, seed: number): Failure | undefined {
  const s = new Session(module);
  const ops = randomScenario(seed, 40);
  for (let i = 0; i < ops.length; i++) {
    const { failure } = s.step({ op: ops[i]! }, i);
    if (failure) return failure;
  }
  return undefined;
}

describe('generated modules on random walks', () => {
  for (const name of ['x86_64-v6.17', 'arm64-v6.17']) {
    it(`${name} agrees with the v6.17 oracle and keeps every invariant on 300 walks`, async () => {
      const module = await load(name);
      const failures: string[] = [];
      for (let seed = 1; seed <= 300; seed++) {
        const f = walk(module, seed);
        if (f) failures.push(`seed ${seed}: ${formatFailure(f)}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('x86_64-v5.10 diverges: it refuses shmem registration, and UFFD_FEATURE_WP_UNPOPULATED (v6.4) at UFFDIO_API', async () => {
    const module = await load('x86_64-v5.10');
    expect(module.uffdFeatures?.offered).toEqual(['event_fork', 'event_remap', 'sigbus']);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const ops = randomScenario(seed, 40);
      const f = walk(module, seed);
      expect(f, `seed ${seed}`).toMatchObject({ kind: 'oracle' });
      expect(f!.message).toContain('the spec gives EINVAL, the v6.17 contract requires ok');
      const op = ops[f!.step]!;
      // the first refusal: opening a uffd that asks for WP_UNPOPULATED, else registering the shmem range
      const asksUnpopulated = ops.some((o, i) => i <= f!.step && o.op === 'uffd_open' && o.features.includes('wp_unpopulated'));
      expect(op.op, `seed ${seed}: ${f!.text}`).toBe(asksUnpopulated ? 'uffd_open' : 'register');
      seen.add(op.op);
    }
    expect([...seen].sort()).toEqual(['register', 'uffd_open']);
  });
});
