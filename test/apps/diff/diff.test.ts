// ptelab diff on the bundled kernel specs: a spec against itself is no difference; 5.19 -> 6.17 and 5.10 -> 6.17
// show the facts the kernel history says (SWP_PTE_MARKER 30 -> 31, MAX_SWAPFILES 22 -> 24, swapin_error values
// becoming PTE markers, bit 58 DEVMAP -> SAVED_DIRTY), with exact sizes and smallest witnesses; and the sizes are
// exact: the pair sets of two classifications partition all 2^64 values.
import { describe, expect, it } from 'vitest';
import * as C from '../../../compiler/bits/cube-set.js';
import { classify } from '../../../compiler/codec.js';
import { classes } from '../../../apps/diff/classification.js';
import { diffSpecs } from '../../../apps/diff/diff.js';
import type { Move, SpecDiff } from '../../../apps/diff/model.js';
import { renderDiffText } from '../../../apps/diff/render-text.js';
import { renderDiffMarkdown } from '../../../apps/diff/render-markdown.js';
import { compileClean, compileSpec } from '../../../compiler/compile.js';
import { bundledSpecs } from '../../helpers/repo.js';
import { bundled } from './helpers.js';
import { unwrap } from '../../../core/result.js';

const name = (file: string): string => file.replace(/^examples\//, '').replace(/\.pte$/, '');
const P57 = 1n << 57n;

function move(d: SpecDiff, a: string | undefined, b: string | undefined): Move {
  const m = d.classification.moves.find((x) => x.a === a && x.b === b);
  if (!m) throw new Error(`no move ${a} -> ${b}; moves: ${d.classification.moves.map((x) => `${x.a}->${x.b}`).join(', ')}`);
  return m;
}

function fields(m: Move, side: 'a' | 'b'): Record<string, string> {
  return Object.fromEntries(m.set.witness![side].fields.map((f) => [f.name, '0x' + f.value.toString(16)]));
}

describe('a spec diffed with itself', () => {
  for (const file of bundledSpecs()) {
    it(`${file}: no difference in any section`, () => {
      const s = bundled(name(file));
      const d = diffSpecs(s, s);
      expect(d.differs).toBe(false);
      expect(d.layout.formats).toEqual([]);
      expect(d.layout.consts).toEqual([]);
      expect(d.swap.differs).toBe(false);
      expect(d.swap.types.every((t) => t.status === 'same')).toBe(true);
      expect(d.classification).toEqual({ comparable: true, kinds: [], moves: [], predicates: [] });
      expect(d.handlers.paths).toEqual([]);
      expect(d.handlers.helpers).toEqual([]);
      expect(renderDiffText(d)).toContain(`no differences between ${s.ir.name} and ${s.ir.name}`);
    });
  }

  it('two separate compilations of one spec are no difference either', () => {
    const c = unwrap(compileClean('examples/x86_64-v6.17.pte'));
    expect(diffSpecs(bundled('x86_64-v6.17'), { ir: c.ir, spec: c.spec }).differs).toBe(false);
  });
});

describe('x86_64 v5.19 -> v6.17', () => {
  const a = bundled('x86_64-v5.19');
  const b = bundled('x86_64-v6.17');
  const d = diffSpecs(a, b);

  it('differs', () => {
    expect(d.differs).toBe(true);
  });

  it('every other page-table level is compared as the PTE level is, in sections of its own (issue #15)', () => {
    expect(d.levels.map((l) => l.level).sort()).toEqual(b.levels!.map((l) => l.level).sort());
    const pmd = d.levels.find((x) => x.level === 'pmd')!;
    if (pmd.only !== undefined) throw new Error('the pmd level is on both sides');
    // bit 58: DEVMAP in 5.19, SAVED_DIRTY in 6.17 (sources S1), in the PMD format as in the PTE one
    const f = pmd.layout.formats.find((x) => x.name === 'pmd')!;
    expect(f.fields.filter((x) => x.status !== 'changed').map((x) => `${x.status} ${x.name}`)).toEqual(expect.arrayContaining(['removed DEVMAP', 'added SAVED_DIRTY']));
    expect(pmd.classification.kinds.some((k) => k.name === 'devmap' && k.status === 'removed')).toBe(true);
    const text = renderDiffText(d);
    const md = renderDiffMarkdown(d);
    for (const l of d.levels) {
      if (l.only !== undefined || !l.differs) continue;
      const at = text.indexOf(`\n${l.level} level: handlers\n`);
      expect(at, l.level).toBeGreaterThan(0);
      expect(text).toContain(`\n${l.level} level: layout\n`);
      expect(md).toContain(`## ${l.level} level: classification`);
      // each changed path of the level, in the level's handlers section (a level may name a path as the PTE one does)
      const section = text.slice(at + 1).split('\n\n')[0]!;
      for (const p of l.handlers.paths) expect(section, `${l.level} ${p.name}`).toContain(`path ${p.name}`);
    }
    expect(text).toContain('- DEVMAP');
  });

  it('swap budget: MAX_SWAPFILES 22 -> 24, SWP_PTE_MARKER 30 -> 31, the device-exclusive pair becomes one type', () => {
    expect(d.swap.maxSwapfiles).toEqual({ a: 22, b: 24 });
    expect(d.swap.maxSwapfilesShift).toEqual({ a: 5, b: 5 });
    const row = (n: string) => d.swap.types.find((t) => t.name === n);
    expect(row('SWP_PTE_MARKER')).toEqual({ name: 'SWP_PTE_MARKER', group: 'SWP_PTE_MARKER_NUM', a: 30, b: 31, status: 'moved' });
    expect(row('SWP_HWPOISON')).toMatchObject({ a: 22, b: 24, status: 'moved' });
    expect(row('SWP_SWAPIN_ERROR')).toEqual({ name: 'SWP_SWAPIN_ERROR', group: 'SWP_SWAPIN_ERROR_NUM', a: 31, status: 'removed' });
    expect(row('SWP_DEVICE_EXCLUSIVE_READ')).toMatchObject({ a: 29, status: 'removed' });
    expect(row('SWP_DEVICE_EXCLUSIVE_WRITE')).toMatchObject({ a: 28, status: 'removed' });
    expect(row('SWP_DEVICE_EXCLUSIVE')).toEqual({ name: 'SWP_DEVICE_EXCLUSIVE', group: 'SWP_DEVICE_NUM', b: 30, status: 'added' });
    const dev = d.swap.groups.find((g) => g.name === 'SWP_DEVICE_NUM')!;
    expect(dev).toEqual({
      name: 'SWP_DEVICE_NUM',
      a: { count: 4, types: ['SWP_DEVICE_WRITE', 'SWP_DEVICE_READ', 'SWP_DEVICE_EXCLUSIVE_WRITE', 'SWP_DEVICE_EXCLUSIVE_READ'] },
      b: { count: 3, types: ['SWP_DEVICE_WRITE', 'SWP_DEVICE_READ', 'SWP_DEVICE_EXCLUSIVE'] },
      status: 'changed',
    });
    expect(d.swap.groups.find((g) => g.name === 'SWP_SWAPIN_ERROR_NUM')).toMatchObject({ status: 'removed', a: { count: 1 } });
  });

  it('swapin_error values (type 31) become PTE markers: 2^57 values, smallest 0xf800000000000000', () => {
    const m = move(d, 'swapin_error', 'pte_marker');
    expect(m.set.count).toBe(P57);
    expect(m.set.witness!.value).toBe(0xf800_0000_0000_0000n);
    expect(m.set.witness!.a).toMatchObject({ kind: 'swapin_error', format: 'swp' });
    expect(m.set.witness!.b).toMatchObject({ kind: 'pte_marker', format: 'pte_marker_entry' });
    // Smallest raw value: every stored OFFSET bit 0, i.e. the logical (inverted) offset all ones.
    expect(fields(m, 'a')).toMatchObject({ TYPE: '0x1f', OFFSET: '0x3ffffffffffff', PRESENT: '0x0', PROTNONE: '0x0' });
    expect(fields(m, 'b')).toMatchObject({ TYPE: '0x1f', PTE_MARKER_UFFD_WP: '0x1', PTE_MARKER_POISONED: '0x1', PTE_MARKER_GUARD: '0x1' });
  });

  it('the device-exclusive kinds: read/write are gone, device_exclusive is new; by value, types 28/29 are device-private now', () => {
    const kind = (n: string) => d.classification.kinds.find((k) => k.name === n);
    expect(kind('device_exclusive_read')).toMatchObject({ status: 'removed', a: { format: 'swp', refs: 'pfn(OFFSET)', count: P57 } });
    expect(kind('device_exclusive_write')).toMatchObject({ status: 'removed', a: { count: P57 } });
    expect(kind('swapin_error')).toMatchObject({ status: 'removed', a: { count: P57 } });
    expect(kind('device_exclusive')).toMatchObject({ status: 'added', b: { count: P57 }, bOnly: { count: P57, witness: { value: 0xf000_0000_0000_0000n } } });
    expect(move(d, 'device_exclusive_write', 'device_private_write').set).toMatchObject({ count: P57, witness: { value: 0xe000_0000_0000_0000n } });
    expect(move(d, 'device_exclusive_read', 'device_private_read').set).toMatchObject({ count: P57, witness: { value: 0xe800_0000_0000_0000n } });
    // Type 30 was the 5.19 marker and is 6.17's device_exclusive.
    const m = move(d, 'pte_marker', 'device_exclusive');
    expect(m.set).toMatchObject({ count: P57, witness: { value: 0xf000_0000_0000_0000n } });
    expect(fields(m, 'a')).toMatchObject({ TYPE: '0x1e', PTE_MARKER_UFFD_WP: '0x1' });
  });

  it('every value whose kind changes, pair by pair: the ten moves of the renumbering, 2^57 values each', () => {
    const pairs = d.classification.moves.map((m) => `${m.a ?? '-'} -> ${m.b ?? '-'} ${m.set.count === P57 ? '2^57' : m.set.count} ${m.set.witness!.value.toString(16)}`);
    expect(pairs).toEqual([
      'hwpoison -> swap 2^57 b000000000000000',
      'migration_read -> swap 2^57 b800000000000000',
      'migration_read_exclusive -> hwpoison 2^57 c000000000000000',
      'migration_write -> migration_read 2^57 c800000000000000',
      'device_private_write -> migration_read_exclusive 2^57 d000000000000000',
      'device_private_read -> migration_write 2^57 d800000000000000',
      'device_exclusive_write -> device_private_write 2^57 e000000000000000',
      'device_exclusive_read -> device_private_read 2^57 e800000000000000',
      'pte_marker -> device_exclusive 2^57 f000000000000000',
      'swapin_error -> pte_marker 2^57 f800000000000000',
    ]);
    // swap gains types 22 and 23: exactly 2^58 values.
    expect(d.classification.kinds.find((k) => k.name === 'swap')).toMatchObject({ status: 'changed', aOnly: { count: 0n }, bOnly: { count: 1n << 58n } });
  });

  it('witnesses classify as the diff says, on both sides (checked with codec.classify)', () => {
    const sa = setsOf('x86_64-v5.19');
    const sb = setsOf('x86_64-v6.17');
    for (const m of d.classification.moves) {
      const w = m.set.witness!.value;
      expect(classify(a.spec, sa, w)).toBe(m.a);
      expect(classify(b.spec, sb, w)).toBe(m.b);
    }
  });

  it('text: the swap table row and the move, with the power-of-two size', () => {
    const t = renderDiffText(d);
    expect(t).toMatch(/SWP_PTE_MARKER\s+30\s+31\s+moved/);
    expect(t).toMatch(/MAX_SWAPFILES\s+22\s+24\s+changed/);
    expect(t).toContain('swapin_error -> pte_marker: 2^57 values');
    expect(t).toContain('smallest 0xf800000000000000');
    expect(t).toMatch(/~ PTE_MARKER_MASK\s+0x1 -> 0x7/);
    expect(t).not.toContain('\x1b[');
    expect(renderDiffText(d, { color: true })).toContain('\x1b[');
  });
});

function setsOf(n: string) {
  const c = unwrap(compileSpec(`examples/${n}.pte`));
  return c.sets;
}

describe('x86_64 v5.10 -> v6.17: the pte format', () => {
  const d = diffSpecs(bundled('x86_64-v5.10'), bundled('x86_64-v6.17'));
  const pte = d.layout.formats.find((f) => f.name === 'pte')!;

  it('bit 58 is DEVMAP in 5.10 and SAVED_DIRTY in 6.17; bit 57 gets SOFTW4', () => {
    expect(pte.status).toBe('changed');
    expect(pte.fields.filter((f) => f.name === 'DEVMAP' || f.name === 'SAVED_DIRTY' || f.name === 'SOFTW4')).toEqual([
      { name: 'DEVMAP', status: 'removed', a: { name: 'DEVMAP', shift: 58, width: 1, inverted: false }, aspects: [] },
      { name: 'SAVED_DIRTY', status: 'added', b: { name: 'SAVED_DIRTY', shift: 58, width: 1, inverted: false }, aspects: [] },
      { name: 'SOFTW4', status: 'added', b: { name: 'SOFTW4', shift: 57, width: 1, inverted: false }, aspects: [] },
    ]);
  });

  it('the ruler shows DEVMAP over SAVED_DIRTY at bit 58 and marks bits 58 and 57 only', () => {
    const r = pte.ruler;
    const at = (row: string, bit: number) => row[r.word - 1 - bit];
    const sym = (field: string) => r.legend.find((l) => l.field === field)!.symbol;
    expect(at(r.a!, 58)).toBe(sym('DEVMAP'));
    expect(at(r.b!, 58)).toBe(sym('SAVED_DIRTY'));
    expect(at(r.a!, 57)).toBe('.');
    expect(at(r.b!, 57)).toBe(sym('SOFTW4'));
    expect(r.legend.find((l) => l.field === 'DEVMAP')!.rows).toBe('a');
    expect(r.legend.find((l) => l.field === 'SAVED_DIRTY')!.rows).toBe('b');
    expect(r.legend.find((l) => l.field === 'PFN')!.rows).toBe('both');
    const marked = [...r.marks].map((ch, i) => (ch === '^' ? r.word - 1 - i : -1)).filter((b) => b >= 0);
    expect(marked).toEqual([58, 57]);
    expect(new Set(r.legend.map((l) => l.symbol)).size).toBe(r.legend.length);
  });

  it('text shows the two rows and the marks', () => {
    const t = renderDiffText(d);
    const lines = t.split('\n');
    const i = lines.findIndex((l) => /^\s+A  N/.test(l));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toMatch(/^\s+B  /);
    expect(lines[i + 2]).toMatch(/^\s+\^\^$/);
    expect(t).toMatch(/- DEVMAP\s+bit 58\s+->\s+-/);
    expect(t).toMatch(/\+ SAVED_DIRTY\s+-\s+->\s+bit 58/);
  });
});

describe('classification is exact', () => {
  const pairs: [string, string][] = [
    ['x86_64-v5.10', 'x86_64-v5.19'],
    ['x86_64-v5.19', 'x86_64-v6.17'],
    ['x86_64-v6.17', 'arm64-v6.17'],
    ['arm64-v6.17', 'x86_64-v5.10'],
  ];
  for (const [x, y] of pairs) {
    it(`${x} vs ${y}: the moves plus the same-kind overlaps partition all 2^64 values`, () => {
      const a = bundled(x);
      const b = bundled(y);
      const d = diffSpecs(a, b);
      const ca = classes(a.ir);
      const cb = classes(b.ir);
      let same = 0n;
      for (const k of ca.kinds) {
        const o = cb.kinds.find((j) => j.kind.name === k.kind.name);
        if (o) same += C.count(C.intersect(k.set, o.set), 64);
      }
      same += C.count(C.intersect(ca.gap, cb.gap), 64);
      const moved = d.classification.moves.reduce((s, m) => s + m.set.count, 0n);
      expect(same + moved).toBe(1n << 64n);
      // Each witness is the smallest member of its set and belongs to it.
      for (const m of d.classification.moves) {
        expect(m.set.count).toBeGreaterThan(0n);
        expect(m.set.witness!.a.kind).toBe(m.a);
        expect(m.set.witness!.b.kind).toBe(m.b);
      }
      // A kind changes iff some move names it.
      for (const k of d.classification.kinds.filter((k) => k.aOnly.count > 0n || k.bOnly.count > 0n)) {
        expect(d.classification.moves.some((m) => m.a === k.name || m.b === k.name)).toBe(true);
      }
    });
  }

  it('v6.17 x86_64 vs arm64: pte_none ignores A/D on x86 only: exactly 3 values none -> swap', () => {
    const d = diffSpecs(bundled('x86_64-v6.17'), bundled('arm64-v6.17'));
    const m = move(d, 'none', 'swap');
    expect(m.set.count).toBe(3n);
    expect(m.set.witness!.value).toBe(0x20n);
  });
});
