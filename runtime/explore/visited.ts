// The visited set: an open-addressing hash table of 64-bit fingerprints (two 32-bit lanes per slot in one
// Int32Array), linear probing, grown by doubling at 70% load. 8 bytes per slot, so 11.4-22.9 bytes per state
// depending on where the table is in its doubling cycle. A low lane of 0 marks an empty slot (fingerprints never
// have one: see fingerprint.ts).

const MAX_LOAD = 0.7;

export class VisitedSet {
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table itself. */
  get bytes(): number {
    return this.table.byteLength;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Insert a fingerprint; true when it was not there yet. */
  add(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    const t = this.table;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = t[2 * i]!;
      if (a === 0) break;
      if (a === lo && t[2 * i + 1] === hi) return false;
      i = (i + 1) & this.mask;
    }
    t[2 * i] = lo;
    t[2 * i + 1] = hi;
    if (++this.count > this.limit) this.grow();
    return true;
  }

  has(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    const t = this.table;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = t[2 * i]!;
      if (a === 0) return false;
      if (a === lo && t[2 * i + 1] === hi) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!;
      if (lo === 0) continue;
      const hi = old[j + 1]!;
      let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
      while (t[2 * i] !== 0) i = (i + 1) & mask;
      t[2 * i] = lo;
      t[2 * i + 1] = hi;
    }
    this.table = t;
    this.mask = mask;
    this.limit = Math.floor(cap * MAX_LOAD);
  }
}
