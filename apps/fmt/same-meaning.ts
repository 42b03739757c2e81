// Whether two ASTs (or parts of them) mean the same: equal as data once source positions are set aside. The
// formatter's self-check (format.ts, same-items.ts) and its tests use it.
import type { SpecFile } from '../../grammar/ast.js';

/** The AST without source positions, as plain JSON-able data (bigints as strings). */
export function withoutRanges(x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (Array.isArray(x)) return x.map(withoutRanges);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (POSITION_KEYS.has(k)) continue;
      out[k] = withoutRanges(v);
    }
    return out;
  }
  return x;
}

/** The same AST, source positions aside (compared in place: two JSON copies of a large spec cost more than the rest). */
export function sameMeaning(a: SpecFile, b: SpecFile): boolean {
  return sameData(a, b);
}

const POSITION_KEYS = new Set(['range', 'headRange', 'file']);

/** Deep equality of AST data, keys holding source positions (and keys set to undefined) aside. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => !POSITION_KEYS.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !POSITION_KEYS.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
