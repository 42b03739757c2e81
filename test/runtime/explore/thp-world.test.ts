// The explorer on THP (issue #15): the alphabet offers khugepaged's collapse on a populated block and the whole-THP
// ops on a PMD leaf (runtime/thp/alphabet.ts), only where the spec's PMD level is driven; the bundled THP worlds
// (examples/worlds/thp-anon.scn, and the smallest of thp-shmem.scn for do_set_pmd) explore clean on both 6.17 specs and
// reach every PMD entry path. The deeper run
// (depth 5) is in docs/explore.md; this one is depth 2, a few seconds.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPS, alphabet, type AlphabetConfig } from '../../../runtime/explore/alphabet.js';
import { explore } from '../../../runtime/explore/explore.js';
import { runSymmetry } from '../../../runtime/explore/explore-worlds.js';
import { Session } from '../../../runtime/runner.js';
import { EntryTable } from '../../../runtime/entries.js';
import { LEVEL_ENTRY_PATHS } from '../../../contract/table.js';
import { scn } from '../helpers.js';
import { bundledWorld, spec, type TestSpec } from './helpers.js';

const cfg: AlphabetConfig = { ops: new Set(DEFAULT_OPS), maxMms: 3, childPrefix: 'C', valueBase: 10 };

function stateAfter(s: TestSpec, text: string): Session {
  const session = new Session(s.module);
  scn(text).steps.forEach((step, i) => expect(session.step(step, i).failure?.message ?? 'ok').toBe('ok'));
  return session;
}

const SETUP = `mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 0 = 1
  A write 1 = 2`;

describe.each(['x86_64-v6.17', 'arm64-v6.17'])('THP worlds on %s', (name) => {
  let s: TestSpec;
  beforeAll(async () => {
    s = await spec(`examples/${name}.pte`);
  });

  it('offers collapse on a populated block, the whole-THP ops on a PMD leaf, and neither on a half-empty block', () => {
    const thpOps = (text: string) =>
      alphabet(stateAfter(s, `scenario "t" {\n  ${text}\n}`).world, 0, cfg, new EntryTable(s.module)).filter((o) => o.op === 'collapse' || ('pages' in o && o.pages === 2));
    expect(thpOps(SETUP)).toEqual([{ op: 'collapse', mm: 'A', addr: 0 }]);
    expect(thpOps(`${SETUP}\n  collapse A 0`)).toEqual([
      { op: 'protect', mm: 'A', addr: 0, pages: 2 },
      { op: 'resolve', mm: 'A', addr: 0, pages: 2 },
      { op: 'madv_dontneed', mm: 'A', addr: 0, pages: 2 },
      { op: 'numa_scan', mm: 'A', addr: 0, pages: 2 },
    ]);
    expect(thpOps('mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }\n  A write 0 = 1')).toEqual([]);
    // the PMD leaf's migration is the one-address `migrate` op, offered once per block
    const after = alphabet(stateAfter(s, `scenario "t" {\n  ${SETUP}\n  collapse A 0\n}`).world, 0, cfg, new EntryTable(s.module));
    expect(after.filter((o) => o.op === 'migrate')).toEqual([{ op: 'migrate', mm: 'A', addr: 0 }]);
  });

  it('explores the THP worlds complete and clean at depth 2, through every PMD entry path', async () => {
    const sites = new Set<string>();
    const worlds = [...['thp anon', 'thp anon, event_fork', 'thp anon, collapsed and protected', 'thp anon, hugepage'].map((w) => ['thp-anon.scn', w]), ['thp-shmem.scn', 'thp shmem shared']];
    for (const [file, w] of worlds as [string, string][]) {
      const r = await explore(s.module, bundledWorld(file, w), { depth: 2, coverage: true, symmetry: runSymmetry(s.module, {}) });
      expect(`${w}: ${r.verdict}`).toBe(`${w}: complete`);
      expect(r.stats.states).toBeGreaterThan(100);
      for (const x of r.sites ?? []) sites.add(x.replace(/#\d+$/, ''));
    }
    const missing = Object.keys(LEVEL_ENTRY_PATHS.pmd).filter((p) => !sites.has(p));
    expect(missing).toEqual([]);
  });
});

describe('THP worlds on a spec without a driven PMD level', () => {
  it('x86_64 5.19: no collapse in the alphabet, the block stays PTE-mapped', async () => {
    const s = await spec('examples/x86_64-v5.19.pte');
    const ops = alphabet(stateAfter(s, `scenario "t" {\n  ${SETUP}\n}`).world, 0, cfg, new EntryTable(s.module));
    expect(ops.filter((o) => o.op === 'collapse')).toEqual([]);
    expect(ops.filter((o) => o.op === 'protect').map((o) => ('pages' in o ? o.pages : 0))).toEqual([1, 1]);
  });
});
