// Shared by the formatter tests: the bundled specs, the properties every formatting must have, and a seeded PRNG.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { commentText, formatSpecText } from '../../../apps/fmt/format.js';
import { withoutRanges } from '../../../apps/fmt/same-meaning.js';
import { parseSpec } from '../../../grammar/parse.js';
import { repoRoot } from '../../helpers/repo.js';

/** Every .pte file under examples/ (imported files included), repo-relative, sorted. */
export function allBundledPte(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.pte')) out.push(p);
    }
  };
  walk('examples');
  return out;
}

export function readRepo(file: string): string {
  return fs.readFileSync(path.join(repoRoot, file), 'utf8');
}

export function parseOk(text: string, file = 'f.pte') {
  const r = parseSpec({ path: file, text });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([]);
  return r;
}

/** fmt(x): must succeed. */
export async function fmt(text: string, file = 'f.pte'): Promise<string> {
  const r = await formatSpecText(text, file);
  if (!r.ok) throw new Error(`does not parse: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.text;
}

/**
 * The properties of formatting `text`: idempotent, same meaning (same AST, ranges aside), every comment kept in
 * order. Returns the formatted text.
 */
export async function checkFormatting(text: string, file = 'f.pte'): Promise<string> {
  const once = await fmt(text, file);
  const twice = await fmt(once, file);
  if (twice !== once) throw new Error(`not idempotent:\n--- once ---\n${once}\n--- twice ---\n${twice}`);
  const before = parseOk(text, file);
  const after = parseOk(once, file);
  expect(withoutRanges(after.ast)).toEqual(withoutRanges(before.ast));
  expect(after.comments.map((c) => commentText(c.image))).toEqual(before.comments.map((c) => commentText(c.image)));
  return once;
}

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, n: number) => Math.floor(r() * n);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;
export const chance = (r: Rng, p: number) => r() < p;
