// classify / decode / encode on the exact sets: the reference semantics that the generated TS and C must match.
import { contains, fieldCompare, fieldInsert, fieldValue, intersect, isEmpty, witness, type CubeSet } from './bits/cube-set.js';
import type { FieldDef, Spec } from './model.js';
import type { SpecSets } from './sets.js';
import type { Result } from '../core/result.js';

/** The kind `w` classifies as, or undefined for a gap. (Ambiguity is a check error, so the first match is it.) */
export function classify(spec: Spec, sets: SpecSets, w: bigint): string | undefined {
  for (const k of kindsInOrder(spec)) {
    if (contains(sets.kinds.get(k)!, w)) return k;
  }
  return undefined;
}

export function kindsInOrder(spec: Spec): string[] {
  return [...spec.kinds.values()].sort((a, b) => a.index - b.index).map((k) => k.name);
}

/** Fields as decode reports them: every field of the format, aliases and sub-fields included, in order. */
export function decodeFields(spec: Spec, kind: string, w: bigint): Map<string, bigint> {
  const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
  const out = new Map<string, bigint>();
  for (const f of format.fields.values()) out.set(f.name, fieldValue(f, w));
  return out;
}

export type EncodeResult = Result<bigint>;

/**
 * The smallest value of `kind` with the given fields, smallest in the *logical* sense: inverted fields count as
 * their decoded value, so `pte_marker` with PTE_MARKER_UFFD_WP=1 has every other OFFSET bit 0, as make_pte_marker()
 * would build it.
 */
export function encode(spec: Spec, sets: SpecSets, kind: string, fields: ReadonlyMap<string, bigint>): EncodeResult {
  const k = spec.kinds.get(kind);
  if (!k) return { ok: false, error: `unknown kind '${kind}'` };
  const format = spec.formats.get(k.format)!;
  let set: CubeSet = sets.kinds.get(kind)!;
  for (const [name, v] of fields) {
    const f = format.fields.get(name);
    if (!f) return { ok: false, error: `kind '${kind}' (format ${k.format}) has no field '${name}'` };
    if (v < 0n || v >= 1n << BigInt(f.width)) {
      return { ok: false, error: `${name} = 0x${v.toString(16)} does not fit in ${f.width} bit(s)` };
    }
    set = intersect(set, fieldCompare(f, '==', v, spec.word));
  }
  if (isEmpty(set)) {
    const given = [...fields].map(([n, v]) => `${n}=0x${v.toString(16)}`).join(', ');
    return { ok: false, error: `no value of kind '${kind}' has ${given || 'these fields'}` };
  }
  const inv = inversionMask(format.fields.values());
  const logical = set.map((c) => ({ mask: c.mask, value: c.value ^ (inv & c.mask) }));
  const w = witness(logical)! ^ inv;
  // The witness in logical terms leaves don't-care inverted bits at logical 0, i.e. physical 1 (that is the xor).
  return { ok: true, value: w };
}

/** Physical bits that are stored inverted in a format's top-level fields. */
export function inversionMask(fields: Iterable<FieldDef>): bigint {
  let m = 0n;
  for (const f of fields) {
    if (f.aliasOf || f.parent) continue;
    for (const b of f.bits) if (b.inverted) m |= 1n << BigInt(b.pos);
  }
  return m;
}

export { fieldInsert, fieldValue };
