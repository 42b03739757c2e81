// Section 1: formats matched by name, fields matched by name within a format, and a two-row bit ruler per changed
// format; plus the named constants (other than the swap table's, which section 2 shows).
import type { IrField, IrFormat } from '../../compiler/ir/types.js';
import type { Spec } from '../../compiler/model.js';
import type { ConstChange, FieldAspect, FieldChange, FieldShape, FormatChange, LayoutDiff, Ruler, RulerSymbol } from './model.js';
import type { DiffSide } from './side.js';

export function diffLayout(a: DiffSide, b: DiffSide): LayoutDiff {
  const formats: FormatChange[] = [];
  const bFormats = new Map(b.ir.formats.map((f) => [f.name, f]));
  const aFormats = new Map(a.ir.formats.map((f) => [f.name, f]));
  for (const fa of a.ir.formats) {
    const fb = bFormats.get(fa.name);
    const c = diffFormat(fa.name, fa, fb, a.ir.word, b.ir.word);
    if (c) formats.push(c);
  }
  for (const fb of b.ir.formats) {
    if (aFormats.has(fb.name)) continue;
    formats.push(diffFormat(fb.name, undefined, fb, a.ir.word, b.ir.word)!);
  }
  return { word: { a: a.ir.word, b: b.ir.word }, formats, consts: diffConsts(a, b) };
}

function shapeOf(f: IrField): FieldShape {
  return {
    name: f.name,
    shift: f.shift,
    width: f.width,
    inverted: f.inverted,
    ...(f.aliasOf ? { aliasOf: f.aliasOf } : {}),
    ...(f.parent ? { parent: f.parent } : {}),
  };
}

function aspects(x: IrField, y: IrField): FieldAspect[] {
  const out: FieldAspect[] = [];
  if (x.shift !== y.shift) out.push('position');
  if (x.width !== y.width) out.push('width');
  if (x.inverted !== y.inverted) out.push('inversion');
  if ((x.aliasOf ?? '') !== (y.aliasOf ?? '')) out.push('alias');
  if ((x.parent ?? '') !== (y.parent ?? '')) out.push('parent');
  return out;
}

const high = (f: FieldShape): number => f.shift + f.width - 1;

function diffFormat(name: string, fa: IrFormat | undefined, fb: IrFormat | undefined, wordA: number, wordB: number): FormatChange | undefined {
  const fields: FieldChange[] = [];
  const aFields = new Map((fa?.fields ?? []).map((f) => [f.name, f]));
  const bFields = new Map((fb?.fields ?? []).map((f) => [f.name, f]));
  for (const x of fa?.fields ?? []) {
    const y = bFields.get(x.name);
    if (!y) fields.push({ name: x.name, status: 'removed', a: shapeOf(x), aspects: [] });
    else {
      const as = aspects(x, y);
      if (as.length > 0) fields.push({ name: x.name, status: 'changed', a: shapeOf(x), b: shapeOf(y), aspects: as });
    }
  }
  for (const y of fb?.fields ?? []) {
    if (!aFields.has(y.name)) fields.push({ name: y.name, status: 'added', b: shapeOf(y), aspects: [] });
  }
  if (fa && fb && fields.length === 0) return undefined;
  // High bit first, then the side's own declaration order (stable sort), so a removed and an added field sharing a
  // bit (DEVMAP / SAVED_DIRTY at 58) stand next to each other.
  const order = new Map(fields.map((f, i) => [f.name, i]));
  fields.sort((x, y) => high(y.a ?? y.b!) - high(x.a ?? x.b!) || order.get(x.name)! - order.get(y.name)!);
  return { name, status: !fa ? 'added' : !fb ? 'removed' : 'changed', fields, ruler: ruler(fa, fb, Math.max(wordA, wordB)) };
}

// ------------------------------------------------------------------------------------------------------------- ruler

/** For each bit (index = bit number), the innermost non-alias field owning it. */
function owners(f: IrFormat, word: number): (IrField | undefined)[] {
  const byName = new Map(f.fields.map((x) => [x.name, x]));
  const depth = (x: IrField): number => {
    let d = 0;
    let p = x.parent;
    const seen = new Set<string>();
    while (p && !seen.has(p)) {
      seen.add(p);
      d++;
      p = byName.get(p)?.parent;
    }
    return d;
  };
  const out: (IrField | undefined)[] = new Array(word).fill(undefined);
  const depths: number[] = new Array(word).fill(-1);
  for (const x of f.fields) {
    if (x.aliasOf) continue;
    const d = depth(x);
    for (let bit = x.shift; bit < x.shift + x.width && bit < word; bit++) {
      if (d > depths[bit]!) {
        out[bit] = x;
        depths[bit] = d;
      }
    }
  }
  return out;
}

const POOL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789#$%&*+=?@';

function ruler(fa: IrFormat | undefined, fb: IrFormat | undefined, word: number): Ruler {
  const oa = fa ? owners(fa, word) : undefined;
  const ob = fb ? owners(fb, word) : undefined;
  // Symbols: first letters first (scanning bits high to low), then any other letter of the name, then a pool; 'A' and
  // 'B' are left out because they label the rows.
  const names: { name: string; row: 'a' | 'b' }[] = [];
  for (const [o, side] of [[oa, 'a'], [ob, 'b']] as const) {
    if (!o) continue;
    for (let bit = word - 1; bit >= 0; bit--) if (o[bit]) names.push({ name: o[bit]!.name, row: side });
  }
  const symbols = new Map<string, string>();
  const rowsOf = new Map<string, Set<'a' | 'b'>>();
  for (const { name, row } of names) {
    if (!rowsOf.has(name)) rowsOf.set(name, new Set());
    rowsOf.get(name)!.add(row);
  }
  const used = new Set<string>(['.', 'A', 'B', '^']);
  const letters = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '');
  for (const name of rowsOf.keys()) {
    const first = letters(name).charAt(0).toUpperCase();
    if (first && !used.has(first)) {
      used.add(first);
      symbols.set(name, first);
    }
  }
  for (const name of rowsOf.keys()) {
    if (symbols.has(name)) continue;
    const l = letters(name);
    const s = [...l.toUpperCase(), ...l.toLowerCase(), ...POOL].find((c) => !used.has(c)) ?? '?';
    used.add(s);
    symbols.set(name, s);
  }
  const row = (o: (IrField | undefined)[] | undefined): string | undefined => {
    if (!o) return undefined;
    let s = '';
    for (let bit = word - 1; bit >= 0; bit--) {
      const f = o[bit];
      s += f ? symbols.get(f.name)! : '.';
    }
    return s;
  };
  const a = row(oa);
  const b = row(ob);
  let marks = '';
  for (let bit = word - 1; bit >= 0; bit--) marks += sameMeaning(oa?.[bit], ob?.[bit]) ? ' ' : '^';
  const legend: RulerSymbol[] = [...rowsOf].map(([field, rows]) => ({
    symbol: symbols.get(field)!,
    field,
    rows: rows.size === 2 ? 'both' : rows.has('a') ? 'a' : 'b',
  }));
  return { word, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), marks, legend };
}

/**
 * A bit means the same on both sides: no field names it on either side (or the format is missing on one side and
 * names it nowhere), or it is the same logical bit of the same field (same name, same lowest bit) stored the same way.
 */
function sameMeaning(x: IrField | undefined, y: IrField | undefined): boolean {
  if (!x || !y) return !x && !y;
  return x.name === y.name && x.shift === y.shift && x.inverted === y.inverted;
}

// --------------------------------------------------------------------------------------------------------- constants

/** The swap table's own constants: MAX_SWAPFILES(_SHIFT), group counts, type numbers. */
function swapConstNames(spec: Spec): Set<string> {
  const out = new Set<string>();
  const swap = spec.swap;
  if (!swap) return out;
  out.add('MAX_SWAPFILES').add('MAX_SWAPFILES_SHIFT');
  for (const g of swap.groups) {
    out.add(g.name);
    for (const t of g.types) out.add(t.name);
  }
  return out;
}

function diffConsts(a: DiffSide, b: DiffSide): ConstChange[] {
  const skip = new Set([...swapConstNames(a.spec), ...swapConstNames(b.spec)]);
  const bc = new Map(b.ir.consts.map((c) => [c.name, c.value]));
  const ac = new Map(a.ir.consts.map((c) => [c.name, c.value]));
  const out: ConstChange[] = [];
  for (const c of a.ir.consts) {
    if (skip.has(c.name)) continue;
    const v = bc.get(c.name);
    if (v === undefined) out.push({ name: c.name, status: 'removed', a: c.value });
    else if (v !== c.value) out.push({ name: c.name, status: 'changed', a: c.value, b: v });
  }
  for (const c of b.ir.consts) {
    if (skip.has(c.name) || ac.has(c.name)) continue;
    out.push({ name: c.name, status: 'added', b: c.value });
  }
  return out;
}

/** Exported for the renderers: "bit 58", "bits 12..51". */
export function bitsText(f: FieldShape): string {
  return f.width === 1 ? `bit ${f.shift}` : `bits ${f.shift}..${f.shift + f.width - 1}`;
}

/** "bits 9..58 inverted", "bit 8 alias of GLOBAL", "bit 9 in OFFSET". */
export function shapeText(f: FieldShape): string {
  return [bitsText(f), f.inverted ? 'inverted' : '', f.aliasOf ? `alias of ${f.aliasOf}` : '', f.parent ? `in ${f.parent}` : '']
    .filter(Boolean)
    .join(' ');
}
