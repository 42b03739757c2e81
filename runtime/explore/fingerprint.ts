// 64-bit state fingerprints (hash compaction, as SPIN's -DHC and TLC's fingerprints): a canonical state is fed to
// the hasher as a stream of 32-bit integers and comes out as two 32-bit lanes. Two murmur3-style lanes with
// different seeds and multipliers, mixed together at the end. With n distinct states the chance that two of them
// share a fingerprint is about n^2 / 2^65 (1e-6 for 6M states); a collision can only hide states (make the search
// less complete), never invent a counterexample, because every counterexample is replayed from scratch.

export class Fingerprinter {
  private h1 = 0x9747b28c | 0;
  private h2 = 0x5bd1e995 | 0;
  private n = 0;

  reset(): void {
    this.h1 = 0x9747b28c | 0;
    this.h2 = 0x5bd1e995 | 0;
    this.n = 0;
  }

  /** Feed one integer (only its low 32 bits count: callers keep values within int32). */
  push(k: number): void {
    let k1 = Math.imul(k | 0, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, 0x1b873593);
    let h1 = this.h1 ^ k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    this.h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;

    let k2 = Math.imul((k | 0) ^ 0x2f693b52, 0x85ebca6b);
    k2 = (k2 << 17) | (k2 >>> 15);
    k2 = Math.imul(k2, 0xc2b2ae35);
    let h2 = this.h2 ^ k2;
    h2 = (h2 << 11) | (h2 >>> 21);
    this.h2 = (Math.imul(h2, 9) + 0x38495ab5) | 0;
    this.n++;
  }

  /** The fingerprint's low and high lanes, never 0 (0 marks an empty slot, and a slot being filled, in the visited tables). */
  finish(out: Uint32Array | Int32Array): void {
    let h1 = this.h1 ^ this.n;
    let h2 = this.h2 ^ Math.imul(this.n, 0x27d4eb2d);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    h1 = fmix32(h1);
    h2 = fmix32(h2);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    out[0] = h1 === 0 ? 1 : h1;
    out[1] = h2 === 0 ? 1 : h2;
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** The same fingerprint as feeding buf[0..n) to a Fingerprinter, in one tight loop. */
export function fingerprintInts(buf: Int32Array, n: number, out: Int32Array): void {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x5bd1e995 | 0;
  for (let i = 0; i < n; i++) {
    const k = buf[i]!;
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, 0x1b873593);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k ^ 0x2f693b52, 0x85ebca6b);
    k2 = (k2 << 17) | (k2 >>> 15);
    k2 = Math.imul(k2, 0xc2b2ae35);
    h2 ^= k2;
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x38495ab5) | 0;
  }
  h1 ^= n;
  h2 ^= Math.imul(n, 0x27d4eb2d);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1 === 0 ? 1 : h1;
  out[1] = h2 === 0 ? 1 : h2;
}
