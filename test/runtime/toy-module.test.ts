// The hand-written v6.17 fixture must itself match the kernel encoding it stands in for (docs/sources.md S1, S4, S9).
import { describe, expect, it } from 'vitest';
import { classify, toyV617 } from '../fixtures/toy-v617-module.js';

describe('toy x86_64 v6.17 module', () => {
  it('classifies the uffd-wp marker (type 31, offset 1) as raw 0xffff_ffff_ffff_fc00', () => {
    expect(classify(0xffff_ffff_ffff_fc00n)).toBe('pte_marker');
    expect(toyV617.decode('pte_marker', 0xffff_ffff_ffff_fc00n)).toMatchObject({ TYPE: 31n, OFFSET: 1n, PTE_MARKER_UFFD_WP: 1n });
  });

  it('treats A/D-only values as none (pte_none ignores the KNL erratum bits)', () => {
    expect(classify(0n)).toBe('none');
    expect(classify(0x60n)).toBe('none');
    expect(classify(0x61n)).toBe('present');
  });

  it('stores the swap offset inverted in bits 9..58 and the type in 59..63', () => {
    // swap entry type 0, offset 1: ~1 over 50 bits lands as bits 10..58
    const w = ((1n << 59n) - 1n) & ~((1n << 10n) - 1n);
    expect(classify(w)).toBe('swap');
    expect(toyV617.decode('swap', w)).toMatchObject({ TYPE: 0n, OFFSET: 1n, SWP_UFFD_WP: 0n });
    expect(toyV617.decode('swap', w | 4n)).toMatchObject({ SWP_UFFD_WP: 1n });
  });

  it('agrees with its own cube sets on every kind boundary value', () => {
    const samples = [0n, 0x20n, 0x1n, 0x3n, 0x100n, 0xffff_ffff_ffff_fc00n, (25n << 59n) | 0x200n, (27n << 59n) | 4n, 1n << 9n, 1n << 62n, 23n << 59n];
    for (const w of samples) {
      const inCubes = toyV617.kinds.filter((k) => k.cubes.some(([m, v]) => (w & m) === v)).map((k) => k.name);
      const kind = classify(w);
      expect(inCubes).toEqual(kind === undefined ? [] : [kind]);
    }
  });

  it('lets the MMU read present entries and write only RW ones', () => {
    expect(toyV617.mmu_read(0x1n)).toBe(true);
    expect(toyV617.mmu_write(0x1n)).toBe(false);
    expect(toyV617.mmu_write(0x3n)).toBe(true);
    expect(toyV617.mmu_read(0xffff_ffff_ffff_fc00n)).toBe(false);
  });
});
