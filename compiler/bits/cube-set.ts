// Exact set algebra over all values of a W-bit word (W <= 64 in practice), never sampling.
//
// A set is a union of pairwise-DISJOINT ternary cubes. A cube {mask, value} (value & ~mask === 0) holds every word w
// with (w & mask) === value; bits outside mask are don't-care. Disjointness makes counting a plain sum and lets every
// operation reason cube by cube. Every function returns fresh, sorted (value, then mask), simplified data so that
// witnesses, diagnostics and generated files are byte-stable.
//
// Cubes carry no width: a cube only constrains its mask bits, so union/intersect/subtract are width-independent.
// Width enters only where "everything" matters (full, complement, count, formatting, field compares).

export interface Cube {
  readonly mask: bigint;
  readonly value: bigint;
}

/** Pairwise-disjoint cubes. All operations assume (and preserve) disjointness. */
export type CubeSet = readonly Cube[];

/** Logical bit i of a field is physical bit bits[i].pos, stored inverted if bits[i].inverted. */
export interface FieldBits {
  readonly bits: readonly { pos: number; inverted: boolean }[];
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export const EMPTY: CubeSet = Object.freeze([]) as CubeSet;

// ---------------------------------------------------------------------------------------------------------------
// Small bigint helpers

const M32 = 0xffffffffn;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function popcount(x: bigint): number {
  let n = 0;
  while (x !== 0n) {
    n += popcount32(Number(x & M32));
    x >>= 32n;
  }
  return n;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Positions of the set bits of x, highest first. */
function bitsDescending(x: bigint): number[] {
  const s = x.toString(2);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 49 /* '1' */) out.push(s.length - 1 - i);
  return out;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareCubes(a: Cube, b: Cube): number {
  return compareBig(a.value, b.value) || compareBig(a.mask, b.mask);
}

function checkWidth(width: number): void {
  if (!Number.isSafeInteger(width) || width < 0) throw new RangeError(`invalid word width ${width}`);
}

function checkFitsWidth(a: CubeSet, width: number): void {
  checkWidth(width);
  const limit = 1n << BigInt(width);
  for (const c of a) {
    if (c.mask >= limit) throw new RangeError(`cube mask 0x${c.mask.toString(16)} exceeds width ${width}`);
  }
}

function overlaps(a: Cube, b: Cube): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) === 0n;
}

/** b contains a (every word of a is in b). */
function covers(b: Cube, a: Cube): boolean {
  return (b.mask & ~a.mask) === 0n && ((a.value ^ b.value) & b.mask) === 0n;
}

/**
 * a \ b as disjoint cubes: for each bit fixed in b but free in a (highest first), peel off the half of a that
 * disagrees with b on that bit, then fix the bit to b's value and go on; what is left at the end lies inside b.
 * Yields at most popcount(b.mask & ~a.mask) cubes. Highest-first keeps interval-shaped sets in prefix form.
 */
function cubeMinus(a: Cube, b: Cube, out: Cube[]): void {
  if (!overlaps(a, b)) {
    out.push(a);
    return;
  }
  const free = b.mask & ~a.mask;
  if (free === 0n) return; // a ⊆ b
  let mask = a.mask;
  let value = a.value;
  for (const p of bitsDescending(free)) {
    const bit = 1n << BigInt(p);
    const bv = b.value & bit;
    out.push({ mask: mask | bit, value: value | (bv ^ bit) });
    mask |= bit;
    value |= bv;
  }
}

/**
 * x \ (union of bs), bs all overlapping x, appended to out as disjoint cubes. A single subtrahend is one cube
 * subtraction. With several, subtracting them one after another can fragment x badly (each piece gets re-split
 * by every later cube), so x is first split on the bit fixed by the most subtrahends (highest bit on ties) and
 * each half handles only the subtrahends that reach it. The halves are disjoint, so the output is too.
 */
function minusInto(x: Cube, bs: readonly Cube[], out: Cube[]): void {
  if (bs.length === 0) {
    out.push(x);
    return;
  }
  for (const b of bs) if (covers(b, x)) return;
  if (bs.length === 1) {
    cubeMinus(x, bs[0]!, out);
    return;
  }
  const freq = new Map<number, number>();
  for (const b of bs) for (const p of bitsDescending(b.mask & ~x.mask)) freq.set(p, (freq.get(p) ?? 0) + 1);
  let best = -1;
  let bestN = 0;
  for (const [p, n] of freq) if (n > bestN || (n === bestN && p > best)) [best, bestN] = [p, n];
  // Some b does not cover x yet overlaps it, so it fixes a bit free in x: best >= 0.
  const bit = 1n << BigInt(best);
  for (const side of [0n, bit]) {
    const half: Cube = { mask: x.mask | bit, value: x.value | side };
    minusInto(
      half,
      bs.filter((b) => (b.mask & bit) === 0n || (b.value & bit) === side),
      out,
    );
  }
}

/** x \ (union of bs) as disjoint cubes (unsorted, unsimplified). */
function cubeMinusSet(x: Cube, bs: CubeSet): Cube[] {
  const out: Cube[] = [];
  minusInto(
    x,
    bs.filter((b) => overlaps(x, b)),
    out,
  );
  return out;
}

/** Make an arbitrary (possibly overlapping) cube list disjoint. Big cubes go first so small ones get swallowed. */
function normalize(cubes: readonly Cube[]): Cube[] {
  const sorted = [...cubes].sort((a, b) => popcount(a.mask) - popcount(b.mask) || compareCubes(a, b));
  const acc: Cube[] = [];
  for (const c of sorted) for (const p of cubeMinusSet(c, acc)) acc.push(p);
  return acc;
}

/** Number of words of x ∩ y within a `width`-bit word (0 if they do not overlap). */
function meetVolume(x: Cube, y: Cube, width: number): bigint {
  return overlaps(x, y) ? 1n << BigInt(width - popcount(x.mask | y.mask)) : 0n;
}

/** Width large enough to count every cube of the given sets. */
function countingWidth(...sets: CubeSet[]): number {
  let w = 64;
  for (const s of sets) for (const c of s) w = Math.max(w, bitLength(c.mask));
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Construction

/** Every W-bit word: one cube with nothing fixed. */
export function full(width: number): CubeSet {
  checkWidth(width);
  return [{ mask: 0n, value: 0n }];
}

/** The single cube {w | (w & mask) == value}. */
export function cube(mask: bigint, value: bigint): CubeSet {
  if (mask < 0n || value < 0n) throw new RangeError('cube mask and value must be non-negative');
  if ((value & ~mask) !== 0n) {
    throw new RangeError(`cube value 0x${value.toString(16)} has bits outside mask 0x${mask.toString(16)}`);
  }
  return [{ mask, value }];
}

// ---------------------------------------------------------------------------------------------------------------
// Algebra

/**
 * a ∪ b, keeping the biggest cubes whole: every cube of either set contributes itself minus the cubes of the OTHER
 * set that come earlier in (fewest fixed bits, a before b) order. A word in an a-cube α and a b-cube β lands only in
 * the piece of whichever of α, β is earlier; within one set cubes are already disjoint, so the result is disjoint.
 * (a ∪ (b \ a) would instead shred a big cube of b against many small cubes of a.)
 */
export function union(a: CubeSet, b: CubeSet): CubeSet {
  if (a.length === 0) return simplify(b);
  if (b.length === 0) return simplify(a);
  const rank = (c: Cube, side: number): number => popcount(c.mask) * 2 + side;
  const ra = a.map((c) => rank(c, 0));
  const rb = b.map((c) => rank(c, 1));
  const out: Cube[] = [];
  const piecesOf = (x: Cube, rx: number, other: CubeSet, rOther: readonly number[]): void => {
    const earlier: Cube[] = [];
    for (let j = 0; j < other.length; j++) {
      const y = other[j]!;
      if (rOther[j]! < rx && overlaps(x, y)) earlier.push(y);
    }
    minusInto(x, earlier, out);
  };
  a.forEach((x, i) => piecesOf(x, ra[i]!, b, rb));
  b.forEach((y, j) => piecesOf(y, rb[j]!, a, ra));
  return simplify(out);
}

/** Pairwise cube intersections; pieces of disjoint families stay disjoint. O(|a|·|b|). */
export function intersect(a: CubeSet, b: CubeSet): CubeSet {
  const out: Cube[] = [];
  for (const x of a) {
    for (const y of b) {
      if (overlaps(x, y)) out.push({ mask: x.mask | y.mask, value: x.value | y.value });
    }
  }
  return simplify(out);
}

export function complement(a: CubeSet, width: number): CubeSet {
  checkFitsWidth(a, width);
  return simplify(cubeMinusSet({ mask: 0n, value: 0n }, a));
}

export function subtract(a: CubeSet, b: CubeSet): CubeSet {
  if (a.length === 0 || b.length === 0) return simplify(a);
  const out: Cube[] = [];
  for (const x of a) for (const p of cubeMinusSet(x, b)) out.push(p);
  return simplify(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

/** Valid cubes are never empty, so a set is empty iff it has no cubes. */
export function isEmpty(a: CubeSet): boolean {
  return a.length === 0;
}

/** Exact size: disjoint cubes, so the sizes 2^(width - fixed bits) add up. */
export function count(a: CubeSet, width: number): bigint {
  checkFitsWidth(a, width);
  let n = 0n;
  for (const c of a) n += 1n << BigInt(width - popcount(c.mask));
  return n;
}

export function contains(a: CubeSet, w: bigint): boolean {
  return a.some((c) => (w & c.mask) === c.value);
}

/** The smallest word in the set: each cube's least word is its value (don't-cares at 0). */
export function witness(a: CubeSet): bigint | undefined {
  let best: bigint | undefined;
  for (const c of a) if (best === undefined || c.value < best) best = c.value;
  return best;
}

/** b is disjoint, so x ⊆ ∪b exactly when the sizes of x ∩ b_i add up to the size of x: no splitting needed. */
export function isSubset(a: CubeSet, b: CubeSet): boolean {
  const w = countingWidth(a, b);
  for (const x of a) {
    let inside = 0n;
    for (const y of b) inside += meetVolume(x, y, w);
    if (inside !== 1n << BigInt(w - popcount(x.mask))) return false;
  }
  return true;
}

/** Set equality: equal sizes plus one inclusion suffice. */
export function equals(a: CubeSet, b: CubeSet): boolean {
  const w = countingWidth(a, b);
  if (count(a, w) !== count(b, w)) return false;
  return isSubset(a, b);
}

/** Existential quantification over the bits of bitsMask: drop them from every cube, then re-disjoin. */
export function existsBits(a: CubeSet, bitsMask: bigint): CubeSet {
  const keep = ~bitsMask;
  return simplify(normalize(a.map((c) => ({ mask: c.mask & keep, value: c.value & keep }))));
}

// ---------------------------------------------------------------------------------------------------------------
// Fields

function checkField(field: FieldBits, width: number): void {
  checkWidth(width);
  const seen = new Set<number>();
  for (const b of field.bits) {
    if (!Number.isInteger(b.pos) || b.pos < 0 || b.pos >= width) {
      throw new RangeError(`field bit position ${b.pos} outside word of width ${width}`);
    }
    if (seen.has(b.pos)) throw new RangeError(`field uses bit ${b.pos} twice`);
    seen.add(b.pos);
  }
}

/**
 * Map a cube over the LOGICAL field value (k bits) to a physical word cube: logical bit i fixed to v becomes
 * physical bit bits[i].pos fixed to v xor inverted.
 */
function liftLogical(field: FieldBits, lmask: bigint, lvalue: bigint): Cube {
  let mask = 0n;
  let value = 0n;
  field.bits.forEach((b, i) => {
    if (((lmask >> BigInt(i)) & 1n) === 0n) return;
    const bit = 1n << BigInt(b.pos);
    mask |= bit;
    if ((((lvalue >> BigInt(i)) & 1n) === 1n) !== b.inverted) value |= bit;
  });
  return { mask, value };
}

/** Logical cubes {F < c} over a k-bit field, prefix decomposition: one cube per 1-bit of c. */
function logicalLess(k: number, c: bigint): Array<[bigint, bigint]> {
  if (c <= 0n) return [];
  if (c >= 1n << BigInt(k)) return [[0n, 0n]];
  const out: Array<[bigint, bigint]> = [];
  for (let i = k - 1; i >= 0; i--) {
    const bit = 1n << BigInt(i);
    if ((c & bit) === 0n) continue;
    const above = ((1n << BigInt(k)) - 1n) & ~(bit - 1n) & ~bit; // bits strictly above i
    const m = above | bit;
    out.push([m, c & above]); // same prefix as c above i, 0 at i
  }
  return out;
}

/** Logical cubes {F >= c}: one cube per 0-bit of c (prefix equal, 1 there), plus c itself. */
function logicalGreaterEq(k: number, c: bigint): Array<[bigint, bigint]> {
  const all = (1n << BigInt(k)) - 1n;
  if (c <= 0n) return [[0n, 0n]];
  if (c > all) return [];
  const out: Array<[bigint, bigint]> = [[all, c]];
  for (let i = k - 1; i >= 0; i--) {
    const bit = 1n << BigInt(i);
    if ((c & bit) !== 0n) continue;
    const above = all & ~(bit - 1n) & ~bit;
    out.push([above | bit, (c & above) | bit]);
  }
  return out;
}

/** Logical cubes {F != c}: first differing bit from the top, one cube per bit. */
function logicalNotEq(k: number, c: bigint): Array<[bigint, bigint]> {
  const all = (1n << BigInt(k)) - 1n;
  if (c < 0n || c > all) return [[0n, 0n]];
  const out: Array<[bigint, bigint]> = [];
  for (let i = k - 1; i >= 0; i--) {
    const bit = 1n << BigInt(i);
    const above = all & ~(bit - 1n) & ~bit;
    out.push([above | bit, (c & above) | (~c & bit)]);
  }
  return out;
}

/**
 * Words whose field's logical value compares with c. Exact: intervals decompose into at most k+1 prefix cubes.
 * c may lie outside [0, 2^k); the answer is then all or nothing.
 */
export function fieldCompare(field: FieldBits, op: CompareOp, c: bigint, width: number): CubeSet {
  checkField(field, width);
  const k = field.bits.length;
  const all = (1n << BigInt(k)) - 1n;
  let logical: Array<[bigint, bigint]>;
  switch (op) {
    case '==':
      logical = c >= 0n && c <= all ? [[all, c]] : [];
      break;
    case '!=':
      logical = logicalNotEq(k, c);
      break;
    case '<':
      logical = logicalLess(k, c);
      break;
    case '<=':
      logical = logicalLess(k, c + 1n);
      break;
    case '>':
      logical = logicalGreaterEq(k, c + 1n);
      break;
    case '>=':
      logical = logicalGreaterEq(k, c);
      break;
    default: {
      const never: never = op;
      throw new RangeError(`unknown comparison ${String(never)}`);
    }
  }
  return simplify(logical.map(([m, v]) => liftLogical(field, m, v)));
}

/** (logical F & m) == c. Logical bits beyond the field read as 0, so c must be 0 there. */
export function fieldMaskedEquals(field: FieldBits, m: bigint, c: bigint, width: number): CubeSet {
  checkField(field, width);
  if (m < 0n || c < 0n) throw new RangeError('mask and constant must be non-negative');
  if ((c & ~m) !== 0n) return EMPTY;
  const all = (1n << BigInt(field.bits.length)) - 1n;
  if ((c & ~all) !== 0n) return EMPTY;
  return [liftLogical(field, m & all, c)];
}

/** (w & m) == c over W-bit words; bits of m at or above W read as 0 in every word. */
export function wordMaskedEquals(m: bigint, c: bigint, width: number): CubeSet {
  checkWidth(width);
  if (m < 0n || c < 0n) throw new RangeError('mask and constant must be non-negative');
  if ((c & ~m) !== 0n) return EMPTY;
  const all = (1n << BigInt(width)) - 1n;
  if ((c & ~all) !== 0n) return EMPTY;
  return [{ mask: m & all, value: c }];
}

/** Decode the field's logical value from word w. */
export function fieldValue(field: FieldBits, w: bigint): bigint {
  let v = 0n;
  field.bits.forEach((b, i) => {
    const bit = ((w >> BigInt(b.pos)) & 1n) === 1n;
    if (bit !== b.inverted) v |= 1n << BigInt(i);
  });
  return v;
}

/** Encode: w with the field set to logical value v (which must fit in the field). */
export function fieldInsert(field: FieldBits, w: bigint, v: bigint): bigint {
  const k = field.bits.length;
  if (v < 0n || v >= 1n << BigInt(k)) throw new RangeError(`value ${v} does not fit a ${k}-bit field`);
  let out = w;
  field.bits.forEach((b, i) => {
    const bit = 1n << BigInt(b.pos);
    const set = (((v >> BigInt(i)) & 1n) === 1n) !== b.inverted;
    out = set ? out | bit : out & ~bit;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Presentation and normal form

/** Ternary picture, MSB first, groups of 4 aligned to bit 0, joined by '_': '0'/'1' fixed, 'x' don't-care. */
export function formatCube(c: Cube, width: number): string {
  checkFitsWidth([c], width);
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 1n << BigInt(i);
    s += (c.mask & bit) === 0n ? 'x' : (c.value & bit) === 0n ? '0' : '1';
    if (i > 0 && i % 4 === 0) s += '_';
  }
  return s;
}

/**
 * One pass over masks in decreasing number of fixed bits: a merge of two cubes with mask m yields a cube with one
 * fixed bit less, which lands in a group not yet visited, so a single pass reaches the fixpoint. Greedy pairing
 * within a group is deterministic (values ascending, partner bits ascending).
 */
function simplifyRaw(a: readonly Cube[]): Cube[] {
  const groups = new Map<bigint, Set<bigint>>();
  const add = (mask: bigint, value: bigint): void => {
    let g = groups.get(mask);
    if (!g) groups.set(mask, (g = new Set()));
    g.add(value);
  };
  for (const c of a) add(c.mask, c.value);
  const out: Cube[] = [];
  const pending = [...groups.keys()];
  const pc = new Map<bigint, number>();
  for (const m of pending) pc.set(m, popcount(m));
  // Process by popcount descending; new masks are inserted as they appear.
  const byPop = new Map<number, bigint[]>();
  let maxPop = 0;
  for (const m of pending) {
    const p = pc.get(m)!;
    maxPop = Math.max(maxPop, p);
    let l = byPop.get(p);
    if (!l) byPop.set(p, (l = []));
    l.push(m);
  }
  for (let p = maxPop; p >= 0; p--) {
    const masks = byPop.get(p);
    if (!masks) continue;
    masks.sort(compareBig);
    for (const mask of masks) {
      const g = groups.get(mask)!;
      const values = [...g].sort(compareBig);
      const used = new Set<bigint>();
      const bits = bitsDescending(mask)
        .reverse()
        .map((i) => 1n << BigInt(i));
      for (const v of values) {
        if (used.has(v)) continue;
        let merged = false;
        for (const bit of bits) {
          const partner = v ^ bit;
          if (g.has(partner) && !used.has(partner)) {
            used.add(v);
            used.add(partner);
            const nm = mask & ~bit;
            if (!groups.has(nm)) {
              let l = byPop.get(p - 1);
              if (!l) byPop.set(p - 1, (l = []));
              l.push(nm);
            }
            add(nm, v & ~bit);
            merged = true;
            break;
          }
        }
        if (!merged) out.push({ mask, value: v });
      }
    }
  }
  return out;
}

/** Merge cubes that differ in exactly one fixed bit under an equal mask, to fixpoint; sorted by value then mask. */
export function simplify(a: CubeSet): CubeSet {
  return simplifyRaw(a).sort(compareCubes);
}
