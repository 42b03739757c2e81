import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentOnlyLines } from '../../../../compiler/backends/c/comments.js';
import { patchFootprint, patchSeries, seriesFootprint } from '../../../../compiler/backends/c/patch.js';
import { compileSpec } from '../../../../compiler/compile.js';
import { packageRoot } from '../../../../core/package-root.js';

describe('commentOnlyLines', () => {
  it('tells comment lines from code, across block comments', () => {
    const lines = [
      '/* one line */',
      '/*',
      ' * inside',
      ' */',
      '\t*pm_flags |= PM_PRESENT;',
      '\treturn 0; /* trailing */',
      '// SPDX-License-Identifier: GPL-2.0-only',
      '',
      '\tWARN_ONCE(1, "/* not a comment");',
      '\tx = 1;',
      '/* a */ /* b */',
    ];
    expect(commentOnlyLines(lines)).toEqual([true, true, true, true, false, false, true, false, false, false, true]);
  });
});

describe('seriesFootprint leaves comments out', () => {
  it('a change that only moves the lines of the spec (so only the site comments change) has no footprint', () => {
    const root = packageRoot();
    const arch = path.join(root, 'examples/x86_64-v5.10.pte');
    const mm = path.join(root, 'examples/mm/linux-v5.10.pte');
    const read = (shift: boolean) => (f: string): string => {
      const t = fs.readFileSync(f, 'utf8');
      return shift && f === mm ? `// one line more\n${t}` : t;
    };
    const a = compileSpec(arch, { readFile: read(false) });
    const b = compileSpec(arch, { readFile: read(true) });
    if (!a.ok || !b.ok || !a.value.ir || !b.value.ir) throw new Error('the bundled spec does not compile');
    const [irA, irB] = [a.value.ir, b.value.ir];
    const text = patchFootprint(patchSeries(irB, irA));
    expect(text.hunks).toBeGreaterThan(10); // the series does rewrite every site comment
    const fp = seriesFootprint(irB, irA);
    expect(fp).toMatchObject({ patches: 0, hunks: 0, files: [], perFile: [], perPath: [] });
    expect(fp.comments.hunks).toBe(text.hunks);
    expect(fp.comments.added).toBe(text.perFile.reduce((n, f) => n + f.added, 0));
  });
});
