// The order of a folder's files wherever ptelab lists them: numbers in names compare as numbers, so
// `10-guard-regions.scn` comes after `9-mremap.scn`. Byte-wise within equal numbers, so the order is the same on
// every machine and locale.

const PARTS = /(\d+)|(\D+)/g;

export function compareFileNames(a: string, b: string): number {
  const pa = a.match(PARTS) ?? [];
  const pb = b.match(PARTS) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
