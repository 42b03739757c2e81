// A fast subset of the mutation test (the whole run is in the benchmark, test/bench/explore-bench.ts): a deleted
// case is caught by the exhaustiveness check, or by exploration, or is equivalent for a stated reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteCase, exhaustivenessFindings, runMutationTest } from '../../runtime/explore/mutation.js';
import { SHMEM, bundledWorld, spec, world, type TestSpec } from './helpers.js';

describe('mutation test (subset)', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('finds no exhaustiveness problem in the spec itself, and one when an only case goes', () => {
    expect([...exhaustivenessFindings(s617.ir)]).toEqual([]);
    const zap = s617.ir.paths.find((p) => p.name === 'zap_pte_range')!;
    const i = zap.cases.findIndex((c) => c.kind === 'present');
    const m = deleteCase(s617.ir, 'zap_pte_range', i);
    expect([...exhaustivenessFindings(m)]).toEqual(["PTE050 path 'zap_pte_range' does not handle kind 'present'"]);
    expect(m.paths.find((p) => p.name === 'zap_pte_range')!.cases.map((c) => c.index)).toEqual(zap.cases.slice(1).map((_, j) => j));
  });

  it('kills, or explains, a handful of mutants', async () => {
    const ir = s617.ir;
    const id = (path: string, pred: (kind: string | undefined, guarded: boolean) => boolean): string => {
      const p = ir.paths.find((x) => x.name === path)!;
      const i = p.cases.findIndex((c) => pred(c.kind, c.guard !== undefined));
      if (i < 0) throw new Error(`no such case in ${path}`);
      return `${path}#${i}`;
    };
    const ids = [
      id('copy_page_range', (k) => k === 'present'), // check: PTE050
      id('change_pte_range', (k, g) => k === 'pte_marker' && !g), // explore: markers fall to "no case"
      id('try_to_unmap_one', (k) => k === 'present'), // explore: the page stays mapped
      id('remove_migration_pte', (k) => k === 'migration_read'), // explore: a stale migration entry
      id('try_to_migrate_one', (k) => k === 'device_private_read'), // equivalent: no device memory
      id('zap_pte_range', (k, g) => k === 'pte_marker' && !g), // equivalent: empty markers are never made
    ];
    const r = await runMutationTest({
      ir,
      worlds: [world(SHMEM), bundledWorld('anon.scn', 'anon')],
      depth: 3,
      only: ids,
    });
    const status = Object.fromEntries(r.mutants.map((m) => [m.id, m.status]));
    expect(status).toEqual({
      [ids[0]!]: 'check',
      [ids[1]!]: 'explore',
      [ids[2]!]: 'explore',
      [ids[3]!]: 'explore',
      [ids[4]!]: 'equivalent',
      [ids[5]!]: 'equivalent',
    });
    expect(r.total).toBe(6);
    expect(r.score).toBe(1);
    const killed = r.mutants.find((m) => m.id === ids[2]);
    expect(killed?.detail).toMatch(/still mapped after try_to_unmap_one/);
    expect(killed?.scenario).toMatch(/^scenario "explore: (shmem shared|anon)"/m);
    for (const m of r.mutants) expect(m.detail.length).toBeGreaterThan(10);
  });
});
