// C = the spec on a stream of generated proposals (test/compiler/backends/c/generated-proposals.ts: seeded deltas of the bundled specs,
// the same every run): each proposal's layout C (classify, decode, encode, the predicates) runs on the boundary
// values of every kind and 150 seeded random words, and must agree bit for bit with the spec's exact meaning (the
// compiler's sets and the fields' bit-level semantics, which the TS module is generated from). For every 40th one
// the generated TS module is loaded and compared too (C = TS; a TS module costs about 0.3 s of CPU to build, so not
// for all 200). All harnesses are linked into one program (one translation unit each, two gcc processes).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contains, fieldInsert, fieldValue } from '../../../../compiler/bits/cube-set.js';
import { emitC } from '../../../../compiler/backends/c/emit.js';
import { harnessProgram } from './harness.js';
import { emitTsText } from '../../../../compiler/backends/ts/emit.js';
import { transpile } from '../../../../compiler/backends/ts/transpile.js';
import type { SpecModule } from '../../../../contract/spec-module.js';
import { generatedProposals } from './generated-proposals.js';
import { HAVE_GCC, run, tempDir, type SketchCase } from './helpers.js';

const COUNT = 200;
const RANDOM = 150;
const TS_EVERY = 40;
const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';

function rng(seed: bigint): () => bigint {
  let s = seed & 0xffff_ffff_ffff_ffffn;
  return () => {
    s = (s + 0x9e37_79b9_7f4a_7c15n) & 0xffff_ffff_ffff_ffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & 0xffff_ffff_ffff_ffffn;
    z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & 0xffff_ffff_ffff_ffffn;
    return z ^ (z >> 31n);
  };
}

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

/** The same line from the generated TS module. */
function fromTs(s: SketchCase, m: SpecModule, k: number, w: bigint): string {
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
  return `${line}${exact(s, k, w).slice(exact(s, k, w).indexOf(' | |'))}`;
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

describe('C = the spec (and = TS) on generated proposals', () => {
  it.skipIf(!HAVE_GCC)(`${COUNT} generated proposals: classify, decode, encode and predicates${NO_GCC}`, async () => {
    const cases = generatedProposals(COUNT);
    expect(cases.length).toBe(COUNT);
    const dir = tempDir('equiv-gen');
    const names = cases.map((s, i) => {
      const f = `h${i}.c`;
      // The swap entry functions the harness defines (not static: the shim declares them) get a name of their own
      // in each translation unit; main() becomes harness_<i>().
      const own = ['swp_entry', 'swp_type', 'swp_offset', 'pte_to_swp_entry', 'swp_entry_to_pte'].map((n) => `#define ${n} ${n}_${i}`);
      const program = harnessProgram(s.ir, emitC(s.ir), { archHelpers: false }).replace('int main(void)', `int harness_${i}(void);\nint harness_${i}(void)`);
      fs.writeFileSync(path.join(dir, f), `${own.join('\n')}\n${program}`);
      return f;
    });
    const main = [
      '#include <stdlib.h>',
      ...cases.map((_, i) => `int harness_${i}(void);`),
      'int main(int argc, char **argv)',
      '{',
      '\tswitch (argc > 1 ? atoi(argv[1]) : -1) {',
      ...cases.flatMap((_, i) => [`\tcase ${i}:`, `\t\treturn harness_${i}();`]),
      '\t}',
      '\treturn 2;',
      '}',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'main.c'), `${main}\n`);
    const halves = [names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)];
    const cc = await Promise.all(halves.map((h) => gcc(['-std=gnu11', '-O0', '-Wall', '-Werror', '-c', ...h], dir)));
    for (const r of cc) expect(r.stderr).toBe('');
    const link = run('gcc', ['-o', 'harness', 'main.c', ...names.map((n) => n.replace(/\.c$/, '.o'))], { cwd: dir });
    expect(link.stderr).toBe('');
    let mismatches = 0;
    const first: string[] = [];
    for (const [i, s] of cases.entries()) {
      const ins = inputs(s, i + 1);
      const r = run(path.join(dir, 'harness'), [String(i)], { input: ins.map(([k, w]) => `3 ${k} ${w.toString(16)}\n`).join('') });
      expect(r.status, s.file).toBe(0);
      const got = r.stdout.split('\n');
      let ts: SpecModule | undefined;
      if (i % TS_EVERY === 0) {
        const js = transpile(emitTsText(s.ir, { runtimeImport: 'ptelab/contract/spec-module.js' }));
        ts = ((await import(`data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`)) as { default: SpecModule }).default;
      }
      ins.forEach(([k, w], n) => {
        const want = exact(s, k, w);
        const tsLine = ts ? fromTs(s, ts, k, w) : want;
        if (got[n] !== want || tsLine !== want) {
          mismatches++;
          if (first.length < 5) first.push(`${s.file}, input ${k} 0x${w.toString(16)}:\n  C   : ${got[n]}\n  spec: ${want}\n  TS  : ${tsLine}`);
        }
      });
    }
    expect(first.join('\n'), `${mismatches} lines differ`).toBe('');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
