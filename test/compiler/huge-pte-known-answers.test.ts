// Known answers for the huge_pte level (issue #15) of the bundled x86_64 specs (6.17 and 5.19): hugetlb entries
// decoded as mm/hugetlb.c reads them, through the x86 helpers of arch/x86/include/asm/pgtable.h (asm-generic/hugetlb.h
// maps huge_pte_* to pte_*). The expected answers come from a model of those definitions written here, independently
// of the specs: named values first (what make_huge_pte, huge_pte_mkuffd_wp, hugetlb_change_protection to PAGE_NONE and
// __unmap_hugepage_range write), then seeded values classified by both, predicate by predicate.
import { describe, expect, it } from 'vitest';
import { contains } from '../../compiler/bits/cube-set.js';
import { classify, decodeFields } from '../../compiler/codec.js';
import { bit, bundledLevel, M64, values } from './level-known-answers.js';

// _PAGE_* bits (pgtable_types.h); the PFN of a non-present, non-zero entry is stored inverted (pgtable-invert.h)
const PRESENT = bit(0), RW = bit(1), USER = bit(2), ACCESSED = bit(5), DIRTY = bit(6), PSE = bit(7), PROTNONE = bit(8);
const UFFD_WP = bit(10), SOFT_DIRTY = bit(11), SAVED_DIRTY = bit(58), NX = bit(63);
const PFN_MASK = ((1n << 52n) - 1n) & ~0xfffn;
const inv = (v: bigint): bigint => (v !== 0n && (v & PRESENT) === 0n ? M64 : 0n);
const pfnPte = (pfn: bigint, prot: bigint): bigint => (((pfn << 12n) ^ inv(prot)) & PFN_MASK) | prot;
const ptePfn = (v: bigint): bigint => ((v ^ inv(v)) & PFN_MASK) >> 12n;
// __swp_entry (pgtable_64.h): type in the top 5 bits, ~offset from bit 9; a PTE marker is type SWP_PTE_MARKER
const swpEntry = (type: bigint, offset: bigint): bigint => (type << 59n) | ((((~offset & M64) << 14n) & M64) >> 5n);
const swpType = (v: bigint): bigint => v >> 59n;
const swpOffset = (v: bigint): bigint => (((~v & M64) << 5n) & M64) >> 14n;

interface Kernel {
  none: boolean;
  present: boolean;
  swap: boolean;
  migration: boolean;
  hwpoison: boolean;
  marker: boolean;
}

for (const [spec, mm, types] of [
  // swap types: v6.17 / v5.19 include/linux/swap.h; _PAGE_SAVED_DIRTY (pte_wrprotect parks Dirty there) since v6.6
  ['x86_64-v6.17.pte', 'mm/linux-v6.17.pte', { hwpoison: 24n, migration: [25n, 26n, 27n], marker: 31n, savedDirty: true }],
  ['x86_64-v5.19.pte', 'mm/linux-v5.19.pte', { hwpoison: 22n, migration: [23n, 24n, 25n], marker: 30n, savedDirty: false }],
] as const) {
  describe(`${spec} huge_pte level: decoded as mm/hugetlb.c reads it`, () => {
    const level = bundledLevel(spec, mm, 'huge_pte');
    const model = (v: bigint): Kernel => {
      const none = (v & ~(ACCESSED | DIRTY)) === 0n; // huge_pte_none = pte_none: _PAGE_KNL_ERRATUM_MASK ignored
      const present = (v & (PRESENT | PROTNONE)) !== 0n; // pte_present
      const swap = !none && !present; // is_swap_pte
      const t = swpType(v);
      return { none, present, swap, migration: swap && (types.migration as readonly bigint[]).includes(t), hwpoison: swap && t === types.hwpoison, marker: swap && t === types.marker };
    };

    it('names what the hugetlb paths write: make_huge_pte, uffd-wp, PROT_NONE, the uffd-wp marker, migration', () => {
      const made = pfnPte(3n, PRESENT | RW | USER | ACCESSED | DIRTY | PSE | SOFT_DIRTY | NX); // make_huge_pte(writable)
      // huge_pte_mkuffd_wp = huge_pte_wrprotect(pte_mkuffd_wp()); since 6.6 pte_wrprotect moves Dirty to SavedDirty
      const wp = types.savedDirty ? (made | UFFD_WP | SAVED_DIRTY) & ~(RW | DIRTY) : (made | UFFD_WP) & ~RW;
      const none = pfnPte(3n, PROTNONE | ACCESSED | PSE | UFFD_WP); // huge_pte_modify(PAGE_NONE) of the protected entry
      const cases: [string, bigint, string, Record<string, bigint>][] = [
        ['make_huge_pte of folio 3, writable', made, 'present', { PFN: 3n, RW: 1n, PSE: 1n, UFFD_WP: 0n }],
        ['the same, uffd-wp protected', wp, 'present', { PFN: 3n, RW: 0n, UFFD_WP: 1n, ...(types.savedDirty ? { SAVED_DIRTY: 1n, DIRTY: 0n } : { DIRTY: 1n }) }],
        ['mprotect(PROT_NONE) of it', none, 'protnone', { PFN: 3n, UFFD_WP: 1n }],
        ['the uffd-wp marker (PTE_MARKER_UFFD_WP = bit 0 of the offset)', swpEntry(types.marker, 1n), 'pte_marker', { PTE_MARKER_UFFD_WP: 1n, TYPE: types.marker }],
        ['a write migration entry of folio 3', swpEntry(types.migration[2], 3n), 'migration_write', { OFFSET: 3n }],
        ['hwpoison of folio 3', swpEntry(types.hwpoison, 3n), 'hwpoison', { OFFSET: 3n }],
        ['none, with the A/D erratum bits', ACCESSED | DIRTY, 'none', {}],
      ];
      for (const [what, v, kind, fields] of cases) {
        expect(classify(level.spec, level.sets, v), what).toBe(kind);
        const got = decodeFields(level.spec, kind, v);
        for (const [f, want] of Object.entries(fields)) expect(got.get(f), `${what}: ${f}`).toBe(want);
        if (kind === 'present' || kind === 'protnone') expect(ptePfn(v)).toBe(got.get('PFN'));
        if (kind === 'migration_write' || kind === 'hwpoison') expect(swpOffset(v)).toBe(got.get('OFFSET'));
      }
    });

    it('every predicate and kind family agrees with the kernel on seeded values', () => {
      const pred = (name: string, v: bigint): boolean => contains(level.sets.predicates.get(name)!, v);
      const shapes = [(x: bigint): bigint => x, (x: bigint): bigint => x & 0x1ffn, (x: bigint): bigint => x & ~0x1ffn, (x: bigint): bigint => (x & 0xf800_0000_0000_0000n) | (x & 0x1ffn)];
      for (const [i, shape] of shapes.entries()) {
        for (const v of values(0x2545f4914f6cdd1dn + BigInt(i), 800, shape)) {
          const k = model(v);
          const kind = classify(level.spec, level.sets, v);
          const got: Kernel = {
            none: pred('huge_pte_none', v),
            present: pred('pte_present', v),
            swap: pred('is_swap_pte', v),
            migration: pred('is_hugetlb_entry_migration', v),
            hwpoison: pred('is_hugetlb_entry_hwpoisoned', v),
            marker: kind === 'pte_marker',
          };
          expect({ v: '0x' + v.toString(16), ...got }).toEqual({ v: '0x' + v.toString(16), ...k });
          expect(kind, `0x${v.toString(16)} has a kind`).toBeDefined();
        }
      }
    });
  });
}
