// `ptelab build --kernel-tree DIR` (compiler/backends/c/place.ts) against the tree `npm run setup:kernel-source`
// unpacks (Debian's linux-source package: 6.1 on Debian 12, 6.12 on Debian 13, the nearest to 6.17 this machine can install): the
// series of examples/proposals/pte-marker-new-bit.pte (a fourth marker bit on x86_64 v6.17) places its header
// additions in the tree's own headers, and every patch applies there with plain `git apply --check` (then applied, in
// order, on a copy of the files it touches). What it cannot place, the cover letter lists. x86_64 v6.17's whole
// series places its PMD and hugetlb cases above the tree's own THP and hugetlb functions. Skipped, with the install
// advice, when the tree is not there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVER_LETTER, patchSeries } from '../../../../compiler/backends/c/patch.js';
import { openKernelTree } from '../../../../compiler/backends/c/tree.js';
import { bundledCases, HAVE_GIT, proposalCases, run, tempDir, type SketchCase } from './helpers.js';
import { findKernelSource, KERNEL_SOURCE_HINT } from './kernel-source.js';

const source = findKernelSource();
if (!source) console.warn(`test/compiler/backends/c/kernel-tree.test.ts skipped: ${KERNEL_SOURCE_HINT}`);

/** Apply a series, patch after patch, to a copy of the tree's files it touches; git's complaints, if any. */
function applyOnTree(root: string, series: ReadonlyMap<string, string>): string[] {
  const dir = tempDir('tree');
  const problems: string[] = [];
  for (const [name, text] of series) {
    if (name === COVER_LETTER) continue;
    for (const m of text.matchAll(/^diff --git a\/(\S+) b\//gm)) {
      const f = m[1]!;
      if (fs.existsSync(path.join(dir, f))) continue;
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(dir, f));
    }
    fs.writeFileSync(path.join(dir, `..${path.basename(dir)}-${name}`), text);
    const p = path.join(dir, `..${path.basename(dir)}-${name}`);
    const check = run('git', ['apply', '--check', p], { cwd: dir });
    if (check.status !== 0) problems.push(`${name}: ${check.stderr.trim()}`);
    else run('git', ['apply', p], { cwd: dir });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return problems;
}

const proposal = (stem: string): SketchCase => proposalCases().find((c) => c.file.endsWith(`${stem}.pte`))!;

describe.skipIf(!source || !HAVE_GIT)(source ? `a series against linux-source ${source.version}` : `--kernel-tree: SKIPPED, ${KERNEL_SOURCE_HINT}`, () => {
  it('pte-marker-new-bit: the new marker bit and its helpers are placed in the real headers, and apply with git apply --check', () => {
    const s = proposal('pte-marker-new-bit');
    const tree = openKernelTree(source!.root);
    const series = patchSeries(s.ir, s.base, { kernelTree: tree });
    const patches = [...series.keys()].filter((n) => n !== COVER_LETTER);
    expect(patches.length).toBeGreaterThan(0);
    const all = [...series.values()].join('\n');
    expect(all).toMatch(/^diff --git a\/arch\/x86\/include\/asm\/pgtable_types\.h /m);
    expect(all).toMatch(/^\+#define __PTE_MARKER_ENTRY_NEW_PTE_MARKER_NEW_SHIFT|^\+#define __\w*PTE_MARKER_NEW\w*_SHIFT/m);
    // Real context: the tree's own include guard closes the hunk.
    expect(all).toMatch(/^ #endif \/\* _ASM_X86_PGTABLE_DEFS_H \*\/$/m);
    expect(applyOnTree(source!.root, series)).toEqual([]);
    const cover = series.get(COVER_LETTER)!.replace(/\n {2,}/g, ' ');
    expect(cover).toContain(`Made against the kernel tree ${path.basename(source!.root)} (${source!.version})`);
    expect(cover).toContain('Placed:');
    expect(cover).toContain('arch/x86/include/asm/pgtable_types.h: field pte_marker_entry_new.PTE_MARKER_NEW, before the closing #endif');
    expect(cover).toMatch(/Not placed \(\d+; they stay a sketch/);
  });

  it('hugh-swap-marker: handler helpers above the kernel functions the tree has, the rest listed as not placed', () => {
    const s = proposal('hugh-swap-marker');
    const series = patchSeries(s.ir, s.base, { kernelTree: openKernelTree(source!.root) });
    expect(applyOnTree(source!.root, series)).toEqual([]);
    const cover = series.get(COVER_LETTER)!.replace(/\n {2,}/g, ' ');
    expect(cover).toMatch(/mm\/memory\.c: copy_page_range: case uffd_wp_marker, above copy_nonpresent_pte\(\)/);
    // zap_pte_range's cases go above zap_present_ptes() (since 6.9) and zap_nonpresent_ptes() (a later split) where
    // the tree has them; where it does not (Debian 12's 6.1, Debian 13's 6.12), the case is not placed and the cover
    // letter says why. Which one the tree has is read from its mm/memory.c, not assumed.
    const memory = fs.readFileSync(path.join(source!.root, 'mm/memory.c'), 'utf8');
    for (const fn of ['zap_present_ptes', 'zap_nonpresent_ptes']) {
      const has = new RegExp(`^static[^;(]*\\b${fn}\\(`, 'm').test(memory);
      expect(cover).toMatch(new RegExp(has ? `zap_pte_range: case [^-]*, above ${fn}\\(\\)` : `mm/memory\\.c has no function ${fn}\\(\\)`));
    }
  });

  it('x86_64 v6.17: the PMD and hugetlb cases go above the functions of mm/huge_memory.c, mm/khugepaged.c and mm/hugetlb.c', () => {
    const s = bundledCases().find((c) => c.file.endsWith('x86_64-v6.17.pte'))!;
    const series = patchSeries(s.ir, undefined, { kernelTree: openKernelTree(source!.root) });
    expect(applyOnTree(source!.root, series)).toEqual([]);
    const cover = series.get(COVER_LETTER)!.replace(/\n {2,}/g, ' ');
    expect(cover).toContain('mm/huge_memory.c: pmd level: zap_huge_pmd: case trans_huge, above zap_huge_pmd()');
    expect(cover).toContain('mm/khugepaged.c: pmd level: collapse_huge_page: case none, above collapse_huge_page()');
    expect(cover).toContain('mm/hugetlb.c: huge_pte level: hugetlb_fault: case none, above hugetlb_fault()');
    expect(cover).toContain('fs/proc/task_mmu.c: huge_pte level: pagemap_hugetlb_range: case none, above pagemap_hugetlb_range()');
  });
});
