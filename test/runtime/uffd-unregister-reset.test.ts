// UFFDIO_UNREGISTER and close() of the userfaultfd reset the uffd-wp state of the PTEs only where the spec's kernel
// does (decisions uffd_unregister_resets_wp / uffd_release_resets_wp, docs/handlers.md): 6.17 resets on both
// (f369b07c8614, v6.0-rc3; c88033efe9a3, v6.9-rc7), the 5.19.6 tree on unregister only (the 6.0 fix was backported
// to 5.19.y; close() was not), 5.10 on neither. The oracle stays the v6.17 contract, so the leftovers diverge.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { explore } from '../../runtime/explore/explore.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { bundledWorld, spec } from '../explore/helpers.js';
import { describeResult, run, stepIndex } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

/** shmem, a protected none PTE (a marker) and a protected present one, then `last` drops the registration. */
const shmemThen = (last: string, after: string): string => `scenario "s" {
  file F pages 2
  mm A { map F shared at 0 pages 2; uffd; register 0 pages 2 }
  A write 1 = 5
  A protect 0 pages 2
  ${last}
  ${after}
}`;

/** anon: a protected present page and a protected swap entry, then `last` drops the registration. */
const anonThen = (last: string, after: string): string => `scenario "a" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 0 = 1
  A write 1 = 2
  A protect 0 pages 2
  reclaim A 1
  ${last}
  ${after}
}`;

describe('unregister and close reset uffd-wp as the spec decides', () => {
  it('6.17 resets on unregister and on close: no PM_UFFD_WP left, on shmem (marker, present) and anon (present, swap)', async () => {
    const m = await load('x86_64-v6.17');
    for (const last of ['A unregister 0 pages 2', 'A close uffd']) {
      const s = run(m, shmemThen(last, 'A pagemap 0 -> !wp\n  A pagemap 1 -> !wp'));
      expect(describeResult(s), last).toBe('ok');
      const a = run(m, anonThen(last, 'A pagemap 0 -> !wp\n  A pagemap 1 -> !wp'));
      expect(describeResult(a), last).toBe('ok');
    }
  });

  it('5.19.6 resets on unregister (the 6.0 fix, backported to 5.19.y): pagemap shows no uffd-wp afterwards', async () => {
    const m = await load('x86_64-v5.19');
    const s = run(m, shmemThen('A unregister 0 pages 2', 'A pagemap 0 -> !wp\n  A pagemap 1 -> !wp'));
    expect(describeResult(s)).toBe('ok');
    const a = run(m, anonThen('A unregister 0 pages 2', 'A pagemap 0 -> !wp\n  A pagemap 1 -> !wp'));
    expect(describeResult(a)).toBe('ok');
  });

  it('5.19.6 close leaves the marker and the present bit behind: pagemap still reports PM_UFFD_WP (the oracle wants !wp)', async () => {
    const m = await load('x86_64-v5.19');
    // userfaultfd_release() only drops VM_UFFD_WP: pagemap reports the marker and the present PTE's bit as they are
    const r = run(m, shmemThen('A close uffd', 'A pagemap 0 -> !wp'));
    expect(r.firstFailure?.kind).toBe('oracle');
    const i = stepIndex(r, 'A pagemap 0');
    expect(r.firstFailure?.step).toBe(i);
    expect(r.steps[i]!.outcome).toEqual({ type: 'pagemap', uffd_wp: true, flags: ['PM_SWAP', 'PM_UFFD_WP'] });
    const present = run(m, shmemThen('A close uffd', 'A pagemap 1 -> !wp'));
    const j = stepIndex(present, 'A pagemap 1');
    expect(present.firstFailure?.step).toBe(j);
    expect(present.steps[j]!.outcome).toMatchObject({ type: 'pagemap', uffd_wp: true });
  });

  it('5.19.6 after close: a fault on the leftover marker clears it (pte_marker_handle_uffd_wp without VM_UFFD_WP) and the write completes', async () => {
    const m = await load('x86_64-v5.19');
    const r = run(m, shmemThen('A close uffd', 'A write 0 = 3 -> ok\n  A read 0 -> 3\n  A pagemap 0 -> !wp'));
    expect(describeResult(r)).toBe('ok');
  });

  it('5.10 unregister leaves the uffd-wp bits: registering again revives the protection (the lazy reset the 6.0 fix removed)', async () => {
    const m = await load('x86_64-v5.10');
    // without a re-registration the stale bit is invisible on 5.10 (do_wp_page needs VM_UFFD_WP; no PM_UFFD_WP)
    const quiet = run(m, anonThen('A unregister 0 pages 2', 'A write 0 = 3 -> ok\n  A write 1 = 4 -> ok\n  A read 0 -> 3'));
    expect(describeResult(quiet)).toBe('ok');
    for (const last of ['A unregister 0 pages 2', 'A close uffd\n  A uffd']) {
      const r = run(m, anonThen(last, 'A register 0 pages 2\n  A write 0 = 3 -> ok'));
      expect(r.firstFailure?.kind, last).toBe('oracle');
      const i = stepIndex(r, 'A write 0 = 3');
      expect(r.firstFailure?.step, last).toBe(i);
      expect(r.steps[i]!.outcome, last).toMatchObject({ type: 'userfault', mode: 'wp' });
      // the swapped-out page kept its swap uffd-wp bit too: swap-in maps it protected again
      const swapped = run(m, anonThen(last, 'A register 0 pages 2\n  A write 1 = 4 -> ok'));
      const j = stepIndex(swapped, 'A write 1 = 4');
      expect(swapped.steps[j]!.outcome, last).toMatchObject({ type: 'userfault', mode: 'wp' });
    }
  });

  it('6.17 has no such leftover: registering again after unregister or close brings no protection back', async () => {
    const m = await load('x86_64-v6.17');
    for (const last of ['A unregister 0 pages 2', 'A close uffd\n  A uffd']) {
      const r = run(m, anonThen(last, 'A register 0 pages 2\n  A write 0 = 3 -> ok\n  A write 1 = 4 -> ok'));
      expect(describeResult(r), last).toBe('ok');
    }
  });
});

describe('explore on 5.19 with the close() leftover', () => {
  it('finds `protect; close uffd; pagemap -> !wp` on shared shmem in 3 ops, and without close the migration bug in 4 again', async () => {
    const s519 = await spec('examples/x86_64-v5.19.pte');
    const w = bundledWorld('shmem-shared.scn', 'shmem shared');
    const r = await explore(s519.module, w, { depth: 4, symmetry: { pfns: true, slots: true } });
    expect(r.verdict).toBe('counterexample');
    expect(r.counterexample!.ops.map((o) => o.op)).toEqual(['protect', 'uffd_close', 'pagemap']);
    expect(r.counterexample!.failure.message).toMatch(/^the spec gives wp \[PM_SWAP PM_UFFD_WP\], the v6.17 contract requires !wp/);
    // the alphabet without close: the earlier 5.19 finding (a migrated protected shmem page comes back writable)
    const noClose = await explore(s519.module, w, { depth: 4, ops: DEFAULT_OPS.filter((o) => o !== 'close'), symmetry: { pfns: true, slots: true } });
    expect(noClose.verdict).toBe('counterexample');
    expect(noClose.counterexample!.ops.map((o) => o.op)).toEqual(['read', 'protect', 'migrate', 'write']);
  });

  it('6.17 stays clean on the same world with close in the alphabet', async () => {
    const s617 = await spec('examples/x86_64-v6.17.pte');
    const r = await explore(s617.module, bundledWorld('shmem-shared.scn', 'shmem shared'), { depth: 4, symmetry: { pfns: true, slots: true } });
    expect(r.verdict).toBe('complete');
  });
});
