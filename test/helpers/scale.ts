// How many cases a randomized test runs. `npm test` sets PTELAB_FUZZ_SCALE to a tenth (vitest.config.ts), so it
// stays under its time budget; `npm run test:slow` leaves it unset and runs these files again at full size
// (test/slow-suites.ts, SCALED); PTELAB_FUZZ_SCALE=10 hunts longer. The same seeds run first at every scale, so a
// failure found at a quarter reproduces at full size.
export function fuzzScale(): number {
  const s = Number(process.env['PTELAB_FUZZ_SCALE'] ?? 1);
  return Number.isFinite(s) && s > 0 ? s : 1;
}

/** `full` cases at this scale, at least `min`. */
export function scaled(full: number, min = 1): number {
  return Math.max(min, Math.round(full * fuzzScale()));
}
