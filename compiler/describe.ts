// How values are shown to people: hex words, and a word's fields in a kind's format.
import type { Cube } from './bits/cube-set.js';
import { fieldValue, formatCube } from './bits/cube-set.js';
import type { Spec } from './model.js';

export function hex(v: bigint, word = 64): string {
  return '0x' + v.toString(16).padStart(Math.ceil(word / 4), '0');
}

export function shortHex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** "TYPE=0x1f, OFFSET=0x1": the non-zero top-level fields of `format` in `w` (aliases and sub-fields left out). */
export function describeFields(spec: Spec, format: string, w: bigint, max = 6): string {
  const f = spec.formats.get(format);
  if (!f) return '';
  const parts: string[] = [];
  for (const field of f.fields.values()) {
    if (field.aliasOf || field.parent) continue;
    const v = fieldValue(field, w);
    if (v !== 0n) parts.push(`${field.name}=${shortHex(v)}`);
  }
  if (parts.length === 0) return 'all fields 0';
  return parts.length > max ? parts.slice(0, max).join(', ') + ', ...' : parts.join(', ');
}

export function cubePicture(c: Cube, word: number): string {
  return formatCube(c, word);
}
