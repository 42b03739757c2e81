// runtime/records.ts copies the runtime's flat records field by field (the explorer's in-place reset): a field added
// to Page, SwapSlot, Vma, Rss, OracleVma or OracleCell and not to its copy would leave a stale value in the working
// state. Every record of every state of every bundled scenario is copied onto an empty object here: the copy must
// have exactly the record's fields and values.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFiles } from '../../../runtime/scenario/load.js';
import { repoRoot } from '../../helpers/repo.js';
import { Session } from '../../../runtime/runner.js';
import { copyOracleCell, copyOracleVma, copyPage, copyRss, copySwapSlot, copyVma } from '../../../runtime/records.js';
import { spec } from './helpers.js';

function same(what: string, rec: object, copy: (d: never, s: never) => void): void {
  const d = {};
  copy(d as never, rec as never);
  expect(Object.keys(d).sort(), `${what}: the fields runtime/records.ts copies`).toEqual(Object.keys(rec).sort());
  expect(d, what).toStrictEqual({ ...rec });
}

describe('runtime/records.ts', () => {
  it('copies every field of every record in every state of every bundled scenario (x86_64 6.17)', async () => {
    const s617 = await spec('examples/x86_64-v6.17.pte');
    const { scenarios } = loadScenarioFiles([path.join(repoRoot, 'examples/scenarios'), path.join(repoRoot, 'examples/worlds')]);
    expect(scenarios.length).toBeGreaterThan(30);
    const seen = { page: 0, slot: 0, vma: 0, rss: 0, ovma: 0, cell: 0 };
    for (const sc of scenarios) {
      const session = new Session(s617.module);
      for (let i = 0; i < sc.steps.length; i++) {
        if (session.step(sc.steps[i]!, i).failure) break;
        const w = session.world;
        for (const p of w.pages) if (p) (same(`${sc.name} step ${i}: page`, p, copyPage), seen.page++);
        for (const s of w.swap.slots) if (s) (same(`${sc.name} step ${i}: swap slot`, s, copySwapSlot), seen.slot++);
        for (const mm of w.mms.values()) {
          for (const v of mm.vmas) (same(`${sc.name} step ${i}: vma`, v, copyVma), seen.vma++);
          same(`${sc.name} step ${i}: rss`, mm.rss, copyRss);
          seen.rss++;
        }
        for (const mm of session.oracle.mms.values()) {
          for (const v of mm.vmas) (same(`${sc.name} step ${i}: oracle vma`, v, copyOracleVma), seen.ovma++);
          for (const c of mm.cells.values()) (same(`${sc.name} step ${i}: oracle cell`, c, copyOracleCell), seen.cell++);
        }
      }
    }
    for (const [k, n] of Object.entries(seen)) expect(n, `${k} records seen`).toBeGreaterThan(10);
  });
});
