// Exact sizes of value sets, written so a person can read them: "1 value", "24 × 2^59 values".

export function sizeText(n: bigint): string {
  if (n === 1n) return '1 value';
  if (n < 1_000_000n) return `${n} values`;
  let e = 0;
  let m = n;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  if (m === 1n) return `2^${e} values`;
  if (m < 1_000_000n) return `${m} × 2^${e} values`;
  return `${n} values`;
}
