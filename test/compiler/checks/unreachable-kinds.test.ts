// PTE031: a kind no value classifies as.
import { describe, expect, it } from 'vitest';
import { unreachableKinds } from '../../../compiler/checks/unreachable-kinds.js';
import { at, checkText, compileText, one, only, posOf, says, X86 } from '../../helpers.js';

describe('unreachable-kinds (PTE031)', () => {
  it('a kind comparing the 5-bit TYPE with 32 is unreachable, reported at its name', () => {
    const text = `${X86}kind typo : swp when is_swap_pte && TYPE == 32\n`;
    const d = one(checkText(text), 'PTE031');
    expect(at(d)).toBe(posOf(text, 'typo'));
    says(d, "'typo'", '64-bit');
  });

  it('A && !A is unreachable', () => {
    const text = 'spec s "d"\nword 64\nformat f { bit 0 A }\nkind never : f when A && !A\nkind all : f when A || !A\n';
    const d = one(checkText(text), 'PTE031');
    expect(at(d)).toBe(posOf(text, 'never'));
    says(d, "'never'");
  });

  it('a predicate that is false everywhere makes the kinds using it unreachable, in word-size terms', () => {
    const text = 'spec s "d"\nword 32\nformat f { bits 0..31 V }\npredicate big on f = V > 0xffffffff\nkind k : f when big\n';
    says(one(checkText(text), 'PTE031'), "'k'", '32-bit');
  });

  it('every kind of the x86-like spec is reachable', () => {
    const c = compileText(X86);
    expect(unreachableKinds({ spec: c.spec, sets: c.sets })).toEqual([]);
  });

  it('a kind whose condition has an error is not also reported unreachable', () => {
    const text = 'spec s "d"\nword 64\nformat f { bit 0 A }\nkind k : f when NOPE\n';
    const ds = checkText(text);
    expect(only(ds, 'PTE002')).toHaveLength(1);
    expect(only(ds, 'PTE031')).toEqual([]);
  });
});
