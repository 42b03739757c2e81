// PTE010: two fields of one format share a bit. Aliases share bits on purpose, and sub-fields lie inside their
// parent by construction; anything else is two meanings for one bit, which the kernel would read both ways.
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { FieldDef } from '../model.js';
import type { Check } from './context.js';

export const overlappingFields: Check = ({ spec }) => {
  const out: Diagnostic[] = [];
  for (const format of spec.formats.values()) {
    const fields = [...format.fields.values()].filter((f) => !f.aliasOf);
    for (let i = 0; i < fields.length; i++) {
      for (let j = i + 1; j < fields.length; j++) {
        const a = fields[i]!;
        const b = fields[j]!;
        if (!comparable(a, b)) continue;
        // Report a pair once: in the format that declared the later of the two.
        if (a.declaredIn !== format.name && b.declaredIn !== format.name) continue;
        const shared = sharedBits(a, b);
        if (shared.length === 0) continue;
        out.push(
          diag('PTE010', b.range, `fields '${a.name}' and '${b.name}' of format '${format.name}' overlap at bit${shared.length > 1 ? 's' : ''} ${bitList(shared)}`, `if one bit really has two meanings, declare the second name with 'alias ${b.name} = ${a.name}'; otherwise move one field`, [{ range: a.range, message: `'${a.name}' declared here` }]),
        );
      }
    }
  }
  return out;
};

/** Fields on the same level: both top-level, or sub-fields of the same parent. */
function comparable(a: FieldDef, b: FieldDef): boolean {
  return (a.parent ?? '') === (b.parent ?? '');
}

function sharedBits(a: FieldDef, b: FieldDef): number[] {
  const inA = new Set(a.bits.map((x) => x.pos));
  return [...new Set(b.bits.map((x) => x.pos).filter((p) => inA.has(p)))].sort((x, y) => x - y);
}

function bitList(bits: number[]): string {
  const runs: string[] = [];
  let start = bits[0]!;
  let prev = start;
  for (const b of [...bits.slice(1), Infinity]) {
    if (b === prev + 1) {
      prev = b;
      continue;
    }
    runs.push(start === prev ? `${start}` : `${start}..${prev}`);
    start = prev = b;
  }
  return runs.join(', ');
}
