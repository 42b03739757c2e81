// The C of every predicate and kind test is the spec's own condition, simplified (compiler/backends/c/cond.ts), not
// the exact set's ternary patterns; this proves, over all 2^word values, that the simplified condition means exactly
// the kind's / predicate's set: the condition is rebuilt as a cube set from the fields' bits and compared with the
// exact set the checks use. (C = TS, test/compiler/backends/c/equiv.test.ts, then runs the printed C against the TS module.)
import { describe, expect, it } from 'vitest';
import * as C from '../../../../compiler/bits/cube-set.js';
import type { CubeSet, FieldBits } from '../../../../compiler/bits/cube-set.js';
import { simplifyCond } from '../../../../compiler/backends/c/cond.js';
import { emitC } from '../../../../compiler/backends/c/emit.js';
import type { IrCond } from '../../../../compiler/ir/types.js';
import { allCases, levelCases, type SketchCase } from './helpers.js';
import { GENERATED_PROPOSALS, generatedProposals } from './generated-proposals.js';
import { scaled } from '../../../helpers/scale.js';

/** The set a condition means, from the fields' bits: independent of the compiler's own set compilation. */
function condSet(s: SketchCase, c: IrCond, format: string, preds: Map<string, CubeSet>): CubeSet {
  const W = s.ir.word;
  const fmt = s.compiled.spec.formats.get(format)!;
  const word: FieldBits = { bits: Array.from({ length: W }, (_, i) => ({ pos: i, inverted: false })) };
  switch (c.k) {
    case 'all':
      return c.items.reduce<CubeSet>((acc, x) => C.intersect(acc, condSet(s, x, format, preds)), C.full(W));
    case 'any':
      return c.items.reduce<CubeSet>((acc, x) => C.union(acc, condSet(s, x, format, preds)), C.EMPTY);
    case 'not':
      return C.complement(condSet(s, c.operand, format, preds), W);
    case 'pred':
      return predSet(s, c.name, preds);
    case 'cmp': {
      const f = c.field === undefined ? word : fmt.fields.get(c.field)!;
      if (c.mask) {
        const eq = C.fieldMaskedEquals(f, c.mask.value, c.value.value, W);
        return c.op === '==' ? eq : C.complement(eq, W);
      }
      return C.fieldCompare(f, c.op, c.value.value, W);
    }
  }
}

function predSet(s: SketchCase, name: string, preds: Map<string, CubeSet>): CubeSet {
  const known = preds.get(name);
  if (known) return known;
  const p = s.ir.predicates.find((x) => x.name === name)!;
  const set = condSet(s, simplifyCond(p.body!), p.format!, preds);
  preds.set(name, set);
  return set;
}

const asSet = (cubes: readonly (readonly [bigint, bigint])[]): CubeSet => cubes.map(([mask, value]) => ({ mask, value }));

function proveAll(s: SketchCase): number {
  const preds = new Map<string, CubeSet>();
  let n = 0;
  for (const p of s.ir.predicates) {
    expect(p.body, `${s.file}: predicate ${p.name} has its condition`).toBeDefined();
    expect(C.equals(predSet(s, p.name, preds), asSet(p.cubes)), `${s.file}: predicate ${p.name}`).toBe(true);
    n++;
  }
  for (const k of s.ir.kinds) {
    expect(k.when, `${s.file}: kind ${k.name} has its condition`).toBeDefined();
    expect(C.equals(condSet(s, simplifyCond(k.when!), k.format, preds), asSet(k.cubes)), `${s.file}: kind ${k.name}`).toBe(true);
    n++;
  }
  return n;
}

describe('every emitted predicate and kind test equals the exact set', () => {
  // Every level: a level's kinds and predicates are printed from its own conditions too (in its spec's sketch).
  for (const s of [...allCases(), ...levelCases()]) {
    it(`${s.file}: every predicate and kind`, () => {
      expect(proveAll(s)).toBe(s.ir.predicates.length + s.ir.kinds.length);
      // And the C prints the conditions, not ternary patterns.
      const units = emitC(s.top ?? s.ir).units.filter((u) => u.level === s.level && /^(\w+:)?(pred|kind):/.test(u.key));
      expect(units.length).toBeGreaterThan(0);
      expect(units.filter((u) => u.lines.some((l) => /\b(pte|pmd)val_t val = (pte|pmd)_val\((pte|pmd)\);/.test(l))).map((u) => u.key)).toEqual([]);
    });
  }

  it('generated proposals (seeded deltas of the bundled specs, 240 at full scale): every predicate and kind', () => {
    const want = scaled(GENERATED_PROPOSALS, 40);
    const cases = generatedProposals(want);
    expect(cases.length).toBe(want);
    for (const s of cases) proveAll(s);
  });

  it('x86_64 v6.17 reads like the kernel: swap is swp_type(entry) < MAX_SWAPFILES, pte_none a masked compare', () => {
    const s = allCases().find((c) => c.file.endsWith('x86_64-v6.17.pte'))!;
    const units = emitC(s.ir).units;
    const text = (key: string): string => units.find((u) => u.key === key)!.lines.join('\n');
    expect(text('kind:swap')).toContain('return is_swap_pte(pte) && swp_type(entry) < MAX_SWAPFILES;');
    expect(text('pred:pte_none')).toContain('return (pte_val(pte) & PTE_NONE_MASK) == 0;');
    expect(text('pred:is_hwpoison_entry')).toContain('swp_type(entry) == SWP_HWPOISON');
    // The PMD level reads its swap entries through pmd_to_swp_entry(); the hugetlb level is pte_t and calls the PTE
    // level's own is_swap_pte() (include/asm-generic/hugetlb.h: the huge_pte_* helpers are pte_* on pte_t).
    expect(text('pmd:pred:is_pmd_migration_entry')).toContain('swp_entry_t entry = pmd_to_swp_entry(pmd);');
    expect(text('pmd:pred:is_pmd_migration_entry')).toContain('return is_swap_pmd(pmd) &&');
    expect(text('huge_pte:pred:is_hugetlb_entry_hwpoisoned')).toContain('return is_swap_pte(pte) && swp_type(entry) == SWP_HWPOISON;');
    expect(units.some((u) => u.key === 'huge_pte:pred:is_swap_pte')).toBe(false);
  });
});
