// The layout diagram for terminals (`ptelab show`): the same information as layout.svg in plain text. Bits run MSB
// first with a gap every 8 bits, numbered on a two-line ruler; a field is `[NAME---]` where its name fits, else a key
// letter (listed below with every field's bits and notes); `~` fills inverted fields; `.` is a bit with no field. A
// kind's `fixed` line shows the bits its condition fixes as 0/1 and `x` where the value is free.
import type { IrSpec } from '../../ir/types.js';
import { layoutView, specTitle, type FieldBox, type FormatView, type KindView } from './model.js';

const INDENT = '  ';
const LABEL = 8;

function column(word: number, bit: number): number {
  const i = word - 1 - bit;
  return i + Math.floor(i / 8);
}

function width(word: number): number {
  return column(word, 0) + 1;
}

function rulerLines(word: number): string[] {
  const tens = Array.from({ length: width(word) }, () => ' ');
  const ones = [...tens];
  for (let bit = word - 1; bit >= 0; bit--) {
    const c = column(word, bit);
    if (bit >= 10) tens[c] = String(Math.floor(bit / 10) % 10);
    ones[c] = String(bit % 10);
  }
  return [`${INDENT}${''.padEnd(LABEL)}${tens.join('').trimEnd()}`, `${INDENT}${'bit'.padEnd(LABEL)}${ones.join('')}`];
}

const KEYS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Keys for the fields whose names do not fit their boxes, MSB first across all lanes. */
function keysOf(f: FormatView): Map<FieldBox, string> {
  const keys = new Map<FieldBox, string>();
  const all = f.lanes.flat().sort((a, b) => b.hi - a.hi || b.lo - a.lo);
  for (const b of all) {
    const cols = column(f.word, b.lo) - column(f.word, b.hi) + 1;
    if (b.name.length + 2 > cols) keys.set(b, KEYS[keys.size] ?? '?');
  }
  return keys;
}

function laneLine(f: FormatView, lane: readonly FieldBox[], keys: ReadonlyMap<FieldBox, string>, showUnnamed: boolean): string {
  const line = Array.from({ length: width(f.word) }, () => ' ');
  if (showUnnamed) for (const bit of f.unnamed) line[column(f.word, bit)] = '.';
  for (const b of lane) {
    const start = column(f.word, b.hi);
    const cols = column(f.word, b.lo) - start + 1;
    const fillChar = b.inverted ? '~' : b.aliasOf !== undefined ? '=' : '-';
    const key = keys.get(b);
    let text: string;
    if (key === undefined) {
      const pad = cols - 2 - b.name.length;
      text = `[${fillChar.repeat(Math.floor(pad / 2))}${b.name}${fillChar.repeat(Math.ceil(pad / 2))}]`;
    } else if (cols >= 3) {
      text = `[${key}${fillChar.repeat(cols - 3)}]`;
    } else {
      text = `${key}${fillChar.repeat(cols - 1)}`;
    }
    for (let i = 0; i < cols; i++) line[start + i] = text[i]!;
  }
  return line.join('').trimEnd();
}

function span(b: FieldBox): string {
  return b.lo === b.hi ? `${b.lo}` : `${b.lo}..${b.hi}`;
}

function fieldList(f: FormatView, keys: ReadonlyMap<FieldBox, string>): string[] {
  const all = f.lanes.flat().sort((a, b) => b.hi - a.hi || b.lo - a.lo || (a.aliasOf ? 1 : 0) - (b.aliasOf ? 1 : 0));
  const nameW = Math.max(5, ...all.map((b) => b.name.length));
  return all.map((b) => {
    const notes: string[] = [];
    if (b.inverted) notes.push('inverted');
    if (b.aliasOf !== undefined) notes.push(`alias of ${b.aliasOf}`);
    if (b.parent !== undefined) notes.push(`in ${b.parent}`);
    return `${INDENT}${(keys.get(b) ?? ' ').padEnd(3)}${b.name.padEnd(nameW)}  ${span(b).padEnd(7)}${notes.length > 0 ? `  ${notes.join(', ')}` : ''}`.trimEnd();
  });
}

function formatText(f: FormatView): string[] {
  const keys = keysOf(f);
  const lines = [`format ${f.name}${f.base !== undefined ? ` extends ${f.base}` : ''}`, ...rulerLines(f.word)];
  f.lanes.forEach((lane, i) => {
    lines.push(`${INDENT}${(i === 0 ? 'fields' : '').padEnd(LABEL)}${laneLine(f, lane, keys, i === 0)}`);
  });
  lines.push(...fieldList(f, keys));
  return lines;
}

function kindText(k: KindView): string[] {
  const f = k.format;
  const keys = keysOf(f);
  const fixed = Array.from({ length: width(f.word) }, () => ' ');
  for (let bit = f.word - 1; bit >= 0; bit--) fixed[column(f.word, bit)] = k.fixed[bit] === undefined ? 'x' : String(k.fixed[bit]);
  const head = `kind ${k.name} : ${f.name}${k.refs !== undefined ? `  refs ${k.refs}` : ''}${k.reachable ? '' : '  (no value classifies as this kind)'}`;
  return [
    head,
    ...rulerLines(f.word),
    `${INDENT}${'fields'.padEnd(LABEL)}${laneLine(f, f.lanes[0] ?? [], keys, true)}`,
    `${INDENT}${'fixed'.padEnd(LABEL)}${fixed.join('')}`,
  ];
}

export interface ShowOptions {
  /** Only this kind (and its format). */
  readonly kind?: string;
  /** Only this format (the editor's hover on a format name). */
  readonly format?: string;
}

/** The layout of a spec as text: every format, then every kind (or one kind and its format). */
export function layoutText(ir: IrSpec, opts: ShowOptions = {}): string {
  const view = layoutView(ir);
  const blocks: string[][] = [];
  if (opts.kind !== undefined) {
    const k = view.kinds.find((x) => x.name === opts.kind);
    if (!k) throw new Error(`no kind ${opts.kind}`);
    blocks.push(formatText(k.format), kindText(k));
  } else if (opts.format !== undefined) {
    const f = view.formats.find((x) => x.name === opts.format);
    if (!f) throw new Error(`no format ${opts.format}`);
    blocks.push(formatText(f));
  } else {
    blocks.push([`${specTitle(view)}${view.description ? `  ${view.description}` : ''}`]);
    for (const f of view.formats) blocks.push(formatText(f));
    for (const k of view.kinds) blocks.push(kindText(k));
    blocks.push(['keys: a letter marks a field too narrow for its name (see the list under its format); ~ inverted, = alias, . no field;', 'fixed: the bits every value of the kind has (as stored); x: free']);
  }
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}
