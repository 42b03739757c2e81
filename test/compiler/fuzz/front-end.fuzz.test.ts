// Fuzzing the front end: no input may crash the lexer, parser, resolver, set compiler, checks or renderer.
// Three seeded corpora, 10,500 cases in all (4,500 + 3,500 + 2,500): (a) mutations of real specs (tokens and lines deleted, duplicated,
// swapped, replaced or inserted from the language's vocabulary; truncation; stray characters), (b) random token
// soup, (c) random specs generated from the grammar with edge-case numbers, which get past the parser and exercise
// resolve, the exact sets and every check. Every case must return diagnostics whose codes are PTE + 3 digits,
// whose positions are 1-based, inside the text and consistent with their offset, and never PTE090 (internal error).
//
// Case i of a corpus is seeded with PTELAB_FUZZ_SEED (default 0x5eed0001) + the corpus offset + i. A failure prints
// its seed, its input and the PTELAB_FUZZ_SEED that makes it the first case of its corpus, to reproduce it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../compiler/compile.js';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../../core/diagnostics/render.js';
import { memoryHost } from '../../../compiler/load.js';
import { keywords } from '../../../grammar/lexer.js';
import { posAt, splitLines, type Range, type SourceFile } from '../../../core/source.js';
import { X86 } from '../../helpers.js';
import { BASE, SEEDS } from './seeds.js';

const BASE_SEED = Number(process.env['PTELAB_FUZZ_SEED'] ?? 0x5eed_0001) >>> 0;
/** PTELAB_FUZZ_SCALE=10 runs ten times the cases (a longer hunt); the default costs about 18 s of CPU. */
const SCALE = Number(process.env['PTELAB_FUZZ_SCALE'] ?? 1);
const MUTATION_CASES = Math.round(4500 * SCALE);
const SOUP_CASES = Math.round(3500 * SCALE);
const GENERATED_CASES = Math.round(2500 * SCALE);

// ---------------------------------------------------------------------------------------------------------------
// A tiny seeded PRNG (mulberry32) and helpers.

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const chance = (r: Rng, p: number) => r() < p;

// ---------------------------------------------------------------------------------------------------------------
// The vocabulary: every keyword of the lexer, punctuation, numbers (huge ones included), names the seeds use,
// strings that name files of the in-memory host, and characters the lexer must reject gracefully.

const KEYWORDS = keywords.map((t) => t.name.replace(/^Kw_/, ''));
const PUNCT = ['{', '}', '(', ')', ',', ';', ':', '..', '.', '->', '||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '<', '>', '=', '!', '~', '|', '^', '&', '+', '-', '*'];
const NUMBERS = ['0', '1', '2', '3', '5', '7', '8', '9', '12', '31', '32', '51', '58', '59', '63', '64', '65', '99999', '0x60', '0x1f', '0xff', '0xffff_ffff_ffff_ffff', '0xffffffffffffffffffff', '0b101', '0b_', '0x_', '1_000', '18446744073709551616', '340282366920938463463374607431768211456'];
const NAMES = ['PRESENT', 'PROTNONE', 'GLOBAL', 'PFN', 'OFFSET', 'TYPE', 'RW', 'word', 'pte', 'swp', 'protnone_pte', 'pte_marker_entry', 'MAX_SWAPFILES', 'MAX_SWAPFILES_SHIFT', 'SWP_HWPOISON', 'SWP_HWPOISON_NUM', 'SWP_PTE_MARKER', 'SWP_PTE_MARKER_NUM', 'pte_none', 'pte_present', 'is_swap_pte', 'none', 'present', 'protnone', 'page', 'pfn', 'slot', 'x', 'X', '_', 'a1', 'PTE_MARKER_UFFD_WP', 'int', 'vma', 'p'];
const STRINGS = ['"base.pte"', '"spec.pte"', '"loop.pte"', '"imp.pte"', '"nope.pte"', '"../base.pte"', '"d"', '""', '"esc \\" \\\\ \\n"', '"', '"unterminated'];
const ODD = ['/*', '*/', '//', '@', '#', '$', '`', "'", '\\', '\t', '\n', '\r', '\r\n', '\u00e9', '\u0000', '\ufeff', '\u{1f600}'];
const VOCAB = [...KEYWORDS, ...KEYWORDS, ...PUNCT, ...PUNCT, ...NUMBERS, ...NAMES, ...STRINGS, ...ODD];

/** Files the in-memory host serves besides the case itself: a baseline, a file extending the case (a cycle when
 *  the case extends it) and an importable item list. */
const HOST_FILES: Record<string, string> = {
  'base.pte': BASE,
  'loop.pte': 'spec loop extends "spec.pte" "cycle"\nword 64\n',
  'imp.pte': 'const IMPORTED = 3\nformat imported { bit 1 I }\n',
};

// ---------------------------------------------------------------------------------------------------------------
// Seeds, cut into items (a line starting at column 1 with a letter begins an item) so that a case mutates a few
// items of a seed rather than a whole 20 KB spec: cases stay small and fast, so the count stays high.

const TOKEN_RE = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*|[A-Za-z_]\w*|\.\.|->|\|\||&&|==|!=|<=|>=|<<|>>|[\s\S]/g;

interface Seed {
  readonly name: string;
  readonly header: string;
  readonly items: readonly string[];
}

function cutIntoItems(name: string, text: string): Seed {
  const items: string[] = [];
  let header = '';
  let current: string[] = [];
  let pendingComments: string[] = [];
  const flush = () => {
    if (current.length) items.push(current.join('\n'));
    current = [];
  };
  for (const line of text.split('\n')) {
    if (/^[A-Za-z_]/.test(line)) {
      flush();
      if (/^(spec|word)\b/.test(line)) {
        header += line + '\n';
        pendingComments = [];
        continue;
      }
      current = [...pendingComments, line];
      pendingComments = [];
    } else if (/^\/\//.test(line) && current.length === 0) {
      pendingComments.push(line);
    } else if (current.length) {
      current.push(line);
    }
  }
  flush();
  return { name, header, items };
}

function loadSeeds(): Seed[] {
  const seeds = Object.entries({ ...SEEDS, X86 }).map(([n, t]) => cutIntoItems(n, t));
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.pte') ? [path.join(dir, e.name)] : []))
      : [];
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  for (const f of walk(path.join(root, 'examples')).sort()) seeds.push(cutIntoItems(path.relative(root, f), fs.readFileSync(f, 'utf8')));
  return seeds.filter((s) => s.items.length > 0);
}

const seeds = loadSeeds();
const baseSeed = cutIntoItems('base', BASE);

/** Cases are kept near 1 KB: parsing dominates the cost of a case, and many small cases find more than a few
 *  big ones. A long item (a path of the mm file) contributes a random run of at most MAX_ITEM_LINES lines. */
const MAX_ITEM_LINES = 6;

function clip(r: Rng, item: string): string {
  const lines = item.split('\n');
  if (lines.length <= MAX_ITEM_LINES) return item;
  const start = chance(r, 0.5) ? 0 : int(r, lines.length - MAX_ITEM_LINES);
  return lines.slice(start, start + MAX_ITEM_LINES).join('\n');
}

/** A header, a window of up to 3 items of one seed and sometimes an item of another. Item-only seeds (an
 *  imported mm file) get the small baseline's header and items so their names resolve. */
function sampleSpec(r: Rng): string {
  const s = pick(r, seeds);
  const parts: string[] = [];
  if (s.header) {
    if (!chance(r, 0.1)) parts.push(s.header);
  } else {
    parts.push(baseSeed.header, ...baseSeed.items);
  }
  const start = int(r, s.items.length);
  const n = 1 + int(r, 3);
  for (const item of s.items.slice(start, start + n)) parts.push(clip(r, item));
  if (chance(r, 0.2)) parts.push(clip(r, pick(r, pick(r, seeds).items)));
  return parts.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations.

function tokens(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

const isSpace = (t: string) => /^\s+$/.test(t);

/** Same-sort replacements keep the syntax (mostly) valid, so resolve, the sets and the checks see the result. */
function replaceSameSort(r: Rng, text: string): string {
  const ts = tokens(text);
  const numbers = ts.map((t, i) => (/^\d/.test(t) ? i : -1)).filter((i) => i >= 0);
  const names = ts.map((t, i) => (/^[A-Za-z_]/.test(t) ? i : -1)).filter((i) => i >= 0);
  if (chance(r, 0.5) && numbers.length > 0) {
    ts[pick(r, numbers)] = pick(r, NUMBERS);
  } else if (names.length > 0) {
    ts[pick(r, names)] = chance(r, 0.5) ? ts[pick(r, names)]! : pick(r, NAMES);
  }
  return ts.join('');
}

function mutate(r: Rng, text: string): string {
  const op = int(r, 16);
  if (op >= 12) return replaceSameSort(r, text);
  if (op <= 5) {
    const ts = tokens(text);
    const real = ts.map((t, i) => (isSpace(t) ? -1 : i)).filter((i) => i >= 0);
    if (real.length === 0) return pick(r, VOCAB) + text;
    const i = pick(r, real);
    switch (op) {
      case 0:
        ts.splice(i, 1);
        break;
      case 1:
        ts.splice(i, 0, ts[i]!, ' ');
        break;
      case 2: {
        const j = pick(r, real);
        [ts[i], ts[j]] = [ts[j]!, ts[i]!];
        break;
      }
      case 3:
        ts[i] = pick(r, VOCAB);
        break;
      default:
        ts.splice(i + int(r, 2), 0, pick(r, [' ', '', '\n']), pick(r, VOCAB), pick(r, [' ', '', '\n']));
    }
    return ts.join('');
  }
  const lines = text.split('\n');
  const i = int(r, lines.length);
  switch (op) {
    case 6:
      lines.splice(i, 1);
      return lines.join('\n');
    case 7:
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    case 8: {
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 9:
      return text.slice(0, int(r, text.length + 1));
    case 10: {
      const at = int(r, text.length + 1);
      return text.slice(0, at) + pick(r, ODD) + text.slice(at);
    }
    default: {
      const at = int(r, text.length + 1);
      return text.slice(0, at) + text.slice(at + 1 + int(r, 40));
    }
  }
}

function mutationCase(r: Rng): string {
  let text = sampleSpec(r);
  for (let k = 1 + int(r, 4); k > 0; k--) text = mutate(r, text);
  return text;
}

function soupCase(r: Rng): string {
  const head = chance(r, 0.5) ? pick(r, ['spec s "d"\nword 64\n', 'spec s extends "base.pte" "d"\n', 'word 64\n']) : '';
  const out: string[] = [head];
  for (let n = 1 + int(r, 40); n > 0; n--) out.push(pick(r, VOCAB), pick(r, [' ', ' ', ' ', '\n', '']));
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Random specs from the grammar: syntactically valid most of the time, so resolve, the sets and the checks see
// odd but well-formed layouts (fields at and past the word's edge, shifts up to 64, huge constants, deep nesting).

function generatedCase(r: Rng): string {
  const word = pick(r, [64, 64, 64, 64, 32, 16, 8, 1, 0, 65, 99999]);
  const lines = [pick(r, ['spec g "generated"', 'spec g extends "base.pte" "generated"', '']), chance(r, 0.9) ? `word ${word}` : ''];
  const W = Math.max(1, Math.min(64, word));
  const formats: { name: string; fields: string[] }[] = [];
  const consts: string[] = [];
  const num = (): string => pick(r, [String(int(r, 4)), String(int(r, W + 2)), String(int(r, 64)), pick(r, NUMBERS), ...consts.slice(0, 3)]);
  for (let f = 1 + int(r, 2); f > 0; f--) {
    const name = `f${formats.length}`;
    const base = formats.length && chance(r, 0.4) ? pick(r, formats) : undefined;
    const fields: string[] = base ? [...base.fields] : [];
    const members: string[] = [];
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const fname = pick(r, ['A', 'B', 'C', 'TYPE', 'OFFSET', 'PFN', `F${int(r, 9)}`]);
      const lo = chance(r, 0.9) ? int(r, W) : int(r, 70);
      const hi = chance(r, 0.5) ? lo : lo + int(r, chance(r, 0.8) ? Math.min(12, Math.max(1, W - lo)) : chance(r, 0.8) ? Math.max(1, W - lo) : 20);
      const over = base && fields.includes(fname) ? 'override ' : chance(r, 0.05) ? 'override ' : '';
      members.push(lo === hi && chance(r, 0.5) ? `${over}bit ${lo} ${fname}` : `${over}bits ${lo}..${hi} ${fname}${chance(r, 0.3) ? ' inverted' : ''}`);
      fields.push(fname);
      if (chance(r, 0.15)) {
        members.push(`alias AL${int(r, 3)} = ${pick(r, fields)}`);
      }
      if (chance(r, 0.15)) {
        const sub = `S${int(r, 3)}`;
        members.push(`in ${pick(r, fields)} { bit ${int(r, 4)} ${sub}${chance(r, 0.3) ? ' inverted' : ''} }`);
        fields.push(sub);
      }
    }
    lines.push(`format ${name}${base ? ` extends ${base.name}` : ''} { ${members.join('; ')} }`);
    formats.push({ name, fields });
  }
  const typeNames: string[] = [];
  if (chance(r, 0.6)) {
    const entries = [chance(r, 0.9) ? `MAX_SWAPFILES_SHIFT = ${pick(r, ['5', '5', '1', '2', '0', '53', '54', '64', '65', String(W)])}` : ''];
    for (let g = int(r, 4); g > 0; g--) {
      const n = int(r, 4);
      const ts = Array.from({ length: n }, () => `T${typeNames.length + int(r, 2)}`);
      typeNames.push(...ts);
      entries.push(`G${g} = ${chance(r, 0.9) ? n : int(r, 5)} { ${ts.join(', ')} }${chance(r, 0.2) ? ` before G${int(r, 4)}` : ''}`);
    }
    lines.push(`swap { ${entries.join('\n  ')} }`);
    consts.push('MAX_SWAPFILES', ...typeNames);
  }
  for (let c = int(r, 3); c > 0; c--) {
    const name = `C${c}`;
    lines.push(`const ${name} = ${num()} ${pick(r, ['+', '-', '*', '<<', '>>', '&', '|', '^'])} ${num()}`);
    consts.push(name);
  }
  const preds: string[] = [];
  const kinds: string[] = [];
  const cond = (fmt: { fields: string[] }, depth: number): string => {
    const atom = (): string => {
      const f = chance(r, 0.15) ? 'word' : pick(r, fmt.fields.length ? fmt.fields : ['word']);
      switch (int(r, 6)) {
        case 0:
          return f;
        case 1:
          return `${f} & ${num()} ${pick(r, ['==', '!='])} ${num()}`;
        case 2:
          return preds.length ? pick(r, preds) : `${f} == ${num()}`;
        default:
          return `${f} ${pick(r, ['==', '!=', '<', '<=', '>', '>='])} ${num()}`;
      }
    };
    if (depth <= 0 || chance(r, 0.4)) return atom();
    switch (int(r, 3)) {
      case 0:
        return `!(${cond(fmt, depth - 1)})`;
      case 1:
        return `${cond(fmt, depth - 1)} && ${cond(fmt, depth - 1)}`;
      default:
        return `(${cond(fmt, depth - 1)} || ${cond(fmt, depth - 1)})`;
    }
  };
  const kindNames = Array.from({ length: 1 + int(r, 3) }, (_, i) => pick(r, ['none', 'present', 'swap', `k${i}`]));
  if (chance(r, 0.5)) {
    const fmt = pick(r, formats);
    lines.push(`predicate pte_none on ${fmt.name} = ${cond(fmt, 1)}`);
    preds.push('pte_none');
  }
  for (let p = int(r, 2); p > 0; p--) {
    const fmt = pick(r, formats);
    const means = chance(r, 0.4) ? ` means ${kindNames.slice(0, 1 + int(r, kindNames.length)).join(', ')}` : '';
    lines.push(`predicate p${p} on ${fmt.name} = ${cond(fmt, 2)}${means}`);
    preds.push(`p${p}`);
  }
  for (const k of kindNames) {
    const fmt = pick(r, formats);
    const f = () => pick(r, fmt.fields.length ? fmt.fields : ['X']);
    const refs = pick(r, ['', '', ` refs page(${f()})`, ` refs pfn(${f()})`, ` refs slot(${f()}, ${f()})`, ' refs page()', ` refs frob(${f()})`]);
    lines.push(`${kinds.includes(k) || chance(r, 0.05) ? 'override ' : ''}kind ${k} : ${fmt.name} when ${cond(fmt, 2)}${refs}`);
    kinds.push(k);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Running a case and judging its diagnostics.

const CODE_RE = /^PTE\d{3}$/;

const linesOf = new WeakMap<SourceFile, string[]>();

function checkRange(range: Range, sources: ReadonlyMap<string, SourceFile>, what: string): string | undefined {
  const src = sources.get(range.file);
  if (!src) return `${what} points into '${range.file}', which is not a source of this compile`;
  const { line, column, offset } = range.start;
  let lines = linesOf.get(src);
  if (!lines) linesOf.set(src, (lines = splitLines(src.text)));
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return `${what} line ${line} is outside 1..${lines.length}`;
  const len = lines[line - 1]!.length;
  if (!Number.isInteger(column) || column < 1 || column > len + 1) return `${what} column ${column} is outside 1..${len + 1} on line ${line}`;
  if (!Number.isInteger(offset) || offset < 0 || offset > src.text.length) return `${what} offset ${offset} is outside the text`;
  const p = posAt(src.text, offset);
  if (p.line !== line || p.column !== column) return `${what} says ${line}:${column} but its offset ${offset} is at ${p.line}:${p.column}`;
  return undefined;
}

function judge(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): string | undefined {
  if (!CODE_RE.test(d.code)) return `bad code ${JSON.stringify(d.code)}`;
  if (d.code === 'PTE090') return `internal error: ${d.message}`;
  const where = checkRange(d.range, sources, `${d.code} '${d.message}'`);
  if (where) return where;
  for (const rel of d.related ?? []) {
    const w = checkRange(rel.range, sources, `${d.code} related '${rel.message}'`);
    if (w) return w;
  }
  return undefined;
}

interface Failure {
  readonly seed: number;
  readonly problem: string;
  readonly input: string;
}

/** What went wrong with a case (undefined: nothing), and whether it parsed without a syntax error. */
function runCase(text: string): { problem?: string; parsed: boolean } {
  try {
    const compiled = compileSpec('spec.pte', memoryHost({ ...HOST_FILES, 'spec.pte': text }));
    if (!compiled.ok) return { problem: `I/O error for an in-memory file: ${compiled.error}`, parsed: false };
    const r = compiled.value;
    for (const d of r.diagnostics) {
      const problem = judge(d, r.sources);
      if (problem) return { problem, parsed: false };
    }
    renderText(r.diagnostics, r.sources);
    JSON.stringify(toJson(r.diagnostics));
    return { parsed: !r.diagnostics.some((d) => d.code === 'PTE001') };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { problem: `threw ${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`, parsed: false };
  }
}

function fuzz(label: string, cases: number, seedOffset: number, make: (r: Rng) => string): void {
  runCase(X86); // warm up (the parser's self-analysis runs on first use), so 'slowest case' means something
  const failures: Failure[] = [];
  let slowest = { ms: 0, seed: 0 };
  let parsed = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < cases; i++) {
    const seed = (BASE_SEED + seedOffset + i) >>> 0;
    const input = make(mulberry32(seed));
    const t0 = performance.now();
    const { problem, parsed: ok } = runCase(input);
    const ms = performance.now() - t0;
    if (ok) parsed++;
    if (ms > slowest.ms) slowest = { ms, seed };
    if (problem && failures.length < 5) failures.push({ seed, problem, input });
  }
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(`fuzz ${label}: ${cases} cases in ${elapsed.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (${Math.round((100 * parsed) / cases)}% free of syntax errors; slowest case ${slowest.ms.toFixed(0)} ms, seed ${slowest.seed})`);
  const report = failures
    .map((f) => `--- seed ${f.seed} (PTELAB_FUZZ_SEED=${(f.seed - seedOffset) >>> 0}): ${f.problem}\n--- input:\n${f.input}\n--- input as JSON:\n${JSON.stringify(f.input)}\n--- end`)
    .join('\n');
  if (report) console.error(report);
  expect(failures.map((f) => `seed ${f.seed}: ${f.problem.split('\n')[0]}`), report).toEqual([]);
}

describe('front-end fuzz', () => {
  it('has seeds to mutate, cut into items: the inlined samples and every examples/**/*.pte', () => {
    expect(seeds.map((s) => s.name)).toEqual(expect.arrayContaining(['T2', 'T1', 'BAD', 'BASE', 'X86']));
    expect(seeds.every((s) => s.items.every((i) => /^(\/\/.*\n)*[A-Za-z_]/.test(i)))).toBe(true);
  });

  it(`${MUTATION_CASES} mutated specs compile without crashing, with well-formed diagnostics`, () => {
    fuzz('mutations', MUTATION_CASES, 0, mutationCase);
  });

  it(`${SOUP_CASES} random token soups compile without crashing, with well-formed diagnostics`, () => {
    fuzz('soup', SOUP_CASES, 1_000_000, soupCase);
  });

  it(`${GENERATED_CASES} random grammar-generated specs compile without crashing, with well-formed diagnostics`, () => {
    fuzz('generated', GENERATED_CASES, 2_000_000, generatedCase);
  });
});
