// PTE035: a kind other than `none` holds a value pte_none() accepts, so every pte_none()-skipping walker drops it.
import { describe, expect, it } from 'vitest';
import { pteNoneCollision } from '../../../compiler/checks/pte-none-collision.js';
import { at, checkText, compileText, one, only, posOf, replaceLine, says, X86 } from '../../helpers.js';

describe('pte-none-collision (PTE035)', () => {
  it("with a plain (not inverted) OFFSET, swp_entry(0, 0) is 0: kind 'swap' collides with pte_none at 0x0", () => {
    // Hugh Dickins, LKML 2020-12-02: swp_entry(0, 0) looks like "no entry".
    const base = 'spec s "d"\nword 64\nformat pte { bit 0 PRESENT }\nformat swp { bit 0 PRESENT; bits 9..58 OFFSET; bits 59..63 TYPE }\n';
    const text = `${base}predicate pte_none on pte = (word & ~0x60) == 0\nkind none : pte when pte_none\nkind swap : swp when !PRESENT && TYPE < 30\n`;
    const d = one(checkText(text), 'PTE035');
    expect(at(d)).toBe(posOf(text, 'swap :'));
    says(d, "'swap'", '0x0000000000000000', 'pte_none()', '4 values');
  });

  it("the x86 swap kind without '!pte_none' collides with pte_none at 0x0000000000000000", () => {
    const text = replaceLine(X86, 'kind swap', 'kind swap : swp when !pte_present && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)');
    const d = one(checkText(text), 'PTE035');
    expect(at(d)).toBe(posOf(text, 'swap :', 'kind swap'));
    says(d, "'swap'", '0x0000000000000000', '4 values');
  });

  it("kind 'none' itself is exempt, and x86's inverted OFFSET keeps every other kind clear of pte_none", () => {
    const c = compileText(X86);
    expect(c.sets.kinds.get('none')!.length).toBeGreaterThan(0);
    expect(pteNoneCollision({ spec: c.spec, sets: c.sets })).toEqual([]);
  });

  it('a spec without a pte_none predicate has nothing to collide with', () => {
    const text = 'spec s "d"\nword 64\nformat f { bit 0 A }\nkind a : f when A\nkind z : f when !A\n';
    expect(only(checkText(text), 'PTE035')).toEqual([]);
  });
});
