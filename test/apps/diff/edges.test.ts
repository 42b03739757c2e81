// Edges of the diff: every field aspect, values no kind classifies, different word sizes, and the line diff.
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../../apps/diff/diff.js';
import { lineDiff } from '../../../apps/diff/handlers.js';
import { renderDiffJson } from '../../../apps/diff/render-json.js';
import { renderDiffMarkdown } from '../../../apps/diff/render-markdown.js';
import { renderDiffText } from '../../../apps/diff/render-text.js';
import { replaceLine, X86 } from '../../helpers.js';
import { inMemory } from './helpers.js';

describe('layout: each aspect of a field', () => {
  const a = inMemory('a.pte', 'spec s "d"\nword 64\nformat f { bits 0..3 X; bit 4 Y; bit 5 W; alias Z = Y; bits 8..15 P; in P { bit 1 Q } }\n');
  const b = inMemory('b.pte', 'spec s "d"\nword 64\nformat f { bits 0..4 X; bit 6 Y inverted; bit 5 W; alias Z = W; bits 8..15 P; bits 16..23 R; in R { bit 0 Q } }\nformat g { bit 0 G }\n');
  const d = diffSpecs(a, b);

  it('position, width, inversion, alias, parent; added fields and formats', () => {
    const f = d.layout.formats.find((x) => x.name === 'f')!;
    const by = Object.fromEntries(f.fields.map((x) => [x.name, `${x.status}${x.aspects.length ? ` ${x.aspects.join('+')}` : ''}`]));
    expect(by).toEqual({ X: 'changed width', Y: 'changed position+inversion', Z: 'changed position+alias', Q: 'changed position+parent', R: 'added' });
    expect(d.layout.formats.find((x) => x.name === 'g')).toMatchObject({ status: 'added', fields: [{ name: 'G', status: 'added' }] });
    expect(d.layout.formats.find((x) => x.name === 'g')!.ruler.a).toBeUndefined();
  });

  it('the ruler: a sub-field shows over its parent; marks cover the moved bits', () => {
    const r = d.layout.formats.find((x) => x.name === 'f')!.ruler;
    const at = (row: string, bit: number) => row[63 - bit];
    const sym = (n: string) => r.legend.find((l) => l.field === n)!.symbol;
    expect(at(r.a!, 9)).toBe(sym('Q'));
    expect(at(r.a!, 8)).toBe(sym('P'));
    expect(at(r.b!, 16)).toBe(sym('Q'));
    expect(at(r.b!, 17)).toBe(sym('R'));
    expect(r.legend.some((l) => l.field === 'Z')).toBe(false); // aliases are not drawn
    const marked = [...r.marks].map((ch, i) => (ch === '^' ? 63 - i : -1)).filter((x) => x >= 0);
    // X grew into bit 4 (Y left it), Y moved to 6 and is inverted; Q moved from 9 to 16; R covers 16..23.
    expect(marked).toEqual([23, 22, 21, 20, 19, 18, 17, 16, 9, 6, 4]);
    expect(r.legend.map((l) => l.symbol)).not.toContain('A');
    expect(r.legend.map((l) => l.symbol)).not.toContain('B');
  });

  it('the format only in B is drawn as "(no such format)" on the A row', () => {
    expect(renderDiffText(d)).toContain('A  (no such format)');
    expect(renderDiffMarkdown(d)).toContain('### Format `g` (only in B)');
  });
});

describe('classification with values no kind classifies', () => {
  const full = inMemory('x86.pte', X86);
  const gap = inMemory('gap.pte', replaceLine(X86, 'kind pte_marker', ''));

  it('pte_marker values become "no kind" (and back), 2^57 of them', () => {
    const there = diffSpecs(full, gap);
    expect(there.classification.moves).toHaveLength(1);
    const m = there.classification.moves[0]!;
    expect(m.a).toBe('pte_marker');
    expect(m.b).toBeUndefined();
    expect(m.set.count).toBe(1n << 57n);
    expect(m.set.witness!.b).toEqual({ fields: [] });
    expect(there.classification.kinds).toMatchObject([{ name: 'pte_marker', status: 'removed' }]);
    const back = diffSpecs(gap, full);
    expect(back.classification.moves[0]).toMatchObject({ b: 'pte_marker', set: { count: 1n << 57n } });
    expect(renderDiffText(back)).toContain('(no kind) -> pte_marker: 2^57 values');
    const j = JSON.parse(renderDiffJson(back));
    expect(j.classification.moves[0].a).toBeNull();
    expect(j.classification.moves[0].witness.a).toEqual({ kind: null, format: null, fields: {} });
  });
});

describe('different word sizes', () => {
  it('layout still compares; classification says it did not', () => {
    const a = inMemory('a.pte', 'spec s "d"\nword 64\nformat f { bit 0 X }\nkind k : f when X\nkind j : f when !X\n');
    const b = inMemory('b.pte', 'spec s "d"\nword 32\nformat f { bit 0 X }\nkind k : f when X\nkind j : f when !X\n');
    const d = diffSpecs(a, b);
    expect(d.differs).toBe(true);
    expect(d.layout.word).toEqual({ a: 64, b: 32 });
    expect(d.classification).toEqual({ comparable: false, kinds: [], moves: [], predicates: [] });
    expect(renderDiffText(d)).toContain('not compared: the words differ (64 vs 32 bits)');
  });
});

describe('expressions printed back as spec text', () => {
  it('follows the grammar: bit operators bind tighter than comparisons, comparisons do not chain', () => {
    const side = inMemory(
      'e.pte',
      `spec e "d"
word 64
format pte { bit 0 PRESENT; bit 1 RW; bits 12..51 PFN }
fn f(p: pte) = (p.RW | p.PRESENT) == 1 && !(p.RW == 0) || p.PFN - (2 - 1) > 0x1000
fn g(p: pte) = (p.RW == 1) == (p.PRESENT == 1)
fn h(p: pte) = (p with { RW = 1 }).RW
`,
    );
    const text = (n: string) => diffSpecs(inMemory('empty.pte', 'spec e "d"\nword 64\n'), side).handlers.helpers.find((x) => x.name === n)!.bText;
    expect(text('f')).toBe('fn f(p: pte) = p.RW | p.PRESENT == 1 && !(p.RW == 0) || p.PFN - (2 - 1) > 0x1000');
    expect(text('g')).toBe('fn g(p: pte) = (p.RW == 1) == (p.PRESENT == 1)');
    expect(text('h')).toBe('fn h(p: pte) = (p with { RW = 1 }).RW');
  });
});

describe('lineDiff', () => {
  it('keeps common lines, A before B at a change', () => {
    expect(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(lineDiff([], [])).toEqual([]);
  });
});
