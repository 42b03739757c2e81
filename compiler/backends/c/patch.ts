// The C units of a spec (emit.ts) as a `git format-patch`-like series: a cover letter and one patch per concern
// in kernel-series order (arch bit definitions and swap types, the swapops helpers, the arch helpers, the handler
// prototypes, then one patch per kernel file of handler code). Against a base spec only the units that differ
// become hunks (added, removed or replaced); without one, every unit is new.
//
// The hunks are sketches: there is no kernel tree to patch, so every hunk has zero context lines and names the
// kernel function it belongs to in its `@@ ... @@` line; line numbers count within the sketch's own text of each
// file. The mail form is one `git am` (git mailinfo) reads: the first line is an `X-Generated-By:` header carrying
// the generated-by mark instead of format-patch's `From <sha> Mon Sep 17 00:00:00 2001` line (see docs/patch.md).
// Deterministic: a fixed author and date, nothing from the clock or the environment.
import * as path from 'node:path';
import type { IrSpec } from '../../ir/types.js';
import { generatedHeader } from '../generated-header.js';
import { wrapWords } from './doc.js';
import { emitC, unitText, type CSketch, type CUnit, type Concern } from './emit.js';
import { INTERNAL_H } from './kernel.js';

export const PATCH_AUTHOR = 'Your Name <you@example.com>';
export const PATCH_DATE = 'Thu, 1 Jan 1970 00:00:00 +0000';
export const COVER_LETTER = '0000-cover-letter.patch';

/** The series for `ir` (against `base` when given): file name -> text. */
export function patchSeries(ir: IrSpec, base?: IrSpec): Map<string, string> {
  const sketch = emitC(ir);
  const baseSketch = base ? emitC(base) : undefined;
  const patches = planPatches(ir, sketch, baseSketch);
  const out = new Map<string, string>();
  const n = patches.length;
  const names = patches.map((p, i) => `${String(i + 1).padStart(4, '0')}-${slug(p.subject)}.patch`);
  out.set(COVER_LETTER, coverLetter(ir, base, sketch, patches));
  patches.forEach((p, i) => out.set(names[i]!, patchText(ir, p, i + 1, n)));
  return out;
}

// ---------------------------------------------------------------------------------------------------- hunks

interface Hunk {
  readonly file: string;
  readonly oldStart: number;
  readonly oldLines: readonly string[];
  readonly newStart: number;
  readonly newLines: readonly string[];
  readonly context: string;
  readonly concern: Concern;
  readonly what: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly path?: string;
  /** For a hunk of merged #define units: what each was. */
  readonly merged?: readonly string[];
  /** The unit is part of a run of one-line #defines. */
  readonly tight?: boolean;
}

interface Patch {
  readonly concern: Concern;
  readonly files: readonly string[];
  readonly hunks: readonly Hunk[];
  readonly subject: string;
  readonly body: readonly string[];
}

const unitLines = unitText;

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** Longest common subsequence of two key lists, as index pairs. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1]![j]! >= t[i]![j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

/** The hunks of one file: base units vs new units, matched by key. */
function fileHunks(file: string, olds: readonly CUnit[], news: readonly CUnit[]): Hunk[] {
  const pairs = lcs(olds.map((u) => u.key), news.map((u) => u.key));
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let oldLine = 0; // lines of the base file before olds[i]
  let newLine = 0;
  const removed = (u: CUnit): void => {
    const lines = unitLines(u);
    hunks.push({ file, oldStart: oldLine + 1, oldLines: lines, newStart: newLine, newLines: [], context: u.context, concern: u.concern, what: u.what, change: 'removed', ...(u.path ? { path: u.path } : {}), ...(u.tight ? { tight: true } : {}) });
    oldLine += lines.length;
  };
  const added = (u: CUnit): void => {
    const lines = unitLines(u);
    hunks.push({ file, oldStart: oldLine, oldLines: [], newStart: newLine + 1, newLines: lines, context: u.context, concern: u.concern, what: u.what, change: 'added', ...(u.path ? { path: u.path } : {}), ...(u.tight ? { tight: true } : {}) });
    newLine += lines.length;
  };
  for (const [pi, pj] of [...pairs, [olds.length, news.length] as [number, number]]) {
    while (i < pi) removed(olds[i++]!);
    while (j < pj) added(news[j++]!);
    if (pi === olds.length && pj === news.length) break;
    const o = olds[pi]!;
    const u = news[pj]!;
    const ol = unitLines(o);
    const nl = unitLines(u);
    if (!sameLines(ol, nl)) {
      hunks.push({ file, oldStart: oldLine + 1, oldLines: ol, newStart: newLine + 1, newLines: nl, context: u.context, concern: u.concern, what: u.what, change: 'changed', ...(u.path ? { path: u.path } : {}), ...(u.tight || o.tight ? { tight: true } : {}) });
    }
    oldLine += ol.length;
    newLine += nl.length;
    i++;
    j++;
  }
  return mergeRuns(hunks);
}

/** Lines of the file before the hunk (old side, new side). */
function before(h: Hunk): [number, number] {
  return [h.oldLines.length ? h.oldStart - 1 : h.oldStart, h.newLines.length ? h.newStart - 1 : h.newStart];
}

/**
 * A run of one-line #defines (tight units) is one hunk: a hunk that ends inside such a run is merged with the next
 * one when they touch (a zero-context hunk replaces a block of old lines by a block of new ones, so any two
 * touching hunks merge into one).
 */
function mergeRuns(hunks: readonly Hunk[]): Hunk[] {
  const out: Hunk[] = [];
  for (const h of hunks) {
    const prev = out[out.length - 1];
    if (prev?.tight) {
      const [po, pn] = before(prev);
      const [ho, hn] = before(h);
      if (po + prev.oldLines.length === ho && pn + prev.newLines.length === hn) {
        out[out.length - 1] = {
          ...h,
          oldStart: prev.oldLines.length || !h.oldLines.length ? prev.oldStart : h.oldStart,
          newStart: prev.newLines.length || !h.newLines.length ? prev.newStart : h.newStart,
          oldLines: [...prev.oldLines, ...h.oldLines],
          newLines: [...prev.newLines, ...h.newLines],
          context: prev.context,
          change: prev.change === h.change ? h.change : 'changed',
          merged: [...(prev.merged ?? [prev.what]), h.what],
        };
        continue;
      }
    }
    out.push(h);
  }
  return out;
}

const CONCERN_ORDER: readonly Concern[] = ['defs', 'swapops', 'arch', 'internal', 'path'];

function planPatches(ir: IrSpec, sketch: CSketch, base: CSketch | undefined): Patch[] {
  const files = [...new Set([...sketch.files, ...(base?.files ?? [])])];
  const hunks: Hunk[] = [];
  for (const f of files) {
    hunks.push(...fileHunks(f, base?.units.filter((u) => u.file === f) ?? [], sketch.units.filter((u) => u.file === f)));
  }
  const out: Patch[] = [];
  for (const concern of CONCERN_ORDER) {
    const mine = hunks.filter((h) => h.concern === concern);
    if (mine.length === 0) continue;
    if (concern === 'path') {
      for (const f of files) {
        const hs = mine.filter((h) => h.file === f);
        if (hs.length) out.push(describe(ir, sketch, base !== undefined, concern, hs));
      }
    } else {
      out.push(describe(ir, sketch, base !== undefined, concern, mine));
    }
  }
  return out;
}

function fileLabel(file: string): string {
  return path.basename(file).replace(/\.[ch]$/, '');
}

function archLabel(sketch: CSketch): string {
  return sketch.arch === 'generic' ? 'pgtable' : sketch.arch;
}

function describe(ir: IrSpec, sketch: CSketch, hasBase: boolean, concern: Concern, hunks: Hunk[]): Patch {
  const files = [...new Set(hunks.map((h) => h.file))].sort();
  const counts = countChanges(hunks);
  let subject: string;
  const body: string[] = [];
  const para = (s: string): void => {
    body.push(...wrapWords(s, 72), '');
  };
  switch (concern) {
    case 'defs':
      subject = `mm: ${archLabel(sketch)}: define the PTE fields${ir.maxSwapfiles !== undefined ? ' and swap types' : ''}`;
      para(`The bit layout of ${ir.name}: for every field of every format a shift, a mask and a getter/setter pair that reads and writes the field's logical value (inverted fields are stored inverted), and the spec's constants.`);
      if (ir.maxSwapfiles !== undefined) para(`include/linux/swap.h: the swap type groups and the reserved types numbered upwards from MAX_SWAPFILES, which is ${ir.maxSwapfiles} here.`);
      break;
    case 'swapops':
      subject = 'mm: swapops: classify PTE values by kind';
      para(`Every kind of ${ir.name} as an exact test over the PTE value (the union of its ternary patterns), the spec's predicates the same way, a classifier in the spec's kind order, decode/encode of each format's fields, and make_<kind>_entry()/is_<kind>_entry() for each kind that owns exactly one swap type.`);
      break;
    case 'arch':
      subject = `mm: ${archLabel(sketch)}: add the arch PTE helpers`;
      para(`The arch helpers of ${ir.name} (pte_mkwrite(), pte_mkuffd_wp(), pfn_pte(), ...) as the spec writes them, built on the field accessors.`);
      break;
    case 'internal':
      subject = 'mm: declare the PTE kind handlers';
      para(`${INTERNAL_H}: the dispatcher of every handler path that lives in a .c file, and struct ptelab_args, the values a path hands to the path it calls.`);
      break;
    case 'path': {
      const file = files[0]!;
      const paths = [...new Set(hunks.map((h) => h.path).filter((p): p is string => !!p))];
      const decisions = hunks.filter((h) => !h.path && h.what.startsWith('decision ')).map((h) => h.what.slice('decision '.length));
      const items = [...paths, ...decisions];
      const shown = items.slice(0, 2).join(', ') + (items.length > 2 ? ` and ${items.length - 2} more` : '');
      subject = `mm: ${fileLabel(file)}: ${hasBase ? 'update' : 'handle'} ${shown}`;
      if (paths.length) {
        para(`${hasBase ? 'The handler cases that differ from the base spec' : 'Every handler case'} of ${paths.join(', ')} in ${file}: one static helper per case, named ptelab_<path>_<kind>_<n>, and per path a dispatcher that runs the first case whose kind and guard match, in the spec's order.`);
      }
      if (decisions.length) para(`The decision${decisions.length === 1 ? '' : 's'} ${decisions.join(', ')} as the spec writes ${decisions.length === 1 ? 'it' : 'them'}: a test of the VMA (and fault) alone.`);
      break;
    }
  }
  const list = hunks.flatMap((h) => (h.merged ?? [h.what]).map((w) => `${h.change === 'added' ? '+' : h.change === 'removed' ? '-' : '~'} ${w}`));
  if (list.length <= 40) body.push(...list.flatMap((l) => wrapWords(l, 70).map((w, i) => (i ? `    ${w}` : w))), '');
  else para(`${counts.units} hunks: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed.`);
  return { concern, files, hunks, subject: clip(subject, 64), body };
}

function countChanges(hunks: readonly Hunk[]): { units: number; added: number; removed: number; changed: number } {
  return {
    units: hunks.length,
    added: hunks.filter((h) => h.change === 'added').length,
    removed: hunks.filter((h) => h.change === 'removed').length,
    changed: hunks.filter((h) => h.change === 'changed').length,
  };
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 3).trimEnd()}...`;
}

/** format-patch's file name: the subject's words joined by '-'. */
function slug(subject: string): string {
  return subject.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '').replace(/\.+/g, '.').slice(0, 52).replace(/[-.]+$/, '');
}

// ---------------------------------------------------------------------------------------------------- text

function header(ir: IrSpec, subject: string): string[] {
  return [
    generatedHeader(ir.file, 'X-Generated-By:'),
    `From: ${PATCH_AUTHOR}`,
    `Date: ${PATCH_DATE}`,
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
  ];
}

/** A body line that git mailinfo / git apply would take for something else gets a leading space. */
function safeBody(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, ' ')).map((l) => (/^(---|diff |Index: |From |@@ |\+\+\+ )/.test(l) ? ` ${l}` : l));
}

interface FileStat {
  readonly file: string;
  readonly added: number;
  readonly removed: number;
}

function fileStats(hunks: readonly Hunk[]): FileStat[] {
  const m = new Map<string, { added: number; removed: number }>();
  for (const h of hunks) {
    const s = m.get(h.file) ?? { added: 0, removed: 0 };
    s.added += h.newLines.length;
    s.removed += h.oldLines.length;
    m.set(h.file, s);
  }
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, s]) => ({ file, ...s }));
}

/** git's diffstat: ` file | n +++--`, bars scaled to fit 80 columns, then the summary line. */
export function diffstat(stats: readonly FileStat[]): string[] {
  if (stats.length === 0) return [' 0 files changed'];
  const nameWidth = Math.max(...stats.map((s) => s.file.length));
  const maxChange = Math.max(...stats.map((s) => s.added + s.removed));
  const numWidth = String(maxChange).length;
  const graphWidth = Math.max(10, 80 - (1 + nameWidth + 3 + numWidth + 1));
  const scale = (x: number): number => (x === 0 ? 0 : maxChange <= graphWidth ? x : Math.max(1, Math.floor((x * graphWidth) / maxChange)));
  const lines = stats.map((s) => {
    const total = s.added + s.removed;
    const bar = '+'.repeat(scale(s.added)) + '-'.repeat(scale(s.removed));
    return ` ${s.file.padEnd(nameWidth)} | ${String(total).padStart(numWidth)}${bar ? ` ${bar}` : ''}`;
  });
  const ins = stats.reduce((a, s) => a + s.added, 0);
  const del = stats.reduce((a, s) => a + s.removed, 0);
  const parts = [`${stats.length} file${stats.length === 1 ? '' : 's'} changed`];
  if (ins) parts.push(`${ins} insertion${ins === 1 ? '' : 's'}(+)`);
  if (del) parts.push(`${del} deletion${del === 1 ? '' : 's'}(-)`);
  return [...lines, ` ${parts.join(', ')}`];
}

function hunkText(h: Hunk): string[] {
  const range = (start: number, n: number): string => (n === 1 ? `${start}` : `${start},${n}`);
  const head = `@@ -${range(h.oldStart, h.oldLines.length)} +${range(h.newStart, h.newLines.length)} @@${h.context ? ` ${h.context}` : ''}`;
  return [head, ...h.oldLines.map((l) => `-${l}`), ...h.newLines.map((l) => `+${l}`)];
}

function patchText(ir: IrSpec, p: Patch, i: number, n: number): string {
  const diff: string[] = [];
  for (const f of p.files) {
    diff.push(`diff --git a/${f} b/${f}`, `--- a/${f}`, `+++ b/${f}`);
    for (const h of p.hunks.filter((x) => x.file === f)) diff.push(...hunkText(h));
  }
  return [
    ...header(ir, `[PATCH ${i}/${n}] ${p.subject}`),
    ...safeBody(p.body),
    `Signed-off-by: ${PATCH_AUTHOR}`,
    '---',
    ...diffstat(fileStats(p.hunks)),
    '',
    ...diff,
    '-- ',
    'ptelab',
    '',
  ].join('\n');
}

function coverLetter(ir: IrSpec, base: IrSpec | undefined, sketch: CSketch, patches: readonly Patch[]): string {
  const body: string[] = [];
  const para = (s: string, indent = ''): void => {
    body.push(...wrapWords(s, 72 - indent.length).map((l) => indent + l), '');
  };
  para(`${ir.name}:`);
  para(ir.description.replace(/\s+/g, ' ').trim() || '(no description)', '  ');
  para(
    `This series is a sketch generated by ptelab from ${ir.file}${base ? `, against its base ${base.name} (${base.file})` : ''}: the PTE layout as #defines and exact helpers, and ${base ? 'every handler case that differs from the base' : 'every handler case'} as a static helper in the kernel file it belongs to. There is no kernel tree behind it: each hunk has no context lines and names the kernel function it belongs to, and the C of every patch compiles against ptelab's shim header.`,
  );
  const budget = (x: IrSpec): string => (x.maxSwapfiles === undefined ? 'no swap table' : `MAX_SWAPFILES = ${x.maxSwapfiles} of ${2 ** (x.maxSwapfilesShift ?? 5)} swap types`);
  if (base) {
    para(`Swap budget: ${budget(base)} before (${base.name}), ${budget(ir)} after.`);
    const added = ir.swapTypes.filter((t) => !base.swapTypes.some((b) => b.name === t.name));
    const gone = base.swapTypes.filter((t) => !ir.swapTypes.some((b) => b.name === t.name));
    if (added.length) para(`New swap types: ${added.map((t) => `${t.name} (${t.value})`).join(', ')}.`);
    if (gone.length) para(`Swap types given back: ${gone.map((t) => t.name).join(', ')}.`);
  } else {
    para(`Swap budget: ${budget(ir)}${ir.swapTypes.length ? `; reserved: ${ir.swapTypes.map((t) => `${t.name} = ${t.value}`).join(', ')}` : ''}.`);
  }
  const pathHunks = patches.flatMap((p) => p.hunks).filter((h) => h.concern === 'path' && h.path);
  if (pathHunks.length) {
    body.push(base ? 'Paths that change (cases that differ from the base):' : 'Paths (no base spec, so every case is new):', '');
    for (const file of [...new Set(pathHunks.map((h) => h.file))]) {
      const inFile = pathHunks.filter((h) => h.file === file);
      const perPath = [...new Set(inFile.map((h) => h.path!))].map((p) => {
        const hs = inFile.filter((h) => h.path === p && !h.what.endsWith("dispatch on the entry's kind"));
        const c = countChanges(hs);
        const detail = base ? [c.added && `${c.added} added`, c.changed && `${c.changed} changed`, c.removed && `${c.removed} removed`].filter(Boolean).join(', ') : `${hs.length} case${hs.length === 1 ? '' : 's'}`;
        return `${p} (${detail || 'dispatch only'})`;
      });
      body.push(...wrapWords(`${file}: ${perPath.join(', ')}`, 70).map((l, i) => (i ? `    ${l}` : `  ${l}`)));
    }
    body.push('');
    if (base) {
      body.push('Why: the cases of the proposal that are not the base\'s:', '');
      for (const h of pathHunks) {
        if (h.what.endsWith("dispatch on the entry's kind")) continue;
        body.push(...wrapWords(`${h.change}: ${h.what}`, 68).map((l, i) => (i ? `      ${l}` : `  - ${l}`)));
      }
      body.push('');
    }
  }
  body.push(`${PATCH_AUTHOR.replace(/ <.*$/, '')} (${patches.length}):`);
  for (const p of patches) body.push(`  ${p.subject}`);
  body.push('');
  const all = fileStats(patches.flatMap((p) => p.hunks));
  return [
    ...header(ir, `[PATCH 0/${patches.length}] mm: ${clip(`PTE encoding sketch for ${ir.name}`, 60)}`),
    ...safeBody(body),
    ...diffstat(all),
    '',
    '-- ',
    'ptelab',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------- footprint

export interface PatchFootprint {
  /** Patches in the series (the cover letter not counted). */
  readonly patches: number;
  readonly hunks: number;
  /** Kernel files the series touches, sorted. */
  readonly files: readonly string[];
  /** Lines added and removed per kernel file (for `ptelab diff`'s footprint table). */
  readonly perFile: readonly { readonly file: string; readonly added: number; readonly removed: number }[];
}

/**
 * The footprint of a series: from the generated files of a spec (`patch/NNNN-*.patch` entries of buildFiles(), or
 * the map patchSeries() returns). Read from the patch text itself, so it counts what a reader of the series sees.
 */
export function patchFootprint(files: ReadonlyMap<string, string> | Iterable<readonly [string, string]>): PatchFootprint {
  let patches = 0;
  let hunks = 0;
  const per = new Map<string, { added: number; removed: number }>();
  for (const [name, text] of files) {
    if (!name.endsWith('.patch') || path.basename(name) === COVER_LETTER) continue;
    patches++;
    let file: string | undefined;
    let oldLeft = 0;
    let newLeft = 0;
    for (const line of text.split('\n')) {
      if (oldLeft > 0 || newLeft > 0) {
        const s = per.get(file!)!;
        if (line.startsWith('-')) {
          s.removed++;
          oldLeft--;
        } else if (line.startsWith('+')) {
          s.added++;
          newLeft--;
        } else {
          oldLeft--;
          newLeft--;
        }
        continue;
      }
      const d = /^diff --git a\/(\S+) b\//.exec(line);
      if (d) {
        file = d[1]!;
        if (!per.has(file)) per.set(file, { added: 0, removed: 0 });
        continue;
      }
      const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
      if (h && file) {
        hunks++;
        oldLeft = h[1] === undefined ? 1 : Number(h[1]);
        newLeft = h[2] === undefined ? 1 : Number(h[2]);
      }
    }
  }
  const sorted = [...per].sort(([a], [b]) => (a < b ? -1 : 1));
  return { patches, hunks, files: sorted.map(([f]) => f), perFile: sorted.map(([file, s]) => ({ file, ...s })) };
}
