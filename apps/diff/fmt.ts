// Small text pieces shared by the text and markdown renderers.
import { sizeText } from '../../compiler/checks/sizes.js';
import { hex } from '../../compiler/describe.js';
import type { Site } from '../../compiler/ir/types.js';
import { bitsText, shapeText } from './layout.js';
import type { FootprintCount, FootprintSeries } from './footprint.js';
import type { Decoded, FieldChange, Ruler, SpecDiff, ValueSet } from './model.js';

export { bitsText, shapeText, sizeText, hex };

export function shortHex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** "TYPE=0x1f, OFFSET=0x3ffffffffffff, PTE_MARKER_UFFD_WP=0x1": the non-zero fields (sub-fields too, aliases not). */
export function fieldsText(d: Decoded): string {
  if (d.kind === undefined) return 'no kind';
  const parts = d.fields.filter((f) => !f.aliasOf && f.value !== 0n).map((f) => `${f.name}=${shortHex(f.value)}`);
  return parts.length ? parts.join(', ') : 'all fields 0';
}

/** "swap (swp)", "no kind". */
export function kindText(d: Decoded): string {
  return d.kind === undefined ? 'no kind' : `${d.kind} (${d.format})`;
}

export function kindName(k: string | undefined): string {
  return k ?? '(no kind)';
}

export function countText(s: ValueSet): string {
  return s.count === 0n ? 'none' : sizeText(s.count);
}

export function siteText(s: Site | undefined): string {
  return s ? `${s.file}:${s.line}` : '-';
}

/** "bit 58" / "bits 12..49 inverted", or "-" for a missing side. */
export function fieldSideText(c: FieldChange, side: 'a' | 'b', absent = '-'): string {
  const f = c[side];
  return f ? shapeText(f) : absent;
}

export function aspectsText(c: FieldChange): string {
  return c.status === 'changed' ? c.aspects.join(', ') : c.status;
}

/** The ruler as lines: bit-number header, A row, B row, marks; each row in groups of 8 bits, MSB first. */
export function rulerLines(r: Ruler, indent: string): string[] {
  const group = (s: string): string => {
    const parts: string[] = [];
    for (let i = 0; i < s.length; i += 8) parts.push(s.slice(i, i + 8));
    return parts.join(' ');
  };
  const labels: string[] = [];
  for (let hi = r.word - 1; hi >= 0; hi -= 8) labels.push(String(hi).padEnd(Math.min(8, hi + 1), ' '));
  const absent = '(no such format)';
  return [
    `${indent}   ${labels.join(' ')}`.trimEnd(),
    `${indent}A  ${r.a !== undefined ? group(r.a) : absent}`,
    `${indent}B  ${r.b !== undefined ? group(r.b) : absent}`,
    `${indent}   ${group(r.marks)}`.trimEnd(),
  ];
}

/** "N=NX K=PKEY D=DEVMAP(A) S=SAVED_DIRTY(B)", wrapped to `width` columns. */
export function legendLines(r: Ruler, indent: string, width = 118): string[] {
  const items = r.legend.map((l) => `${l.symbol}=${l.field}${l.rows === 'both' ? '' : l.rows === 'a' ? '(A)' : '(B)'}`);
  const out: string[] = [];
  let line = '';
  for (const it of items) {
    if (line && indent.length + line.length + 1 + it.length > width) {
      out.push(indent + line);
      line = it;
    } else line = line ? `${line} ${it}` : it;
  }
  if (line) out.push(indent + line);
  return out;
}

export function headline(d: SpecDiff): string {
  return d.differs ? `${d.a.spec} and ${d.b.spec} differ` : `no differences between ${d.a.spec} and ${d.b.spec}`;
}

export const BEHAVIOUR_UNAVAILABLE = 'not available yet (the scenario runner is not wired into diff)';

/** "+762 -0 in 31 hunks", or `absent` when the series does not touch the file or path. `minus` lets markdown use −. */
export function footprintText(c: FootprintCount | undefined, absent = '-', minus = '-'): string {
  return c ? `+${c.added} ${minus}${c.removed} (${c.hunks} hunk${c.hunks === 1 ? '' : 's'})` : absent;
}

/** What a series is: "x86_64_v5_10 whole (no base)", "hugh_swap_marker against x86_64_v5_10". */
export function seriesName(s: FootprintSeries): string {
  return `${s.spec} ${s.against ? `against ${s.against}` : 'whole (no base)'}`;
}

/** "8 patches, 40 hunks, 8 files, +500 -115". */
export function seriesText(s: FootprintSeries, minus = '-'): string {
  const n = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;
  const comments = s.comments.hunks > 0 ? ` (not counted: ${n(s.comments.hunks, 'hunk')} of comments only)` : '';
  return `${n(s.patches, 'patch', 'patches')}, ${n(s.hunks, 'hunk')}, ${n(s.files, 'file')}, +${s.added} ${minus}${s.removed}${comments}`;
}
