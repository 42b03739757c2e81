// The visited set: an open-addressing hash table of 64-bit fingerprints (two 32-bit lanes per slot in one
// Int32Array), linear probing, grown by doubling at 70% load. 8 bytes per slot, so 11.4-22.9 bytes per state
// depending on where the table is in its doubling cycle. A low lane of 0 marks an empty slot (fingerprints never
// have one: see fingerprint.ts).
//
// Shared mode (worker threads): the table lives in a SharedArrayBuffer that workers probe read-only (probeTable), to
// skip encoding successors already visited. Only this thread writes, high lane first, then the low lane (Atomics,
// sequentially consistent), so a reader that sees a low lane also sees its high lane. After a growth the workers
// may still probe the old table: a subset of the visited set, so a hit there is still a true hit.

const MAX_LOAD = 0.7;

function slot(lo: number, hi: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}

/** Probe a (possibly shared, possibly stale) table from any thread. */
export function probeTable(t: Int32Array, lo: number, hi: number): boolean {
  lo |= 0;
  hi |= 0;
  const mask = (t.length >> 1) - 1;
  let i = slot(lo, hi, mask);
  for (;;) {
    const a = Atomics.load(t, 2 * i);
    if (a === 0) return false;
    if (a === lo && Atomics.load(t, 2 * i + 1) === hi) return true;
    i = (i + 1) & mask;
  }
}

export class VisitedSet {
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(
    initialCapacity = 1024,
    /** Back the table with a SharedArrayBuffer (workers probe it). */
    private readonly shared = false,
  ) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.table = this.alloc(cap);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * MAX_LOAD);
  }

  private alloc(cap: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(cap * 8)) : new Int32Array(cap * 2);
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

  /** The current table (for probeTable in workers). */
  get view(): Int32Array {
    return this.table;
  }

  /** Insert a fingerprint; true when it was not there yet. */
  add(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    const t = this.table;
    let i = slot(lo, hi, this.mask);
    for (;;) {
      const a = t[2 * i]!;
      if (a === 0) break;
      if (a === lo && t[2 * i + 1] === hi) return false;
      i = (i + 1) & this.mask;
    }
    if (this.shared) {
      Atomics.store(t, 2 * i + 1, hi);
      Atomics.store(t, 2 * i, lo);
    } else {
      t[2 * i + 1] = hi;
      t[2 * i] = lo;
    }
    if (++this.count > this.limit) this.grow();
    return true;
  }

  has(lo: number, hi: number): boolean {
    lo |= 0;
    hi |= 0;
    const t = this.table;
    let i = slot(lo, hi, this.mask);
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
    const t = this.alloc(cap);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!;
      if (lo === 0) continue;
      const hi = old[j + 1]!;
      let i = slot(lo, hi, mask);
      while (t[2 * i] !== 0) i = (i + 1) & mask;
      t[2 * i] = lo;
      t[2 * i + 1] = hi;
    }
    this.table = t;
    this.mask = mask;
    this.limit = Math.floor(cap * MAX_LOAD);
  }
}
