// PTE030: two kinds classify the same 64-bit value; the smallest common value is the witness.
import { describe, expect, it } from 'vitest';
import { ambiguousKinds } from '../../../compiler/checks/ambiguous-kinds.js';
import { classify } from '../../../compiler/codec.js';
import { contains } from '../../../compiler/bits/cube-set.js';
import { at, checkText, compileText, one, only, posOf, says, X86 } from '../../helpers.js';

describe('ambiguous-kinds (PTE030)', () => {
  it("kinds 'swap' and a type-1 offset-0 marker are ambiguous, with witness 0x0ffffffffffffe00", () => {
    const text = `${X86}kind uffd_wp_marker : swp when is_swap_pte && TYPE == 1 && OFFSET == 0\n`;
    const c = compileText(text);
    const d = one(c.diagnostics, 'PTE030');
    // Fields are shown as logical values: the inverted OFFSET stored as all ones reads 0, so only TYPE is non-zero.
    expect(at(d)).toBe(posOf(text, 'uffd_wp_marker'));
    says(d, "'swap'", "'uffd_wp_marker'", '0x0ffffffffffffe00', '(TYPE=0x1)', '128 values');
    expect(d.related?.[0]).toMatchObject({ message: "'swap' declared here" });
    expect(`${d.related![0]!.range.start.line}:${d.related![0]!.range.start.column}`).toBe(posOf(text, 'swap :'));
    // The witness really is in both sets.
    const w = 0x0ffffffffffffe00n;
    expect(contains(c.sets.kinds.get('swap')!, w)).toBe(true);
    expect(contains(c.sets.kinds.get('uffd_wp_marker')!, w)).toBe(true);
  });

  it('the witness is the smallest common value: kinds overlapping only above 0x100 name 0x100', () => {
    const text = 'spec s "d"\nword 64\nformat f { bits 0..15 V }\nkind low : f when V < 0x101\nkind high : f when V >= 0x100\n';
    const d = one(checkText(text), 'PTE030');
    expect(at(d)).toBe(posOf(text, 'high'));
    says(d, "'low'", "'high'", '0x0000000000000100', '(V=0x100)', '2^48 values');
  });

  it('each overlapping pair is reported once, at the later kind', () => {
    const text = 'spec s "d"\nword 64\nformat f { bit 0 A; bit 1 B }\nkind a : f when A\nkind b : f when B\nkind c : f when A && B\n';
    const ds = only(checkText(text), 'PTE030');
    expect(ds.map((d) => d.range.start.line)).toEqual([5, 6, 6]);
    says(ds[0]!, "'a'", "'b'", '0x0000000000000003');
    says(ds[1]!, "'a'", "'c'", '0x0000000000000003');
    says(ds[2]!, "'b'", "'c'", '0x0000000000000003');
  });

  it('the kinds of the x86-like spec are pairwise disjoint', () => {
    const c = compileText(X86);
    expect(ambiguousKinds({ spec: c.spec, sets: c.sets })).toEqual([]);
    expect(classify(c.spec, c.sets, 0x0ffffffffffffe00n)).toBe('swap');
  });

  it('a proposal that narrows swap with override kind removes the ambiguity', () => {
    const text = `${X86}override kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES && !(TYPE == 1 && OFFSET == 0) refs slot(TYPE, OFFSET)\nkind uffd_wp_marker : swp when is_swap_pte && TYPE == 1 && OFFSET == 0\n`;
    const ds = checkText(text);
    expect(only(ds, 'PTE030')).toEqual([]);
  });

  it('a kind with a broken condition is not compared with the others', () => {
    const text = `${X86}kind broken : swp when is_swap_pte && TYPE == NOPE\n`;
    const ds = checkText(text);
    expect(only(ds, 'PTE002')).toHaveLength(1);
    expect(only(ds, 'PTE030')).toEqual([]);
  });
});
