// A terminal picture of one word: the bits MSB first with bit numbers, then each field with its value. Shared by
// `ptelab decode` and the editor's hover on a number (apps/lsp/hover.ts).
import { fieldValue } from './bits/cube-set.js';
import type { FormatDef, Spec } from './model.js';

export function bitRuler(spec: Spec, format: FormatDef, w: bigint): string {
  const W = spec.word;
  const lines: string[] = [];
  const bits = w.toString(2).padStart(W, '0');
  const groups: string[] = [];
  const labels: string[] = [];
  for (let hi = W - 1; hi >= 0; hi -= 8) {
    const lo = Math.max(0, hi - 7);
    groups.push(bits.slice(W - 1 - hi, W - lo));
    labels.push(String(hi).padEnd(hi - lo + 1, ' '));
  }
  lines.push(('  ' + labels.join(' ')).trimEnd());
  lines.push('  ' + groups.join(' '));
  const fields = [...format.fields.values()].sort((a, b) => maxPos(b) - maxPos(a) || (a.parent ? 1 : 0) - (b.parent ? 1 : 0));
  const nameWidth = Math.max(...fields.map((f) => f.name.length + (f.parent ? 2 : 0)), 5);
  for (const f of fields) {
    const pos = f.bits.map((b) => b.pos);
    const span = pos.length === 1 ? `${pos[0]}` : `${Math.min(...pos)}..${Math.max(...pos)}`;
    const name = (f.parent ? '  ' : '') + f.name;
    const notes = [f.inverted ? 'inverted' : '', f.aliasOf ? `alias of ${f.aliasOf}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${name.padEnd(nameWidth)}  ${span.padEnd(7)} 0x${fieldValue(f, w).toString(16)}${notes ? `  (${notes})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function maxPos(f: { bits: readonly { pos: number }[] }): number {
  return Math.max(...f.bits.map((b) => b.pos));
}
