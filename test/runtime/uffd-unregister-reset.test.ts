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
import { bundledWorld, spec } from './explore/helpers.js';
import { describeResult, run, stepIndex } from './helpers.js';
import { formatFailure } from '../../runtime/runner.js';

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

  it('5.19.6 close leaves the marker and the present bit behind: the leftover invariant fails at the close, blaming the decision', async () => {
    const m = await load('x86_64-v5.19');
    // userfaultfd_release() only drops VM_UFFD_WP: the marker (0) and the present PTE's bit (1) stay where they are
    const r = run(m, shmemThen('A close uffd', 'A pagemap 0 -> !wp'));
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.step).toBe(stepIndex(r, 'A close uffd'));
    const msgs = (r.firstFailure?.violations ?? []).map((v) => v.message).sort();
    expect(msgs).toEqual([
      expect.stringMatching(/^uffd-wp state left in a VMA not registered for WP: present 0x[0-9a-f]+ at A:1 /),
      expect.stringMatching(/^uffd-wp state left in a VMA not registered for WP: pte_marker 0x[0-9a-f]+ at A:0 /),
    ]);
    expect(r.firstFailure?.site).toMatchObject({ path: 'uffd_release_resets_wp', index: -1, kind: 'decision', file: 'examples/mm/linux-v5.19.pte' });
    expect(formatFailure(r.firstFailure!)).toContain('decision uffd_release_resets_wp at examples/mm/linux-v5.19.pte:');
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
  it('finds the leftover after `protect; mremap` or `protect; close uffd` on shared shmem in 2 ops, and without either the migration bug in 3', async () => {
    const s519 = await spec('examples/x86_64-v5.19.pte');
    const w = bundledWorld('shmem-shared.scn', 'shmem shared');
    const r = await explore(s519.module, w, { depth: 4, symmetry: { pfns: true, slots: true } });
    expect(r.verdict).toBe('counterexample');
    // mremap (default alphabet) finds the same kind of leftover first: the moved marker in a VMA without VM_UFFD_WP
    expect(r.counterexample!.ops.map((o) => o.op)).toEqual(['protect', 'mremap']);
    expect(r.counterexample!.failure.message).toMatch(/^uffd-wp state left in a VMA not registered for WP: pte_marker/);
    const closeOnly = await explore(s519.module, w, { depth: 4, ops: DEFAULT_OPS.filter((o) => o !== 'mremap'), symmetry: { pfns: true, slots: true } });
    expect(closeOnly.counterexample!.ops.map((o) => o.op)).toEqual(['protect', 'uffd_close']);
    expect(closeOnly.counterexample!.failure.message).toMatch(/^uffd-wp state left in a VMA not registered for WP: pte_marker/);
    // the alphabet without close: the earlier 5.19 finding (a migrated protected shmem page comes back writable)
    const noClose = await explore(s519.module, w, { depth: 4, ops: DEFAULT_OPS.filter((o) => o !== 'close' && o !== 'mremap'), symmetry: { pfns: true, slots: true } });
    expect(noClose.verdict).toBe('counterexample');
    // caught one op earlier than the write that completes: the migrated PTE is writable with its uffd-wp bit
    expect(noClose.counterexample!.ops.map((o) => o.op)).toEqual(['read', 'protect', 'migrate']);
    expect(noClose.counterexample!.failure.message).toMatch(/^writable entry present 0x[0-9a-f]+ at A:0 still carries uffd-wp/);
  });

  it('6.17 stays clean on the same world with close in the alphabet', async () => {
    const s617 = await spec('examples/x86_64-v6.17.pte');
    const r = await explore(s617.module, bundledWorld('shmem-shared.scn', 'shmem shared'), { depth: 4, symmetry: { pfns: true, slots: true } });
    expect(r.verdict).toBe('complete');
  });
});
