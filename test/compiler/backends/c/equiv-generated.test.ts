// C = the spec = TS, quickly, on many layouts: every bundled spec and proposal, and a stream of 200 generated
// proposals (test/compiler/backends/c/generated-proposals.ts: seeded deltas of the bundled specs, the same every run).
// Each one's layout C (classify, decode, encode, the predicates) runs on the boundary values of every kind and
// seeded random words (150 each in `npm run test:slow`, 30 in `npm test`: PTELAB_FUZZ_SCALE), and must agree bit for
// bit with the spec's exact meaning (the compiler's sets and the fields' bit-level semantics), and with the TS
// module's classify and decode: a bundled proposal's committed generated/ module (fresh: generated-fresh.test.ts),
// and one built here for every 40th generated proposal (about 0.3 s of CPU each, so not for all 200). The arch
// helpers, the kernel specs' TS, and 100k words per spec are test/compiler/backends/c/equiv.test.ts (test:slow).
//
// All the harnesses are one program (harness-set.ts: the C the cases share is compiled once; two translation units,
// one per half of the bases, two gcc processes) run once, each harness on its own input file.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contains, fieldInsert, fieldValue } from '../../../../compiler/bits/cube-set.js';
import { outputName } from '../../../../compiler/backends/build.js';
import { emitC } from '../../../../compiler/backends/c/emit.js';
import { emitTsPlain } from '../../../../compiler/backends/ts/emit.js';
import { transpile } from '../../../../compiler/backends/ts/transpile.js';
import type { SpecModule } from '../../../../contract/spec-module.js';
import { repoRoot } from '../../../helpers/repo.js';
import { scaled } from '../../../helpers/scale.js';
import { generatedProposals } from './generated-proposals.js';
import { harnessProgram } from './harness.js';
import { harnessSet } from './harness-set.js';
import { allCases, HAVE_GCC, run, tempDir, type SketchCase } from './helpers.js';
import { rng } from './splitmix.js';

const COUNT = 200;
const RANDOM = scaled(150, 30);
const TS_EVERY = 40;
const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';

/** [kind index to decode as or -1, word]: every kind's base and cube corners, then random words. */
function inputs(s: SketchCase, seed: number): [number, bigint][] {
  const mask = (1n << BigInt(s.ir.word)) - 1n;
  const out: [number, bigint][] = [];
  s.ir.kinds.forEach((k, i) => {
    out.push([-1, k.base], [i, k.base]);
    for (const [m, v] of k.cubes.slice(0, 8)) out.push([-1, v], [-1, v | (~m & mask)]);
  });
  const next = rng(BigInt(seed));
  for (let n = 0; n < RANDOM; n++) {
    const k = s.ir.kinds[Number(next() % BigInt(s.ir.kinds.length))]!;
    const cube = k.cubes[Number(next() % BigInt(Math.max(1, k.cubes.length)))];
    out.push([-1, cube && n % 2 ? cube[1] | (next() & ~cube[0] & mask) : next() & mask]);
  }
  return out;
}

/** The line the harness must print (mode 3), from the spec's exact sets and fields. */
function exact(s: SketchCase, k: number, w: bigint): string {
  const c = s.ir.kinds.findIndex((x) => contains(s.compiled.sets.kinds.get(x.name)!, w));
  let line = String(c);
  const d = k < 0 ? c : k;
  if (d >= 0) {
    const kind = s.ir.kinds[d]!;
    let enc = kind.base;
    for (const f of s.compiled.spec.formats.get(kind.format)!.fields.values()) {
      const v = fieldValue(f, w);
      line += ` ${v.toString(16)}`;
      enc = fieldInsert(f, enc, v);
    }
    line += ` ${enc.toString(16)}`;
  }
  line += ' | |';
  for (const p of s.ir.predicates) line += contains(s.compiled.sets.predicates.get(p.name)!, w) ? '1' : '0';
  return line;
}

/** The same line from the generated TS module (`want`: exact()'s line, whose predicates it takes). */
function fromTs(s: SketchCase, m: SpecModule, k: number, w: bigint, want: string): string {
  const name = m.classify(w);
  const c = name === undefined ? -1 : s.ir.kinds.findIndex((x) => x.name === name);
  let line = String(c);
  const d = k < 0 ? c : k;
  if (d >= 0) {
    const kind = s.ir.kinds[d]!;
    const decoded = m.decode(kind.name, w);
    let enc = kind.base;
    for (const f of s.compiled.spec.formats.get(kind.format)!.fields.values()) {
      line += ` ${decoded[f.name]!.toString(16)}`;
      enc = fieldInsert(f, enc, decoded[f.name]!);
    }
    line += ` ${enc.toString(16)}`;
  }
  // The module's predicates are not part of its API: its classify/decode side only.
  return `${line}${want.slice(want.indexOf(' | |'))}`;
}

/**
 * A bundled proposal's module as committed in generated/ (the TS back end's output for it, kept fresh by
 * generated-fresh.test.ts): imported through vitest's transform it costs about a fifth of emitting and transpiling
 * it here (a bundled module carries its handlers: about 0.8 s of CPU each that way).
 */
async function committedModule(s: SketchCase): Promise<SpecModule> {
  return ((await import(path.join(repoRoot, 'generated', outputName(path.join(repoRoot, s.file)), 'module.ts'))) as { default: SpecModule }).default;
}

async function builtModule(s: SketchCase): Promise<SpecModule> {
  const js = transpile(emitTsPlain(s.ir, { runtimeImport: 'ptelab/contract/spec-module.js' }));
  return ((await import(`data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`)) as { default: SpecModule }).default;
}

/** Cases by the spec they build on, in two groups of about the same size: a base's cases share most of their C. */
function byBase(cases: readonly SketchCase[]): number[][] {
  const bases = new Map<string, number[]>();
  cases.forEach((s, i) => {
    const key = s.base?.name ?? s.ir.name;
    bases.set(key, [...(bases.get(key) ?? []), i]);
  });
  const groups: number[][] = [[], []];
  for (const b of [...bases.values()].sort((x, y) => y.length - x.length)) groups.sort((x, y) => x.length - y.length)[0]!.push(...b);
  return groups;
}

function gcc(args: readonly string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('gcc', args, { cwd });
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stderr }));
  });
}

interface Ran {
  readonly s: SketchCase;
  readonly ins: readonly [number, bigint][];
  /** The harness's output lines for ins. */
  readonly got: readonly string[];
}

/** Every case's inputs through the one program. */
async function runAll(cases: readonly SketchCase[], seeds: readonly number[]): Promise<Ran[]> {
  const dir = tempDir('equiv-gen');
  const set = harnessSet(
    cases.map((s) => harnessProgram(s.ir, emitC(s.ir), { archHelpers: false })),
    byBase(cases),
  );
  set.units.forEach((u, i) => fs.writeFileSync(path.join(dir, `u${i}.c`), u));
  fs.writeFileSync(path.join(dir, 'main.c'), set.main);
  const cc = await Promise.all(set.units.map((_u, i) => gcc(['-std=gnu11', '-O0', '-Wall', '-Werror', '-c', `u${i}.c`], dir)));
  for (const r of cc) expect([r.status, r.stderr]).toEqual([0, '']);
  const link = run('gcc', ['-std=gnu11', '-Wall', '-Werror', '-o', 'harness', 'main.c', ...set.units.map((_u, i) => `u${i}.o`)], { cwd: dir });
  expect([link.status, link.stderr]).toEqual([0, '']);
  const all = cases.map((s, i) => inputs(s, seeds[i]!));
  all.forEach((ins, i) => fs.writeFileSync(path.join(dir, `in${i}.txt`), ins.map(([k, w]) => `3 ${k} ${w.toString(16)}\n`).join('')));
  const r = run(path.join(dir, 'harness'), [String(cases.length)], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
  // Each harness's lines, then its `#i`.
  const out: Ran[] = [];
  let lines: string[] = [];
  for (const line of r.stdout.split('\n').slice(0, -1)) {
    if (line !== `#${out.length}`) {
      lines.push(line);
      continue;
    }
    out.push({ s: cases[out.length]!, ins: all[out.length]!, got: lines });
    lines = [];
  }
  expect(out.length).toBe(cases.length);
  return out;
}

/** The first few lines where C, the spec and TS (when given) disagree, and how many there are. */
function differences(ran: Ran, ts: SpecModule | undefined): { count: number; first: string[] } {
  const { s, ins, got } = ran;
  let count = Math.abs(got.length - ins.length);
  const first: string[] = count ? [`${s.file}: ${got.length} lines for ${ins.length} inputs`] : [];
  ins.forEach(([k, w], n) => {
    const want = exact(s, k, w);
    const tsLine = ts ? fromTs(s, ts, k, w, want) : want;
    if (got[n] !== want || tsLine !== want) {
      count++;
      if (first.length < 5) first.push(`${s.file}, input ${k} 0x${w.toString(16)}:\n  C   : ${got[n]}\n  spec: ${want}\n  TS  : ${tsLine}`);
    }
  });
  return { count, first };
}

describe('C = the spec = TS on the bundled layouts and on generated proposals (one harness program)', () => {
  let bundled: Ran[] = [];
  let generated: Ran[] = [];
  beforeAll(async () => {
    if (!HAVE_GCC) return;
    const gen = generatedProposals(COUNT);
    expect(gen.length).toBe(COUNT);
    const mine = allCases();
    // Seeds: a generated proposal's is its index + 1 (as it always was), a bundled case's 1000 + its index.
    const ran = await runAll([...mine, ...gen], [...mine.map((_s, i) => 1000 + i), ...gen.map((_s, i) => i + 1)]);
    bundled = ran.slice(0, mine.length);
    generated = ran.slice(mine.length);
  }, 300_000);

  it.skipIf(!HAVE_GCC)(`every bundled spec and proposal: classify, decode, encode and predicates = the spec; a proposal's = its committed TS module${NO_GCC}`, async () => {
    // Every examples/*.pte and examples/proposals/*.pte, as the directories list them; the proposals (with a base)
    // are the ones compared with TS.
    const pte = (d: string): string[] => fs.readdirSync(path.join(repoRoot, d)).filter((f) => f.endsWith('.pte')).map((f) => `${d}/${f}`);
    const proposals = pte('examples/proposals');
    expect(bundled.map((r) => r.s.file).sort()).toEqual([...pte('examples'), ...proposals].sort());
    expect(bundled.filter((r) => r.s.base).map((r) => r.s.file).sort()).toEqual(proposals.sort());
    const first: string[] = [];
    let count = 0;
    for (const r of bundled) {
      const d = differences(r, r.s.base ? await committedModule(r.s) : undefined);
      count += d.count;
      first.push(...d.first);
    }
    expect(first.slice(0, 5).join('\n'), `${count} lines differ`).toBe('');
  });

  it.skipIf(!HAVE_GCC)(`${COUNT} generated proposals: classify, decode, encode and predicates = the spec, = TS for every ${TS_EVERY}th${NO_GCC}`, async () => {
    expect(generated.length).toBe(COUNT);
    const first: string[] = [];
    let count = 0;
    for (const [i, r] of generated.entries()) {
      const d = differences(r, i % TS_EVERY === 0 ? await builtModule(r.s) : undefined);
      count += d.count;
      first.push(...d.first);
    }
    expect(first.slice(0, 5).join('\n'), `${count} lines differ`).toBe('');
  });
});
