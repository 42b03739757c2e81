// Known answers for the PMD level of each bundled spec that has one: PMD values decoded as the kernel's own macros
// would. The expected answers come from a model of the kernel's definitions written here, independently of the
// specs (bit masks and the order of the tests as arch/*/include/asm/pgtable.h state them, in our own words): each
// named value is decoded by `ptelab`'s codec and compared, and then a few thousand seeded values are classified by
// both, predicate by predicate, so a wrong bit or a wrong predicate in a spec cannot hide behind the named values.
import { describe, expect, it } from 'vitest';
import { contains } from '../../compiler/bits/cube-set.js';
import { classify, decodeFields } from '../../compiler/codec.js';
import type { LevelView } from '../../compiler/compile.js';
import { bit, bundledLevel, M64, values } from './level-known-answers.js';

/** What the kernel's macros say about one PMD value. */
interface KernelPmd {
  none: boolean;
  present: boolean;
  transHuge: boolean;
  protnone: boolean;
  swap: boolean;
  migration: boolean;
}

function agree(level: LevelView, model: (v: bigint) => KernelPmd, vs: Iterable<bigint>): void {
  const pred = (name: string, v: bigint): boolean => contains(level.sets.predicates.get(name)!, v);
  for (const v of vs) {
    const k = model(v);
    const got = {
      none: pred('pmd_none', v),
      present: pred('pmd_present', v),
      transHuge: pred('pmd_trans_huge', v),
      protnone: pred('pmd_protnone', v),
      swap: pred('is_swap_pmd', v),
      migration: pred('is_pmd_migration_entry', v),
    };
    expect({ v: '0x' + v.toString(16), ...got }).toEqual({ v: '0x' + v.toString(16), ...k });
    expect(classify(level.spec, level.sets, v), `0x${v.toString(16)} has a kind`).toBeDefined();
  }
}

// Values that exercise the flag bits a PMD predicate reads: random high bits, low bits often mostly clear.
const shapes = [(x: bigint): bigint => x, (x: bigint): bigint => x & 0x1ffn, (x: bigint): bigint => x & ~0x1ffn, (x: bigint): bigint => (x & 0xf800_0000_0000_0000n) | (x & 0x1ffn)];

describe('x86_64 v6.17 PMD level: decoded as arch/x86/include/asm/pgtable.h would', () => {
  const level = bundledLevel('x86_64-v6.17.pte', 'mm/linux-v6.17.pte', 'pmd');
  // _PAGE_* bits (pgtable_types.h) and the masks of pmd_pfn / pfn_pmd (a PSE entry: PHYSICAL_PMD_PAGE_MASK, bits 21..51)
  const PRESENT = bit(0), RW = bit(1), USER = bit(2), ACCESSED = bit(5), DIRTY = bit(6), PSE = bit(7), PROTNONE = bit(8);
  const UFFD_WP = bit(10), SOFT_DIRTY = bit(11), NX = bit(63), SWP_SOFT_DIRTY = bit(1), SWP_UFFD_WP = bit(2);
  const PMD_PAGE_MASK = ((1n << 52n) - 1n) & ~((1n << 21n) - 1n);
  const needsInvert = (v: bigint): boolean => v !== 0n && (v & PRESENT) === 0n; // __pte_needs_invert
  const protnoneMask = (v: bigint): bigint => (needsInvert(v) ? M64 : 0n);
  const pfnPmd = (pfn: bigint, prot: bigint): bigint => (((pfn << 12n) ^ protnoneMask(prot)) & PMD_PAGE_MASK) | prot;
  const pmdPfn = (v: bigint): bigint => ((v ^ protnoneMask(v)) & ((v & PSE) !== 0n ? PMD_PAGE_MASK : ((1n << 52n) - 1n) & ~0xfffn)) >> 12n;
  // __swp_entry (pgtable_64.h): type in the top 5 bits, ~offset from bit 9
  const swpEntry = (type: bigint, offset: bigint): bigint => (type << 59n) | ((((~offset & M64) << 14n) & M64) >> 5n);
  const swpType = (v: bigint): bigint => v >> 59n;
  const swpOffset = (v: bigint): bigint => (((~v & M64) << 5n) & M64) >> 14n;
  const model = (v: bigint): KernelPmd => {
    const none = (v & ~0x60n) === 0n;
    const present = (v & (PRESENT | PROTNONE | PSE)) !== 0n;
    const swap = !none && !present;
    const t = swpType(v);
    return { none, present, transHuge: (v & PSE) === PSE, protnone: (v & (PROTNONE | PRESENT)) === PROTNONE, swap, migration: swap && t >= 25n && t <= 27n };
  };

  it('names every PMD the kernel makes: THP, uffd-wp, soft-dirty, NUMA, invalidated, migration', () => {
    const prot = PRESENT | RW | USER | ACCESSED | DIRTY | PSE | NX; // PAGE_SHARED | _PAGE_PSE, as mk_huge_pmd builds it
    const thp = pfnPmd(0x40200n, prot);
    const cases: [string, bigint, string, Record<string, bigint>][] = [
      ['present THP', thp, 'trans_huge', { HUGE_PFN: pmdPfn(thp) >> 9n, PRESENT: 1n, PSE: 1n, RW: 1n }],
      ['uffd-wp THP (pmd_mkuffd_wp: bit set, RW cleared, Dirty parked in SavedDirty)', (thp | UFFD_WP | bit(58)) & ~(RW | DIRTY), 'trans_huge', { UFFD_WP: 1n, RW: 0n, SAVED_DIRTY: 1n }],
      ['soft-dirty THP', thp | SOFT_DIRTY, 'trans_huge', { SOFT_DIRTY: 1n }],
      ['NUMA hinting (pmd_modify to PAGE_NONE: PROTNONE|ACCESSED, pfn inverted)', pfnPmd(0x40200n, PROTNONE | ACCESSED | PSE), 'protnone', { HUGE_PFN: 0x40200n >> 9n }],
      ['invalidated for a split (pmd_mkinvalid)', pfnPmd(pmdPfn(thp), (prot & ~(PRESENT | PROTNONE))), 'invalid', { HUGE_PFN: 0x40200n >> 9n, PSE: 1n }],
      // issue #15: set_huge_zero_folio (folio_mk_pmd of the huge zero folio with a private VMA's read-only prot; the
      // model's huge zero folio is pfn 0), and pmd_modify(.., PAGE_NONE) of a uffd-wp leaf (_HPAGE_CHG_MASK keeps UFFD_WP)
      ['the huge zero PMD (read-only, not special in 6.17)', pfnPmd(0n, PRESENT | USER | ACCESSED | PSE | NX), 'trans_huge', { HUGE_PFN: 0n, RW: 0n, SPECIAL: 0n }],
      ['the huge zero PMD made PROT_NONE (pfn 0 stored inverted)', pfnPmd(0n, PROTNONE | ACCESSED | PSE), 'protnone', { HUGE_PFN: 0n }],
      ['NUMA hinting of a uffd-wp THP: UFFD_WP survives', pfnPmd(0x40200n, PROTNONE | ACCESSED | PSE | UFFD_WP | bit(58)), 'protnone', { HUGE_PFN: 0x40200n >> 9n, UFFD_WP: 1n, SAVED_DIRTY: 1n }],
      ['write migration entry of pfn 0x40200', swpEntry(27n, 0x40200n), 'migration_write', { TYPE: 27n, OFFSET: 0x40200n }],
      ['read migration entry, uffd-wp and soft-dirty (pmd_swp_mkuffd_wp, pmd_swp_mksoft_dirty)', swpEntry(25n, 0x200n) | SWP_UFFD_WP | SWP_SOFT_DIRTY, 'migration_read', { TYPE: 25n, OFFSET: 0x200n, SWP_UFFD_WP: 1n, SWP_SOFT_DIRTY: 1n }],
      ['exclusive read migration entry', swpEntry(26n, 0x400n), 'migration_read_exclusive', { TYPE: 26n, OFFSET: 0x400n }],
      ['a PTE table pointer (_PAGE_TABLE)', (0x1234n << 12n) | PRESENT | RW | USER | ACCESSED | DIRTY, 'table', { PFN: 0x1234n }],
      ['none, with the Knights Landing A/D erratum bits', ACCESSED | DIRTY, 'none', {}],
    ];
    for (const [what, v, kind, fields] of cases) {
      expect(classify(level.spec, level.sets, v), what).toBe(kind);
      const got = decodeFields(level.spec, kind, v);
      for (const [f, want] of Object.entries(fields)) expect(got.get(f), `${what}: ${f}`).toBe(want);
      // and the kernel's own reading of the same value
      if (kind === 'migration_write' || kind.startsWith('migration_read')) {
        expect(swpOffset(v)).toBe(got.get('OFFSET'));
        expect(swpType(v)).toBe(got.get('TYPE'));
      }
      if (kind === 'trans_huge' || kind === 'protnone' || kind === 'invalid') expect(pmdPfn(v) >> 9n).toBe(got.get('HUGE_PFN'));
    }
  });

  it('every predicate agrees with the kernel on thousands of seeded values', () => {
    for (const [i, shape] of shapes.entries()) agree(level, model, values(0x9e3779b97f4a7c15n + BigInt(i), 1500, shape));
  });
});

describe('arm64 v6.17 PMD level: decoded as arch/arm64/include/asm/pgtable.h would', () => {
  const level = bundledLevel('arm64-v6.17.pte', 'mm/linux-v6.17.pte', 'pmd');
  // PTE_* / PMD_* bits (pgtable-hwdef.h, pgtable-prot.h); a 4 KiB-page PMD block maps 2 MiB
  const VALID = bit(0), TYPE_TABLE = 3n, PRESENT_INVALID = bit(11), USER = bit(6), RDONLY = bit(7), AF = bit(10);
  const SH = 3n << 8n, NG = bit(11), PXN = bit(53), UXN = bit(54), DBM = bit(51), DIRTY = bit(55), UFFD_WP = bit(58);
  const SWP_UFFD_WP = bit(3);
  const ADDR_LOW = ((1n << 50n) - 1n) & ~0xfffn;
  const PMD_MASK = M64 & ~((1n << 21n) - 1n);
  const pmdPfn = (v: bigint): bigint => ((v & ADDR_LOW) & PMD_MASK) >> 12n;
  const swpEntry = (type: bigint, offset: bigint): bigint => (type << 6n) | (offset << 12n);
  const model = (v: bigint): KernelPmd => {
    const none = v === 0n;
    const presentInvalid = (v & (VALID | PRESENT_INVALID)) === PRESENT_INVALID;
    const present = (v & VALID) !== 0n || presentInvalid;
    const table = ((v | VALID) & 3n) === TYPE_TABLE;
    const swap = !none && !present;
    const t = (v >> 6n) & 31n;
    return { none, present, transHuge: present && !table, protnone: presentInvalid && (v & USER) === 0n && (v & UXN) !== 0n, swap, migration: swap && t >= 25n && t <= 27n };
  };

  it('names every PMD the kernel makes: block, uffd-wp, NUMA, invalidated, migration, table', () => {
    const prot = VALID | AF | SH | USER | RDONLY | NG | PXN | UXN; // PAGE_READONLY-like block descriptor
    const thp = (0x40200n << 12n) | prot;
    const cases: [string, bigint, string, Record<string, bigint>][] = [
      ['present THP block', thp, 'trans_huge', { HUGE_PFN: pmdPfn(thp) >> 9n, VALID: 1n, TABLE: 0n }],
      ['writable dirty THP with uffd-wp (after pmd_mkuffd_wp it is RDONLY, DIRTY kept)', (thp | UFFD_WP | DIRTY) & ~DBM, 'trans_huge', { UFFD_WP: 1n, DIRTY: 1n, WRITE: 0n }],
      ['NUMA hinting (PAGE_NONE: present-invalid, no USER, UXN)', ((thp & ~(VALID | USER)) | PRESENT_INVALID | UXN), 'protnone', { HUGE_PFN: 0x40200n >> 9n }],
      ['invalidated for a split (pmd_mkinvalid of a user block)', (thp & ~VALID) | PRESENT_INVALID, 'invalid', { HUGE_PFN: 0x40200n >> 9n, USER: 1n }],
      // issue #15: the huge zero PMD (the model's huge zero folio is pfn 0) and PAGE_NONE of a uffd-wp block
      ['the huge zero PMD (read-only block of pfn 0)', prot, 'trans_huge', { HUGE_PFN: 0n, WRITE: 0n }],
      ['NUMA hinting of a uffd-wp block: PTE_UFFD_WP survives', ((thp & ~(VALID | USER)) | PRESENT_INVALID | UXN | UFFD_WP), 'protnone', { HUGE_PFN: 0x40200n >> 9n, UFFD_WP: 1n }],
      ['write migration entry of pfn 0x40200', swpEntry(27n, 0x40200n), 'migration_write', { TYPE: 27n, OFFSET: 0x40200n }],
      ['read migration entry with uffd-wp (pmd_swp_mkuffd_wp)', swpEntry(25n, 0x200n) | SWP_UFFD_WP, 'migration_read', { TYPE: 25n, SWP_UFFD_WP: 1n }],
      ['a table descriptor', (0x1234n << 12n) | TYPE_TABLE, 'table', { PFN: 0x1234n }],
      ['none', 0n, 'none', {}],
    ];
    for (const [what, v, kind, fields] of cases) {
      expect(classify(level.spec, level.sets, v), what).toBe(kind);
      const got = decodeFields(level.spec, kind, v);
      for (const [f, want] of Object.entries(fields)) expect(got.get(f), `${what}: ${f}`).toBe(want);
      if (kind === 'trans_huge' || kind === 'protnone' || kind === 'invalid') expect(pmdPfn(v) >> 9n).toBe(got.get('HUGE_PFN'));
    }
  });

  it('every predicate agrees with the kernel on thousands of seeded values', () => {
    const armShapes = [...shapes, (x: bigint): bigint => x & (0x7ffn | bit(54))];
    for (const [i, shape] of armShapes.entries()) agree(level, model, values(0x2545f4914f6cdd1dn + BigInt(i), 1500, shape));
  });
});

describe('x86_64 v5.19 PMD level: pmd_trans_huge excludes _PAGE_DEVMAP', () => {
  const level = bundledLevel('x86_64-v5.19.pte', 'mm/linux-v5.19.pte', 'pmd');
  const PRESENT = bit(0), PSE = bit(7), PROTNONE = bit(8), DEVMAP = bit(58);
  const model = (v: bigint): KernelPmd => {
    const none = (v & ~0x60n) === 0n;
    const present = (v & (PRESENT | PROTNONE | PSE)) !== 0n;
    const swap = !none && !present;
    const t = v >> 59n;
    // 5.19's swap types: SWP_MIGRATION_READ..WRITE are 23..25 (MAX_SWAPFILES 22)
    return { none, present, transHuge: (v & (PSE | DEVMAP)) === PSE, protnone: (v & (PROTNONE | PRESENT)) === PROTNONE, swap, migration: swap && t >= 23n && t <= 25n };
  };

  it('a DAX leaf is devmap, not trans_huge; a THP leaf is trans_huge', () => {
    expect(classify(level.spec, level.sets, PRESENT | PSE | (0x200n << 12n))).toBe('trans_huge');
    expect(classify(level.spec, level.sets, PRESENT | PSE | DEVMAP | (0x200n << 12n))).toBe('devmap');
  });

  it('every predicate agrees with the kernel on thousands of seeded values', () => {
    for (const [i, shape] of shapes.entries()) agree(level, model, values(0x853c49e6748fea9bn + BigInt(i), 1500, shape));
  });
});
