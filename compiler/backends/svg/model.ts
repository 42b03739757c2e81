// What a layout diagram shows, computed once from the IR for both renderings (layout.svg and `ptelab show`): per
// format, the fields as boxes in lanes (lane 0: the plain fields; further lanes: aliases and sub-fields, placed where
// they do not overlap), and per kind, the bits its condition fixes.
import type { IrField, IrFormat, IrKind, IrSpec } from '../../ir/types.js';

export interface FieldBox {
  readonly name: string;
  /** Physical bits, inclusive. */
  readonly lo: number;
  readonly hi: number;
  readonly inverted: boolean;
  readonly aliasOf?: string;
  readonly parent?: string;
}

export interface FormatView {
  readonly name: string;
  readonly base?: string;
  readonly word: number;
  /** lanes[0]: plain fields; lanes[1..]: aliases and sub-fields. Boxes in a lane do not overlap; sorted by hi, MSB first. */
  readonly lanes: readonly (readonly FieldBox[])[];
  /** Bits no plain field covers. */
  readonly unnamed: readonly number[];
}

export type FixedBit = 0 | 1 | undefined;

export interface KindView {
  readonly name: string;
  readonly format: FormatView;
  /** `page(PFN)`, `pfn(OFFSET)`, `slot(TYPE, OFFSET)`. */
  readonly refs?: string;
  /** fixed[b]: the value every value of the kind has at bit b, or undefined when it varies. */
  readonly fixed: readonly FixedBit[];
  /** False when no value classifies as the kind (its set is empty). */
  readonly reachable: boolean;
}

export interface LayoutView {
  readonly spec: string;
  /** The page-table level a `level` section's diagram draws (`pmd`, `huge_pte`); absent: the PTE level. */
  readonly level?: string;
  readonly description: string;
  readonly word: number;
  readonly formats: readonly FormatView[];
  readonly kinds: readonly KindView[];
}

function box(f: IrField, word: number): FieldBox {
  const lo = Math.max(0, Math.min(word - 1, f.shift));
  const hi = Math.max(lo, Math.min(word - 1, f.shift + Math.max(1, f.width) - 1));
  return {
    name: f.name,
    lo,
    hi,
    inverted: f.inverted,
    ...(f.aliasOf !== undefined ? { aliasOf: f.aliasOf } : {}),
    ...(f.parent !== undefined ? { parent: f.parent } : {}),
  };
}

const overlaps = (a: FieldBox, b: FieldBox) => a.lo <= b.hi && b.lo <= a.hi;
const msbFirst = (a: FieldBox, b: FieldBox) => b.hi - a.hi || b.lo - a.lo || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function formatView(f: IrFormat, word: number): FormatView {
  const plain: FieldBox[] = [];
  const extra: FieldBox[] = [];
  for (const field of f.fields) (field.aliasOf === undefined && field.parent === undefined ? plain : extra).push(box(field, word));
  const lanes: FieldBox[][] = [[]];
  const place = (b: FieldBox, from: number) => {
    for (let i = from; ; i++) {
      lanes[i] ??= [];
      if (!lanes[i]!.some((x) => overlaps(x, b))) {
        lanes[i]!.push(b);
        return;
      }
    }
  };
  for (const b of [...plain].sort(msbFirst)) place(b, 0);
  for (const b of [...extra].sort(msbFirst)) place(b, 1);
  for (const l of lanes) l.sort(msbFirst);
  const unnamed: number[] = [];
  for (let bit = word - 1; bit >= 0; bit--) if (!lanes[0]!.some((b) => b.lo <= bit && bit <= b.hi)) unnamed.push(bit);
  return { name: f.name, ...(f.base !== undefined ? { base: f.base } : {}), word, lanes, unnamed };
}

/**
 * The bits a set of cubes fixes: bit b is fixed when every cube constrains it, all to the same value. An empty set
 * fixes nothing.
 */
export function fixedBits(cubes: readonly (readonly [bigint, bigint])[], word: number): FixedBit[] {
  const out: FixedBit[] = [];
  for (let bit = 0; bit < word; bit++) {
    const m = 1n << BigInt(bit);
    let v: FixedBit;
    let fixed = cubes.length > 0;
    for (const [mask, value] of cubes) {
      if ((mask & m) === 0n) {
        fixed = false;
        break;
      }
      const b: 0 | 1 = (value & m) !== 0n ? 1 : 0;
      if (v === undefined) v = b;
      else if (v !== b) {
        fixed = false;
        break;
      }
    }
    out.push(fixed ? v : undefined);
  }
  return out;
}

export function refsText(k: IrKind): string | undefined {
  const r = k.refs;
  if (!r) return undefined;
  return r.target === 'slot' ? `slot(${r.typeField}, ${r.offsetField})` : `${r.target}(${r.field})`;
}

export function layoutView(ir: IrSpec): LayoutView {
  const formats = ir.formats.map((f) => formatView(f, ir.word));
  const byName = new Map(formats.map((f) => [f.name, f]));
  const kinds = ir.kinds.map((k): KindView => {
    const refs = refsText(k);
    const format = byName.get(k.format) ?? { name: k.format, word: ir.word, lanes: [[]], unnamed: [] };
    return { name: k.name, format, ...(refs !== undefined ? { refs } : {}), fixed: fixedBits(k.cubes, ir.word), reachable: k.cubes.length > 0 };
  });
  const level = ir.level !== undefined && ir.level !== 'pte' ? { level: ir.level } : {};
  return { spec: ir.name, ...level, description: ir.description, word: ir.word, formats, kinds };
}

/** `spec x86_64_v6_17`, or `spec x86_64_v6_17, pmd level` for another level's diagram (it has the spec's name). */
export function specTitle(view: LayoutView): string {
  return `spec ${view.spec}${view.level !== undefined ? `, ${view.level} level` : ''}`;
}
