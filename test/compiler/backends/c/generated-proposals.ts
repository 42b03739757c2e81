// A stream of generated proposals for the C tests: seeded random deltas of the bundled kernel specs, in the language
// a proposal is written in (new swap-type groups with their kind, a format that adds a tag bit inside the swap
// offset and splits a kind's swap type on it, a marker kind split off on a marker bit, new range and masked
// predicates). They need not be good designs (the checks may well object): they are there so the C back end meets
// layouts nobody wrote by hand, and C must still mean what the spec means (test/compiler/backends/c/cond.test.ts proves the kind and
// predicate tests; test/compiler/backends/c/equiv-generated.test.ts runs their C against the spec and TS).
//
// Cheap on purpose: the base chains are parsed once, only the layout half is kept (the handlers' elaboration is not
// what these test), and the checks are not run, only resolve -> exact sets -> IR.
import { splitLevels } from '../../../../compiler/levels.js';
import * as path from 'node:path';
import type * as A from '../../../../grammar/ast.js';
import { parseSpec } from '../../../../grammar/parse.js';
import { compileSets } from '../../../../compiler/sets.js';
import { lower } from '../../../../compiler/ir/lower.js';
import { loadChain, nodeHost } from '../../../../compiler/load.js';
import { resolve } from '../../../../compiler/resolve.js';
import type { CleanCompiled } from '../../../../compiler/compile.js';
import { unwrap } from '../../../../core/result.js';
import { bundledSpecs, repoRoot } from '../../../helpers/repo.js';
import type { SketchCase } from './helpers.js';

/** Generated proposals per run (the acceptance floor is 200). */
export const GENERATED_PROPOSALS = 240;

/** splitmix64 as a small seeded integer source. */
function rng(seed: number): (n: number) => number {
  let s = BigInt(seed) & 0xffff_ffff_ffff_ffffn;
  return (n: number) => {
    s = (s + 0x9e37_79b9_7f4a_7c15n) & 0xffff_ffff_ffff_ffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & 0xffff_ffff_ffff_ffffn;
    z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & 0xffff_ffff_ffff_ffffn;
    return Number((z ^ (z >> 31n)) % BigInt(n));
  };
}

// LevelDecl stays: without it splitLevels() would read a base's `level pmd` / `level huge_pte` kinds and formats as
// PTE ones, and every generated PTE level would carry them.
const LAYOUT_ITEMS = new Set(['WordDecl', 'FormatDecl', 'SwapDecl', 'ConstDecl', 'PredicateDecl', 'KindDecl', 'FnDecl', 'LevelDecl']);

interface Base {
  readonly file: string;
  readonly files: readonly A.SpecFile[];
  readonly compiled: CleanCompiled;
}

function layoutOnly(f: A.SpecFile): A.SpecFile {
  return { ...f, items: f.items.filter((i) => LAYOUT_ITEMS.has(i.type)) };
}

function compileFiles(files: readonly A.SpecFile[]): CleanCompiled | undefined {
  // The PTE level: generated proposals change PTE layouts (a spec's `level pmd` / `level huge_pte` sections are left
  // aside).
  const { spec } = resolve(splitLevels(files).pte);
  const sets = compileSets(spec);
  if (sets.diagnostics.length) return undefined;
  const { ir } = lower(spec, sets);
  return ir ? { spec, sets, ir, levels: [], diagnostics: [], sources: new Map(), ok: true } : undefined;
}

function bases(): Base[] {
  const host = { readFile: (f: string) => nodeHost.readFile(path.isAbsolute(f) ? f : path.join(repoRoot, f)) };
  const out: Base[] = [];
  for (const file of bundledSpecs()) {
    const chain = unwrap(loadChain(file, host));
    const files = chain.files.map(layoutOnly);
    const compiled = compileFiles(files);
    if (compiled) out.push({ file, files, compiled });
  }
  return out;
}

/** One delta's text over `base` (its spec named `name`), from the random source. */
function delta(base: Base, name: string, r: (n: number) => number): string {
  const ir = base.compiled.ir;
  const lines = [`spec ${name} extends "${path.basename(base.file)}" "generated delta"`];
  const swapFmt = ir.formats.find((f) => f.fields.some((x) => x.name === 'TYPE') && f.fields.some((x) => x.name === 'OFFSET'));
  const hasSwapPte = ir.predicates.some((p) => p.name === 'is_swap_pte');
  const guard = hasSwapPte ? 'is_swap_pte && ' : '';
  const ops = 1 + r(3);
  const used = new Set<number>();
  for (let i = 0; i < ops; i++) {
    const op = r(5);
    if (used.has(op)) continue;
    used.add(op);
    const tag = `${name.toUpperCase()}_${i}`;
    if (op === 0 && swapFmt && ir.maxSwapfiles !== undefined && ir.maxSwapfiles > 2) {
      // a new swap-type group and its kind
      const n = 1 + r(2);
      const types = Array.from({ length: n }, (_, k) => `SWP_G${tag}_${k}`);
      lines.push(`swap {`, `  SWP_G${tag}_NUM = ${n} { ${types.join(', ')} }`, `}`);
      types.forEach((t, k) => lines.push(`kind g${name}_${i}_${k} : ${swapFmt.name} when ${guard}TYPE == ${t}`));
    } else if (op === 1 && swapFmt) {
      // a tag bit inside the offset splits a reserved type's kind (proposal 1 of issue 19: markers inside hwpoison)
      const off = swapFmt.fields.find((x) => x.name === 'OFFSET')!;
      const owners = ir.kinds.filter((k) => k.format === swapFmt.name && k.when && ir.swapTypes.some((t) => JSON.stringify(k.when, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(`"${t.name}"`)));
      const k = owners[r(Math.max(1, owners.length))];
      if (!k) continue;
      const bit = r(off.width);
      const type = ir.swapTypes.find((t) => JSON.stringify(k.when, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(`"${t.name}"`))!.name;
      lines.push(`format gf${name}_${i} extends ${swapFmt.name} {`, `  in OFFSET {`, `    bit ${bit} T${tag}`, `  }`, `}`);
      lines.push(`override kind ${k.name} : gf${name}_${i} when ${guard}TYPE == ${type} && !T${tag}`);
      lines.push(`kind t${name}_${i} : gf${name}_${i} when ${guard}TYPE == ${type} && T${tag}`);
    } else if (op === 2) {
      // a range predicate on the swap type, or on a field of the first format
      if (swapFmt) {
        const lo = r(16);
        const hi = lo + r(16);
        lines.push(`predicate p${name}_${i} on ${swapFmt.name} = ${guard}TYPE >= ${lo} && TYPE <= ${hi}`);
      } else {
        const f = ir.formats[0]!;
        const x = f.fields[r(f.fields.length)]!;
        lines.push(`predicate p${name}_${i} on ${f.name} = ${x.name} < ${1 + r(2 ** Math.min(x.width, 20))}`);
      }
    } else if (op === 3) {
      // a masked compare of the word
      const m = BigInt(1 + r(0xffff)) << BigInt(r(ir.word - 16));
      const v = m & (BigInt(r(0xffff)) << BigInt(r(ir.word - 16)));
      lines.push(`predicate w${name}_${i} on ${ir.formats[0]!.name} = word & 0x${m.toString(16)} ${r(2) ? '==' : '!='} 0x${v.toString(16)}`);
    } else if (op === 4) {
      // a kind split off a marker kind on one of its marker bits
      const marker = ir.kinds.find((k) => k.name === 'pte_marker');
      const fmt = marker ? ir.formats.find((f) => f.name === marker.format) : undefined;
      const bits = fmt?.fields.filter((x) => x.parent === 'OFFSET') ?? [];
      if (!marker || bits.length === 0 || !marker.when) continue;
      const b = bits[r(bits.length)]!;
      lines.push(`override kind pte_marker : ${fmt!.name} when ${guard}TYPE == SWP_PTE_MARKER && !${b.name}`);
      lines.push(`kind m${name}_${i} : ${fmt!.name} when ${guard}TYPE == SWP_PTE_MARKER && ${b.name}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// What has been generated so far in this process, and the next seed: a longer stream continues a shorter one
// (cond.test.ts and equiv-generated.test.ts, when they share a worker and its module cache), and the bases are
// parsed once.
let made: { readonly bs: Base[]; readonly out: SketchCase[]; seed: number } | undefined;

/** The generated proposals (the same ones every run: the seeds are fixed), compiled, each with its base. */
export function generatedProposals(count = GENERATED_PROPOSALS): SketchCase[] {
  made ??= { bs: bases(), out: [], seed: 1 };
  const { bs, out } = made;
  for (; out.length < count && made.seed < count * 4; made.seed++) {
    const seed = made.seed;
    const r = rng(seed);
    const base = bs[r(bs.length)]!;
    const name = `gen${seed}`;
    const file = path.join(path.dirname(base.file), 'proposals', `${name}.pte`);
    const text = delta(base, name, r).replace(`extends "${path.basename(base.file)}"`, `extends "../${path.basename(base.file)}"`);
    const parsed = parseSpec({ path: file, text });
    if (parsed.diagnostics.length) throw new Error(`generated proposal ${name} does not parse:\n${text}\n${parsed.diagnostics.map((d) => d.message).join('\n')}`);
    const compiled = compileFiles([...base.files, parsed.ast]);
    if (!compiled) continue;
    out.push({ file: `${file} (generated, over ${base.file})`, compiled, ir: compiled.ir, base: base.compiled.ir });
  }
  return out.slice(0, count);
}
