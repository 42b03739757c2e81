// One C = TS run of the slow suite (equiv.test.ts: 100k words per bundled spec, each level): the layout C of a spec's sketch (classify, decode, encode, the arch helpers,
// the predicates) compiled by gcc into a harness (harness.ts) and run on a stream of words, against the generated TS
// module and the compiler's exact sets, bit for bit. A level other than the PTE's runs from the spec's own sketch,
// with every level's C compiled in, as the series adds it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { contains, fieldInsert, fieldValue } from '../../../../compiler/bits/cube-set.js';
import { emitC } from '../../../../compiler/backends/c/emit.js';
import { harnessFns, harnessIntArg, harnessProgram } from './harness.js';
import { emitTsText, id } from '../../../../compiler/backends/ts/emit.js';
import { transpile } from '../../../../compiler/backends/ts/transpile.js';
import type { IrSpec } from '../../../../compiler/ir/types.js';
import { isPte } from '../../../../compiler/ir/types.js';
import type { LevelModule, SpecModule } from '../../../../contract/spec-module.js';
import type { LevelName } from '../../../../contract/table.js';
import { run, tempDir, type SketchCase } from './helpers.js';
import { rng } from './splitmix.js';

function seedOf(name: string): bigint {
  let h = 0xcbf2_9ce4_8422_2325n;
  for (const ch of Buffer.from(name, 'utf8')) h = ((h ^ BigInt(ch)) * 0x100_0000_01b3n) & 0xffff_ffff_ffff_ffffn;
  return h;
}

interface Loaded {
  readonly module: SpecModule;
  readonly exports: Readonly<Record<string, unknown>>;
}

/** A generated TS module with its named exports (the arch helpers are exported fns). */
async function loadTs(ir: IrSpec): Promise<Loaded> {
  const js = transpile(emitTsText(ir, { runtimeImport: 'ptelab/contract/spec-module.js' }));
  const ns = (await import(`data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`)) as Record<string, unknown>;
  return { module: ns['default'] as SpecModule, exports: ns };
}

/**
 * Inputs: [mode, kind index or -1, word]. Boundary values of every kind (both as classified and as that kind),
 * then random words. Mode 1: the arch helpers and predicates too (the first `full` random words); mode 2: also the
 * bit-by-bit field semantics on the TS side (the boundary values).
 */
function inputs(s: SketchCase, count: number, full: number): [number, number, bigint][] {
  return layoutInputs(s, count).map(([k, w], i, all) => [i < all.length - count ? 2 : i < all.length - count + full ? 1 : 0, k, w]);
}

function layoutInputs(s: SketchCase, count: number): [number, bigint][] {
  const ir = s.ir;
  const mask = (1n << BigInt(ir.word)) - 1n;
  const formats = s.compiled.spec.formats;
  const out: [number, bigint][] = [];
  const both = (k: number, w: bigint): void => {
    out.push([-1, w & mask], [k, w & mask]);
  };
  ir.kinds.forEach((k, i) => {
    both(i, k.base);
    for (const f of formats.get(k.format)!.fields.values()) {
      both(i, fieldInsert(f, k.base, 0n));
      both(i, fieldInsert(f, k.base, (1n << BigInt(f.width)) - 1n));
    }
    for (const [m, v] of k.cubes) {
      both(i, v);
      both(i, v | (~m & mask));
    }
  });
  const next = rng(seedOf(`${ir.name}${ir.level && ir.level !== 'pte' ? `:${ir.level}` : ''}`));
  for (let n = 0; n < count; n++) {
    const r = next();
    const pick = Number(r & 0xffn);
    if (pick < 128) {
      out.push([-1, next() & mask]); // a uniformly random word
    } else {
      // a random member of a random cube of a random kind, decoded as classified or as a random kind
      const k = ir.kinds[Number((r >> 8n) % BigInt(ir.kinds.length))]!;
      const cube = k.cubes[Number((r >> 16n) % BigInt(Math.max(1, k.cubes.length)))];
      const w = cube ? cube[1] | (next() & ~cube[0] & mask) : next() & mask;
      out.push([pick < 224 ? -1 : Number((r >> 24n) % BigInt(ir.kinds.length)), w]);
    }
  }
  return out;
}

function hex(v: bigint): string {
  return v.toString(16);
}

/** A field of the model as masks (checked against the bit-by-bit fieldInsert/fieldValue on the boundary values). */
interface FastField {
  readonly name: string;
  readonly mask: bigint;
  readonly shift: bigint;
  readonly width: bigint;
  readonly invert: bigint;
}

function fastFields(s: SketchCase, format: string): FastField[] {
  return [...s.compiled.spec.formats.get(format)!.fields.values()].map((f) => {
    const lo = f.bits[0]!.pos;
    f.bits.forEach((b, i) => {
      if (b.pos !== lo + i || b.inverted !== f.bits[0]!.inverted) throw new Error(`${format}.${f.name}: not one contiguous run of bits`);
    });
    const width = BigInt(f.bits.length);
    const ones = (1n << width) - 1n;
    return { name: f.name, mask: ones << BigInt(lo), shift: BigInt(lo), width, invert: f.bits[0]!.inverted ? ones : 0n };
  });
}

/** What the harness must print for one input, computed on the TS side. */
function expected(s: SketchCase, ts: Loaded, fast: Map<string, FastField[]>, mode: number, k: number, w: bigint): string {
  const ir = s.ir;
  const name = ts.module.classify(w);
  const c = name === undefined ? -1 : ir.kinds.findIndex((x) => x.name === name);
  let line = String(c);
  const d = k < 0 ? c : k;
  if (d >= 0) {
    const kind = ir.kinds[d]!;
    const decoded = ts.module.decode(kind.name, w);
    let enc = kind.base;
    for (const f of fast.get(kind.format)!) {
      const v = decoded[f.name]!;
      line += ` ${hex(v)}`;
      enc = (enc & ~f.mask) | (((v ^ f.invert) << f.shift) & f.mask);
    }
    line += ` ${hex(enc)}`;
    if (mode === 2) {
      // The exact, bit-by-bit field semantics agree with the TS decode and the masks above.
      let slow = kind.base;
      for (const f of s.compiled.spec.formats.get(kind.format)!.fields.values()) {
        expect(decoded[f.name], `${kind.name}.${f.name} of 0x${hex(w)}`).toBe(fieldValue(f, w));
        slow = fieldInsert(f, slow, decoded[f.name]!);
      }
      expect(hex(slow)).toBe(hex(enc));
    }
  }
  if (!mode) return line;
  line += ' |';
  for (const f of harnessFns(ir)) {
    const fn = ts.exports[id(f.name)] as (...a: unknown[]) => bigint | boolean;
    const args = f.params.map((p, i) => (isPte(p.ty) ? w : p.ty === 'bool' ? (harnessIntArg(w, i) & 1n) === 1n : harnessIntArg(w, i)));
    const r = fn(...args);
    line += ` ${typeof r === 'boolean' ? (r ? '1' : '0') : hex(r & 0xffff_ffff_ffff_ffffn)}`;
  }
  line += ' |';
  for (const p of ir.predicates) line += contains(s.compiled.sets.predicates.get(p.name)!, w) ? '1' : '0';
  return line;
}

/** The same classify/decode line from the level module the runtime runs (the spec module's `levels`). */
function fromLevelModule(s: SketchCase, m: LevelModule, k: number, w: bigint): string {
  const name = m.classify(w);
  const c = name === undefined ? -1 : s.ir.kinds.findIndex((x) => x.name === name);
  const d = k < 0 ? c : k;
  if (d < 0) return String(c);
  const kind = s.ir.kinds[d]!;
  const decoded = m.decode(kind.name, w);
  return [c, ...[...s.compiled.spec.formats.get(kind.format)!.fields.values()].map((f) => hex(decoded[f.name]!))].join(' ');
}

export interface EquivOptions {
  /** Random words after the boundary values, and how many of them also run the arch helpers and predicates. */
  readonly words: number;
  readonly full: number;
  /** Which level of `top`'s sketch to run (`s` is then that level's case, levelCases()). */
  readonly level?: LevelName;
  /** The spec whose sketch is compiled: the spec itself, or for a level the spec that has it. */
  readonly top: IrSpec;
}

/**
 * Compile the harness of `opts.top`'s sketch, run it on `s`'s inputs and compare every line with the TS side; a level
 * is also compared with the spec module's own level module (what the runtime runs). Returns the number of inputs.
 */
export async function checkEquivalence(s: SketchCase, opts: EquivOptions): Promise<number> {
  const dir = tempDir('equiv');
  const src = path.join(dir, 'harness.c');
  fs.writeFileSync(src, harnessProgram(opts.top, emitC(opts.top), opts.level ? { level: opts.level } : {}));
  const cc = run('gcc', ['-std=gnu11', '-O0', '-Wall', '-Werror', '-o', path.join(dir, 'harness'), src]);
  expect(cc.stderr).toBe('');
  expect(cc.status).toBe(0);
  const ins = inputs(s, opts.words, Math.min(opts.words, opts.full));
  const r = run(path.join(dir, 'harness'), [], { input: ins.map(([m, k, w]) => `${m ? 1 : 0} ${k} ${hex(w)}\n`).join('') });
  expect(r.status).toBe(0);
  const got = r.stdout.split('\n');
  expect(got.length).toBe(ins.length + 1);
  const ts = await loadTs(s.ir);
  const fast = new Map(s.ir.formats.map((f) => [f.name, fastFields(s, f.name)]));
  const runtime = opts.level ? (await loadTs(opts.top)).module.levels?.[opts.level] : undefined;
  if (opts.level) expect(runtime, `${opts.top.name} has a ${opts.level} level module`).toBeDefined();
  let mismatches = 0;
  const first: string[] = [];
  ins.forEach(([m, k, w], i) => {
    const want = expected(s, ts, fast, m, k, w);
    const levelLine = runtime ? fromLevelModule(s, runtime, k, w) : undefined;
    const layout = want.split(' |')[0]!.split(' ');
    // the level module prints no re-encoded word: compare it with the classify/decode part
    const levelOk = levelLine === undefined || levelLine === (layout.length > 1 ? layout.slice(0, -1) : layout).join(' ');
    if (got[i] !== want || !levelOk) {
      mismatches++;
      if (first.length < 5) first.push(`input '${m} ${k} 0x${hex(w)}':\n  C : ${got[i]}\n  TS: ${want}${levelOk ? '' : `\n  level module: ${levelLine}`}`);
    }
  });
  expect(first.join('\n'), `${mismatches} of ${ins.length} lines differ`).toBe('');
  fs.rmSync(dir, { recursive: true, force: true });
  return ins.length;
}
