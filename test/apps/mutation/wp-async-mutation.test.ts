// The mutation test on the paths of issue #14 item 3 (PAGEMAP_SCAN's pagemap_scan_pte, pagemap_scan_written and
// make_uffd_wp_pte): explored from the wp-async worlds with `scan` in the alphabet (it is not in the default one, so
// the bench's full run does not reach these paths), every mutant is caught by the exhaustiveness check or by
// exploration, or is equivalent for a stated reason. Slow (about a minute): `npm run test:slow` (test/slow-suites.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { runMutationTest } from '../../../apps/mutation/mutation.js';
import { DEFAULT_OPS } from '../../../runtime/explore/alphabet.js';
import { bundledWorld, spec, type TestSpec } from '../../runtime/explore/helpers.js';

const worlds = () => [bundledWorld('wp-async.scn', 'anon, wp_unpopulated + wp_async'), bundledWorld('wp-async.scn', 'shmem shared, wp_async')];

describe('mutation test: PAGEMAP_SCAN paths', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('kills every deleted case and every emptied case exploration can tell apart', async () => {
    const ir = s617.ir;
    const kind = (path: string, i: number): string => ir.paths.find((p) => p.name === path)!.cases[i]!.kind ?? 'default';
    const ids = ir.paths
      .filter((p) => ['pagemap_scan_pte', 'pagemap_scan_written', 'make_uffd_wp_pte'].includes(p.name))
      .flatMap((p) => p.cases.map((_, i) => `${p.name}#${i}`));
    const r = await runMutationTest({ ir, worlds: worlds(), depth: 3, ops: [...DEFAULT_OPS, 'scan'], only: ids });
    const open: string[] = [];
    for (const m of r.mutants) {
      const [path, rest] = m.id.split('#') as [string, string];
      const k = kind(path, Number(rest.split('/')[0]));
      if (m.id.endsWith('/delete')) expect(m.status, m.id).toBe('check'); // PTE050/051: every kind must be handled
      else if (m.status === 'survived') open.push(`${path}:${k}`);
      else if (m.status === 'equivalent') expect(m.detail, m.id).toMatch(/never (runs|created)|migration|device/);
      else expect(m.status, m.id).toBe('explore');
    }
    // the survivors at depth 3, each for a stated reason (the oracle follows the swap uffd-wp bit of markers and lost
    // contents, and the explorer scans markers with PM_SCAN_WP_MATCHING, so the scan's marker and hwpoison cases die):
    // - make_uffd_wp_pte on protnone and swap entries: caught at depth 4 (the test below); on a hwpoison entry:
    //   caught at depth 4 by `npm run bench -- mutation14`
    expect(open.sort()).toEqual([
      'make_uffd_wp_pte:hwpoison',
      'make_uffd_wp_pte:protnone',
      'make_uffd_wp_pte:swap',
    ]);
  }, 600_000);

  it('kills the emptied protnone and swap cases of make_uffd_wp_pte at depth 4', async () => {
    const ir = s617.ir;
    const p = ir.paths.find((x) => x.name === 'make_uffd_wp_pte')!;
    const only = ['protnone', 'swap'].map((k) => `make_uffd_wp_pte#${p.cases.findIndex((c) => c.kind === k)}/empty`);
    const r = await runMutationTest({ ir, worlds: worlds(), depth: 4, ops: [...DEFAULT_OPS, 'scan'], only });
    expect(r.mutants.map((m) => [m.id, m.status])).toEqual(only.map((id) => [id, 'explore']));
  }, 600_000);
});
