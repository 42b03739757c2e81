// PTE010: two fields of one format share a bit, unless one is an alias of the other.
import { describe, expect, it } from 'vitest';
import { overlappingFields } from '../../../compiler/checks/overlapping-fields.js';
import { at, checkText, compileText, one, only, posOf, says, X86 } from '../../helpers.js';

const HEAD = 'spec s "d"\nword 64\n';

describe('overlapping-fields (PTE010)', () => {
  it("fields 'PRESENT' and 'OTHER' on bit 0 overlap, reported at OTHER with PRESENT as related", () => {
    const text = `${HEAD}format pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n`;
    const d = one(checkText(text), 'PTE010');
    expect(at(d)).toBe(posOf(text, 'bit 0 OTHER'));
    says(d, "'PRESENT'", "'OTHER'", "'pte'", 'bit 0');
    expect(d.hint).toContain('alias OTHER = PRESENT');
    expect(d.related?.map((r) => `${r.range.start.line}:${r.range.start.column}`)).toEqual([posOf(text, 'bit 0 PRESENT')]);
  });

  it('partly overlapping ranges name exactly the shared bits: 4..7 of LOW and MID, 20 of A and B', () => {
    const text = `${HEAD}format f { bits 0..7 LOW; bits 4..11 MID; bit 20 A; bits 19..21 B }\n`;
    const ds = only(checkText(text), 'PTE010');
    expect(ds.map(at)).toEqual([posOf(text, 'bits 4..11'), posOf(text, 'bits 19..21')]);
    says(ds[0]!, "'LOW'", "'MID'", 'bits 4..7');
    says(ds[1]!, "'A'", "'B'", 'bit 20');
    expect(ds[1]!.message).not.toContain('19');
  });

  it('two overlapping sub-fields of one parent are reported; disjoint sub-fields are not', () => {
    const text = `${HEAD}format f { bits 0..9 X; in X { bits 0..1 S1; bit 3 S2 } }\nformat g { bits 0..9 X; in X { bits 0..3 T1; bits 1..2 T2 } }\n`;
    const d = one(checkText(text), 'PTE010');
    expect(at(d)).toBe(posOf(text, 'bits 1..2 T2'));
    says(d, "'T1'", "'T2'", "'g'", 'bits 1..2');
  });

  it('an alias (and an alias of an alias) shares its bit without a finding', () => {
    const ds = checkText(`${HEAD}format pte { bit 8 GLOBAL; alias PROTNONE = GLOBAL; alias P2 = PROTNONE }\n`);
    expect(only(ds, 'PTE010')).toEqual([]);
  });

  it("sub-fields lie inside their parent without a finding (x86 'pte_marker_entry')", () => {
    expect(only(checkText(X86), 'PTE010')).toEqual([]);
  });

  it('disjoint fields have no finding', () => {
    expect(only(checkText(`${HEAD}format f { bits 0..7 A; bits 8..15 B; bit 63 C }\n`), 'PTE010')).toEqual([]);
  });

  it('a field added by a derived format that overlaps an inherited one is reported once, in the derived format', () => {
    const text = `${HEAD}format base { bits 0..3 A }\nformat derived extends base { bit 2 B }\nformat leaf extends derived { bit 9 C }\n`;
    const d = one(checkText(text), 'PTE010');
    expect(at(d)).toBe(posOf(text, 'bit 2 B'));
    says(d, "'A'", "'B'", "'derived'", 'bit 2');
  });

  it('an override replaces the inherited field, so it does not overlap it', () => {
    const text = `${HEAD}format pte { bits 12..51 PFN }\nformat protnone_pte extends pte { override bits 12..51 PFN inverted }\n`;
    expect(only(checkText(text), 'PTE010')).toEqual([]);
  });

  it('the check function reports on a resolved spec directly, once per overlapping pair', () => {
    const c = compileText(`${HEAD}format f { bits 0..3 A; bits 2..5 B; bits 5..6 C }\n`);
    const ds = overlappingFields({ spec: c.spec, sets: c.sets });
    expect(ds.map((d) => d.code)).toEqual(['PTE010', 'PTE010']);
    says(ds[0]!, "'A'", "'B'", 'bits 2..3');
    says(ds[1]!, "'B'", "'C'", 'bit 5');
  });
});
