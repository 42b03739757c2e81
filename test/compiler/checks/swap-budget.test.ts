// PTE020/PTE022: MAX_SWAPFILES = 2^MAX_SWAPFILES_SHIFT - reserved must stay >= 1, and a swap-slot kind's TYPE field
// must hold every type number.
import { describe, expect, it } from 'vitest';
import { budgetSummary, swapBudget } from '../../../compiler/checks/swap-budget.js';
import { at, checkText, compileText, one, only, posOf, replaceLine, says, X86 } from '../../helpers.js';

const HEAD = 'spec s "d"\nword 64\nformat swp { bits 9..58 OFFSET inverted; bits 59..63 TYPE }\n';

describe('swap-budget (PTE020)', () => {
  it('MAX_SWAPFILES_SHIFT = 2 with 4 reserved types leaves MAX_SWAPFILES = 0, reported at the shift', () => {
    const text = `${HEAD}swap {\n  MAX_SWAPFILES_SHIFT = 2\n  A = 4 { A1, A2, A3, A4 }\n}\n`;
    const d = one(checkText(text), 'PTE020');
    expect(at(d)).toBe(posOf(text, 'MAX_SWAPFILES_SHIFT'));
    says(d, 'MAX_SWAPFILES = 4 - 4 reserved = 0');
  });

  it('a negative budget is reported with its value', () => {
    const text = `${HEAD}swap { MAX_SWAPFILES_SHIFT = 1\n A = 3 { X, Y, Z } }\n`;
    says(one(checkText(text), 'PTE020'), 'MAX_SWAPFILES = 2 - 3 reserved = -1');
  });

  it('a negative budget is reported once (PTE020), not again as an unknown name at each use of a swap type', () => {
    // X is numbered -1 and has no value; its uses must not be reported as unknown names (an echo of PTE020).
    const text = `${HEAD}swap { MAX_SWAPFILES_SHIFT = 1\n A = 3 { X, Y, Z } }\nkind k : swp when TYPE == X\nkind j : swp when TYPE != X\n`;
    const ds = checkText(text);
    expect(only(ds, 'PTE020')).toHaveLength(1);
    expect(only(ds, 'PTE002').map((d) => `${at(d)} ${d.message}`)).toEqual([]);
  });

  it('a budget of exactly 1 is fine', () => {
    const text = `${HEAD}swap { MAX_SWAPFILES_SHIFT = 2\n A = 3 { A1, A2, A3 } }\n`;
    const c = compileText(text);
    expect(only(c.diagnostics, 'PTE020')).toEqual([]);
    expect(c.spec.swap?.maxSwapfiles).toBe(1);
  });

  it('the x86-like table leaves MAX_SWAPFILES = 27 and the summary lists every reserved type', () => {
    const c = compileText(X86);
    expect(swapBudget({ spec: c.spec, sets: c.sets })).toEqual([]);
    expect(budgetSummary(c.spec)).toBe(
      'MAX_SWAPFILES = 27 (2^5 types - 5 reserved: SWP_HWPOISON=27, SWP_MIGRATION_READ=28, SWP_MIGRATION_READ_EXCLUSIVE=29, SWP_MIGRATION_WRITE=30, SWP_PTE_MARKER=31)',
    );
  });

  it('a spec without a swap table has no budget and no finding', () => {
    const c = compileText('spec s "d"\nword 64\nformat f { bit 0 A }\n');
    expect(budgetSummary(c.spec)).toBeUndefined();
    expect(swapBudget({ spec: c.spec, sets: c.sets })).toEqual([]);
  });
});

describe('swap-budget (PTE022)', () => {
  it('a 4-bit TYPE field under MAX_SWAPFILES_SHIFT = 5 is too narrow, reported at the refs clause', () => {
    const text = replaceLine(X86, 'format swp', 'format swp { bit 0 PRESENT; bit 8 PROTNONE; bits 9..58 OFFSET inverted; bits 59..62 TYPE }');
    const d = one(checkText(text), 'PTE022');
    expect(at(d)).toBe(posOf(text, 'slot(TYPE, OFFSET)'));
    says(d, "'TYPE'", "'swp'", '4 bits', 'MAX_SWAPFILES_SHIFT is 5');
    expect(d.hint).toContain('types go up to 31');
  });

  it('a 5-bit TYPE field under MAX_SWAPFILES_SHIFT = 5 is wide enough', () => {
    expect(only(checkText(X86), 'PTE022')).toEqual([]);
  });

  it('only swap-slot kinds are held to it: a narrow field used by refs pfn(...) is not', () => {
    const text = `${HEAD}format n { bits 0..1 T; bits 2..10 O }\nswap { MAX_SWAPFILES_SHIFT = 5 }\nkind k : n when T == 1 refs pfn(O)\n`;
    expect(only(checkText(text), 'PTE022')).toEqual([]);
  });
});
