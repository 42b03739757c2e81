// PTE034: a predicate's set of values must equal the union of the kinds its `means` clause lists.
import { describe, expect, it } from 'vitest';
import { predicateMeans } from '../../../compiler/checks/predicate-means.js';
import { at, checkText, compileText, one, only, posOf, replaceLine, says, X86 } from '../../helpers.js';

describe('predicate-means (PTE034)', () => {
  it("pte_present 'means present' alone is true for 0x100, which is kind 'protnone'", () => {
    const text = replaceLine(X86, 'predicate pte_present', 'predicate pte_present on pte = PRESENT || PROTNONE means present');
    const d = one(checkText(text), 'PTE034');
    expect(at(d)).toBe(posOf(text, 'pte_present'));
    says(d, 'pte_present()', 'true for 0x0000000000000100', "kind 'protnone'");
    expect(d.hint).toContain("'protnone'");
  });

  it("a predicate narrower than its kinds is false for a listed kind's value, 0x100", () => {
    const text = replaceLine(X86, 'predicate pte_protnone', 'predicate pte_protnone on pte = !PRESENT && PROTNONE && RW means protnone');
    // pte_protnone is also the protnone kind's condition, so narrowing it narrows the kind: state the kind apart.
    const t2 = replaceLine(text, 'kind protnone', 'kind protnone : protnone_pte when !PRESENT && PROTNONE refs page(PFN)');
    const d = one(checkText(t2), 'PTE034');
    expect(at(d)).toBe(posOf(t2, 'pte_protnone'));
    says(d, 'pte_protnone()', 'false for 0x0000000000000100', "kind 'protnone'");
  });

  it('a predicate true for values of no kind names the gap value', () => {
    const text = 'spec s "d"\nword 8\nformat f { bits 0..7 V }\npredicate small on f = V < 4 means zero\nkind zero : f when V == 0\nkind rest : f when V >= 4\n';
    const d = one(checkText(text), 'PTE034');
    says(d, 'small()', 'true for 0x01', 'no kind');
  });

  it('the means clauses of the x86-like spec are exact', () => {
    const c = compileText(X86);
    expect(c.spec.predicates.get('pte_present')!.means.map((m) => m.name)).toEqual(['present', 'protnone']);
    expect(predicateMeans({ spec: c.spec, sets: c.sets })).toEqual([]);
  });

  it('a means clause naming an unknown kind is a PTE002, not a PTE034', () => {
    const text = replaceLine(X86, 'predicate pte_protnone', 'predicate pte_protnone on pte = !PRESENT && PROTNONE means protnone, nope');
    const ds = checkText(text);
    const d = one(ds, 'PTE002');
    expect(at(d)).toBe(posOf(text, 'nope'));
    says(d, "'nope'");
    expect(only(ds, 'PTE034')).toEqual([]);
  });
});
