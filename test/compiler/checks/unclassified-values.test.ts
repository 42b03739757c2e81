// PTE033: values no kind classifies, as ternary classes with a witness each.
import { describe, expect, it } from 'vitest';
import { unclassifiedValues } from '../../../compiler/checks/unclassified-values.js';
import { at, checkText, compileText, one, only, replaceLine, says, X86 } from '../../helpers.js';

describe('unclassified-values (PTE033)', () => {
  it('without a pte_marker kind, the 2^57 type-31 swap entries are a gap whose smallest value is 0xf800000000000000', () => {
    const text = replaceLine(X86, 'kind pte_marker', '');
    const d = one(checkText(text), 'PTE033');
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe('1:1');
    says(d, '2^57 values', 'smallest is 0xf800000000000000');
  });

  it('a gap of one class is drawn as a ternary picture with its witness', () => {
    const text = 'spec s "d"\nword 8\nformat f { bits 0..7 V }\nkind low : f when V < 0x80\nkind odd : f when V >= 0x80 && V & 1 == 1\n';
    const d = one(checkText(text), 'PTE033');
    says(d, '64 values', '1 class(es)', '1xxx_xxx0 (e.g. 0x80)', 'smallest is 0x80');
  });

  it('more than four classes are summarised', () => {
    const text = 'spec s "d"\nword 8\nformat f { bits 0..7 V }\nkind k : f when V == 0xff\n';
    const d = one(checkText(text), 'PTE033');
    says(d, '255 values', '8 class(es)', 'and 4 more class(es)', 'smallest is 0x00');
  });

  it('the x86-like spec classifies every value', () => {
    const c = compileText(X86);
    expect(unclassifiedValues({ spec: c.spec, sets: c.sets })).toEqual([]);
  });

  it('a spec with no kinds has no gap report', () => {
    expect(only(checkText('spec s "d"\nword 64\nformat f { bit 0 A }\n'), 'PTE033')).toEqual([]);
  });

  it('a spec with a broken kind has no gap report (the gap would be an echo of the error)', () => {
    const text = replaceLine(X86, 'kind pte_marker', 'kind pte_marker : pte_marker_entry when is_swap_pte && TYPE == NOPE');
    const ds = checkText(text);
    expect(only(ds, 'PTE002')).toHaveLength(1);
    expect(only(ds, 'PTE033')).toEqual([]);
  });
});
