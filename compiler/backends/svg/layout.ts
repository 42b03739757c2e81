// layout.svg: one bit-field diagram per format and per kind, in the style of register diagrams. Bits run MSB first
// (63 on the left), numbered on a ruler; fields are boxes with their names (rotated or shortened when narrow, the full
// name in a tooltip); inverted fields are hatched with a bar over the name; aliases are dashed, sub-fields sit in a
// lane below their parent. A kind's row shows the bits its condition fixes as 0/1 (blank: free). The file is
// self-contained (no fonts, scripts or links) and byte-deterministic: same IR, same bytes.
import type { IrSpec } from '../../ir/types.js';
import { generatedHeader } from '../generated-header.js';
import { layoutView, specTitle, type FieldBox, type FormatView, type KindView } from './model.js';

const CELL = 16;
const MARGIN = 20;
const RULER = 12;
const GAP = 18;
const TITLE = 18;
const NAME_FONT = 10;
const MONO_RATIO = 0.6;
const MIN_LANE = 22;
const MAX_LANE = 130;

/** Text made safe for XML character data and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** A coordinate: integers as such, anything else with one decimal. */
function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

const charW = (font: number) => font * MONO_RATIO;

/** The name as it fits: horizontally, rotated, or shortened with '…' along the roomier direction. */
function fitName(name: string, w: number, h: number, font: number): { text: string; rotated: boolean } {
  const cw = charW(font);
  const across = Math.floor((w - 4) / cw);
  const along = Math.floor((h - 6) / cw);
  if (name.length <= across) return { text: name, rotated: false };
  if (name.length <= along) return { text: name, rotated: true };
  const rotated = along > across;
  const room = Math.max(1, rotated ? along : across);
  return { text: room >= name.length ? name : room <= 1 ? name.slice(0, 1) : `${name.slice(0, room - 1)}…`, rotated };
}

function acrossOnly(name: string, w: number, font: number): { text: string; rotated: boolean } {
  const across = Math.floor((w - 4) / charW(font));
  if (name.length <= across) return { text: name, rotated: false };
  return { text: across >= 4 ? `${name.slice(0, across - 1)}…` : '', rotated: false };
}

/** The height a lane needs so that its narrow boxes can show their names rotated. */
function laneHeight(boxes: readonly FieldBox[]): number {
  let h = MIN_LANE;
  const cw = charW(NAME_FONT);
  for (const b of boxes) {
    const w = (b.hi - b.lo + 1) * CELL;
    if (b.name.length * cw > w - 4) h = Math.max(h, Math.ceil(b.name.length * cw + 8));
  }
  return Math.min(h, MAX_LANE);
}

class Svg {
  readonly out: string[] = [];
  y = MARGIN;
  /** The right end of the widest text line drawn (titles, legend), so that the picture is wide enough for it. */
  right = 0;

  constructor(readonly word: number) {}

  /** x of the left edge of bit `bit` (MSB on the left). */
  x(bit: number): number {
    return MARGIN + (this.word - 1 - bit) * CELL;
  }

  push(s: string): void {
    this.out.push(s);
  }

  text(x: number, y: number, s: string, attrs = ''): void {
    this.push(`<text x="${n(x)}" y="${n(y)}"${attrs}>${escapeXml(s)}</text>`);
  }

  title(main: string, rest: string): void {
    const more = rest.trim();
    this.right = Math.max(this.right, MARGIN + main.trim().length * charW(13) + (more ? 8 + more.length * charW(13) : 0));
    this.push(`<text x="${n(MARGIN)}" y="${n(this.y + 13)}" font-size="13"><tspan font-weight="bold">${escapeXml(main.trim())}</tspan>${more ? `<tspan dx="8" fill="#555">${escapeXml(more)}</tspan>` : ''}</text>`);
    this.y += TITLE;
  }

  ruler(): void {
    for (let bit = this.word - 1; bit >= 0; bit--) {
      this.text(this.x(bit) + CELL / 2, this.y + 9, String(bit), ' font-size="8" text-anchor="middle" fill="#666"');
    }
    this.y += RULER;
  }

  /** Light cells behind a band, so that every bit is visible inside wide fields. */
  grid(y: number, h: number): void {
    for (let bit = this.word - 1; bit >= 0; bit--) {
      this.push(`<rect x="${n(this.x(bit))}" y="${n(y)}" width="${CELL}" height="${n(h)}" fill="none" stroke="#ddd" stroke-width="0.5"/>`);
    }
  }

  unnamed(bits: readonly number[], y: number, h: number): void {
    for (const bit of bits) {
      this.push(`<rect x="${n(this.x(bit))}" y="${n(y)}" width="${CELL}" height="${n(h)}" fill="#eee" stroke="#ccc" stroke-width="0.5"><title>bit ${bit}: no field</title></rect>`);
    }
  }

  /** A field box over [y, y + h); its name in the box's band [ny, ny + nh) (the whole box when not given). */
  field(b: FieldBox, y: number, h: number, tip: string, band?: { y: number; h: number; font: number }): void {
    const x = this.x(b.hi);
    const w = (b.hi - b.lo + 1) * CELL;
    const ny = band?.y ?? y;
    const nh = band?.h ?? h;
    const font = band?.font ?? NAME_FONT;
    const dash = b.aliasOf !== undefined ? ' stroke-dasharray="4 2"' : '';
    const fill = b.parent !== undefined ? '#eef4fb' : '#fff';
    this.push(`<g><title>${escapeXml(tip)}</title>`);
    this.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${band ? 'none' : fill}" stroke="#333" stroke-width="1"${dash}/>`);
    if (b.inverted) this.push(`<rect x="${n(x + 1)}" y="${n(ny + 1)}" width="${n(w - 2)}" height="${n(nh - 2)}" fill="url(#hatch)"/>`);
    // In a kind's row (a band) a name shows only across, whole or shortened to at least 3 characters.
    const fit = band ? acrossOnly(b.name, w, font) : fitName(b.name, w, nh, font);
    const cx = x + w / 2;
    const cy = ny + nh / 2;
    const halo = b.inverted ? ' stroke="#fff" stroke-width="3" paint-order="stroke"' : '';
    if (fit.rotated) {
      this.push(
        `<text x="${n(cx)}" y="${n(cy + font * 0.35)}" font-size="${font}" text-anchor="middle" transform="rotate(-90 ${n(cx)} ${n(cy)})"${halo}>${escapeXml(fit.text)}</text>`,
      );
    } else if (fit.text !== '') {
      this.push(`<text x="${n(cx)}" y="${n(cy + font * 0.35)}" font-size="${font}" text-anchor="middle"${halo}>${escapeXml(fit.text)}</text>`);
      if (b.inverted) {
        // The bar over the name: inverted, as in signal names (a stored value is the complement of the logical one).
        const half = (fit.text.length * charW(font)) / 2;
        const by = cy + font * 0.35 - font * 0.95;
        this.push(`<line x1="${n(cx - half)}" y1="${n(by)}" x2="${n(cx + half)}" y2="${n(by)}" stroke="#000" stroke-width="1"/>`);
      }
    }
    this.push('</g>');
  }
}

function span(b: FieldBox): string {
  return b.lo === b.hi ? `bit ${b.lo}` : `bits ${b.lo}..${b.hi}`;
}

function tipOf(b: FieldBox, f: FormatView): string {
  const notes: string[] = [];
  if (b.inverted) notes.push('inverted');
  if (b.aliasOf !== undefined) notes.push(`alias of ${b.aliasOf}`);
  if (b.parent !== undefined) {
    const parent = f.lanes.flat().find((x) => x.name === b.parent);
    notes.push(parent ? `in ${b.parent} (its ${b.lo === b.hi ? `bit ${b.lo - parent.lo}` : `bits ${b.lo - parent.lo}..${b.hi - parent.lo}`})` : `in ${b.parent}`);
  }
  return `${b.name}: ${span(b)}${notes.length > 0 ? `, ${notes.join(', ')}` : ''}`;
}

function drawFormat(s: Svg, f: FormatView): void {
  s.title(`format ${f.name}`, f.base !== undefined ? `  extends ${f.base}` : '');
  s.ruler();
  f.lanes.forEach((lane, i) => {
    const h = laneHeight(lane);
    if (i === 0) {
      s.grid(s.y, h);
      s.unnamed(f.unnamed, s.y, h);
    }
    for (const b of lane) s.field(b, s.y, h, tipOf(b, f));
    s.y += h + (i < f.lanes.length - 1 ? 4 : 0);
  });
  s.y += GAP;
}

function drawKind(s: Svg, k: KindView): void {
  const rest = [k.refs !== undefined ? `refs ${k.refs}` : '', k.reachable ? '' : '(no value classifies as this kind)'].filter(Boolean).join('  ');
  s.title(`kind ${k.name} : ${k.format.name}`, rest);
  s.ruler();
  const digitsY = s.y;
  const digitsH = 18;
  const namesY = digitsY + digitsH;
  const namesH = 16;
  s.grid(digitsY, digitsH);
  for (let bit = k.format.word - 1; bit >= 0; bit--) {
    const v = k.fixed[bit];
    if (v === undefined) continue;
    const x = s.x(bit);
    s.push(`<rect x="${n(x)}" y="${n(digitsY)}" width="${CELL}" height="${digitsH}" fill="${v === 1 ? '#cfe0ff' : '#f1f1f1'}" stroke="#ddd" stroke-width="0.5"><title>bit ${bit} = ${v}</title></rect>`);
    s.text(x + CELL / 2, digitsY + 13, String(v), ' font-size="11" text-anchor="middle" font-weight="bold"');
  }
  s.unnamed(k.format.unnamed, namesY, namesH);
  for (const b of k.format.lanes[0] ?? []) s.field(b, digitsY, digitsH + namesH, tipOf(b, k.format), { y: namesY, h: namesH, font: 8 });
  s.y = namesY + namesH + GAP;
}

function drawLegend(s: Svg): void {
  s.title('legend', '');
  const items: { draw: (x: number, y: number) => string; label: string }[] = [
    { draw: (x, y) => `<rect x="${x}" y="${y}" width="28" height="14" fill="url(#hatch)" stroke="#333"/>`, label: 'inverted field: stored bit-inverted, read as the logical value (bar over the name)' },
    { draw: (x, y) => `<rect x="${x}" y="${y}" width="28" height="14" fill="#fff" stroke="#333" stroke-dasharray="4 2"/>`, label: 'alias: another name for the same bits' },
    { draw: (x, y) => `<rect x="${x}" y="${y}" width="28" height="14" fill="#eef4fb" stroke="#333"/>`, label: 'sub-field (in PARENT { ... }), in a lane below its parent' },
    { draw: (x, y) => `<rect x="${x}" y="${y}" width="28" height="14" fill="#eee" stroke="#ccc"/>`, label: 'no field' },
    {
      draw: (x, y) =>
        `<rect x="${x}" y="${y}" width="14" height="14" fill="#f1f1f1" stroke="#ddd"/><text x="${x + 7}" y="${y + 11}" font-size="11" text-anchor="middle" font-weight="bold">0</text>` +
        `<rect x="${x + 14}" y="${y}" width="14" height="14" fill="#cfe0ff" stroke="#ddd"/><text x="${x + 21}" y="${y + 11}" font-size="11" text-anchor="middle" font-weight="bold">1</text>`,
      label: "kind: a bit every value of the kind has (fixed by its condition, as stored); blank: free",
    },
  ];
  for (const it of items) {
    s.push(it.draw(MARGIN, s.y));
    s.text(MARGIN + 36, s.y + 11, it.label, ' font-size="11"');
    s.right = Math.max(s.right, MARGIN + 36 + it.label.length * charW(11));
    s.y += 20;
  }
}

/** The layout diagram of a spec as SVG text (first line: the generated-by comment). */
export function layoutSvg(ir: IrSpec): string {
  const view = layoutView(ir);
  const s = new Svg(view.word);
  s.title(specTitle(view), view.description ? `  ${view.description}` : '');
  s.y += 6;
  for (const f of view.formats) drawFormat(s, f);
  for (const k of view.kinds) drawKind(s, k);
  drawLegend(s);
  const width = Math.max(MARGIN * 2 + view.word * CELL, Math.ceil(s.right) + MARGIN);
  const height = s.y + MARGIN;
  const head = [
    xmlComment(generatedHeader(ir.file, '<!--', ' -->')),
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" font-family="monospace" fill="#000">`,
    `<title>${escapeXml(`ptelab layout: ${specTitle(view)}`)}</title>`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#aaa" stroke-width="2"/></pattern></defs>',
    `<rect width="${width}" height="${n(height)}" fill="#fff"/>`,
  ];
  return [...head, ...s.out, '</svg>', ''].join('\n');
}

/** An XML comment may not hold `--` (nor end with `-`); the generated-by line keeps its words. */
function xmlComment(header: string): string {
  const inner = header.replace(/^<!--/, '').replace(/-->$/, '');
  return `<!--${inner.replace(/-(?=-)/g, '- ').replace(/-$/, '- ')}-->`;
}
