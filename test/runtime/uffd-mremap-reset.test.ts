// mremap() without UFFD_FEATURE_EVENT_REMAP takes the moved VMA out of the uffd (mremap_userfaultfd_prep() clears
// VM_UFFD_WP) in every version; whether move_ptes() also clears the moved entries' uffd-wp bits and markers is the
// spec's decision uffd_mremap_resets_wp (docs/handlers.md). 6.17 clears them ("mm: clear uffd-wp PTE/PMD state on
// mremap()", 0cef0bb836e3, v6.13); the 5.10.13 and 5.19.6 trees move them as they are. The oracle stays the v6.17
// contract, so the 5.x leftovers diverge where the user can see them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../compiler/compile.js';
import { memoryHost } from '../../compiler/load.js';
import { loadModuleText } from '../../apps/load-module.js';
import type { HandlerContext, SpecModule } from '../../contract/spec-module.js';
import { repoRoot } from '../helpers/repo.js';
import { describeResult, run, stepIndex } from './helpers.js';
import { unwrap } from '../../core/result.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

/** shmem: a protected none PTE (a marker at 0) and a protected present one (1), then both moved to 4 and 5. */
const shmemMoved = (after: string): string => `scenario "s" {
  file F pages 2
  mm A { map F shared at 0 pages 2; uffd; register 0 pages 2 }
  A write 1 = 5
  A protect 0 pages 2
  A mremap 0 pages 2 to 4
  ${after}
}`;

/** anon: a protected present page (0) and a protected swap entry (1), then both moved to 4 and 5. */
const anonMoved = (after: string): string => `scenario "a" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 0 = 1
  A write 1 = 2
  A protect 0 pages 2
  reclaim A 1
  A mremap 0 pages 2 to 4
  ${after}
}`;

/** The module with uffd_mremap_resets_wp replaced (the other decisions and paths as generated). */
function withMremapDecision(m: SpecModule, d: (ctx: HandlerContext) => boolean): SpecModule {
  return { ...m, decisions: { ...m.decisions, uffd_mremap_resets_wp: d } };
}

describe('mremap resets uffd-wp as the spec decides', () => {
  it('6.17 clears the moved entries: no PM_UFFD_WP at the new address, on shmem (marker, present) and anon (present, swap)', async () => {
    const m = await load('x86_64-v6.17');
    expect(describeResult(run(m, shmemMoved('A pagemap 4 -> !wp\n  A pagemap 5 -> !wp')))).toBe('ok');
    expect(describeResult(run(m, anonMoved('A pagemap 4 -> !wp\n  A pagemap 5 -> !wp')))).toBe('ok');
  });

  it('6.17: registering the moved range again brings no protection back', async () => {
    const m = await load('x86_64-v6.17');
    const r = run(m, anonMoved('A register 4 pages 2\n  A write 4 = 3 -> ok\n  A write 5 = 4 -> ok\n  A read 5 -> 4'));
    expect(describeResult(r)).toBe('ok');
  });

  it('the runtime asks the decision once, for the moved VMA while it still has VM_UFFD_WP', async () => {
    const m = await load('x86_64-v6.17');
    const asked: { anon: boolean; uffd_wp: boolean }[] = [];
    const spy = withMremapDecision(m, (ctx) => {
      asked.push({ anon: ctx.vma.anon, uffd_wp: ctx.vma.uffd_wp });
      return m.decisions.uffd_mremap_resets_wp(ctx);
    });
    expect(describeResult(run(spy, anonMoved('A pagemap 4 -> !wp')))).toBe('ok');
    expect(asked).toEqual([{ anon: true, uffd_wp: true }]);
    // an unregistered VMA is moved without asking (no uffd context: nothing to clear in any version)
    asked.length = 0;
    const plain = run(spy, `scenario "p" {
  mm A { map anon at 0 pages 2; uffd }
  A write 0 = 1
  A mremap 0 pages 2 to 4
  A read 4 -> 1
}`);
    expect(describeResult(plain)).toBe('ok');
    expect(asked).toEqual([]);
  });

  it('6.17 paths with the decision forced false keep the bits: the runtime follows the decision, not a version', async () => {
    const m = withMremapDecision(await load('x86_64-v6.17'), () => false);
    const r = run(m, anonMoved('A pagemap 4 -> !wp'));
    // move_ptes gets move.clear_uffd_wp = false and moves the bits: the leftover invariant fails at the mremap
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.step).toBe(stepIndex(r, 'A mremap 0 pages 2 to 4'));
    expect(r.firstFailure?.message).toMatch(/^uffd-wp state left in a VMA not registered for WP: present 0x[0-9a-f]+ at A:4 /);
  });

  it('EVENT_REMAP keeps the range registered: nothing is cleared and the protection holds at the new address', async () => {
    for (const name of ['x86_64-v6.17', 'x86_64-v5.19']) {
      const m = await load(name);
      const r = run(m, anonMoved('A pagemap 4 -> wp\n  A write 4 -> userfault wp\n  A write 5 -> userfault wp').replace('uffd;', 'uffd features event_remap;'));
      expect(describeResult(r), name).toBe('ok');
    }
  });

  it('5.19.6 moves marker and present bit as they are: the leftover invariant fails at the mremap, blaming the decision', async () => {
    const m = await load('x86_64-v5.19');
    const r = run(m, shmemMoved('A pagemap 4 -> !wp'));
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.step).toBe(stepIndex(r, 'A mremap 0 pages 2 to 4'));
    expect((r.firstFailure?.violations ?? []).map((v) => v.message)).toEqual([
      expect.stringMatching(/^uffd-wp state left in a VMA not registered for WP: pte_marker 0x[0-9a-f]+ at A:4 /),
      expect.stringMatching(/^uffd-wp state left in a VMA not registered for WP: present 0x[0-9a-f]+ at A:5 /),
    ]);
    expect(r.firstFailure?.site).toMatchObject({ path: 'uffd_mremap_resets_wp', kind: 'decision' });
  });

  it('5.10.13 moves the uffd-wp bits: registering the moved range again revives the protection, present and swapped', async () => {
    const m = await load('x86_64-v5.10');
    // without a re-registration the stale bits are invisible on 5.10 (do_wp_page needs VM_UFFD_WP)
    expect(describeResult(run(m, anonMoved('A write 4 = 3 -> ok\n  A write 5 = 4 -> ok\n  A read 4 -> 3')))).toBe('ok');
    const r = run(m, anonMoved('A register 4 pages 2\n  A write 4 = 3 -> ok'));
    expect(r.firstFailure?.kind).toBe('oracle');
    const i = stepIndex(r, 'A write 4 = 3');
    expect(r.firstFailure?.step).toBe(i);
    expect(r.steps[i]!.outcome).toMatchObject({ type: 'userfault', mode: 'wp' });
    const swapped = run(m, anonMoved('A register 4 pages 2\n  A write 5 = 4 -> ok'));
    const j = stepIndex(swapped, 'A write 5 = 4');
    expect(swapped.steps[j]!.outcome).toMatchObject({ type: 'userfault', mode: 'wp' });
  });
});

describe('uffd_mremap_resets_wp is required', () => {
  it('a spec with handlers that lacks it is PTE046', () => {
    const read = (f: string): string => fs.readFileSync(path.join(repoRoot, 'examples', f), 'utf8');
    const mm = read('mm/linux-v6.17.pte').replace(/^decision uffd_mremap_resets_wp = .*$/m, '');
    expect(mm).not.toMatch(/decision uffd_mremap_resets_wp/);
    const c = unwrap(compileSpec('x86_64-v6.17.pte', memoryHost({ 'x86_64-v6.17.pte': read('x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': mm })));
    expect(c.ok).toBe(false);
    const d = c.diagnostics.filter((x) => x.code === 'PTE046');
    expect(d.map((x) => x.message)).toEqual(["the spec has handlers but no 'uffd_mremap_resets_wp' decision: the runtime asks it"]);
  });
});
