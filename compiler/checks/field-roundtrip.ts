// PTE012: every field decodes to exactly the value it was encoded with, over its full range. Encode and decode
// are affine maps over GF(2) (inversion adds a constant), so checking v = 0 and every unit vector proves the law
// for all 2^width values: exact, not sampled.
import { fieldInsert, fieldValue } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { FieldDef } from '../model.js';
import type { Check } from './context.js';

export const fieldRoundTrip: Check = ({ spec }) => {
  const out: Diagnostic[] = [];
  const seen = new Set<FieldDef>();
  for (const format of spec.formats.values()) {
    for (const field of format.fields.values()) {
      if (field.aliasOf || seen.has(field)) continue;
      seen.add(field);
      // Distinct in-word positions make the maps inverse; only a collision needs the probes to say what goes wrong.
      const positions = new Set(field.bits.map((b) => b.pos));
      if (positions.size === field.bits.length && field.bits.every((b) => b.pos >= 0 && b.pos < spec.word)) continue;
      const bad = firstFailure(field, spec.word) ?? { v: 'a value', got: 'another (two logical bits share a physical bit)' };
      if (bad !== undefined) {
        out.push(diag('PTE012', field.range, `field '${field.name}' of format '${format.name}' does not round-trip: encoding ${bad.v} decodes as ${bad.got}`, 'two logical bits of the field land on the same physical bit; check the bit numbers of the field and its parent'));
      }
    }
  }
  return out;
};

export function firstFailure(field: FieldDef, word: number): { v: string; got: string } | undefined {
  const probes = [0n, ...Array.from({ length: field.width }, (_, i) => 1n << BigInt(i))];
  if (field.width > 0) probes.push((1n << BigInt(field.width)) - 1n);
  for (const background of [0n, (1n << BigInt(word)) - 1n]) {
    for (const v of probes) {
      let got: bigint;
      try {
        got = fieldValue(field, fieldInsert(field, background, v));
      } catch {
        return { v: `0x${v.toString(16)}`, got: 'an error' };
      }
      if (got !== v) return { v: `0x${v.toString(16)}`, got: `0x${got.toString(16)}` };
    }
  }
  return undefined;
}
