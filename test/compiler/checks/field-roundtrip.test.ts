// PTE012: every field decodes to the value it was encoded with, over its full range (inverted fields included).
import { describe, expect, it } from 'vitest';
import { fieldRoundTrip, firstFailure } from '../../../compiler/checks/field-roundtrip.js';
import type { FieldDef, FormatDef, Spec } from '../../../compiler/model.js';
import { compileText, only, says, X86 } from '../../helpers.js';

const range = { file: 'hand.pte', start: { offset: 0, line: 7, column: 3 }, end: { offset: 1, line: 7, column: 4 } };

function field(name: string, bits: { pos: number; inverted: boolean }[]): FieldDef {
  return { name, bits, width: bits.length, inverted: bits.some((b) => b.inverted), declaredIn: 'hand', range };
}

/** The compiled X86 spec with one extra hand-made format holding `f`. */
function specWith(f: FieldDef): { spec: Spec; sets: ReturnType<typeof compileText>['sets'] } {
  const c = compileText(X86);
  const hand: FormatDef = { name: 'hand', fields: new Map([[f.name, f]]), range };
  return { spec: { ...c.spec, formats: new Map([...c.spec.formats, ['hand', hand]]) }, sets: c.sets };
}

describe('field-roundtrip (PTE012)', () => {
  it('every field of the x86-like spec round-trips, the inverted OFFSET, PFN and marker sub-fields included', () => {
    const c = compileText(X86);
    expect(only(c.diagnostics, 'PTE012')).toEqual([]);
    const fields = [...c.spec.formats.values()].flatMap((f) => [...f.fields.values()]);
    expect(fields.some((f) => f.inverted)).toBe(true);
    for (const f of fields) expect(firstFailure(f, 64), f.name).toBeUndefined();
  });

  it('a 64-bit field and a 1-bit inverted field round-trip', () => {
    const all = field('ALL', Array.from({ length: 64 }, (_, i) => ({ pos: i, inverted: false })));
    const inv = field('INV', [{ pos: 63, inverted: true }]);
    expect(firstFailure(all, 64)).toBeUndefined();
    expect(firstFailure(inv, 64)).toBeUndefined();
  });

  it('two logical bits on the same physical bit fail: encoding 0x1 decodes as 0x0', () => {
    const bad = field('TWICE', [{ pos: 3, inverted: false }, { pos: 3, inverted: false }]);
    expect(firstFailure(bad, 64)).toEqual({ v: '0x1', got: '0x0' });
  });

  it('one bit used plainly and inverted fails already for 0: encoding 0x0 decodes as 0x1', () => {
    const bad = field('MIXED', [{ pos: 5, inverted: false }, { pos: 5, inverted: true }]);
    expect(firstFailure(bad, 64)).toEqual({ v: '0x0', got: '0x1' });
  });

  it('the check reports a hand-made non-injective field as PTE012 with the failing value, at the field', () => {
    const ctx = specWith(field('TWICE', [{ pos: 3, inverted: false }, { pos: 3, inverted: false }]));
    const ds = fieldRoundTrip(ctx);
    expect(ds).toHaveLength(1);
    expect([ds[0]!.code, ds[0]!.range.start.line]).toEqual(['PTE012', 7]);
    says(ds[0]!, "'TWICE'", "'hand'", 'encoding 0x1 decodes as 0x0');
  });

  it('the check says nothing for a hand-made field with distinct bits', () => {
    const ctx = specWith(field('OK', [{ pos: 3, inverted: true }, { pos: 4, inverted: false }]));
    expect(fieldRoundTrip(ctx)).toEqual([]);
  });
});
