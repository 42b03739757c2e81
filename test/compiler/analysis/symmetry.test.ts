// The pfn / swap-offset symmetry is on only where nothing in the spec can tell one pfn (offset) from another.
import { describe, expect, it } from 'vitest';
import { compileClean } from '../../../compiler/compile.js';
import { unwrap } from '../../../core/result.js';
import { symmetryFor } from '../../../compiler/analysis/symmetry.js';
import { bundledSpecs } from '../../helpers/repo.js';
import { v617With } from '../../runtime/explore/helpers.js';

describe('symmetry gate', () => {
  it('allows the reduction for every bundled spec', () => {
    for (const f of bundledSpecs()) {
      const c = unwrap(compileClean(f));
      const v = symmetryFor(c.ir);
      expect({ f, pfns: v.pfns, slots: v.slots, reasons: v.reasons }).toEqual({ f, pfns: true, slots: true, reasons: [] });
    }
  });

  it('refuses it when a handler compares a pfn with a number', () => {
    const v = symmetryFor(v617With(`path zap_pte_range {
  before case present as p when p.PFN == 7 { call zap_present_ptes with { pfn = p.PFN, uffd_wp = pte_uffd_wp(p) } }
}`));
    expect(v.pfns).toBe(false);
    expect(v.reasons.join('\n')).toMatch(/'==' on a pfn or swap offset and a value that is not one/);
  });

  it('refuses it when a fn does arithmetic on a pfn passed to it', () => {
    const v = symmetryFor(v617With(`fn odd_pfn(pfn: int) = pfn & 1
path zap_pte_range {
  before case present as p when odd_pfn(p.PFN) { call zap_present_ptes with { pfn = p.PFN, uffd_wp = pte_uffd_wp(p) } }
}`));
    expect(v.pfns).toBe(false);
    expect(v.reasons.join('\n')).toMatch(/fn odd_pfn .*'&' on a pfn/);
  });

  it('refuses it when a handler passes a literal where a pfn argument is expected', () => {
    const v = symmetryFor(v617With(`path zap_pte_range {
  before case present as p when p.UFFD_WP { call zap_present_ptes with { pfn = 5, uffd_wp = 1 } }
}`));
    expect(v.pfns).toBe(false);
    expect(v.reasons.join('\n')).toMatch(/argument pfn of zap_present_ptes/);
  });

  it('refuses it when a handler builds an entry with a literal pfn', () => {
    const v = symmetryFor(v617With(`path unuse_pte {
  before case swap as s when s.TYPE == 1 { set mk_pte(9) }
}`));
    expect(v.pfns).toBe(false);
    expect(v.reasons.join('\n')).toMatch(/puts a value that is not a pfn or swap offset into parameter pfn of mk_pte/);
  });

  it('keeps it for equality between two pfns and for the zero page', () => {
    const v = symmetryFor(v617With(`path zap_pte_range {
  before case present as p when p.PFN == zero_pfn() { call zap_present_ptes with { pfn = p.PFN, uffd_wp = pte_uffd_wp(p) } }
}`));
    expect(v.reasons).toEqual([]);
  });
});
