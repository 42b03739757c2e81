// What the known-answer tests of the other page-table levels share (pmd-known-answers, huge-pte-known-answers): a
// bundled spec's level, compiled, and a seeded stream of 64-bit values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { levelView, type LevelView } from '../../compiler/compile.js';
import type { LevelName } from '../../contract/table.js';
import { compileText } from '../helpers.js';

export const M64 = (1n << 64n) - 1n;
export const bit = (n: number): bigint => 1n << BigInt(n);

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), 'examples', f), 'utf8');

/** The `level` of examples/`spec`, compiled with the mm file it extends. */
export function bundledLevel(spec: string, mm: string, level: LevelName): LevelView {
  const c = compileText(read(spec), { [mm]: read(mm) });
  expect(c.ok).toBe(true);
  return levelView(c, level)!;
}

/** Seeded xorshift64: the same values on every run. */
export function* values(seed: bigint, n: number, shape: (v: bigint) => bigint): Generator<bigint> {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & M64;
    x ^= x >> 7n;
    x ^= (x << 17n) & M64;
    yield shape(x);
  }
}
