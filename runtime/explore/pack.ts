// Byte packing of frontier entries: the codec's int32 stream (codec.ts) stored as zigzag varints, one byte for the
// small numbers that make up almost all of a state (counts, flags, addresses, pfns, name codes), up to five for a
// full 32-bit PTE half. A frontier of encoded states is the explorer's largest buffer; packed it is about a quarter
// of the int32 form. Exact: unpack(pack(x)) is x for every int32 (test/runtime/explore/codec.test.ts).

/**
 * A frontier entry (level.ts), in bytes: fingerprint lo, hi and owner as little-endian int32s (ENTRY_HEADER bytes),
 * then packed: the path length, the path (op indices from the root), the state (codec.ts). An entry ends where the
 * next one starts (its segment's offsets). At the last level an entry is the header alone: it is never expanded.
 */
export const ENTRY_HEADER = 12;

/** Bytes one int32 may take packed. */
export const MAX_PACKED = 5;

/** Write v (an int32) at d[p]; returns the position after it. The caller has made room (MAX_PACKED). */
export function putPacked(d: Uint8Array, p: number, v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  while (z >= 0x80) {
    d[p++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  d[p++] = z;
  return p;
}

/** Pack src[0..n) at d[p]; returns the position after it. The caller has made room (n * MAX_PACKED). */
export function packInts(src: Int32Array, n: number, d: Uint8Array, p: number): number {
  for (let i = 0; i < n; i++) {
    let z = ((src[i]! << 1) ^ (src[i]! >> 31)) >>> 0;
    while (z >= 0x80) {
      d[p++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    d[p++] = z;
  }
  return p;
}

/** Unpack the ints of d[from..to) into out[0..); returns how many there were (out must be large enough: to - from). */
export function unpackInts(d: Uint8Array, from: number, to: number, out: Int32Array): number {
  let n = 0;
  let p = from;
  while (p < to) {
    let b = d[p++]!;
    let z = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      b = d[p++]!;
      z |= (b & 0x7f) << shift;
      shift += 7;
    }
    out[n++] = (z >>> 1) ^ -(z & 1);
  }
  return n;
}

/** A little-endian int32 at d[p] (entry headers: fingerprints and owners are full-width). */
export function get32(d: Uint8Array, p: number): number {
  return d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
}

export function put32(d: Uint8Array, p: number, v: number): void {
  d[p] = v & 0xff;
  d[p + 1] = (v >>> 8) & 0xff;
  d[p + 2] = (v >>> 16) & 0xff;
  d[p + 3] = (v >>> 24) & 0xff;
}
