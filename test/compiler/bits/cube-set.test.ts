import { describe, it, expect } from 'vitest';
import {
  EMPTY,
  complement,
  contains,
  count,
  cube,
  equals,
  existsBits,
  fieldCompare,
  fieldInsert,
  fieldMaskedEquals,
  fieldValue,
  formatCube,
  full,
  intersect,
  isEmpty,
  isSubset,
  simplify,
  subtract,
  union,
  witness,
  wordMaskedEquals,
  type CompareOp,
  type Cube,
  type CubeSet,
  type FieldBits,
} from '../../../compiler/bits/cube-set.js';
import { scaled } from '../../helpers/scale.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: a deterministic PRNG, brute-force enumeration and structural invariants.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randBits(r: () => number, width: number, density = 0.5): bigint {
  let x = 0n;
  for (let i = 0; i < width; i++) if (r() < density) x |= 1n << BigInt(i);
  return x;
}

/** A random valid set: union of a few random cubes. */
function randSet(r: () => number, width: number, maxCubes = 5): CubeSet {
  let s: CubeSet = EMPTY;
  const n = Math.floor(r() * (maxCubes + 1));
  for (let i = 0; i < n; i++) {
    const mask = randBits(r, width, 0.6);
    const value = randBits(r, width) & mask;
    s = union(s, cube(mask, value));
  }
  return s;
}

function members(s: CubeSet, width: number): bigint[] {
  const out: bigint[] = [];
  for (let w = 0n; w < 1n << BigInt(width); w++) if (contains(s, w)) out.push(w);
  return out;
}

function fromPredicate(width: number, p: (w: bigint) => boolean): Set<bigint> {
  const out = new Set<bigint>();
  for (let w = 0n; w < 1n << BigInt(width); w++) if (p(w)) out.add(w);
  return out;
}

/** Checks: valid cubes, disjoint, sorted, simplified, and exactly the expected members. */
function expectSet(s: CubeSet, width: number, expected: Set<bigint>): void {
  const limit = 1n << BigInt(width);
  const bad = s.filter((c) => (c.value & ~c.mask) !== 0n || c.mask >= limit);
  expect(bad).toEqual([]);
  // Disjoint and exact: each word lies in exactly one cube if expected, none otherwise.
  const wrong: bigint[] = [];
  for (let w = 0n; w < limit; w++) {
    let hits = 0;
    for (const c of s) if ((w & c.mask) === c.value) hits++;
    if (hits !== (expected.has(w) ? 1 : 0)) wrong.push(w);
  }
  expect(wrong).toEqual([]);
  expect(count(s, width)).toBe(BigInt(expected.size));
  expectCanonicalOrder(s);
}

function expectCanonicalOrder(s: CubeSet): void {
  const problems: string[] = [];
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1]!;
    const b = s[i]!;
    if (!(a.value < b.value || (a.value === b.value && a.mask < b.mask))) problems.push(`order at ${i}`);
  }
  // Simplify fixpoint: no two cubes with equal mask differing in exactly one fixed bit.
  const byMask = new Map<bigint, Set<bigint>>();
  for (const c of s) {
    let g = byMask.get(c.mask);
    if (!g) byMask.set(c.mask, (g = new Set()));
    g.add(c.value);
  }
  for (const [mask, values] of byMask) {
    for (const v of values) {
      for (let bit = 1n; bit <= mask; bit <<= 1n) {
        if ((mask & bit) !== 0n && values.has(v ^ bit)) problems.push(`mergeable ${mask}/${v}`);
      }
    }
  }
  expect(problems).toEqual([]);
}

function naiveFieldValue(field: FieldBits, w: bigint): bigint {
  let v = 0n;
  for (let i = 0; i < field.bits.length; i++) {
    const b = field.bits[i]!;
    let bit = (w >> BigInt(b.pos)) & 1n;
    if (b.inverted) bit ^= 1n;
    v += bit * 2n ** BigInt(i);
  }
  return v;
}

function naiveCompare(a: bigint, op: CompareOp, b: bigint): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

const OPS: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];

function field(...bits: Array<[number, boolean]>): FieldBits {
  return { bits: bits.map(([pos, inverted]) => ({ pos, inverted })) };
}

function range(lo: number, hi: number, inverted = false): FieldBits {
  const bits: Array<[number, boolean]> = [];
  for (let p = lo; p <= hi; p++) bits.push([p, inverted]);
  return field(...bits);
}

// ---------------------------------------------------------------------------------------------------------------

describe('construction', () => {
  it('full, empty and single cubes', () => {
    expect(count(full(8), 8)).toBe(256n);
    expect(count(EMPTY, 8)).toBe(0n);
    expect(isEmpty(EMPTY)).toBe(true);
    expect(isEmpty(full(8))).toBe(false);
    expect(count(cube(0b1010n, 0b1000n), 8)).toBe(64n);
    expect(contains(cube(0b1010n, 0b1000n), 0b1100n)).toBe(true);
    expect(contains(cube(0b1010n, 0b1000n), 0b1110n)).toBe(false);
  });

  it('cube rejects values outside the mask', () => {
    expect(() => cube(0b1010n, 0b0100n)).toThrow(RangeError);
    expect(() => cube(-1n, 0n)).toThrow(RangeError);
  });

  it('count rejects cubes wider than the width', () => {
    expect(() => count(cube(1n << 8n, 0n), 8)).toThrow(RangeError);
    expect(() => complement(cube(1n << 8n, 0n), 8)).toThrow(RangeError);
  });
});

describe('brute-force cross-checks (width 6)', () => {
  const W = 6;
  const r = rng(12345);
  const sets: CubeSet[] = [EMPTY, full(W)];
  for (let i = 0; i < 40; i++) sets.push(randSet(r, W, 6));
  const asSet = (s: CubeSet): Set<bigint> => new Set(members(s, W));

  it('random sets are valid, disjoint and canonical', () => {
    for (const s of sets) expectSet(s, W, asSet(s));
  });

  it('union, intersect, subtract, complement agree with enumeration', () => {
    for (let i = 0; i < sets.length; i++) {
      const a = sets[i]!;
      const ma = asSet(a);
      expectSet(
        complement(a, W),
        W,
        fromPredicate(W, (w) => !ma.has(w)),
      );
      for (let j = 0; j < sets.length; j += 3) {
        const b = sets[j]!;
        const mb = asSet(b);
        expectSet(
          union(a, b),
          W,
          fromPredicate(W, (w) => ma.has(w) || mb.has(w)),
        );
        expectSet(
          intersect(a, b),
          W,
          fromPredicate(W, (w) => ma.has(w) && mb.has(w)),
        );
        expectSet(
          subtract(a, b),
          W,
          fromPredicate(W, (w) => ma.has(w) && !mb.has(w)),
        );
        const sub = [...ma].every((w) => mb.has(w));
        expect(isSubset(a, b)).toBe(sub);
        const eq = sub && ma.size === mb.size;
        expect(equals(a, b)).toBe(eq);
        expect(witness(a)).toBe(ma.size === 0 ? undefined : [...ma].reduce((x, y) => (y < x ? y : x)));
        expect(isEmpty(a)).toBe(ma.size === 0);
      }
    }
  });

  it('existsBits agrees with enumeration', () => {
    const r2 = rng(7);
    for (const a of sets) {
      const ma = asSet(a);
      for (let t = 0; t < 4; t++) {
        const q = randBits(r2, W, 0.4);
        const expected = fromPredicate(W, (w) => [...ma].some((v) => ((v ^ w) & ~q) === 0n));
        expectSet(existsBits(a, q), W, expected);
      }
    }
  });

  it('simplify keeps the set and reaches a merge fixpoint', () => {
    // All 64 minterms -> one full cube.
    const minterms: Cube[] = [];
    for (let w = 0n; w < 64n; w++) minterms.push({ mask: 63n, value: w });
    expect(simplify(minterms)).toEqual([{ mask: 0n, value: 0n }]);
    // Even-parity minterms cannot merge at all.
    const even = minterms.filter((c) => popcnt(c.value) % 2 === 0);
    expect(simplify(even).length).toBe(32);
    for (const s of sets) {
      const simp = simplify(s);
      expectSet(simp, W, asSet(s));
    }
  });
});

function popcnt(x: bigint): number {
  let n = 0;
  for (; x; x &= x - 1n) n++;
  return n;
}

describe('brute-force fieldCompare / masked equality (width 6 and 8)', () => {
  const fields: Array<[string, number, FieldBits]> = [
    ['contiguous plain', 6, range(1, 4)],
    ['contiguous inverted', 6, range(2, 5, true)],
    ['non-contiguous mixed', 6, field([5, false], [0, true], [3, false])],
    ['scrambled partly inverted', 8, field([6, true], [1, false], [7, true], [3, false], [2, true])],
    ['whole word, inverted MSB', 6, field([0, false], [1, false], [2, false], [3, false], [4, false], [5, true])],
    ['single bit inverted', 6, field([3, true])],
    ['empty field', 6, field()],
  ];

  for (const [name, W, f] of fields) {
    it(`fieldCompare all ops and constants: ${name}`, () => {
      const k = f.bits.length;
      for (const op of OPS) {
        for (let c = -2n; c <= (1n << BigInt(k)) + 2n; c++) {
          const s = fieldCompare(f, op, c, W);
          expectSet(
            s,
            W,
            fromPredicate(W, (w) => naiveCompare(naiveFieldValue(f, w), op, c)),
          );
          // Prefix decomposition stays small.
          expect(s.length).toBeLessThanOrEqual(k + 1);
        }
      }
    });

    it(`fieldMaskedEquals all masks and constants: ${name}`, () => {
      const k = f.bits.length;
      const top = 1n << BigInt(k + 1); // masks and constants reach one bit past the field
      for (let m = 0n; m < top; m++) {
        // Small fields: every constant. Larger: sub-patterns of m plus constants with bits outside m or the field.
        const consts =
          k <= 4
            ? Array.from({ length: Number(top) }, (_, i) => BigInt(i))
            : [0n, m, m & 0x55n, m & 0xaan, m & 0x0fn, (top - 1n) & ~m, (1n << BigInt(k)) | (m & 1n), top >> 1n];
        for (const c of consts) {
          expectSet(
            fieldMaskedEquals(f, m, c, W),
            W,
            fromPredicate(W, (w) => (naiveFieldValue(f, w) & m) === c),
          );
        }
      }
    });

    it(`fieldValue / fieldInsert round trip: ${name}`, () => {
      const k = f.bits.length;
      for (let w = 0n; w < 1n << BigInt(W); w++) {
        expect(fieldValue(f, w)).toBe(naiveFieldValue(f, w));
        for (let v = 0n; v < 1n << BigInt(k); v++) {
          const w2 = fieldInsert(f, w, v);
          expect(fieldValue(f, w2)).toBe(v);
          // Other bits are untouched.
          const fm = f.bits.reduce((acc, b) => acc | (1n << BigInt(b.pos)), 0n);
          expect(w2 & ~fm).toBe(w & ~fm);
          expect(contains(fieldCompare(f, '==', v, W), w2)).toBe(true);
        }
        expect(fieldInsert(f, w, fieldValue(f, w))).toBe(w);
      }
      expect(() => fieldInsert(f, 0n, 1n << BigInt(k))).toThrow(RangeError);
      expect(() => fieldInsert(f, 0n, -1n)).toThrow(RangeError);
    });
  }

  it('wordMaskedEquals agrees with enumeration', () => {
    const W = 6;
    for (let m = 0n; m < 1n << 7n; m++) {
      for (let c = 0n; c < 1n << 7n; c += 3n) {
        expectSet(
          wordMaskedEquals(m, c, W),
          W,
          fromPredicate(W, (w) => (w & m) === c),
        );
      }
    }
  });

  it('rejects bad field bit positions', () => {
    expect(() => fieldCompare(field([6, false]), '==', 0n, 6)).toThrow(RangeError);
    expect(() => fieldCompare(field([1, false], [1, true]), '==', 0n, 6)).toThrow(RangeError);
  });
});

describe('64-bit cases', () => {
  const W = 64;
  const ALL = (1n << 64n) - 1n;
  const swapType = range(59, 63);
  const offset = range(9, 58, true);

  it('full(64) has 2^64 words', () => {
    expect(count(full(64), 64)).toBe(2n ** 64n);
    expect(witness(full(64))).toBe(0n);
  });

  it('swap TYPE < 24 has 24 * 2^59 words', () => {
    const s = fieldCompare(swapType, '<', 24n, W);
    expect(count(s, W)).toBe(24n * 2n ** 59n);
    expect(s.length).toBe(2); // 0xxxx and 10xxx
    expect(contains(s, 23n << 59n)).toBe(true);
    expect(contains(s, 24n << 59n)).toBe(false);
    expect(count(fieldCompare(swapType, '>=', 24n, W), W)).toBe(8n * 2n ** 59n);
    expect(count(fieldCompare(swapType, '<', 32n, W), W)).toBe(2n ** 64n);
    expect(count(fieldCompare(swapType, '<', 1000n, W), W)).toBe(2n ** 64n);
    expect(fieldCompare(swapType, '>', 31n, W)).toEqual([]);
    expect(fieldCompare(swapType, '>=', -5n, W)).toEqual([{ mask: 0n, value: 0n }]);
  });

  it('inverted 50-bit OFFSET == 0 is exactly bits 9..58 all ones', () => {
    const s = fieldCompare(offset, '==', 0n, W);
    const m = ((1n << 59n) - 1n) & ~((1n << 9n) - 1n);
    expect(s).toEqual([{ mask: m, value: m }]);
    expect(equals(s, cube(m, m))).toBe(true);
    expect(witness(s)).toBe(m);
    expect(count(s, W)).toBe(2n ** 14n);
    expect(formatCube(s[0]!, W)).toBe('xxxx_x111_' + '1111_'.repeat(11) + '1110_0000_0000'.replace(/0/g, 'x'));
  });

  it('witness is the minimum word', () => {
    // Inverted field: the smallest physical word has the LARGEST logical value allowed (4), other bits zero.
    const s = fieldCompare(offset, '<', 5n, W);
    const w = witness(s)!;
    expect(contains(s, w)).toBe(true);
    expect(w).toBe(fieldInsert(offset, 0n, 4n));
    expect(witness(fieldCompare(offset, '>', 5n, W))).toBe(0n);
    for (let d = 1n; d <= 64n; d++) if (w - d >= 0n) expect(contains(s, w - d)).toBe(false);
    // TYPE >= 3 minimum is 3 << 59.
    expect(witness(fieldCompare(swapType, '>=', 3n, W))).toBe(3n << 59n);
    expect(witness(EMPTY)).toBeUndefined();
  });

  it('complement, De Morgan, subtract, subset and equality on random 64-bit sets', () => {
    const r = rng(99);
    // PTE-like predicates: unions and intersections of a few field intervals and masked equalities.
    // (Unions of many broad, randomly placed cubes have inherently huge disjoint covers; not modelled here.)
    const mk = (): CubeSet => {
      let s: CubeSet = EMPTY;
      for (let i = 0; i < 4; i++) {
        const lo = Math.floor(r() * 56);
        const f = range(lo, lo + Math.floor(r() * (64 - lo)));
        const op = OPS[Math.floor(r() * OPS.length)]!;
        const m = randBits(r, W, 0.2);
        const p =
          r() < 0.5 ? fieldCompare(f, op, randBits(r, f.bits.length), W) : wordMaskedEquals(m, randBits(r, W) & m, W);
        s = r() < 0.7 ? union(s, p) : intersect(isEmpty(s) ? full(W) : s, p);
      }
      return s;
    };
    for (let t = 0, n = scaled(12, 3); t < n; t++) {
      const a = mk();
      const b = mk();
      expectCanonicalOrder(a);
      const ca = complement(a, W);
      const cb = complement(b, W);
      expect(equals(complement(ca, W), a)).toBe(true);
      expect(count(a, W) + count(ca, W)).toBe(2n ** 64n);
      expect(isEmpty(intersect(a, ca))).toBe(true);
      expect(equals(complement(union(a, b), W), intersect(ca, cb))).toBe(true);
      expect(equals(complement(intersect(a, b), W), union(ca, cb))).toBe(true);
      expect(equals(subtract(a, b), intersect(a, cb))).toBe(true);
      expect(isSubset(subtract(a, b), a)).toBe(true);
      expect(isSubset(intersect(a, b), b)).toBe(true);
      expect(isSubset(a, union(a, b))).toBe(true);
      expect(count(union(a, b), W)).toBe(count(a, W) + count(b, W) - count(intersect(a, b), W));
      expect(equals(union(subtract(a, b), intersect(a, b)), a)).toBe(true);
      if (!isEmpty(cb)) {
        expect(isSubset(full(W), b)).toBe(false);
      }
    }
  });

  it('equals is set equality, not structural', () => {
    const a = [
      { mask: 1n, value: 0n },
      { mask: 1n, value: 1n },
    ];
    expect(equals(a, full(64))).toBe(true);
    const split: CubeSet = [
      { mask: 3n, value: 0n },
      { mask: 3n, value: 1n },
      { mask: 2n, value: 2n },
    ];
    expect(equals(split, full(64))).toBe(true);
    expect(simplify(split)).toEqual([{ mask: 0n, value: 0n }]);
    expect(equals(split, cube(1n, 0n))).toBe(false);
    expect(equals(EMPTY, EMPTY)).toBe(true);
    expect(equals(EMPTY, cube(ALL, 5n))).toBe(false);
  });

  it('existsBits forgets exactly the given bits', () => {
    const s = intersect(fieldCompare(swapType, '==', 7n, W), fieldCompare(offset, '==', 0n, W));
    const noType = existsBits(s, 0x1fn << 59n);
    expect(equals(noType, fieldCompare(offset, '==', 0n, W))).toBe(true);
    expect(equals(existsBits(s, ALL), full(W))).toBe(true);
    expect(existsBits(EMPTY, ALL)).toEqual([]);
    // Overlapping projections are re-disjoined.
    const t = union(cube(3n, 1n), cube(3n, 2n));
    const e = existsBits(t, 1n);
    expect(equals(e, full(W))).toBe(true);
    expect(count(e, W)).toBe(2n ** 64n);
  });

  it('union of many minterms stays exact and compact', () => {
    let s: CubeSet = EMPTY;
    for (let v = 0n; v < 256n; v++) s = union(s, cube(0xffn << 8n, v << 8n));
    expect(s).toEqual([{ mask: 0n, value: 0n }]);
    let t: CubeSet = EMPTY;
    for (let v = 0n; v < 200n; v++) t = union(t, cube(0xffn, v));
    expect(equals(t, fieldCompare(range(0, 7), '<', 200n, W))).toBe(true);
    expect(t.length).toBeLessThanOrEqual(8);
  });

  // How fast these are is the bench's business (npm run bench), not a test's.
  it('union, intersection, subtraction and complement keep their counts on sets of hundreds to thousands of cubes', () => {
    const r = rng(4242);
    const mk = (n: number): CubeSet => {
      const cubes: Cube[] = [];
      // Disjoint by construction: distinct values of the low 12 bits, random extra fixed high bits.
      const seen = new Set<bigint>();
      while (cubes.length < n) {
        const low = randBits(r, 12);
        if (seen.has(low)) continue;
        seen.add(low);
        const hm = randBits(r, 52, 0.1) << 12n;
        cubes.push({ mask: 0xfffn | hm, value: low | (randBits(r, 64) & hm) });
      }
      return simplify(cubes);
    };
    const size = scaled(2000, 400);
    const a = mk(size);
    const b = mk(size);
    const u = union(a, b);
    const i = intersect(a, b);
    const d = subtract(a, b);
    const c = complement(a, W);
    expect(count(u, W)).toBe(count(a, W) + count(b, W) - count(i, W));
    expect(count(d, W)).toBe(count(a, W) - count(i, W));
    expect(count(c, W)).toBe(2n ** 64n - count(a, W));
  });
});

describe('formatCube', () => {
  it('draws MSB first in groups of four', () => {
    expect(formatCube({ mask: 0xfn, value: 1n }, 64)).toBe('xxxx_'.repeat(15) + '0001');
    expect(formatCube({ mask: 0n, value: 0n }, 8)).toBe('xxxx_xxxx');
    expect(formatCube({ mask: 0b101011n, value: 0b100010n }, 6)).toBe('1x_0x10');
    expect(formatCube({ mask: 0x1fn << 59n, value: 0x18n << 59n }, 64)).toBe(
      '1100_0' + 'xxx_' + 'xxxx_'.repeat(13) + 'xxxx',
    );
    expect(formatCube({ mask: 0n, value: 0n }, 0)).toBe('');
    expect(formatCube({ mask: 1n, value: 1n }, 1)).toBe('1');
  });
});
