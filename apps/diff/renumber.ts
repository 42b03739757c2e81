// Renumbering apart from reclassification. When the swap table changes (a group added or removed), every reserved
// type after it shifts, and a plain value-by-value comparison reports every migration, device and hwpoison entry as
// "classified differently" although each kind still means what it meant. Here A's values are first carried to B's
// numbering (TYPE value of each reserved type name on A -> its value on B; swap-file numbers below both sides'
// MAX_SWAPFILES unchanged), exactly on the cube algebra; what still differs after that is the semantic change.
import * as C from '../../compiler/bits/cube-set.js';
import type { CubeSet } from '../../compiler/bits/cube-set.js';
import type { IrFormat } from '../../compiler/ir/types.js';
import { classes, decode } from './classification.js';
import type { KindChange, Move, ValueSet } from './model.js';
import type { DiffSide } from './side.js';

export interface Renumbering {
  /** Reserved types whose number changed, as name: a -> b. */
  readonly shifted: readonly { readonly name: string; readonly a: number; readonly b: number }[];
  /** Kinds whose values differ only by that renumbering (same kind, shifted type numbers). */
  readonly renumberedKinds: readonly string[];
  /** The moves left once A is carried to B's numbering: the semantic reclassification. */
  readonly semantic: readonly Move[];
  /** Kinds on both sides that differ by more than the renumbering, compared with A carried to B's numbering. */
  readonly kindChanges: readonly KindChange[];
  /** Predicates whose values differ only by that renumbering (their meaning, in kinds, is unchanged). */
  readonly renumberedPredicates: readonly string[];
  /** For each kind on both sides: the reserved type names it occupies, when those differ (a kind moved types). */
  readonly typeMoves: readonly { readonly kind: string; readonly a: readonly string[]; readonly b: readonly string[] }[];
}

interface TypeField {
  readonly shift: number;
  readonly width: number;
}

/** The swap TYPE field: the type field of the kind that refers to a swap slot (the same on both sides), if any. */
function typeField(s: DiffSide): TypeField | undefined {
  const k = s.ir.kinds.find((x) => x.refs?.target === 'slot');
  if (!k || k.refs?.target !== 'slot') return undefined;
  const f = s.ir.formats.find((x) => x.name === k.format)?.fields.find((x) => x.name === (k.refs as { typeField: string }).typeField);
  return f && !f.inverted ? { shift: f.shift, width: f.width } : undefined;
}

function hasField(formats: ReadonlyMap<string, IrFormat>, format: string, t: TypeField): boolean {
  return formats.get(format)?.fields.some((f) => f.shift === t.shift && f.width === t.width && !f.inverted) ?? false;
}

export function renumbering(a: DiffSide, b: DiffSide): Renumbering | undefined {
  if (a.ir.word !== b.ir.word || a.ir.maxSwapfiles === undefined || b.ir.maxSwapfiles === undefined) return undefined;
  const ta = typeField(a);
  const tb = typeField(b);
  if (!ta || !tb || ta.shift !== tb.shift || ta.width !== tb.width) return undefined;
  const W = a.ir.word;
  const typeMask = ((1n << BigInt(ta.width)) - 1n) << BigInt(ta.shift);
  const typeIs = (v: number): CubeSet => [{ mask: typeMask, value: BigInt(v) << BigInt(ta.shift) }];
  const bByName = new Map(b.ir.swapTypes.map((t) => [t.name, t.value]));
  const map = new Map<number, number>();
  const shifted: { name: string; a: number; b: number }[] = [];
  for (let t = 0; t < Math.min(a.ir.maxSwapfiles, b.ir.maxSwapfiles); t++) map.set(t, t);
  for (const t of a.ir.swapTypes) {
    const to = bByName.get(t.name);
    if (to === undefined) continue;
    map.set(t.value, to);
    if (to !== t.value) shifted.push({ name: t.name, a: t.value, b: to });
  }
  if (shifted.length === 0) return undefined;

  const ca = classes(a.ir);
  const cb = classes(b.ir);
  const carry = (set: CubeSet, format: string | undefined): CubeSet => {
    if (format !== undefined && !hasField(ca.formats, format, ta)) return set;
    let out: CubeSet = C.EMPTY;
    for (const [from, to] of map) {
      const slice = C.intersect(set, typeIs(from));
      if (C.isEmpty(slice)) continue;
      out = C.union(out, C.intersect(C.existsBits(slice, typeMask), typeIs(to)));
    }
    // Values with a TYPE no name carries over (a removed type) keep their number: they show up as moves.
    let unmapped: CubeSet = set;
    for (const from of map.keys()) unmapped = C.subtract(unmapped, typeIs(from));
    return C.union(out, unmapped);
  };
  const sidesA = [...ca.kinds.map((k) => ({ name: k.kind.name as string | undefined, set: carry(k.set, k.kind.format) })), { name: undefined, set: carry(ca.gap, undefined) }];
  const sidesB = [...cb.kinds.map((k) => ({ name: k.kind.name as string | undefined, set: k.set })), { name: undefined, set: cb.gap }];

  // A witness is a value in B's numbering; A is shown the value it came from (its TYPE carried back).
  const back = new Map([...map].map(([x, y]) => [y, x]));
  const fromA = (w: bigint): bigint => {
    const t = Number((w & typeMask) >> BigInt(ta.shift));
    const f = back.get(t);
    return f === undefined ? w : (w & ~typeMask) | (BigInt(f) << BigInt(ta.shift));
  };
  const valueSet = (set: CubeSet, carried: boolean, aKind?: string): ValueSet => {
    const w = C.witness(set);
    if (w === undefined) return { count: 0n };
    // A value of a removed type was not carried: it is shown as itself.
    const wa = carried && (aKind === undefined || decode(ca, fromA(w)).kind === aKind) ? fromA(w) : w;
    return { count: C.count(set, W), witness: { value: w, a: decode(ca, wa), b: decode(cb, w) } };
  };
  const semantic: Move[] = [];
  for (const x of sidesA) {
    for (const y of sidesB) {
      if (x.name === y.name) continue;
      const s = C.intersect(x.set, y.set);
      if (C.isEmpty(s)) continue;
      semantic.push({ ...(x.name ? { a: x.name } : {}), ...(y.name ? { b: y.name } : {}), set: valueSet(s, true, x.name) });
    }
  }
  const kindChanges: KindChange[] = [];
  for (const x of ca.kinds) {
    const y = cb.kinds.find((k) => k.kind.name === x.kind.name);
    if (!y || !hasField(ca.formats, x.kind.format, ta) || x.kind.format !== y.kind.format) continue;
    const carried = carry(x.set, x.kind.format);
    const aOnly = C.subtract(carried, y.set);
    const bOnly = C.subtract(y.set, carried);
    if (C.isEmpty(aOnly) && C.isEmpty(bOnly)) continue;
    const side = (set: CubeSet, format: string) => ({ format, count: C.count(set, W) });
    kindChanges.push({ name: x.kind.name, status: 'changed', a: side(x.set, x.kind.format), b: side(y.set, y.kind.format), aOnly: valueSet(aOnly, true, x.kind.name), bOnly: valueSet(bOnly, true), decl: [] });
  }
  const renumberedKinds: string[] = [];
  const typeMoves: { kind: string; a: string[]; b: string[] }[] = [];
  const occupied = (set: CubeSet, types: readonly { name: string; value: number }[]): string[] =>
    types.filter((t) => !C.isEmpty(C.intersect(set, typeIs(t.value)))).map((t) => t.name);
  for (const x of ca.kinds) {
    const y = cb.kinds.find((k) => k.kind.name === x.kind.name);
    if (!y || !hasField(ca.formats, x.kind.format, ta)) continue;
    const carried = carry(x.set, x.kind.format);
    if (!C.equals(x.set, y.set) && C.equals(carried, y.set)) renumberedKinds.push(x.kind.name);
    const oa = occupied(x.set, a.ir.swapTypes);
    const ob = occupied(y.set, b.ir.swapTypes);
    if (oa.join() !== ob.join()) typeMoves.push({ kind: x.kind.name, a: oa, b: ob });
  }
  const renumberedPredicates: string[] = [];
  const pb = new Map(b.ir.predicates.map((p) => [p.name, p]));
  for (const p of a.ir.predicates) {
    const q = pb.get(p.name);
    if (!q) continue;
    const x = C.simplify(p.cubes.map(([mask, value]) => ({ mask, value })));
    const y = C.simplify(q.cubes.map(([mask, value]) => ({ mask, value })));
    if (!C.equals(x, y) && C.equals(carry(x, a.spec.predicates.get(p.name)?.format), y)) renumberedPredicates.push(p.name);
  }
  return { shifted, renumberedKinds, kindChanges, renumberedPredicates, semantic, typeMoves };
}
