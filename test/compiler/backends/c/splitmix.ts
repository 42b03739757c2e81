// The C equivalence tests' word stream: seeded and portable, so a failure names a word anyone can replay.

/** splitmix64: a seeded stream of 64-bit words. */
export function rng(seed: bigint): () => bigint {
  let s = seed & 0xffff_ffff_ffff_ffffn;
  return () => {
    s = (s + 0x9e37_79b9_7f4a_7c15n) & 0xffff_ffff_ffff_ffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & 0xffff_ffff_ffff_ffffn;
    z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & 0xffff_ffff_ffff_ffffn;
    return z ^ (z >> 31n);
  };
}
