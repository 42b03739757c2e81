// Section 6, the patch footprint: each design's own series (a proposal's against the spec it extends), and B's
// against A's, per kernel file and per handler path, with the numbers the committed series under generated/ holds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchFootprint } from '../../../compiler/backends/c/patch.js';
import { diffSpecs } from '../../../apps/diff/diff.js';
import { patchFootprintDiff } from '../../../apps/diff/footprint.js';
import { renderDiffMarkdown } from '../../../apps/diff/render-markdown.js';
import { repoRoot } from '../../helpers/repo.js';
import { bundled } from './helpers.js';

/** The footprint of a committed series, read from its files. */
function committed(dir: string): ReturnType<typeof patchFootprint> {
  const d = path.join(repoRoot, 'generated', dir, 'patch');
  return patchFootprint(fs.readdirSync(d).sort().map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')] as const));
}

describe('patch footprint of a proposal against its base', () => {
  const base = bundled('x86_64-v5.10');
  const hugh = bundled('proposals/hugh-swap-marker');
  const fp = patchFootprintDiff(base, hugh);

  it('A is the whole 5.10 sketch, B the proposal\'s own series, and A -> B the same series', () => {
    // the whole sketch: every patch of the committed series has code; its files are those of the committed series
    const whole = committed('x86_64-v5.10');
    expect(fp.a).toMatchObject({ spec: 'x86_64_v5_10', patches: whole.patches, files: whole.files.length, removed: 0 });
    expect(fp.a.against).toBeUndefined();
    expect(fp.b).toMatchObject({ spec: 'hugh_swap_marker', against: 'x86_64_v5_10', patches: 8, files: 8 });
    expect(fp.b.note).toBeUndefined();
    expect({ ...fp.aToB }).toEqual({ ...fp.b });
  });

  it('the numbers are those of the committed series under generated/, comments counted apart', () => {
    const whole = committed('x86_64-v5.10');
    const delta = committed('proposals/hugh-swap-marker');
    const lines = (fp: ReturnType<typeof committed>): [number, number] => [fp.perFile.reduce((n, f) => n + f.added, 0), fp.perFile.reduce((n, f) => n + f.removed, 0)];
    expect(fp.a.hunks + fp.a.comments.hunks).toBe(whole.hunks);
    expect([fp.a.added + fp.a.comments.added, fp.a.removed + fp.a.comments.removed]).toEqual(lines(whole));
    expect(fp.b.hunks + fp.b.comments.hunks).toBe(delta.hunks);
    expect([fp.b.added + fp.b.comments.added, fp.b.removed + fp.b.comments.removed]).toEqual(lines(delta));
    // every case opens with a comment naming it: the code counts are smaller than the text's, never larger
    expect(fp.b.comments.added).toBeGreaterThan(0);
    for (const f of fp.files) {
      for (const [mine, text] of [[f.a, whole.perFile.find((x) => x.file === f.file)], [f.b, delta.perFile.find((x) => x.file === f.file)]] as const) {
        if (!mine) continue;
        expect(text, f.file).toBeDefined();
        expect(mine.added, f.file).toBeLessThanOrEqual(text!.added);
        expect(mine.removed, f.file).toBeLessThanOrEqual(text!.removed);
        expect(mine.hunks, f.file).toBeLessThanOrEqual(text!.hunks);
      }
    }
  });

  it('per file and per path: what the marker costs where', () => {
    const file = (name: string) => fp.files.find((f) => f.file === name);
    const p = (name: string) => fp.paths.find((x) => x.path === name);
    // Two #defines (UFFD_WP_SWP_TYPE, UFFD_WP_SWP_OFFSET) join the run of constants.
    expect(file('arch/x86/include/asm/pgtable_types.h')?.b).toEqual({ added: 2, removed: 0, hunks: 1 });
    // pagemap: the marker's case (7 lines of code with its blank, its comment not counted) and the dispatcher's
    // two lines for it.
    expect(file('fs/proc/task_mmu.c')?.b).toEqual({ added: 9, removed: 0, hunks: 2 });
    expect(p('pagemap_pte')?.b).toEqual({ added: 9, removed: 0, hunks: 2 });
    // The decision: its test line changes (its comment line, which names the spec's line, is not counted).
    expect(file('include/linux/userfaultfd_k.h')?.b).toMatchObject({ added: 1, removed: 1 });
    // Files the proposal leaves alone: in A's whole sketch only.
    for (const f of ['mm/swapfile.c', 'mm/migrate.c', 'mm/filemap.c', 'include/linux/swap.h']) {
      expect(file(f)?.a, f).toBeDefined();
      expect(file(f)?.b, f).toBeUndefined();
      expect(file(f)?.aToB, f).toBeUndefined();
    }
    // The proposal's new paths exist in its series only; 5.10's swapoff path is untouched by it.
    for (const name of ['zap_present_uffd_wp', 'do_marker_fault', 'try_to_unmap_uffd_wp']) {
      expect(p(name)?.a, name).toBeUndefined();
      expect(p(name)?.b?.added, name).toBeGreaterThan(0);
    }
    expect(p('unuse_pte')?.b).toBeUndefined();
    expect(fp.paths.map((x) => x.path).indexOf('zap_present_uffd_wp')).toBeGreaterThan(fp.paths.map((x) => x.path).indexOf('pagemap_pfn_swap'));
  });

  it('the markdown report carries the three series and both tables', () => {
    const md = renderDiffMarkdown(diffSpecs(base, hugh));
    expect(md).toContain(`| B | \`hugh_swap_marker\` | \`x86_64_v5_10\` | 8 patches, ${fp.b.hunks} hunks, 8 files, +${fp.b.added} −${fp.b.removed} |`);
    // (5.10's own task_mmu.c series grows with every pagemap path the base learns; the proposal adds its 9 lines to it)
    expect(md).toMatch(/\| `fs\/proc\/task_mmu\.c` \| \+\d+ −0 \(\d+ hunks\) \| \+9 −0 \(2 hunks\) \| \+9 −0 \(2 hunks\) \|/);
    expect(md).toContain('| `pagemap_pte` |');
  });
});

describe('patch footprint: other pairs', () => {
  it('a spec against itself: the same series on both sides, nothing from A to B, no difference', () => {
    const s = bundled('x86_64-v6.17');
    const fp = patchFootprintDiff(s, s);
    expect(fp.aToB).toMatchObject({ patches: 0, hunks: 0, files: 0, added: 0, removed: 0 });
    expect(fp.files.length).toBeGreaterThan(10);
    for (const f of fp.files) {
      expect(f.a).toEqual(f.b);
      expect(f.aToB).toBeUndefined();
    }
    expect(diffSpecs(s, s).differs).toBe(false);
  });

  it('two proposals on one base: each against 5.10, and what separates them', () => {
    const fp = patchFootprintDiff(bundled('proposals/hugh-swap-marker'), bundled('proposals/special-swap-pte'));
    expect(fp.a.against).toBe('x86_64_v5_10');
    expect(fp.b.against).toBe('x86_64_v5_10');
    expect(fp.aToB.against).toBe('hugh_swap_marker');
    expect(fp.aToB.removed).toBeGreaterThan(0);
    // The two markers' own kinds: only the way from one to the other removes hugh's and adds the special PTE's.
    expect(fp.files.find((f) => f.file === 'include/linux/swapops.h')?.aToB?.removed).toBeGreaterThan(0);
  });

  it('a side without the texts of its extends chain is measured whole, and says so', () => {
    const hugh = bundled('proposals/hugh-swap-marker');
    const bare = { ir: hugh.ir, spec: hugh.spec };
    const fp = patchFootprintDiff(bundled('x86_64-v5.10'), bare);
    expect(fp.b.against).toBeUndefined();
    expect(fp.b.note).toBe('extends examples/x86_64-v5.10.pte, whose text this diff was not given');
    expect(fp.b.removed).toBe(0);
    expect(fp.b.added).toBeGreaterThan(patchFootprintDiff(bundled('x86_64-v5.10'), hugh).b.added);
  });
});
