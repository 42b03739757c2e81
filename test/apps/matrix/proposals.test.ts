// The seed thread's proposals (examples/proposals/*.pte): each checks clean with its swap budget, and what each
// encoding implies is pinned: Hugh's marker needs non_swap_entry() to stop being a type test (kept as the kernel has
// it, PTE034 with the marker as witness), Peter's PROTNONE|UFFD_WP marker is a NUMA-hinting/PROT_NONE PTE unless the
// `protnone` kind makes room (PTE030 with the witness), and the special swap PTE is carved out of `swap`.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contains } from '../../../compiler/bits/cube-set.js';
import { budgetSummary } from '../../../compiler/checks/swap-budget.js';
import { matrixSpecs } from '../../../apps/matrix/inputs.js';
import { repoRoot } from '../../helpers/repo.js';
import { compileRepoSpec } from '../../runtime/scenario/repo-scenarios.js';

/** The seed thread's proposals (on 5.10); the others are issue 19's trial proposals on 6.17 (test/compiler/deltas.test.ts). */
const SEED = ['hugh-swap-marker', 'protnone-zero-pfn', 'shmem-wp-naive', 'special-swap-pte'];
// and pte-marker-new-bit: the kernel-tree example of docs/patch.md (a fourth marker bit on 6.17).
const TRIALS = ['free-swap-type', 'pte-marker-new-bit', 'uffd-wp-bit57'];
const all = matrixSpecs(repoRoot).filter((s) => s.group === 'proposal');
const proposals = all.filter((s) => SEED.includes(s.column));

function variant(file: string, edit: (text: string) => string): { file: string; text: string } {
  const original = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const text = edit(original);
  if (text === original) throw new Error(`the variant of ${file} changes nothing: the edit no longer matches`);
  return { file: file.replace(/\.pte$/, '-variant.pte'), text };
}

describe('proposals check clean', () => {
  it('the four proposals of the seed thread are there, and the two trial proposals of issue 19 among the others', () => {
    expect(proposals.map((p) => p.column)).toEqual(SEED);
    for (const t of TRIALS) expect(all.map((p) => p.column)).toContain(t);
  });
  for (const p of proposals) {
    it(`${p.file}: 0 errors, 0 warnings, extends x86_64-v5.10, swap budget unchanged (MAX_SWAPFILES = 27)`, () => {
      const c = compileRepoSpec(p.file);
      expect(c.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(c.spec.base).toBe('x86_64_v5_10');
      expect(budgetSummary(c.spec)).toMatch(/^MAX_SWAPFILES = 27 /);
    });
  }
});

describe('what each encoding implies', () => {
  it("hugh-swap-marker: the kernel's non_swap_entry() (a type test) misses the marker: PTE034, witness 0x0ffffffffffffe00", () => {
    const v = variant('examples/proposals/hugh-swap-marker.pte', (t) =>
      t.replace(/^override predicate non_swap_entry on swp = [^]*?\n(\s+means )/m, 'override predicate non_swap_entry on swp = is_swap_pte && TYPE >= MAX_SWAPFILES\n$1'),
    );
    const c = compileRepoSpec(v.file, { [v.file]: v.text });
    const d = c.diagnostics.filter((x) => x.code === 'PTE034');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('non_swap_entry');
    expect(d[0]!.message).toContain('0x0ffffffffffffe00');
    expect(d[0]!.message).toContain('uffd_wp_marker');
  });

  it('hugh-swap-marker: "swp_type < MAX_SWAPFILES" now means swap AND the marker (checked `means`)', () => {
    const c = compileRepoSpec('examples/proposals/hugh-swap-marker.pte');
    expect(c.spec.predicates.get('swp_type_is_swapfile')!.means.map((m) => m.name)).toEqual(['swap', 'uffd_wp_marker']);
  });

  it('protnone-zero-pfn: without making room in `protnone`, the marker is ambiguous: PTE030, witness 0x000fffffffffe700', () => {
    const v = variant('examples/proposals/protnone-zero-pfn.pte', (t) => t.replace(/^override kind protnone .*\n/m, ''));
    const c = compileRepoSpec(v.file, { [v.file]: v.text });
    const d = c.diagnostics.filter((x) => x.code === 'PTE030');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain("'protnone'");
    expect(d[0]!.message).toContain("'uffd_wp_protnone'");
    expect(d[0]!.message).toContain('0x000fffffffffe700');
  });

  it('special-swap-pte: 0x4 is the special kind; 0x24 (A set by the KNL erratum) is still a genuine swap entry', () => {
    const c = compileRepoSpec('examples/proposals/special-swap-pte.pte');
    const kindOf = (w: bigint): string[] =>
      [...c.sets.kinds].filter(([, set]) => contains(set, w)).map(([name]) => name);
    expect(kindOf(0x4n)).toEqual(['uffd_wp_special']);
    expect(kindOf(0x24n)).toEqual(['swap']);
  });
});
