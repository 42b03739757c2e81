// UFFDIO_MOVE (issue #14): the runtime's checks (runtime/uffd/move.ts), the spec's move_pages_pte, and the oracle's
// predictions (runtime/oracle-move.ts): EBUSY exactly for a page that is not PageAnonExclusive (shared since fork and
// not written since), EFAULT for a hwpoison entry, and either protection for a moved protected page, which keeps it
// only if it had been swapped out (v6.17 mm/userfaultfd.c move_pages_pte / move_present_pte / move_swap_pte).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { createOracle, predict } from '../../runtime/oracle.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { describeResult, run, scn, stepIndex } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

/** A (unregistered) page 0 with data, pages 2-3 registered with `modes`. */
const world = (modes: string, after: string, features = ''): string => `scenario "m" {
  mm A { map anon at 0; map anon at 2 pages 2; uffd${features}; register 2 pages 2 mode ${modes} }
  A write 0 = 7
  ${after}
}`;

describe('UFFDIO_MOVE', () => {
  it('parses `A move RANGE to ADDR` with its modes, and refuses the modes it does not have', () => {
    const ops = scn(world('missing', 'A move 0 to 2 mode allow_src_holes, dontwake')).steps.map((s) => s.op);
    expect(ops[ops.length - 1]).toEqual({ op: 'uffd_move', mm: 'A', addr: 2, pages: 1, src: 0, allowSrcHoles: true, dontwake: true });
    const bad = parseScenarios({ path: 'x.scn', text: world('missing', 'A move 0 to 2 mode wp') });
    expect(bad.diagnostics.map((d) => d.message)).toEqual(["'wp' is not a mode of move"]);
  });

  it('moves the data on 6.17 (x86_64, arm64) and is EINVAL on 5.10 and 5.19, which predate it', async () => {
    for (const name of ['x86_64-v6.17', 'arm64-v6.17']) {
      expect(describeResult(run(await load(name), world('missing', 'A move 0 to 2 -> ok\n  A read 2 -> 7\n  A read 0 -> 0'))), name).toBe('ok');
    }
    for (const name of ['x86_64-v5.10', 'x86_64-v5.19']) {
      const r = run(await load(name), world('missing', 'A move 0 to 2'));
      expect(r.firstFailure?.message, name).toBe('the spec gives EINVAL, the v6.17 contract requires ok');
    }
  });

  it('puts a refused entry back where it was: EBUSY after fork, then the parent\'s write makes it movable', async () => {
    const m = await load('x86_64-v6.17');
    const r = run(m, world('missing', 'A fork B\n  A move 0 to 2 -> EBUSY\n  A read 0 -> 7\n  B read 0 -> 7\n  A write 0 = 8\n  A move 0 to 2 -> ok\n  A read 2 -> 8\n  B read 0 -> 7'));
    expect(describeResult(r)).toBe('ok');
  });

  it('the oracle predicts EBUSY for a written page shared since fork, and either protection for a moved protected page', () => {
    const s = createOracle();
    const steps = scn(world('missing, wp', 'A fork B\n  A move 0 to 2\n  A copy 3 = 9 mode wp\n  A move 3 to 2\n  A pagemap 2\n  A write 2 = 4')).steps;
    const preds = steps.map((st) => predict(s, st.op));
    const moves = steps.flatMap((st, i) => (st.op.op === 'uffd_move' ? [i] : []));
    expect(preds[moves[0]!]).toEqual({ type: 'error', errno: 'EBUSY' }); // !PageAnonExclusive: not a maybe any more
    expect(preds[moves[1]!]).toEqual({ type: 'ok' });
    expect(preds[moves[1]! + 1]).toEqual({ type: 'pagemap', uffd_wp: null, guard: false });
    expect(preds[moves[1]! + 2]).toEqual({ type: 'either', options: [{ type: 'userfault', mode: 'wp', addr: 2 }, { type: 'ok' }] });
  });

  it('the oracle keeps PageAnonExclusive from what the user did: fork clears it, a write sets it, a read or a collapse leaves it open', () => {
    const EBUSY = { type: 'error', errno: 'EBUSY' };
    const either = { type: 'either', options: [EBUSY, { type: 'ok' }] };
    const last = (after: string): unknown => {
      const s = createOracle();
      const preds = scn(world('missing', after)).steps.map((st) => predict(s, st.op));
      return preds[preds.length - 1];
    };
    expect(last('A fork B\n  B exit\n  A move 0 to 2')).toEqual(EBUSY); // the child let go: the flag stays clear
    expect(last('A fork B\n  B write 0 = 3\n  A move 0 to 2')).toEqual(EBUSY); // the child's COW changes nothing here
    expect(last('A fork B\n  reclaim A 0\n  A move 0 to 2')).toEqual(EBUSY); // a swap entry without the exclusive bit
    expect(last('A fork B\n  A write 0 = 3\n  A move 0 to 2')).toEqual({ type: 'ok' }); // the COW: exclusive
    expect(last('A fork B\n  B exit\n  A read 0\n  A move 0 to 2')).toEqual(either); // maybe a swap-in do_swap_page made exclusive
    expect(last('A fork B\n  collapse A 0\n  A move 0 to 2')).toEqual(either);
    expect(last('A madvise dontneed 0\n  A read 0\n  A fork B\n  A move 0 to 2')).toEqual(either); // the zero page moves; a zeroed page may not
  });

  it('a PAGEMAP_SCAN over a maybe-protected moved page may report it or not, and the spec says which', async () => {
    const s = createOracle();
    const steps = scn(world('missing, wp', 'A copy 2 = 1 mode wp\n  A move 2 to 3\n  A scan 3')).steps;
    const preds = steps.map((st) => predict(s, st.op));
    expect(preds[preds.length - 1]).toEqual({ type: 'scan', written: [], maybe: [3] });
    const m = await load('x86_64-v6.17');
    // present: the new PTE has no uffd-wp bit, the page is written; swapped out: the swap entry keeps the bit
    expect(describeResult(run(m, world('missing, wp', 'A copy 2 = 1 mode wp\n  A move 2 to 3\n  A scan 3 -> written 3\n  A pagemap 3 -> !wp')))).toBe('ok');
    expect(describeResult(run(m, world('missing, wp', 'A copy 2 = 1 mode wp\n  A madvise pageout 2\n  A move 2 to 3\n  A scan 3 -> written none\n  A pagemap 3 -> wp')))).toBe('ok');
  });

  it('the oracle predicts EFAULT for a hwpoison entry or poisoned marker, and a move for an exclusive unreadable swap entry', () => {
    const last = (after: string): unknown => {
      const s = createOracle();
      const preds = scn(world('missing', after)).steps.map((st) => predict(s, st.op));
      return preds[preds.length - 1];
    };
    expect(last('A madvise hwpoison 0\n  A move 0 to 2')).toEqual({ type: 'error', errno: 'EFAULT' });
    expect(last('swap_error A 0\n  A move 0 to 2')).toEqual({ type: 'ok' });
    expect(last('swap_error A 0\n  swapoff\n  A move 0 to 2')).toEqual({ type: 'error', errno: 'EFAULT' }); // unuse_pte: a poisoned marker
    expect(last('A fork B\n  swap_error A 0\n  A move 0 to 2')).toEqual({ type: 'error', errno: 'EBUSY' });
  });

  it('a present protected page loses its uffd-wp bit, a swapped one keeps it (the spec decides, the oracle takes both)', async () => {
    const m = await load('x86_64-v6.17');
    const base = 'A copy 2 = 5 mode wp';
    expect(describeResult(run(m, world('missing, wp', `${base}\n  A move 2 to 3 -> ok\n  A pagemap 3 -> !wp\n  A write 3 = 6 -> ok`)))).toBe('ok');
    expect(describeResult(run(m, world('missing, wp', `${base}\n  reclaim A 2\n  A move 2 to 3 -> ok\n  A pagemap 3 -> wp\n  A write 3 = 6 -> userfault wp`)))).toBe('ok');
  });

  it('v6.17: a swapped protected page moved into a range without MODE_WP carries its uffd-wp bit there (the leftover invariant)', async () => {
    const m = await load('x86_64-v6.17');
    const r = run(m, `scenario "l" {
  mm A { map anon at 0; map anon at 2; uffd; register 0 mode wp; register 2 mode missing }
  A write 0 = 1
  A protect 0
  reclaim A 0
  A move 0 to 2
}`);
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.step).toBe(stepIndex(r, 'A move 0 to 2'));
    expect(r.firstFailure?.message).toMatch(/^uffd-wp state left in a VMA not registered for WP: swap 0x[0-9a-f]+ at A:2 /);
  });

  it('refuses a marker at the source with EFAULT and leaves it there', async () => {
    const m = await load('arm64-v6.17');
    const r = run(m, `scenario "f" {
  mm A { map anon at 0; map anon at 2; uffd features wp_unpopulated; register 0 mode wp; register 2 mode missing }
  A protect 0
  A move 0 to 2 -> EFAULT
  A pagemap 0 -> wp
  A read 2 -> userfault missing at 2
}`);
    expect(describeResult(r)).toBe('ok');
  });
});
