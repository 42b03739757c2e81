import { describe, expect, it } from 'vitest';
import { VisitedSet, probeTable } from '../../runtime/explore/visited.js';
import { lcg } from '../runtime/random-ops.js';

describe('visited set', () => {
  it('holds 200k fingerprints at 8 bytes a slot, finds each, and nothing else', () => {
    for (const shared of [false, true]) {
      const v = new VisitedSet(16, shared);
      const r = lcg(7);
      const keys: [number, number][] = [];
      for (let i = 0; i < 200_000; i++) keys.push([((r() * 2 ** 32) | 0) || 1, (r() * 2 ** 32) | 0]);
      for (const [lo, hi] of keys) v.add(lo, hi);
      expect(v.size).toBeLessThanOrEqual(200_000);
      expect(v.size).toBeGreaterThan(199_990); // a handful of duplicates from the generator at most
      let missing = 0;
      for (const [lo, hi] of keys) if (v.add(lo, hi) || !v.has(lo, hi) || !probeTable(v.view, lo, hi)) missing++;
      expect(missing).toBe(0);
      expect(v.has(12345, 678)).toBe(false);
      expect(v.bytes / v.size).toBeLessThanOrEqual(8 / 0.35);
      expect(v.bytes / v.size).toBeGreaterThanOrEqual(8 / 0.7);
    }
  });
});
