// What the C of a patch sketch is checked with: compile units for `gcc -fsyntax-only` (shim + the headers the
// series adds + one .c file), and a C program that runs the layout helpers (classify, decode, encode, the arch
// helpers, the predicates) on words read from stdin, so a test can compare them with the TS module bit for bit.
import { levelC, type CApi, type LevelC } from '../../../../compiler/backends/c/emit.js';
import type { LevelName } from '../../../../contract/table.js';
import type { IrSpec, Ty } from '../../../../compiler/ir/types.js';
import { isPte } from '../../../../compiler/ir/types.js';
import { cFileText, layoutFiles, type CSketch } from '../../../../compiler/backends/c/emit.js';
import { COVER_LETTER } from '../../../../compiler/backends/c/patch.js';
import { shimHeader } from '../../../../compiler/backends/c/shim.js';
import type { KernelApi } from '../../../../compiler/backends/c/kernel-api.js';

/** The C each file receives from a series: its added lines, hunk after hunk, patch after patch. */
export function addedC(series: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const [name, text] of [...series].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name.endsWith(COVER_LETTER)) continue;
    let file = '';
    let oldLeft = 0;
    let newLeft = 0;
    for (const line of text.split('\n')) {
      if (oldLeft > 0 || newLeft > 0) {
        if (line.startsWith('+')) {
          out.get(file)!.push(line.slice(1));
          newLeft--;
        } else if (line.startsWith('-')) {
          oldLeft--;
        } else {
          oldLeft--;
          newLeft--;
        }
        continue;
      }
      const d = /^diff --git a\/(\S+) b\//.exec(line);
      if (d) {
        file = d[1]!;
        if (!out.has(file)) out.set(file, []);
      }
      const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
      if (h) {
        oldLeft = h[1] === undefined ? 1 : Number(h[1]);
        newLeft = h[2] === undefined ? 1 : Number(h[2]);
      }
    }
  }
  return new Map([...out].map(([f, lines]) => [f, lines.map((l) => `${l}\n`).join('')]));
}

/**
 * Apply a series to files (file -> text) the way `git apply` would, patch after patch: a hunk `@@ -a,n +b,m @@`
 * replaces old lines a..a+n-1 (its kept and removed lines) by its kept and added lines; with n = 0 it inserts after
 * old line a. Throws when a kept or removed line is not what the file holds there (the series was made against
 * another text).
 */
export function applySeries(files: ReadonlyMap<string, string>, series: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(files);
  for (const [name, text] of [...series].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name.endsWith(COVER_LETTER)) continue;
    const hunks: { file: string; start: number; old: string[]; add: string[] }[] = [];
    let oldLeft = 0;
    let newLeft = 0;
    let file = '';
    for (const line of text.split('\n')) {
      if (oldLeft > 0 || newLeft > 0) {
        const h = hunks[hunks.length - 1]!;
        if (line.startsWith('-')) {
          h.old.push(line.slice(1));
          oldLeft--;
        } else if (line.startsWith('+')) {
          h.add.push(line.slice(1));
          newLeft--;
        } else if (line.startsWith(' ') || line === '') {
          // A kept line; an empty one is a kept blank line (GNU diff --suppress-blank-empty).
          h.old.push(line.slice(1));
          h.add.push(line.slice(1));
          oldLeft--;
          newLeft--;
        } else {
          throw new Error(`${name}: not a line of a hunk: ${JSON.stringify(line)}`);
        }
        continue;
      }
      const d = /^diff --git a\/(\S+) b\//.exec(line);
      if (d) file = d[1]!;
      const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
      if (m) {
        oldLeft = m[2] === undefined ? 1 : Number(m[2]);
        newLeft = m[3] === undefined ? 1 : Number(m[3]);
        // With no old lines the number is the line the new ones go after; make it the index they go at.
        hunks.push({ file, start: oldLeft === 0 ? Number(m[1]) : Number(m[1]) - 1, old: [], add: [] });
      }
    }
    for (const f of new Set(hunks.map((h) => h.file))) {
      const lines = (out.get(f) ?? '').split('\n');
      const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
      for (const h of hunks.filter((x) => x.file === f).reverse()) {
        const there = lines.slice(h.start, h.start + h.old.length);
        if (there.length !== h.old.length || there.some((l, i) => l !== h.old[i])) throw new Error(`${name}: ${f}:${h.start + 1}: the lines to remove are not there`);
        lines.splice(h.start, h.old.length, ...h.add);
      }
      out.set(f, lines.length === 0 ? '' : `${lines.join('\n')}${trailing !== undefined || h0(hunks, f) ? '\n' : ''}`);
    }
  }
  return out;
}

/** A file the series writes into ends with a newline (every line of a hunk is a whole line). */
function h0(hunks: readonly { file: string; add: string[] }[], f: string): boolean {
  return hunks.some((h) => h.file === f && h.add.length > 0);
}

export interface CompileUnit {
  /** What the unit checks: the kernel file whose C it ends with ('headers' for the headers alone). */
  readonly name: string;
  readonly source: string;
}

/**
 * Compile units over files' C (file -> text, in series order): the headers together, then each .c file after
 * all the headers. The shim comes first in each, declaring the kernel API of `api` (the sketch's: CSketch.kernel,
 * or specKernelApi(ir); the newest when absent), so a 5.19 series is checked against 5.19's signatures.
 */
export function compileUnits(files: ReadonlyMap<string, string>, api?: KernelApi): CompileUnit[] {
  const headers = [...files].filter(([f]) => f.endsWith('.h'));
  const head = [shimHeader(api), ...headers.map(([f, t]) => `/* ---- ${f} */\n${t}`)].join('\n');
  const units: CompileUnit[] = [{ name: 'headers', source: head }];
  for (const [f, t] of files) if (!f.endsWith('.h')) units.push({ name: f, source: `${head}\n/* ---- ${f} */\n${t}` });
  return units;
}

/** Compile units of a sketch's full C (every unit of every file). */
export function sketchUnits(sketch: CSketch): CompileUnit[] {
  return compileUnits(new Map(sketch.files.map((f) => [f, cFileText(sketch, f)])), sketch.kernel);
}

/** The arch helpers the harness runs: those whose parameters are PTE values and numbers. */
export function harnessFns(ir: IrSpec): IrSpec['fns'] {
  return ir.fns.filter((f) => f.params.every((p) => isPte(p.ty) || p.ty === 'int' || p.ty === 'bool') && (isPte(f.ty) || f.ty === 'int' || f.ty === 'bool'));
}

/** The number argument `i` of a harness call, from the input word (mirrored by the TS side of the test). */
export function harnessIntArg(w: bigint, i: number): bigint {
  return (w >> BigInt(11 * (i + 1))) & 0xff_ffff_ffffn;
}

function cValue(t: Ty, expr: string, lc: LevelC): string {
  return isPte(t) ? `(unsigned long long)${lc.val}(${expr})` : `(unsigned long long)(${expr})`;
}

/**
 * What the shim only declares, for the harness to run: a swp_entry_t holds the arch's swap PTE value, so
 * swp_type()/swp_offset() read the spec's swap TYPE and OFFSET fields and swp_entry() writes them into a zero PTE.
 */
function swapEntryC(sketch: CSketch, lc: LevelC): string[] {
  const s = sketch.api.swapEntry;
  if (!s) return [];
  // A level's sketch (pmd_t) reads swap entries through its own accessors: pmd_to_swp_entry() and so on.
  const { t, val, mk, v } = lc;
  return [
    `swp_entry_t ${lc.toSwp}(${t} ${v})`,
    '{',
    `\tswp_entry_t e = { ${val}(${v}) };`,
    '',
    '\treturn e;',
    '}',
    '',
    `${t} ${lc.fromSwp}(swp_entry_t entry)`,
    '{',
    `\treturn ${mk}(entry.val);`,
    '}',
    '',
    'unsigned int swp_type(swp_entry_t entry)',
    '{',
    `\treturn ${s.type}(${mk}(entry.val));`,
    '}',
    '',
    'pgoff_t swp_offset(swp_entry_t entry)',
    '{',
    `\treturn ${s.offset}(${mk}(entry.val));`,
    '}',
    '',
    'swp_entry_t swp_entry(unsigned long type, pgoff_t offset)',
    '{',
    `\tswp_entry_t e = { ${val}(${s.setOffset}(${s.setType}(${mk}(0), type), offset)) };`,
    '',
    '\treturn e;',
    '}',
    '',
  ];
}

/** How every harness program starts (harness-set.ts writes it once for many programs). */
export const HARNESS_PRELUDE = `#include <stdio.h>\n#include <stdlib.h>\n${shimHeader()}`;

/** The IR and the C API of one level of a spec's sketch (the PTE level's by default). */
export function levelApi(ir: IrSpec, sketch: CSketch, level?: LevelName): { readonly ir: IrSpec; readonly api: CApi } {
  if (!level || level === (ir.level ?? 'pte')) return { ir, api: sketch.api };
  const sub = ir.levels?.find((l) => l.level === level);
  const api = sketch.levels?.find((l) => l.level === level)?.api;
  if (!sub || !api) throw new Error(`${ir.name}: its sketch has no ${level} level`);
  return { ir: sub, api };
}

/**
 * The harness program. Input: lines `M K HEX` (K = -1: decode as the classified kind, else the kind's index; M = 3:
 * the predicates but not the arch helpers; M = 1:
 * also run the arch helpers and the predicates). Output per line: `C` (the kind index, -1 for a gap), then when
 * there is a kind to decode as, its fields and the re-encoded word (hex); with M = 1 then ` |` and each harness
 * fn's result (hex), then ` |` and the predicates as 0/1. `opts.level` runs that level's C of the sketch (every
 * level's C is compiled into the program, as the series adds it).
 */
export function harnessProgram(top: IrSpec, sketch: CSketch, opts: { readonly archHelpers?: boolean; readonly level?: LevelName } = {}): string {
  // Without the arch helpers (opts.archHelpers false): their file is left out, and M = 1 prints no helper results.
  const withFns = opts.archHelpers !== false;
  const { ir, api } = levelApi(top, sketch, opts.level);
  const lc = levelC(ir.level);
  const { t, val, mk, v } = lc;
  const maxFields = Math.max(1, ...ir.formats.map((f) => f.fields.length));
  const fns = (withFns ? harnessFns(ir) : []).map((f) => {
    const args = f.params.map((p, i) => (isPte(p.ty) ? v : p.ty === 'bool' ? `(bool)(${harnessArgC(i)} & 1)` : harnessArgC(i)));
    return `\t\tprintf(" %llx", ${cValue(f.ty, `${api.fns.get(f.name)!}(${args.join(', ')})`, lc)});`;
  });
  const preds = ir.predicates.map((p) => `\t\tputchar(${api.preds.get(p.name)!}(${v}) ? '1' : '0');`);
  const layout = layoutFiles(sketch).filter((f) => withFns || f !== sketch.archFiles.helpers).map((f) => `/* ---- ${f} */\n${cFileText(sketch, f)}`);
  return [
    HARNESS_PRELUDE,
    ...layout,
    ...swapEntryC(sketch, levelC(top.level)),
    // The PTE sketch carries its other levels' C too (emitC merges them): their entry conversions, run as the PTE's.
    ...(top.levels ?? []).flatMap((l) => {
      const o = levelC(l.level);
      if (!sketch.api.swapEntry || o.toSwp === levelC(top.level).toSwp) return [];
      return [`swp_entry_t ${o.toSwp}(${o.t} ${o.v})`, '{', `\tswp_entry_t e = { ${o.val}(${o.v}) };`, '', '\treturn e;', '}', '', `${o.t} ${o.fromSwp}(swp_entry_t entry)`, '{', `\treturn ${o.mk}(entry.val);`, '}', ''];
    }),
    'int main(void)',
    '{',
    '\tchar line[128];',
    `\tunsigned long fields[${maxFields}];`,
    '',
    '\twhile (fgets(line, sizeof(line), stdin)) {',
    '\t\tchar *end;',
    '\t\tlong m = strtol(line, &end, 10);',
    '\t\tlong k = strtol(end, &end, 10);',
    `\t\t${t} ${v} = ${mk}(strtoull(end, NULL, 16));`,
    `\t\tunsigned long long w = ${val}(${v});`,
    `\t\tenum ${lc.prefix}_kind c = ${api.classify}(${v});`,
    `\t\tenum ${lc.prefix}_kind d = k < 0 ? c : (enum ${lc.prefix}_kind)k;`,
    '',
    '\t\t(void)w;',
    `\t\tprintf("%d", c == ${api.nrKinds} ? -1 : (int)c);`,
    `\t\tif (d != ${api.nrKinds}) {`,
    `\t\t\tint n = ${api.decode}(d, ${v}, fields);`,
    '',
    '\t\t\tfor (int i = 0; i < n; i++)',
    '\t\t\t\tprintf(" %lx", fields[i]);',
    `\t\t\tprintf(" %llx", (unsigned long long)${val}(${api.encode}(d, fields)));`,
    '\t\t}',
    '\t\tif (m) {',
    '\t\t\tprintf(" |");',
    // M = 3: the predicates without the arch helpers.
    '\t\t\tif (m != 3) {',
    ...fns.map((l) => `\t\t\t\t${l.trimStart()}`),
    '\t\t\t}',
    '\t\t\tprintf(" |");',
    ...preds.map((l) => `\t${l}`),
    '\t\t}',
    "\t\tputchar('\\n');",
    '\t}',
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
}

function harnessArgC(i: number): string {
  return `((w >> ${11 * (i + 1)}) & 0xffffffffffULL)`;
}
