// Section 3: which values the two designs classify differently, computed exactly on the cube algebra over all 2^word
// values (never sampled). A value's kind is the first kind (declaration order) whose set holds it, as
// compiler/codec.ts classify() decides; values no kind holds are "no kind". For every pair (A kind, B kind) with
// different names, the set of values A classifies as the first and B as the second; per kind name, what only one
// side gives it; per predicate name, likewise.
import * as C from '../../compiler/bits/cube-set.js';
import type { CubeSet } from '../../compiler/bits/cube-set.js';
import type { IrFormat, IrKind, IrRefs, IrSpec } from '../../compiler/ir/types.js';
import type { ClassificationDiff, Decoded, DecodedField, KindChange, KindSide, Move, PredicateChange, ValueSet } from './model.js';
import type { DiffSide } from './side.js';

/** A side's classification as disjoint sets: each kind's effective set (first match), and the unclassified rest. */
export interface Classes {
  readonly word: number;
  readonly kinds: readonly { readonly kind: IrKind; readonly set: CubeSet }[];
  readonly gap: CubeSet;
  readonly formats: ReadonlyMap<string, IrFormat>;
}

export function cubesOf(cubes: readonly (readonly [bigint, bigint])[]): CubeSet {
  return C.simplify(cubes.map(([mask, value]) => ({ mask, value })));
}

export function classes(ir: IrSpec): Classes {
  let covered: CubeSet = C.EMPTY;
  const kinds = ir.kinds.map((kind) => {
    const set = C.subtract(cubesOf(kind.cubes), covered);
    covered = C.union(covered, set);
    return { kind, set };
  });
  return { word: ir.word, kinds, gap: C.complement(covered, ir.word), formats: new Map(ir.formats.map((f) => [f.name, f])) };
}

/** The logical value of a field of an IR format in word w. */
export function fieldValueIr(f: { shift: number; width: number; inverted: boolean }, w: bigint): bigint {
  const m = (1n << BigInt(f.width)) - 1n;
  const v = (w >> BigInt(f.shift)) & m;
  return f.inverted ? v ^ m : v;
}

/** How a side sees w: its kind and every field of that kind's format. */
export function decode(cl: Classes, w: bigint): Decoded {
  const hit = cl.kinds.find((k) => C.contains(k.set, w));
  if (!hit) return { fields: [] };
  const format = cl.formats.get(hit.kind.format);
  const fields: DecodedField[] = (format?.fields ?? []).map((f) => ({
    name: f.name,
    value: fieldValueIr(f, w),
    ...(f.aliasOf ? { aliasOf: f.aliasOf } : {}),
    ...(f.parent ? { parent: f.parent } : {}),
  }));
  return { kind: hit.kind.name, format: hit.kind.format, fields };
}

function valueSet(set: CubeSet, word: number, a: Classes, b: Classes): ValueSet {
  const count = C.count(set, word);
  const w = C.witness(set);
  return w === undefined ? { count } : { count, witness: { value: w, a: decode(a, w), b: decode(b, w) } };
}

export function refsText(r: IrRefs | undefined): string | undefined {
  if (!r) return undefined;
  return r.target === 'slot' ? `slot(${r.typeField}, ${r.offsetField})` : `${r.target}(${r.field})`;
}

export function diffClassification(a: DiffSide, b: DiffSide): ClassificationDiff {
  if (a.ir.word !== b.ir.word) return { comparable: false, kinds: [], moves: [], predicates: [] };
  const W = a.ir.word;
  const ca = classes(a.ir);
  const cb = classes(b.ir);
  const empty: ValueSet = { count: 0n };

  // Pairs with different names; same names are summarised per kind below.
  const moves: Move[] = [];
  const sidesA = [...ca.kinds.map((k) => ({ name: k.kind.name as string | undefined, set: k.set })), { name: undefined, set: ca.gap }];
  const sidesB = [...cb.kinds.map((k) => ({ name: k.kind.name as string | undefined, set: k.set })), { name: undefined, set: cb.gap }];
  for (const x of sidesA) {
    if (C.isEmpty(x.set)) continue;
    for (const y of sidesB) {
      if (x.name === y.name || C.isEmpty(y.set)) continue;
      const s = C.intersect(x.set, y.set);
      if (C.isEmpty(s)) continue;
      moves.push({ ...(x.name ? { a: x.name } : {}), ...(y.name ? { b: y.name } : {}), set: valueSet(s, W, ca, cb) });
    }
  }

  const kinds: KindChange[] = [];
  const kb = new Map(cb.kinds.map((k) => [k.kind.name, k]));
  const ka = new Map(ca.kinds.map((k) => [k.kind.name, k]));
  const side = (k: { kind: IrKind; set: CubeSet }): KindSide => {
    const refs = refsText(k.kind.refs);
    return { format: k.kind.format, ...(refs ? { refs } : {}), count: C.count(k.set, W) };
  };
  for (const x of ca.kinds) {
    const y = kb.get(x.kind.name);
    if (!y) {
      kinds.push({ name: x.kind.name, status: 'removed', a: side(x), aOnly: valueSet(x.set, W, ca, cb), bOnly: empty, decl: [] });
      continue;
    }
    const aOnly = C.subtract(x.set, y.set);
    const bOnly = C.subtract(y.set, x.set);
    const decl: ('format' | 'refs')[] = [];
    if (x.kind.format !== y.kind.format) decl.push('format');
    if (refsText(x.kind.refs) !== refsText(y.kind.refs)) decl.push('refs');
    if (C.isEmpty(aOnly) && C.isEmpty(bOnly) && decl.length === 0) continue;
    kinds.push({ name: x.kind.name, status: 'changed', a: side(x), b: side(y), aOnly: valueSet(aOnly, W, ca, cb), bOnly: valueSet(bOnly, W, ca, cb), decl });
  }
  for (const y of cb.kinds) {
    if (ka.has(y.kind.name)) continue;
    kinds.push({ name: y.kind.name, status: 'added', b: side(y), aOnly: empty, bOnly: valueSet(y.set, W, ca, cb), decl: [] });
  }

  const predicates: PredicateChange[] = [];
  const pb = new Map(b.ir.predicates.map((p) => [p.name, cubesOf(p.cubes)]));
  const pa = new Map(a.ir.predicates.map((p) => [p.name, cubesOf(p.cubes)]));
  for (const [name, x] of pa) {
    const y = pb.get(name);
    if (!y) {
      predicates.push({ name, status: 'removed', aOnly: valueSet(x, W, ca, cb), bOnly: empty });
      continue;
    }
    const aOnly = C.subtract(x, y);
    const bOnly = C.subtract(y, x);
    if (C.isEmpty(aOnly) && C.isEmpty(bOnly)) continue;
    predicates.push({ name, status: 'changed', aOnly: valueSet(aOnly, W, ca, cb), bOnly: valueSet(bOnly, W, ca, cb) });
  }
  for (const [name, y] of pb) {
    if (pa.has(name)) continue;
    predicates.push({ name, status: 'added', aOnly: empty, bOnly: valueSet(y, W, ca, cb) });
  }

  return { comparable: true, kinds, moves, predicates };
}
