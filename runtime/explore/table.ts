// The shared visited table of the parallel BFS: open addressing with linear probing in one SharedArrayBuffer, three
// int32 lanes per slot: fingerprint low lane, high lane, owner. Every thread inserts with compare-and-swap; nobody
// locks.
//
// - A low lane of 0 marks an empty slot and a high lane of 0 a slot being filled (fingerprints have neither:
//   fingerprint.ts). Insertion claims a slot by CAS on the low lane, writes the owner, then the high lane; a reader
//   that meets a matching low lane waits for the high lane.
// - The owner is the global BFS index of the state's first parent: the lowest one wins (atomic min). States of
//   earlier levels have owners below every parent of the current level, so they are never taken over. After a level,
//   a new successor is kept by the one worker whose parent still owns it: the next frontier is ordered exactly as a
//   sequential BFS would order it (first discovery by parent index, then op index: one parent is expanded by one
//   worker, op by op), whatever the number of workers and the timing.
// - The table does not grow during a level: explore.ts sizes it at each level barrier, and a level that fills it
//   past GROW_LOAD anyway is aborted, the table regrown without that level's insertions (rehash), and the level run
//   again.

export const LANES = 3;
export const GROW_LOAD = 0.9;
/** The load explore.ts keeps the table under at a barrier, counting the states the level may add. */
export const TARGET_LOAD = 0.7;

/** The owner of the root (it has no parent). */
export const ROOT_OWNER = -1;
export const INSERT_DUP = 0;
export const INSERT_NEW = 1;
export const INSERT_LOWERED = 2;

/** The home slot of a fingerprint in a table of `cap` slots (any size: a multiply-shift, not a mask). */
export function slotOf(lo: number, hi: number, cap: number): number {
  const h = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  return Math.min(cap - 1, Math.floor((h / 4294967296) * cap));
}

/** A table of at least `capacity` slots (rounded up to a multiple of 4096, not to a power of two: memory counts). */
export function allocTable(capacity: number): Int32Array {
  const cap = Math.max(4096, Math.ceil(capacity / 4096) * 4096);
  return new Int32Array(new SharedArrayBuffer(cap * LANES * 4));
}

export function tableCapacity(t: Int32Array): number {
  return t.length / LANES;
}

/** Insert (lo, hi) with `owner`: NEW (first time), LOWERED (seen, owner lowered to ours) or DUP. */
export function tableInsert(t: Int32Array, lo: number, hi: number, owner: number): number {
  const cap = t.length / LANES;
  let i = slotOf(lo, hi, cap);
  for (;;) {
    const at = i * LANES;
    let a = Atomics.load(t, at);
    if (a === 0) {
      a = Atomics.compareExchange(t, at, 0, lo);
      if (a === 0) {
        Atomics.store(t, at + 2, owner);
        Atomics.store(t, at + 1, hi);
        return INSERT_NEW;
      }
    }
    if (a === lo) {
      let h = Atomics.load(t, at + 1);
      while (h === 0) h = Atomics.load(t, at + 1); // being filled by another thread: a few instructions away
      if (h === hi) {
        for (;;) {
          const cur = Atomics.load(t, at + 2);
          if (cur <= owner) return INSERT_DUP;
          if (Atomics.compareExchange(t, at + 2, cur, owner) === cur) return INSERT_LOWERED;
        }
      }
    }
    if (++i === cap) i = 0;
  }
}

/** The owner of (lo, hi), or undefined when absent. */
export function tableOwner(t: Int32Array, lo: number, hi: number): number | undefined {
  const cap = t.length / LANES;
  let i = slotOf(lo, hi, cap);
  for (;;) {
    const at = i * LANES;
    const a = Atomics.load(t, at);
    if (a === 0) return undefined;
    if (a === lo && Atomics.load(t, at + 1) === hi) return Atomics.load(t, at + 2);
    if (++i === cap) i = 0;
  }
}

/** A new table of `capacity` slots holding the entries of `old` whose owner is below `ownerBelow` (single thread). */
export function rehash(old: Int32Array, capacity: number, ownerBelow: number): { table: Int32Array; count: number } {
  const t = allocTable(capacity);
  const cap = t.length / LANES;
  let count = 0;
  for (let j = 0; j < old.length; j += LANES) {
    const lo = old[j]!;
    if (lo === 0 || old[j + 2]! >= ownerBelow) continue;
    const hi = old[j + 1]!;
    let i = slotOf(lo, hi, cap);
    while (t[i * LANES] !== 0) if (++i === cap) i = 0;
    t[i * LANES] = lo;
    t[i * LANES + 1] = hi;
    t[i * LANES + 2] = old[j + 2]!;
    count++;
  }
  return { table: t, count };
}
