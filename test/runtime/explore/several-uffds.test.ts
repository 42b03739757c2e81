// Several userfaultfds per mm in the explorer (issue #14; examples/worlds/uffd-several.scn): the state holds every
// context of every mm and which one registered each VMA, so contexts are never merged. Two ways that would show:
// - state counts: closing one context of two, or unregistering through one, reaches states a world whose VMAs share
//   one context cannot; merged contexts would give the one-context world's count;
// - a counterexample: 6.17 without the check of "userfaultfd: prevent unregistering VMAs through a different
//   userfaultfd" (decision uffd_unregister_checks_ctx, the 5.10 / 5.19 behaviour) unregisters another context's VMA,
//   which the contract refuses (EINVAL): found in one op only because the explorer tries UFFDIO_UNREGISTER through
//   every open context and knows which one registered the VMA.
import { beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../../../runtime/explore/explore.js';
import { DEFAULT_OPS, type OpName } from '../../../runtime/explore/alphabet.js';
import { referenceBfs } from './reference-bfs.js';
import type { SpecModule } from '../../../contract/spec-module.js';
import { bundledWorld, spec, world, type TestSpec } from './helpers.js';

const SYM = { pfns: true, slots: true };
const TWO = 'anon, two uffds';
/** The same mm with both VMAs registered through one context. */
const ONE = `scenario "anon, one uffd for both" {
  mm A {
    map anon at 0
    map anon at 2
    uffd features event_fork
    register 0
    register 2
  }
  A write 0 = 1
}`;
const OPS: OpName[] = ['write', 'protect', 'unregister', 'close'];

describe('several userfaultfds per mm in the explorer', () => {
  let s617: TestSpec;
  let unchecked: SpecModule;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
    // the deliberately broken spec: 6.17's module with that one decision answered as 5.19 does (no compile needed)
    unchecked = { ...s617.module, decisions: { ...s617.module.decisions, uffd_unregister_checks_ctx: () => false } };
  }, 120_000);

  it('keeps two contexts apart: clean on 6.17, and more states than with one context', async () => {
    const two = await explore(s617.module, bundledWorld('uffd-several.scn', TWO), { depth: 3, ops: OPS, symmetry: SYM });
    const one = await explore(s617.module, world(ONE), { depth: 3, ops: OPS, symmetry: SYM });
    expect(two.verdict).toBe('complete');
    expect(one.verdict).toBe('complete');
    // close of the first context leaves [2] registered with U2 (and the other way round): states one context lacks
    expect(two.stats.states).toBeGreaterThan(one.stats.states);
    expect(two.stats.levels[1]).toBeGreaterThan(one.stats.levels[1]!);
  });

  it('finds the unregister through the other context on a kernel without the check', async () => {
    const r = await explore(unchecked, bundledWorld('uffd-several.scn', TWO), { depth: 2, ops: ['unregister', 'close'], symmetry: SYM });
    expect(r.verdict).toBe('counterexample');
    expect(r.counterexample!.ops.length).toBe(1);
    expect(r.counterexample!.text).toMatch(/A unregister 0 via U2/);
    expect(r.counterexample!.failure.message).toMatch(/EINVAL/);
    // and 6.17 itself refuses it
    const clean = await explore(s617.module, bundledWorld('uffd-several.scn', TWO), { depth: 2, ops: ['unregister', 'close'], symmetry: SYM });
    expect(clean.verdict).toBe('complete');
  });

  it('gives the sequential reference BFS\'s figures on both worlds, every op and pins on (depth 2)', async () => {
    const ops = [...DEFAULT_OPS, 'register', 'pin', 'unpin'] as OpName[];
    for (const name of [TWO, 'anon missing + wp, shmem wp, two uffds']) {
      const w = bundledWorld('uffd-several.scn', name);
      const ref = referenceBfs(s617.module, w, { depth: 2, ops, symmetry: SYM });
      const r = await explore(s617.module, w, { depth: 2, ops, symmetry: SYM });
      expect({ verdict: r.verdict, states: r.stats.states, transitions: r.stats.transitions, disabled: r.stats.disabled, levels: [...r.stats.levels] }, name).toEqual(ref);
      expect(ref.verdict).toBe('complete');
    }
  });

  it('explores long-term pins with the contexts: clean, and the pins are part of the state', async () => {
    const ops: OpName[] = ['protect', 'fork', 'pin', 'unpin', 'pagemap'];
    const pins = await explore(s617.module, bundledWorld('uffd-several.scn', TWO), { depth: 3, ops, symmetry: SYM });
    const none = await explore(s617.module, bundledWorld('uffd-several.scn', TWO), { depth: 3, ops: ops.filter((o) => o !== 'pin' && o !== 'unpin'), symmetry: SYM });
    expect(pins.verdict).toBe('complete');
    expect(pins.stats.states).toBeGreaterThan(none.stats.states);
  });
});
