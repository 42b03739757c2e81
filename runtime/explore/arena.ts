// A growable array of int32: frontier states, worker messages. One allocation per level instead of one object
// graph per state (a decoded state is ~4 KB of JS objects; its encoding is a few hundred bytes).

export class IntArena {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  /** Make room for n more ints. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const d = new Int32Array(cap);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }

  append(src: Int32Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    this.data.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  clear(): void {
    this.length = 0;
  }

  /** A copy of the used part (transferable). */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}
