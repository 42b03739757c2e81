// resolve(): names bound (unknown PTE002, duplicate PTE003, override rules PTE008), the extends chain (missing
// PTE007, cycle PTE006), and the swap table numbered as include/linux/swap.h numbers it.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../compiler/compile.js';
import { memoryHost } from '../../compiler/load.js';
import { at, checkText, codes, compileText, one, only, posOf, replaceLine, says, X86 } from '../helpers.js';
import { unwrap } from '../../core/result.js';

const HEAD = 'spec s "d"\nword 64\n';

function swapNumbers(text: string, extra: Record<string, string> = {}): Record<string, number> {
  const c = compileText(text, extra);
  const swap = c.spec.swap!;
  return Object.fromEntries([['MAX_SWAPFILES', swap.maxSwapfiles], ...swap.groups.flatMap((g) => g.types.map((t) => [t.name, t.value] as const))]);
}

describe('unknown names (PTE002)', () => {
  it('a kind on an unknown format is reported once, at the format name', () => {
    const text = `${HEAD}format f { bit 0 A }\nkind k : nope when A\n`;
    const d = one(checkText(text), 'PTE002');
    says(d, "kind 'k'", "'nope'");
    expect(at(d)).toBe(posOf(text, 'nope'));
    expect(d.range.end.column - d.range.start.column).toBe('nope'.length);
    expect(d.hint).toBe('known formats: f');
  });

  it('a predicate on an unknown format is reported at the format name', () => {
    const text = `${HEAD}predicate p on nope = word == 0\n`;
    const d = one(checkText(text), 'PTE002');
    says(d, "predicate 'p'", "'nope'");
    expect(at(d)).toBe(posOf(text, 'nope'));
  });

  it('an unknown field in a condition points at the name and lists the known fields', () => {
    const text = `${HEAD}format f { bit 0 PRESENT; bit 1 RW }\nkind x : f when PRESENT == NOPE\n`;
    const d = one(checkText(text), 'PTE002');
    expect(at(d)).toBe(posOf(text, 'NOPE'));
    says(d, "'NOPE'", "'f'");
    expect(d.hint).toBe('known fields: PRESENT, RW');
  });

  it('an unknown base format, alias target, sub-field parent, constant and swap group are each reported at their name', () => {
    const text = `${HEAD}format f extends nobase { bit 0 A; alias B = NOTARGET; in NOPARENT { bit 0 C } }
const K = NOCONST + 1
swap { MAX_SWAPFILES_SHIFT = 5
  G = 1 { T } before NOGROUP }
`;
    const ds = only(checkText(text), 'PTE002');
    const names = ['nobase', 'NOTARGET', 'NOPARENT', 'NOCONST', 'NOGROUP'];
    expect(ds.map(at)).toEqual(names.map((n) => posOf(text, n)));
    ds.forEach((d, i) => says(d, `'${names[i]}'`));
  });

  it('refs naming a field the format lacks is a PTE038 at the refs clause', () => {
    const text = `${HEAD}format f { bit 0 A }\nkind k : f when A refs page(PFN)\nkind j : f when !A\n`;
    const d = one(checkText(text), 'PTE038');
    expect(at(d)).toBe(posOf(text, 'page(PFN)'));
    says(d, "'PFN'", "'f'");
  });
});

describe('duplicate names (PTE003)', () => {
  it('a second format of the same name is reported at the second, pointing back at the first', () => {
    const text = `${HEAD}format f { bit 0 A }\nformat f { bit 1 B }\n`;
    const d = one(checkText(text), 'PTE003');
    expect(d.range.start.line).toBe(4);
    says(d, "format 'f'");
    expect(d.related?.[0]?.range.start.line).toBe(3);
  });

  it('a field declared twice in one format is a PTE003 (an alias is the way to name a bit twice)', () => {
    const text = `${HEAD}format f {\n bit 0 A\n bit 1 A\n}\n`;
    const d = one(checkText(text), 'PTE003');
    expect(d.range.start.line).toBe(5);
    says(d, "field 'A'", "'f'");
  });

  it('constants, swap groups and swap-type names are defined once', () => {
    const text = `${HEAD}const C = 1\nconst C = 2\nswap { MAX_SWAPFILES_SHIFT = 5\n G = 1 { T }\n G = 1 { U }\n H = 1 { T } }\n`;
    const ds = only(checkText(text), 'PTE003');
    expect(ds.map((d) => d.range.start.line)).toEqual([4, 7, 8]);
    says(ds[0]!, "'C'");
    says(ds[1]!, "'G'");
    says(ds[2]!, "'T'");
  });
});

describe('override rules (PTE008)', () => {
  it('a kind defined twice without override is a PTE008 at the second', () => {
    const text = `${HEAD}format f { bit 0 A }\nkind k : f when A\nkind k : f when !A\n`;
    const d = one(checkText(text), 'PTE008');
    expect(d.range.start.line).toBe(5);
    says(d, "kind 'k'");
    expect(d.hint).toContain('override kind');
  });

  it('override kind / override predicate of nothing are PTE008', () => {
    const text = `${HEAD}format f { bit 0 A }\noverride predicate p on f = A\noverride kind k : f when A\nkind j : f when !A\n`;
    const ds = only(checkText(text), 'PTE008');
    expect(ds.map((d) => d.range.start.line)).toEqual([4, 5]);
    says(ds[0]!, 'override predicate p');
    says(ds[1]!, 'override kind k');
  });

  it('a predicate redefined without override is PTE008', () => {
    const text = `${HEAD}format f { bit 0 A }\npredicate p on f = A\npredicate p on f = !A\n`;
    const d = one(checkText(text), 'PTE008');
    expect(d.range.start.line).toBe(5);
    says(d, "predicate 'p'");
  });

  it('an inherited field redefined without override is PTE008; override of a field not inherited is PTE008', () => {
    const text = `${HEAD}format base { bits 12..51 PFN }\nformat d1 extends base { bits 12..51 PFN inverted }\nformat d2 extends base { override bit 3 NEW }\n`;
    const ds = only(checkText(text), 'PTE008');
    expect(ds.map((d) => d.range.start.line)).toEqual([4, 5]);
    says(ds[0]!, "'PFN'", "'base'");
    says(ds[1]!, "'NEW'", "'d2'");
  });

  it('a proposal overrides a baseline kind in place: no diagnostic, and the kind keeps its position', () => {
    const proposal = `spec p extends "x86.pte" "narrow swap"
override kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES && TYPE != 1 refs slot(TYPE, OFFSET)
kind uffd_wp : swp when is_swap_pte && TYPE == 1
`;
    const c = compileText(proposal, { 'x86.pte': X86 });
    expect(c.diagnostics).toEqual([]);
    const order = [...c.spec.kinds.values()].sort((a, b) => a.index - b.index).map((k) => k.name);
    expect(order.slice(0, 4)).toEqual(['none', 'present', 'protnone', 'swap']);
    expect(order[order.length - 1]).toBe('uffd_wp');
    expect(c.spec.kinds.get('swap')!.range.file).toBe('spec.pte');
    expect(c.spec.base).toBe('x86');
  });

  it('a proposal kind with a baseline name but no override is PTE008, pointing at the baseline kind', () => {
    const proposal = 'spec p extends "x86.pte" "d"\nkind swap : swp when is_swap_pte && TYPE < 3\n';
    const d = one(checkText(proposal, { 'x86.pte': X86 }), 'PTE008');
    expect(d.range.file).toBe('spec.pte');
    expect(d.related?.[0]?.range.file).toBe('x86.pte');
  });
});

describe('extends chain', () => {
  it('a missing base file is PTE007 at the extends string, naming the path it tried', () => {
    const text = 'spec p extends "../nope.pte" "d"\nword 64\n';
    const d = one(checkText(text, {}, 'dir/p.pte'), 'PTE007');
    expect(d.range.file).toBe('dir/p.pte');
    expect(at(d)).toBe('1:16');
    says(d, "'nope.pte'");
  });

  it('two files extending each other are a PTE006 cycle, and compiling returns', () => {
    const host = memoryHost({
      'a.pte': 'spec a extends "b.pte" "d"\nword 64\n',
      'b.pte': 'spec b extends "a.pte" "d"\nword 64\n',
    });
    const r = unwrap(compileSpec('a.pte', host));
    const d = one(r.diagnostics, 'PTE006');
    expect(d.range.file).toBe('b.pte');
    expect(at(d)).toBe('1:16');
    says(d, "'a.pte'", 'cycle');
    expect(r.spec.chain).toEqual(['b.pte', 'a.pte']);
  });

  it('a spec extending itself is a PTE006 cycle', () => {
    const d = one(checkText('spec a extends "spec.pte" "d"\nword 64\n'), 'PTE006');
    says(d, "'spec.pte'", 'cycle');
  });

  it('extends paths are relative to the extending file', () => {
    const c = compileText('spec p extends "../base/x86.pte" "d"\n', { 'base/x86.pte': X86 }, 'props/p.pte');
    expect(c.diagnostics).toEqual([]);
    expect(c.spec.chain).toEqual(['base/x86.pte', 'props/p.pte']);
    expect(c.spec.word).toBe(64);
  });

  it('an unreadable entry file is an I/O error, not a diagnostic', () => {
    expect(compileSpec('missing.pte', memoryHost({}))).toEqual({ ok: false, error: "cannot read spec file 'missing.pte'" });
  });

  it('a different word size in a proposal is PTE005', () => {
    const d = one(checkText('spec p extends "x86.pte" "d"\nword 32\n', { 'x86.pte': X86 }), 'PTE005');
    expect(d.range.start.line).toBe(2);
    says(d, '32', '64');
  });
});

describe('swap numbering', () => {
  it('MAX_SWAPFILES = 2^shift - reserved, and types are numbered upwards from it in group order', () => {
    expect(swapNumbers(X86)).toEqual({
      MAX_SWAPFILES: 27,
      SWP_HWPOISON: 27,
      SWP_MIGRATION_READ: 28,
      SWP_MIGRATION_READ_EXCLUSIVE: 29,
      SWP_MIGRATION_WRITE: 30,
      SWP_PTE_MARKER: 31,
    });
  });

  it('MAX_SWAPFILES, the group counts and the type names are constants afterwards', () => {
    const c = compileText(X86);
    const v = (n: string) => c.spec.consts.get(n)?.value;
    expect([v('MAX_SWAPFILES_SHIFT'), v('MAX_SWAPFILES'), v('SWP_MIGRATION_NUM'), v('SWP_PTE_MARKER'), v('PTE_MARKER_MASK')]).toEqual([5n, 27n, 3n, 31n, 3n]);
  });

  it('a group with count 0 and no names takes no type', () => {
    const text = replaceLine(X86, '  SWP_HWPOISON_NUM', '  SWP_HWPOISON_NUM = 0 { }');
    const n = swapNumbers(replaceLine(text, 'kind hwpoison', ''));
    expect(n.MAX_SWAPFILES).toBe(28);
    expect(n.SWP_MIGRATION_READ).toBe(28);
  });

  it('a proposal group is appended after the inherited groups', () => {
    const proposal = 'spec p extends "x86.pte" "d"\nswap { SWP_UFFD_WP_NUM = 1 { SWP_UFFD_WP } }\n';
    expect(swapNumbers(proposal, { 'x86.pte': X86 })).toMatchObject({ MAX_SWAPFILES: 26, SWP_HWPOISON: 26, SWP_PTE_MARKER: 30, SWP_UFFD_WP: 31 });
  });

  it('before GROUP places a proposal group ahead of that group', () => {
    const proposal = 'spec p extends "x86.pte" "d"\nswap { SWP_UFFD_WP_NUM = 1 { SWP_UFFD_WP } before SWP_PTE_MARKER_NUM }\n';
    expect(swapNumbers(proposal, { 'x86.pte': X86 })).toEqual({
      MAX_SWAPFILES: 26,
      SWP_HWPOISON: 26,
      SWP_MIGRATION_READ: 27,
      SWP_MIGRATION_READ_EXCLUSIVE: 28,
      SWP_MIGRATION_WRITE: 29,
      SWP_UFFD_WP: 30,
      SWP_PTE_MARKER: 31,
    });
  });

  it('a group count that differs from its names is PTE021 at the count', () => {
    const text = `${HEAD}swap {\n  MAX_SWAPFILES_SHIFT = 5\n  A = 3 { A1, A2, A3, A4 }\n}\n`;
    const d = one(checkText(text), 'PTE021');
    expect(at(d)).toBe('5:7');
    says(d, 'A = 3', '4 type(s)');
  });

  it('a swap table without MAX_SWAPFILES_SHIFT is PTE024', () => {
    const d = one(checkText(`${HEAD}swap { G = 1 { T } }\n`), 'PTE024');
    expect(d.range.start.line).toBe(3);
    says(d, 'MAX_SWAPFILES_SHIFT');
  });

  it('with MAX_SWAPFILES_SHIFT = 64 the type numbers are exact (2^64 - 2 and 2^64 - 1), or the shift is rejected', () => {
    // Numbering with JS numbers would give both types 2^64 (above 2^53 `next++` does nothing): exact or rejected.
    const text = `${HEAD}format f { bits 0..63 TYPE }\nswap { MAX_SWAPFILES_SHIFT = 64\n A_NUM = 2 { A1, A2 } }\n`;
    const c = compileText(text);
    if (codes(c.diagnostics).includes('PTE024')) return;
    expect([c.spec.consts.get('A1')?.value, c.spec.consts.get('A2')?.value]).toEqual([2n ** 64n - 2n, 2n ** 64n - 1n]);
  });
});

describe('fields', () => {
  it('sub-fields of an inverted field are numbered within its logical value and inherit the inversion', () => {
    const c = compileText(X86);
    const f = c.spec.formats.get('pte_marker_entry')!.fields;
    expect(f.get('PTE_MARKER_UFFD_WP')).toMatchObject({ bits: [{ pos: 9, inverted: true }], width: 1, parent: 'OFFSET', inverted: true });
    expect(f.get('PTE_MARKER_POISONED')?.bits).toEqual([{ pos: 10, inverted: true }]);
    expect(f.get('TYPE')?.declaredIn).toBe('swp');
  });

  it('an alias has its target bits and names its target', () => {
    const f = compileText(X86).spec.formats.get('pte')!.fields;
    expect(f.get('PROTNONE')).toMatchObject({ aliasOf: 'GLOBAL', bits: [{ pos: 8, inverted: false }] });
  });

  it('a field past the word is PTE011, an empty range is PTE011, a sub-field past its parent is PTE013', () => {
    const text = `${HEAD}format f {\n  bits 3..70 BIG\n  bits 9..5 REV\n  bits 0..1 P\n  in P { bit 2 S }\n}\n`;
    const ds = checkText(text);
    expect(ds.map((d) => `${d.code} ${at(d)}`)).toEqual(['PTE011 4:3', 'PTE011 5:3', 'PTE013 7:10']);
    says(ds[0]!, "'BIG'", '3..70', '64-bit');
    says(ds[1]!, "'REV'", '9..5');
    says(ds[2]!, "'S'", "'P'", '2 bits');
  });

  it('overriding a field that has inherited sub-fields does not silently leave them outside it', () => {
    // Y was copied from the base with X's old bit 0; after `override` moves X to bits 8..15, Y must follow X
    // (or the spec must be rejected), never silently stay outside it.
    const text = `${HEAD}format a { bits 0..7 X; in X { bit 0 Y } }\nformat b extends a { override bits 8..15 X }\n`;
    const c = compileText(text);
    const b = c.spec.formats.get('b')!.fields;
    const xBits = b.get('X')!.bits.map((x) => x.pos);
    const yBits = b.get('Y')!.bits.map((x) => x.pos);
    const yInside = yBits.every((p) => xBits.includes(p));
    const reported = c.diagnostics.some((d) => d.severity === 'error');
    expect(yInside || reported, `sub-field Y is at bit(s) ${yBits.join(',')}, X at ${xBits[0]}..${xBits[xBits.length - 1]}, no error reported`).toBe(true);
  });

  it('an alias of an overridden field names the same bits as the field (or the spec is rejected)', () => {
    // docs/language.md: 'alias NAME = FIELD: a second name for the same bits'. An inherited alias keeps the bits
    // its target had in the base format (resolve.ts copies the FieldDef), so after 'override bit 9 GLOBAL'
    // PROTNONE still reads bit 8, silently.
    const text = `${HEAD}format a { bit 8 GLOBAL; alias PROTNONE = GLOBAL }\nformat b extends a { override bit 9 GLOBAL }\n`;
    const c = compileText(text);
    const b = c.spec.formats.get('b')!.fields;
    const same = JSON.stringify(b.get('PROTNONE')!.bits) === JSON.stringify(b.get('GLOBAL')!.bits);
    const reported = c.diagnostics.some((d) => d.severity === 'error');
    expect(same || reported, `PROTNONE reads bit ${b.get('PROTNONE')!.bits[0]!.pos}, GLOBAL is bit ${b.get('GLOBAL')!.bits[0]!.pos}, no error reported`).toBe(true);
  });
});
