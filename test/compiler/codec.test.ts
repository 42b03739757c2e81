// classify / decode / encode: the reference semantics the generated code must match.
import { describe, expect, it } from 'vitest';
import { classify, decodeFields, encode, inversionMask, kindsInOrder } from '../../compiler/codec.js';
import { compileText, replaceLine, X86 } from '../helpers.js';

const x86 = compileText(X86);
const { spec, sets } = x86;

function enc(kind: string, fields: Record<string, bigint>): bigint {
  const r = encode(spec, sets, kind, new Map(Object.entries(fields)));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function fieldsOf(kind: string, w: bigint): Record<string, bigint> {
  return Object.fromEntries(decodeFields(spec, kind, w));
}

describe('encode', () => {
  it('the x86 uffd-wp marker (type 31, offset 1) encodes to 0xfffffffffffffc00', () => {
    expect(x86.diagnostics).toEqual([]);
    expect(enc('pte_marker', { PTE_MARKER_UFFD_WP: 1n })).toBe(0xfffffffffffffc00n);
    expect(enc('pte_marker', { OFFSET: 1n })).toBe(0xfffffffffffffc00n);
    expect(enc('pte_marker', { TYPE: 31n, OFFSET: 1n })).toBe(0xfffffffffffffc00n);
  });

  it('swp_entry(0, 0) is stored with the inverted offset as all ones: 0x07fffffffffffe00', () => {
    expect(enc('swap', { TYPE: 0n, OFFSET: 0n })).toBe(0x07fffffffffffe00n);
    // Unset inverted bits default to logical 0 too, as the kernel's constructors build them.
    expect(enc('swap', {})).toBe(0x07fffffffffffe00n);
  });

  it('a protnone PFN is stored inverted in bits 12..51', () => {
    const w = enc('protnone', { PFN: 0x12345n });
    expect((w >> 12n) & ((1n << 40n) - 1n)).toBe(~0x12345n & ((1n << 40n) - 1n));
    expect(w & 0x1ffn).toBe(0x100n); // PROTNONE set, PRESENT clear
  });

  it('the smallest value of each kind is that kind (none is 0, present is 1)', () => {
    expect(enc('none', {})).toBe(0n);
    expect(enc('present', {})).toBe(1n);
  });

  it('a field the kind does not have, a value too wide, and an impossible combination are errors, not values', () => {
    const e = (kind: string, f: Record<string, bigint>): string => {
      const r = encode(spec, sets, kind, new Map(Object.entries(f)));
      return r.ok ? `unexpectedly encoded as 0x${r.value.toString(16)}` : r.error;
    };
    expect(e('present', { OFFSET: 1n })).toMatch(/'present'.*no field 'OFFSET'/);
    expect(e('swap', { TYPE: 32n })).toMatch(/TYPE = 0x20 .*5 bit/);
    expect(e('swap', { TYPE: 31n })).toMatch(/no value of kind 'swap' has TYPE=0x1f/);
    expect(e('nope', {})).toMatch(/unknown kind 'nope'/);
  });

  it('the inversion mask of swp is exactly the OFFSET bits 9..58', () => {
    expect(inversionMask(spec.formats.get('swp')!.fields.values())).toBe(((1n << 59n) - 1n) & ~((1n << 9n) - 1n));
    expect(inversionMask(spec.formats.get('pte')!.fields.values())).toBe(0n);
  });
});

describe('classify and decode', () => {
  it('0xfffffffffffffc00 decodes as the pte_marker with TYPE 31, OFFSET 1 and the uffd-wp bit', () => {
    const w = 0xfffffffffffffc00n;
    expect(classify(spec, sets, w)).toBe('pte_marker');
    expect(fieldsOf('pte_marker', w)).toEqual({
      PRESENT: 0n,
      PROTNONE: 0n,
      OFFSET: 1n,
      TYPE: 31n,
      PTE_MARKER_UFFD_WP: 1n,
      PTE_MARKER_POISONED: 0n,
    });
  });

  it('classify follows the kernel: 0 and the A/D-only values are none, bit 0 present, bit 8 alone protnone', () => {
    expect([0n, 0x20n, 0x40n, 0x60n].map((w) => classify(spec, sets, w))).toEqual(['none', 'none', 'none', 'none']);
    expect(classify(spec, sets, 0x1n)).toBe('present');
    expect(classify(spec, sets, 0x101n)).toBe('present');
    expect(classify(spec, sets, 0x100n)).toBe('protnone');
    expect(classify(spec, sets, 27n << 59n)).toBe('hwpoison');
    expect(classify(spec, sets, 0xffffffffffffffffn)).toBe('present');
  });

  it('a value in a gap classifies as no kind', () => {
    const gappy = compileText(replaceLine(X86, 'kind pte_marker', ''));
    expect(classify(gappy.spec, gappy.sets, 0xf800000000000000n)).toBeUndefined();
    expect(classify(gappy.spec, gappy.sets, 0n)).toBe('none');
  });

  it('kinds are tried in declaration order', () => {
    expect(kindsInOrder(spec)).toEqual([...spec.kinds.keys()]);
  });
});

describe('decode(encode(kind, fields)) = fields', () => {
  // Field values per kind, including the inverted PFN of protnone and the inverted OFFSET of swap entries.
  const cases: Record<string, Record<string, bigint>> = {
    none: {},
    present: { PFN: 0x12345n, RW: 1n, DIRTY: 1n },
    protnone: { PFN: 0xfedcbn, ACCESSED: 1n },
    swap: { TYPE: 3n, OFFSET: 0x1234n },
    hwpoison: { OFFSET: 0xabcdefn },
    migration_read: { OFFSET: 0x42n },
    migration_read_exclusive: { OFFSET: (1n << 50n) - 1n },
    migration_write: { OFFSET: 0n },
    pte_marker: { PTE_MARKER_UFFD_WP: 1n, PTE_MARKER_POISONED: 1n },
  };

  it('the cases cover every kind of the spec', () => {
    expect(Object.keys(cases).sort()).toEqual([...spec.kinds.keys()].sort());
  });

  for (const [kind, fields] of Object.entries(cases)) {
    it(`${kind} ${JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, `0x${v.toString(16)}`])))} round-trips`, () => {
      const w = enc(kind, fields);
      expect(classify(spec, sets, w)).toBe(kind);
      expect(fieldsOf(kind, w)).toMatchObject(fields);
      // Re-encoding every decoded top-level field gives the same word back.
      const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
      const all = Object.fromEntries([...format.fields.values()].filter((f) => !f.aliasOf && !f.parent).map((f) => [f.name, fieldsOf(kind, w)[f.name]!]));
      expect(enc(kind, all)).toBe(w);
    });
  }
});
