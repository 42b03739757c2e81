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
import { specKernelApi, versionText } from './kernel-api.js';
import * as path from 'node:path';
import type { IrCase, IrSpec, Site } from '../../ir/types.js';
import { generatedHeader } from '../generated-header.js';
import { wrapWords } from './doc.js';
import { count, equals, isSubset, subtract, type CubeSet } from '../../bits/cube-set.js';
import { sizeText } from '../../checks/sizes.js';
import { emitC, levelC, unitText, type CSketch, type CUnit, type Concern } from './emit.js';
import type { LevelName } from '../../../contract/table.js';
import { isCommentLine } from './comments.js';
import { exprText } from '../../ir/print.js';
import { FALLBACK_IDENTITY, type PatchIdentity } from './identity.js';
import { anchor, type KernelTree, type NotPlaced, type Placed } from './place.js';
import { callGraph, INTERNAL_H, SWAP_H, SWAPOPS_H } from './kernel.js';

export const COVER_LETTER = '0000-cover-letter.patch';

export interface PatchOptions {
  /** From:, Date: and Signed-off-by (identity.ts); without it the fixed fallback. */
  readonly identity?: PatchIdentity;
  /** Make the series against this kernel tree (place.ts) instead of ptelab's own sketch text. */
  readonly kernelTree?: KernelTree;
}

/** Where a series against a kernel tree put its units, and what it could not place. */
export interface Placement {
  readonly tree: string;
  readonly placed: readonly (Placed & { readonly file: string })[];
  readonly notPlaced: readonly NotPlaced[];
}

/** The series for `ir` (against `base` when given): file name -> text. */
export function patchSeries(ir: IrSpec, base?: IrSpec, opts: PatchOptions = {}): Map<string, string> {
  const { patches, placement } = buildPatches(ir, base, opts.kernelTree);
  const id = opts.identity ?? FALLBACK_IDENTITY;
  const out = new Map<string, string>();
  const n = patches.length;
  const names = patches.map((p, i) => `${String(i + 1).padStart(4, '0')}-${slug(p.subject)}.patch`);
  out.set(COVER_LETTER, coverLetter(ir, base, patches, id, placement));
  patches.forEach((p, i) => out.set(names[i]!, patchText(ir, p, i + 1, n, id)));
  return out;
}

function buildPatches(ir: IrSpec, base: IrSpec | undefined, tree?: KernelTree): { patches: Patch[]; placement?: Placement } {
  return planPatches(ir, emitC(ir), base ? { ir: base, sketch: emitC(base) } : undefined, tree);
}

// ---------------------------------------------------------------------------------------------------- hunks

/** One line of a file's diff: kept (' '), removed ('-') or added ('+'), and the unit it belongs to. */
export interface Edit {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
  /** The unit the line is part of: the new unit for kept and added lines, the base's for a removed one. */
  readonly unit?: CUnit;
  /** For a line of a unit both sides have: the base's unit. */
  readonly old?: CUnit;
}

/** One unit a series adds, removes or changes (only lines that differ count): what messages describe. */
interface Hunk {
  readonly file: string;
  readonly concern: Concern;
  readonly what: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly path?: string;
  /** The page-table level of the unit, when it is not the PTE level. */
  readonly level?: LevelName;
  /** The unit behind the change (the base's for a removed one). */
  readonly unit: CUnit;
  /** For a changed unit: the base's. */
  readonly old?: CUnit;
  readonly added: number;
  readonly removed: number;
}

/** A unified-diff hunk as it is printed: its edits with up to CONTEXT kept lines either side. */
export interface TextHunk {
  readonly file: string;
  readonly oldStart: number;
  readonly oldLen: number;
  readonly newStart: number;
  readonly newLen: number;
  readonly edits: readonly Edit[];
  /** git's function context: the last line before the hunk that starts with a letter, `_` or `$`. */
  readonly context: string;
}

interface Patch {
  readonly concern: Concern;
  readonly files: readonly string[];
  /** The units it changes, in file order. */
  readonly hunks: readonly Hunk[];
  readonly text: readonly TextHunk[];
  readonly subject: string;
  readonly body: readonly string[];
}

/** Kept lines either side of a change, as git diff writes them. */
export const CONTEXT = 3;

/** Longest common subsequence of two key lists, as index pairs. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  // Common head and tail first: the table is then only as big as the part that differs.
  let head = 0;
  while (head < n && head < m && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] === b[m - 1 - tail]) tail++;
  const out: [number, number][] = [];
  for (let k = 0; k < head; k++) out.push([k, k]);
  const an = n - head - tail;
  const bm = m - head - tail;
  const t: Uint32Array[] = Array.from({ length: an + 1 }, () => new Uint32Array(bm + 1));
  for (let i = an - 1; i >= 0; i--) {
    for (let j = bm - 1; j >= 0; j--) t[i]![j] = a[head + i] === b[head + j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  }
  let i = 0;
  let j = 0;
  while (i < an && j < bm) {
    if (a[head + i] === b[head + j]) {
      out.push([head + i, head + j]);
      i++;
      j++;
    } else if (t[i + 1]![j]! >= t[i]![j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  for (let k = 0; k < tail; k++) out.push([n - tail + k, m - tail + k]);
  return out;
}

/** Edits that turn `a` into `b` (lines), `mk` giving each its unit. */
function lineEdits<T>(a: readonly T[], b: readonly T[], key: (x: T) => string, kept: (x: T, y: T) => Edit, removed: (x: T) => Edit, added: (y: T) => Edit): Edit[] {
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...lcs(a.map(key), b.map(key)), [a.length, b.length] as [number, number]]) {
    while (i < pi) out.push(removed(a[i++]!));
    while (j < pj) out.push(added(b[j++]!));
    if (pi === a.length && pj === b.length) break;
    out.push(kept(a[pi]!, b[pj]!));
    i++;
    j++;
  }
  return out;
}

/**
 * The edits of one file, base units -> new units: units are matched by key (`matchKey` maps a new unit to the key
 * of the base unit it replaces), a matched pair is diffed line by line, and every run of changed lines is diffed
 * once more as lines (a #define joining a run moves no blank line; an override shows the line that differs).
 */
function fileEdits(olds: readonly CUnit[], news: readonly CUnit[], matchKey: (u: CUnit) => string = (u) => u.key): Edit[] {
  const aligned = alignUnits(olds, news, matchKey);
  const raw: Edit[] = [];
  for (const e of aligned) {
    if (e.op === '-') for (const l of unitText(e.unit!)) raw.push({ op: '-', text: l, unit: e.unit! });
    else if (e.op === '+') for (const l of unitText(e.unit!)) raw.push({ op: '+', text: l, unit: e.unit! });
    else {
      const o = e.old!;
      const u = e.unit!;
      raw.push(...lineEdits(unitText(o), unitText(u), (l) => l, (l) => ({ op: ' ', text: l, unit: u, old: o }), (l) => ({ op: '-', text: l, unit: u, old: o }), (l) => ({ op: '+', text: l, unit: u, old: o })));
    }
  }
  // A file ends with its last unit's last line, not with the blank line that separates units: that blank line
  // is dropped from each side (a kept one that ends only one side stays, on the other side only).
  let lastOld = -1;
  let lastNew = -1;
  raw.forEach((e, k) => {
    if (e.op !== '+') lastOld = k;
    if (e.op !== '-') lastNew = k;
  });
  const out = raw.map((e, k): Edit | undefined => {
    const endsOld = k === lastOld && e.text === '';
    const endsNew = k === lastNew && e.text === '';
    if (!endsOld && !endsNew) return e;
    if (e.op !== ' ' || (endsOld && endsNew)) return undefined;
    return { ...e, op: endsOld ? '+' : '-' };
  });
  return rediffRuns(out.filter((e): e is Edit => e !== undefined));
}

function alignUnits(olds: readonly CUnit[], news: readonly CUnit[], matchKey: (u: CUnit) => string): Edit[] {
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...lcs(olds.map((u) => u.key), news.map(matchKey)), [olds.length, news.length] as [number, number]]) {
    while (i < pi) out.push({ op: '-', text: '', unit: olds[i++]! });
    while (j < pj) out.push({ op: '+', text: '', unit: news[j++]! });
    if (pi === olds.length && pj === news.length) break;
    out.push({ op: ' ', text: '', unit: news[pj]!, old: olds[pi]! });
    i++;
    j++;
  }
  return out;
}

/** Each maximal run of removed and added lines, diffed as lines: lines both sides have become kept lines. */
function rediffRuns(edits: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  let k = 0;
  while (k < edits.length) {
    if (edits[k]!.op === ' ') {
      out.push(edits[k++]!);
      continue;
    }
    const run: Edit[] = [];
    while (k < edits.length && edits[k]!.op !== ' ') run.push(edits[k++]!);
    const minus = run.filter((e) => e.op === '-');
    const plus = run.filter((e) => e.op === '+');
    out.push(...lineEdits(minus, plus, (e) => e.text, (_m, p) => ({ ...p, op: ' ' }), (m) => m, (p) => p));
  }
  return out;
}

/** git's default function context for a hunk that starts at edit `at`: the last earlier old-side line starting with a letter, `_` or `$`. */
function funcContext(edits: readonly Edit[], at: number): string {
  for (let k = at - 1; k >= 0; k--) {
    const e = edits[k]!;
    if (e.op !== '+' && /^[A-Za-z_$]/.test(e.text)) return e.text.replace(/\s+$/, '').slice(0, 80).replace(/\s+$/, '');
  }
  return '';
}

/** The printed hunks of one file's edits: CONTEXT kept lines around each change, hunks that would overlap merged. */
export function textHunks(file: string, edits: readonly Edit[], opts: { readonly kernelContext?: boolean } = {}): TextHunk[] {
  if (edits.every((e) => e.op === '+')) return newFileHunks(file, edits, opts);
  const changed = edits.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: TextHunk[] = [];
  let g = 0;
  while (g < changed.length) {
    let last = changed[g]!;
    let h = g + 1;
    while (h < changed.length && changed[h]! - last - 1 <= 2 * CONTEXT) last = changed[h++]!;
    const from = Math.max(0, changed[g]! - CONTEXT);
    const to = Math.min(edits.length, last + 1 + CONTEXT);
    let oldBefore = 0;
    let newBefore = 0;
    for (let k = 0; k < from; k++) {
      if (edits[k]!.op !== '+') oldBefore++;
      if (edits[k]!.op !== '-') newBefore++;
    }
    const mine = edits.slice(from, to);
    const oldLen = mine.filter((e) => e.op !== '+').length;
    const newLen = mine.filter((e) => e.op !== '-').length;
    // A sketch hunk names the kernel function its first changed unit belongs to (its own text has none); a hunk
    // against a real file follows git's rule.
    const named = opts.kernelContext ? mine.find((e) => e.op !== ' ' && e.text.trim() !== '' && e.unit?.context)?.unit?.context ?? '' : undefined;
    out.push({ file, oldStart: oldLen ? oldBefore + 1 : oldBefore, oldLen, newStart: newLen ? newBefore + 1 : newBefore, newLen, edits: mine, context: named ?? funcContext(edits, from) });
    g = h;
  }
  return out;
}

/**
 * A series with no base adds whole files: one hunk per unit (a unit's lines and the blank line after it), so each
 * hunk names the kernel function its unit belongs to, and checkpatch.pl reads many small hunks, not one of a
 * thousand lines (its statement scans look ahead to the end of a hunk).
 */
function newFileHunks(file: string, edits: readonly Edit[], opts: { readonly kernelContext?: boolean }): TextHunk[] {
  const out: TextHunk[] = [];
  let k = 0;
  while (k < edits.length) {
    const u = edits[k]!.unit;
    let end = k + 1;
    while (end < edits.length && edits[end]!.unit === u) end++;
    const mine = edits.slice(k, end);
    const context = opts.kernelContext ? (u?.context ?? '') : '';
    out.push({ file, oldStart: 0, oldLen: 0, newStart: k + 1, newLen: mine.length, edits: mine, context });
    k = end;
  }
  return out;
}

/** The units a file's edits change (lines other than blank ones differ), in file order. */
function changesOf(file: string, edits: readonly Edit[]): Hunk[] {
  const per = new Map<CUnit, { added: number; removed: number; old?: CUnit; real: boolean }>();
  for (const e of edits) {
    if (e.op === ' ' || !e.unit) continue;
    const s = per.get(e.unit) ?? { added: 0, removed: 0, ...(e.old ? { old: e.old } : {}), real: false };
    if (e.op === '+') s.added++;
    else s.removed++;
    if (e.text.trim() !== '') s.real = true;
    per.set(e.unit, s);
  }
  const out: Hunk[] = [];
  for (const [u, s] of per) {
    if (!s.real || u.key === 'spdx') continue;
    // A unit of the new side with no base unit is added; a base unit without a new one is removed.
    const change = s.old ? 'changed' : edits.some((e) => e.unit === u && e.op === '-') && !edits.some((e) => e.unit === u && e.op !== '-') ? 'removed' : 'added';
    out.push({ file, concern: u.concern, what: u.what, change, unit: u, added: s.added, removed: s.removed, ...(s.old ? { old: s.old } : {}), ...(u.path ? { path: u.path } : {}), ...(u.level ? { level: u.level } : {}) });
  }
  return out;
}

const CONCERN_ORDER: readonly Concern[] = ['defs', 'swapops', 'arch', 'internal', 'path'];

const siteKey = (path: string, site: Site): string => `${path}\0${site.file}:${site.line}`;

/**
 * The base cases a proposal overrides: `override case K` puts the proposal's case where the base's case of kind K
 * was. Per path, the cases both specs have (same site) anchor the two case lists; between two anchors, each base
 * case that is gone pairs with the first unpaired proposal case of the same kind. Returns new site -> base site.
 */
function overrides(ir: IrSpec, base: IrSpec): Map<string, string> {
  const out = new Map<string, string>();
  // Two versions of one spec (its lines moved, say) override nothing: a case of either is a case of both.
  if (ir.name === base.name) return out;
  // Every level's paths, each against the same level of the base (sites keep two levels' cases apart).
  const pairs = [ir, ...(ir.levels ?? [])].flatMap((l) => {
    const b = levelOf(base, l.level);
    return b ? l.paths.flatMap((p) => [[p, b.paths.find((x) => x.name === p.name)] as const]) : [];
  });
  for (const [p, bp] of pairs) {
    if (!bp) continue;
    const key = (c: IrCase): string => siteKey(p.name, c.site);
    const anchors = lcs(bp.cases.map(key), p.cases.map(key));
    let i = 0;
    let j = 0;
    for (const [ai, aj] of [...anchors, [bp.cases.length, p.cases.length] as [number, number]]) {
      const gone = bp.cases.slice(i, ai);
      const fresh = p.cases.slice(j, aj).filter((c) => c.origin === ir.name);
      for (const g of gone) {
        const n = fresh.findIndex((c) => c.kind === g.kind);
        if (n < 0) continue;
        out.set(key(fresh[n]!), key(g));
        fresh.splice(n, 1);
      }
      i = ai + 1;
      j = aj + 1;
    }
  }
  return out;
}

function planPatches(ir: IrSpec, sketch: CSketch, base: { readonly ir: IrSpec; readonly sketch: CSketch } | undefined, tree?: KernelTree): { patches: Patch[]; placement?: Placement } {
  const placed: (Placed & { file: string })[] = [];
  const notPlaced: NotPlaced[] = [];
  const files = [...new Set([...sketch.files, ...(base?.sketch.files ?? [])])];
  // An overriding case is matched with the base case it replaces, so its hunk shows what the override changes.
  const replaced = base ? overrides(ir, base.ir) : new Map<string, string>();
  const baseKeys = new Map<string, string>();
  for (const u of base?.sketch.units ?? []) if (u.case && u.path) baseKeys.set(siteKey(u.path, u.case.site), u.key);
  const matchKey = (u: CUnit): string => {
    const was = u.case && u.path ? replaced.get(siteKey(u.path, u.case.site)) : undefined;
    return (was && baseKeys.get(was)) ?? u.key;
  };
  const perFile = files.map((f) => {
    const edits = fileEdits(base?.sketch.units.filter((u) => u.file === f) ?? [], sketch.units.filter((u) => u.file === f), matchKey);
    const concern = edits.find((e) => e.unit)?.unit!.concern ?? 'path';
    const changes = changesOf(f, edits);
    if (!tree) return { file: f, concern, text: textHunks(f, edits, { kernelContext: true }), changes };
    // Against a kernel tree: only what the series adds can be placed (the tree has none of the sketch's own text).
    for (const c of changes) if (c.change !== 'added') notPlaced.push({ unit: c.unit, file: f, why: `${c.change === 'changed' ? 'changes' : 'removes'} ptelab's own ${c.what}, which the tree does not have` });
    const adds = changes.filter((c) => c.change === 'added');
    const real = tree.read(f);
    if (real === undefined) {
      for (const c of adds) notPlaced.push({ unit: c.unit, file: f, why: `the tree has no ${f}` });
      return { file: f, concern, text: [], changes: [] };
    }
    const lines = real.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const inserts = new Map<number, CUnit[]>();
    const mine: Hunk[] = [];
    for (const c of adds) {
      const a = anchor(f, lines, c.unit);
      if ('why' in a) {
        notPlaced.push({ unit: c.unit, file: f, why: a.why });
        continue;
      }
      inserts.set(a.at, [...(inserts.get(a.at) ?? []), c.unit]);
      placed.push({ unit: c.unit, file: f, where: a.where });
      mine.push(c);
    }
    const real_: Edit[] = [];
    for (let i = 0; i <= lines.length; i++) {
      for (const u of inserts.get(i) ?? []) for (const l of unitText(u)) real_.push({ op: '+', text: l, unit: u });
      if (i < lines.length) real_.push({ op: ' ', text: lines[i]! });
    }
    return { file: f, concern, text: textHunks(f, real_), changes: mine };
  }).filter((x) => x.text.length > 0);
  const out: Patch[] = [];
  for (const concern of CONCERN_ORDER) {
    const mine = perFile.filter((x) => x.concern === concern);
    if (mine.length === 0) continue;
    const groups = concern === 'path' ? mine.map((x) => [x]) : [mine];
    for (const g of groups) out.push(describe(ir, sketch, base?.ir, concern, g.flatMap((x) => x.changes), g.flatMap((x) => x.text)));
  }
  return { patches: out, ...(tree ? { placement: { tree: tree.name, placed, notPlaced } } : {}) };
}

/**
 * The subject prefix a kernel maintainer expects for a file: the subsystem path without the file's extension
 * (`mm/memory`, `mm/mprotect`, `fs/proc/task_mmu`), `mm/swapops` for include/linux/swapops.h, `mm/uffd` for the
 * userfaultfd helpers (userfaultfd_k.h, fs/userfaultfd.c, and mm_inline.h, whose handler here is
 * pte_install_uffd_wp_if_needed), and
 * the arch's own `x86/mm` / `arm64/mm` for the arch headers.
 */
export function subjectPrefix(file: string): string {
  const known: Readonly<Record<string, string>> = {
    'include/linux/swapops.h': 'mm/swapops',
    'include/linux/swap.h': 'mm/swap',
    'include/linux/userfaultfd_k.h': 'mm/uffd',
    'include/linux/mm_inline.h': 'mm/uffd',
    'fs/userfaultfd.c': 'mm/uffd',
    'include/linux/pgtable.h': 'mm/pgtable',
    'include/linux/mm.h': 'mm',
    [INTERNAL_H]: 'mm',
  };
  if (known[file]) return known[file];
  if (file.startsWith('arch/')) return `${file.split('/')[1]}/mm`;
  const stem = file.replace(/\.[ch]$/, '');
  return stem.startsWith('include/linux/') ? `mm/${stem.slice('include/linux/'.length)}` : stem;
}

/** Arch trees (tip for x86, arm64) capitalise the summary after the prefix; mm does not. */
function summary(prefix: string, text: string): string {
  return /^(x86|arm64)\//.test(prefix) ? `${prefix}: ${text.charAt(0).toUpperCase()}${text.slice(1)}` : `${prefix}: ${text}`;
}

/** "a, b and c". */
function andList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What a patch says about another level's units in it: the level's C namespace (emit.ts, levelC()). */
function levelPara(ir: IrSpec, level: LevelName, concern: Concern): string {
  const lc = levelC(level);
  const own =
    level === 'pmd'
      ? `on pmd_t values (pmd_val(), __pmd()); its names are the kernel's pmd_* ones where the spec gives them, else start with ${lc.own} or PMD_`
      : `on pte_t values, as mm/hugetlb.c reads them (huge_ptep_get()); its names start with ${lc.own} or HUGE_PTE_, and where it means exactly what the PTE level means (the swap and marker formats, pte_present(), pte_swp_uffd_wp(), ...) it calls the PTE level's helpers`;
  if (concern === 'path') {
    // as the kernel the spec claims has them (kernel-api.ts)
    const api = specKernelApi(ir);
    const io =
      level === 'pmd'
        ? `set_pmd_at() and pmd_clear(), and read it with ${api.pmdpGet ? 'pmdp_get()' : '*pmdp'}`
        : api.setHugePteAtSize
          ? 'set_huge_pte_at() and huge_pte_clear() with the huge page size, and huge_ptep_get()'
          : 'set_huge_pte_at(), huge_pte_clear() with the huge page size, and huge_ptep_get()';
    return `The ${lc.noun} level's cases of ${ir.name} are named ${lc.own}<path>_<kind>_<n> and write the entry with ${io}, as ${versionText(api.version)} has them.`;
  }
  if (concern === 'internal') return `The ${lc.noun} level's paths take struct ${lc.args} and its entries (${lc.t}).`;
  return `The ${lc.noun} level of ${ir.name} the same way, after the PTE one, in a C namespace of its own: ${own}.`;
}

/** "a, b and 3 more" (at most `shown` names). */
function someOf(items: readonly string[], shown = 2): string {
  return items.slice(0, shown).join(', ') + (items.length > shown ? ` and ${items.length - shown} more` : '');
}

/** Kinds a series against a base handles that the base has no kind for (at the same level), in the order its hunks name them. */
function newKinds(hunks: readonly Hunk[], base: IrSpec): string[] {
  const out = new Set<string>();
  for (const h of hunks) {
    const k = h.unit.case?.kind;
    if (h.change === 'added' && k && !levelOf(base, h.level)?.kinds.some((x) => x.name === k)) out.add(k);
  }
  return [...out];
}

/** The IR of one page-table level of a spec (undefined: the spec has no such level). */
function levelOf(ir: IrSpec, level: LevelName | undefined): IrSpec | undefined {
  return !level || level === 'pte' ? ir : ir.levels?.find((l) => l.level === level);
}

/** A unit's key within its level (withLevel() puts the level in front of another level's keys: `pmd:kind:none`). */
function ownKey(u: CUnit): string {
  return u.level ? u.key.slice(u.level.length + 1) : u.key;
}

/** How the cover letter and the footprint name a path: a path of another level with its level (`pmd:zap_huge_pmd`). */
function pathLabel(path: string, level: LevelName | undefined): string {
  return level && level !== 'pte' ? `${level}:${path}` : path;
}

/** Fields (format.FIELD), swap types and constants a spec has that its base does not, in that order. */
function newDefinitions(hunks: readonly Hunk[]): string[] {
  return hunks.filter((h) => h.change === 'added' && /^(field|const|swap:type|swap:num):/.test(ownKey(h.unit))).map((h) => h.what.replace(/^(\w+ level: )?(field|constant|swap type group|swap type) /, '$1'));
}

function describe(ir: IrSpec, sketch: CSketch, base: IrSpec | undefined, concern: Concern, hunks: Hunk[], text: TextHunk[]): Patch {
  const files = [...new Set(text.map((h) => h.file))].sort();
  const counts = countChanges(hunks);
  let subject: string;
  const body: string[] = [];
  const para = (s: string): void => {
    body.push(...wrapWords(s, 72), '');
  };
  switch (concern) {
    case 'defs':
      subject = summary(subjectPrefix(sketch.archFiles.defs), `define the PTE fields${ir.maxSwapfiles !== undefined ? ' and swap types' : ''}`);
      if (base) {
        const fresh = newDefinitions(hunks);
        const named = summary(subjectPrefix(sketch.archFiles.defs), `define ${someOf(fresh)}`);
        subject = fresh.length === 0 ? summary(subjectPrefix(sketch.archFiles.defs), 'update the PTE bit definitions') : named.length <= 64 ? named : summary(subjectPrefix(sketch.archFiles.defs), `define ${fresh.length} new PTE bit definitions`);
        const what = [hunks.some((h) => ownKey(h.unit).startsWith('field:')) && 'fields (a shift, a mask and a getter/setter pair each)', hunks.some((h) => ownKey(h.unit).startsWith('const:')) && 'constants', files.includes(SWAP_H) && `the swap type numbering in ${SWAP_H}`].filter(Boolean);
        para(`The bit definitions ${ir.name} changes against ${base.name}: ${what.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`);
      } else {
        para(`The bit layout of ${ir.name}: for every field of every format a shift, a mask and a getter/setter pair that reads and writes the field's logical value (inverted fields are stored inverted), and the spec's constants.`);
      }
      if (ir.maxSwapfiles !== undefined && files.includes(SWAP_H)) para(`include/linux/swap.h: the swap type groups and the reserved types numbered upwards from MAX_SWAPFILES, which is ${ir.maxSwapfiles} here${base?.maxSwapfiles !== undefined && base.maxSwapfiles !== ir.maxSwapfiles ? ` (${base.maxSwapfiles} in ${base.name})` : ''}.`);
      break;
    case 'swapops': {
      const added = base ? ir.kinds.filter((k) => !base.kinds.some((b) => b.name === k.name)).map((k) => k.name) : [];
      subject = summary(subjectPrefix(SWAPOPS_H), added.length ? `add the ${someOf(added)} ${added.length === 1 ? 'entry' : 'entries'}` : base ? 'reclassify PTE values by kind' : 'classify PTE values by kind');
      para(
        base
          ? `What ${ir.name} changes in the classification of PTE values against ${base.name}: the kinds' exact tests (the union of each kind's ternary patterns), the predicates, the classifier (kinds in the spec's order), decode/encode, and make_<kind>_entry()/is_<kind>_entry() for each kind that owns exactly one swap type.`
          : `Every kind of ${ir.name} as an exact test over the PTE value (the union of its ternary patterns), the spec's predicates the same way, a classifier in the spec's kind order, decode/encode of each format's fields, and make_<kind>_entry()/is_<kind>_entry() for each kind that owns exactly one swap type.`,
      );
      break;
    }
    case 'arch':
      {
        const fresh = base ? ir.fns.filter((f) => !base.fns.some((b) => b.name === f.name)).map((f) => `${f.name}()`) : [];
        const named = summary(subjectPrefix(sketch.archFiles.helpers), `add ${someOf(fresh)}`);
        subject = !base ? summary(subjectPrefix(sketch.archFiles.helpers), 'add the arch PTE helpers') : fresh.length && named.length <= 64 ? named : summary(subjectPrefix(sketch.archFiles.helpers), 'update the arch PTE helpers');
      }
      para(`The arch helpers of ${ir.name} (pte_mkwrite(), pte_mkuffd_wp(), pfn_pte(), ...) as the spec writes them, built on the field accessors${base ? `; only those that differ from ${base.name}'s` : ''}.`);
      break;
    case 'internal':
      subject = summary(subjectPrefix(INTERNAL_H), base ? 'declare the new PTE kind handlers' : 'declare the PTE kind handlers');
      para(`${INTERNAL_H}: the dispatcher of every handler path that lives in a .c file, and struct ptelab_args${ir.levels?.length ? ' (one per page-table level)' : ''}, the values a path hands to the path it calls.`);
      break;
    case 'path': {
      const file = files[0]!;
      const paths = [...new Set(hunks.map((h) => h.path).filter((p): p is string => !!p))];
      const decisions = hunks.filter((h) => !h.path && h.what.startsWith('decision ')).map((h) => h.what.slice('decision '.length));
      const items = [...paths, ...decisions];
      const kinds = base ? newKinds(hunks, base) : [];
      const prefix = subjectPrefix(file);
      if (!base) subject = summary(prefix, `handle ${someOf(items)}`);
      else if (kinds.length) {
        const long = summary(prefix, `handle ${someOf(kinds, 1)} in ${someOf(paths)}`);
        subject = long.length <= 64 ? long : summary(prefix, `handle ${someOf(kinds, 1)} in ${paths.length} path${paths.length === 1 ? '' : 's'}`);
      } else subject = summary(prefix, `update ${someOf(items)}`);
      if (paths.length) {
        para(`${base ? `The handler cases that differ from ${base.name}` : 'Every handler case'} of ${paths.join(', ')} in ${file}: one static helper per case, named ptelab_<path>_<kind>_<n>, and per path a dispatcher that runs the first case whose kind and guard match, in the spec's order.`);
      }
      if (decisions.length) para(`The decision${decisions.length === 1 ? '' : 's'} ${decisions.join(', ')} as the spec writes ${decisions.length === 1 ? 'it' : 'them'}: a test of the VMA (and fault) alone.`);
      break;
    }
  }
  // Hunks of another page-table level (a `level pmd` or `level huge_pte` section): the subject and body say so.
  const levels = [...new Set(hunks.flatMap((h) => h.level ?? []))];
  if (levels.length > 0) {
    if (/\bPTE\b/.test(subject)) subject = subject.replace(/\bPTE\b/, andList(['PTE', ...levels.map((l) => levelC(l).noun)]));
    for (const l of levels) para(levelPara(ir, l, concern));
  }
  const list = hunks.map((h) => {
    const reason = base ? why(ir, base, h) : undefined;
    return `${h.change === 'added' ? '+' : h.change === 'removed' ? '-' : '~'} ${h.what}${reason ? ` (${reason})` : ''}`;
  });
  if (list.length <= 40) body.push(...list.flatMap((l) => wrapWords(l, 70).map((w, i) => (i ? `    ${w}` : w))), '');
  else para(`${counts.units} changes: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed.`);
  return { concern, files, hunks, text, subject: clip(subject, 64), body };
}

const asSet = (cubes: readonly (readonly [bigint, bigint])[]): CubeSet => cubes.map(([mask, value]) => ({ mask, value }));

/** "2^57 values", "3 x 2^57 values", "about 2^61.75 values" (a big count with no short exact form), in ASCII. */
function sizeWords(n: bigint): string {
  const exact = sizeText(n).replace(' × ', ' x ');
  if (!/^\d{7,} values$/.test(exact)) return exact;
  const bits = n.toString(2).length;
  const top = Number(n >> BigInt(Math.max(0, bits - 53))) / 2 ** Math.min(53, bits);
  return `about 2^${(bits + Math.log2(top)).toFixed(2)} values`;
}

/** How a value set changed between two specs: "narrowed by 2^40 values", "widened by 1 value", "moved". */
function setChange(before: readonly (readonly [bigint, bigint])[], after: readonly (readonly [bigint, bigint])[], word: number): string {
  const a = asSet(before);
  const b = asSet(after);
  if (isSubset(b, a)) return `narrowed by ${sizeWords(count(a, word) - count(b, word))}`;
  if (isSubset(a, b)) return `widened by ${sizeWords(count(b, word) - count(a, word))}`;
  return `${sizeWords(count(subtract(a, b), word))} out, ${sizeWords(count(subtract(b, a), word))} in`;
}

/**
 * Why a hunk of a series against a base is there, in a few words, for the commit message and the cover letter
 * (undefined: its `what` says it all).
 */
function why(spec: IrSpec, specBase: IrSpec, h: Hunk): string | undefined {
  // A unit of another level is explained by that level's IR on both sides.
  const ir = levelOf(spec, h.level);
  const base = levelOf(specBase, h.level);
  if (!ir || !base) return undefined;
  const u = h.unit;
  const key = ownKey(u).replace(/#\d+$/, '');
  if (key.startsWith('kind:') || key.startsWith('pred:')) {
    const isKind = key.startsWith('kind:');
    const name = key.slice(key.indexOf(':') + 1);
    const now = isKind ? ir.kinds.find((k) => k.name === name) : ir.predicates.find((p) => p.name === name);
    const was = isKind ? base.kinds.find((k) => k.name === name) : base.predicates.find((p) => p.name === name);
    if (h.change === 'changed' && now && was) {
      const same = equals(asSet(now.cubes), asSet(was.cubes));
      const fmt = 'format' in now && 'format' in was && now.format !== was.format ? `format ${was.format} -> ${now.format}` : '';
      return same ? fmt || 'the same values' : `${setChange(was.cubes, now.cubes, ir.word)}${fmt ? `, ${fmt}` : ''}`;
    }
    if (h.change === 'added' && now) return `${sizeWords(count(asSet(now.cubes), ir.word))}`;
    return undefined;
  }
  if (key.startsWith('decision:') && h.change === 'changed') {
    const name = key.slice('decision:'.length);
    const now = ir.decisions.find((d) => d.name === name);
    const was = base.decisions.find((d) => d.name === name);
    return now && was && exprText(now.body) !== exprText(was.body) ? `was ${exprText(was.body)}, now ${exprText(now.body)}` : undefined;
  }
  if (key.startsWith('dispatch:')) return h.change === 'changed' ? 'runs the cases above' : h.change === 'added' ? 'a new path' : 'the path is gone';
  const c = u.case;
  if (!c || !u.path) return undefined;
  const basePath = base.paths.find((p) => p.name === u.path);
  const irPath = ir.paths.find((p) => p.name === u.path);
  if (h.change === 'removed') {
    if (!irPath) return 'the path is gone';
    return irPath.cases.some((x) => x.kind === c.kind && x.origin === ir.name) ? 'overridden' : 'dropped';
  }
  if (h.change === 'changed' && c.origin === ir.name) return `overrides the base's ${c.kind ?? 'default'} case`;
  if (h.change === 'changed') {
    const brace = u.lines.indexOf('{');
    const firstDiff = h.unit.lines.findIndex((l, i) => l !== h.old?.lines[i]);
    return firstDiff >= 0 && firstDiff < brace ? 'inherited; its signature changes' : 'inherited; its C changes';
  }
  if (!basePath) {
    const callers = [...callGraph(ir)].filter(([, callees]) => callees.has(u.path!)).map(([p]) => p);
    return `a new path${callers.length ? `, called from ${someOf(callers)}` : ''}`;
  }
  if (c.kind === undefined) return basePath.cases.some((x) => !x.kind) ? "replaces the base's default" : 'a default of its own';
  if (!base.kinds.some((k) => k.name === c.kind)) return `new kind ${c.kind}`;
  const mine = irPath?.cases.findIndex((x) => x.site.file === c.site.file && x.site.line === c.site.line) ?? -1;
  const inherited = irPath?.cases.findIndex((x) => x.kind === c.kind && x.origin !== ir.name) ?? -1;
  if (!basePath.cases.some((x) => x.kind === c.kind)) return `${c.kind} went to the default before`;
  if (inherited < 0) return `replaces the base's ${c.kind} case`;
  return `${c.guarded ? 'guarded, ' : ''}${mine < inherited ? 'ahead of' : 'after'} the base's ${c.kind} case`;
}

/** One hunk per unit (a replaced unit may have several): what the commit message and cover letter list. */
function perUnit(hunks: readonly Hunk[]): Hunk[] {
  const seen = new Set<CUnit>();
  return hunks.filter((h) => {
    if (seen.has(h.unit)) return false;
    seen.add(h.unit);
    return true;
  });
}

function countChanges(all: readonly Hunk[]): { units: number; added: number; removed: number; changed: number } {
  const hunks = perUnit(all);
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

function header(ir: IrSpec, subject: string, id: PatchIdentity): string[] {
  return [
    generatedHeader(ir.file, 'X-Generated-By:'),
    `From: ${id.author}`,
    `Date: ${id.date}`,
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

function fileStats(hunks: readonly TextHunk[]): FileStat[] {
  const m = new Map<string, { added: number; removed: number }>();
  for (const h of hunks) {
    const s = m.get(h.file) ?? { added: 0, removed: 0 };
    s.added += h.edits.filter((e) => e.op === '+').length;
    s.removed += h.edits.filter((e) => e.op === '-').length;
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

function hunkText(h: TextHunk): string[] {
  const range = (start: number, n: number): string => (n === 1 ? `${start}` : `${start},${n}`);
  const head = `@@ -${range(h.oldStart, h.oldLen)} +${range(h.newStart, h.newLen)} @@${h.context ? ` ${h.context}` : ''}`;
  // A blank kept line is written as an empty line (GNU diff --suppress-blank-empty; git apply and patch read it),
  // so no line of a patch ends in white space, even where checkpatch.pl reads a tracked .patch as a source file.
  return [head, ...h.edits.map((e) => (e.op === ' ' && e.text === '' ? '' : `${e.op}${e.text}`))];
}

function patchText(ir: IrSpec, p: Patch, i: number, n: number, id: PatchIdentity): string {
  const diff: string[] = [];
  for (const f of p.files) {
    diff.push(`diff --git a/${f} b/${f}`, `--- a/${f}`, `+++ b/${f}`);
    for (const h of p.text.filter((x) => x.file === f)) diff.push(...hunkText(h));
  }
  return [
    ...header(ir, `[PATCH ${i}/${n}] ${p.subject}`, id),
    ...safeBody(p.body),
    `Signed-off-by: ${id.author}`,
    '---',
    ...diffstat(fileStats(p.text)),
    '',
    ...diff,
    '', // no `-- ` signature (git format-patch --no-signature): its trailing space is the one line checkpatch.pl flags
  ].join('\n');
}

/** What a spec changes against its base, outside the handler cases: one line per kind of thing (none: empty). */
export function encodingChanges(ir: IrSpec, base: IrSpec): string[] {
  const out: string[] = [];
  const named = <T extends { readonly name: string }>(what: string, mine: readonly T[], theirs: readonly T[], detail: (now: T | undefined, was: T | undefined) => string | undefined, same: (a: T, b: T) => boolean): void => {
    const items: string[] = [];
    for (const x of mine) {
      const was = theirs.find((y) => y.name === x.name);
      if (!was) items.push(`+ ${x.name}${opt(detail(x, undefined))}`);
      else if (!same(x, was)) items.push(`~ ${x.name}${opt(detail(x, was))}`);
    }
    for (const y of theirs) if (!mine.some((x) => x.name === y.name)) items.push(`- ${y.name}`);
    if (items.length) out.push(`${what}: ${items.join('; ')}`);
  };
  const opt = (s: string | undefined): string => (s ? ` (${s})` : '');
  const sameSet = (a: { readonly cubes: readonly (readonly [bigint, bigint])[] }, b: { readonly cubes: readonly (readonly [bigint, bigint])[] }): boolean => equals(asSet(a.cubes), asSet(b.cubes));
  const kindChange = (now: IrSpec['kinds'][number], was: IrSpec['kinds'][number]): string =>
    sameSet(now, was) ? `format ${was.format} -> ${now.format}, the same values` : `${setChange(was.cubes, now.cubes, ir.word)}${now.format !== was.format ? `, format ${was.format} -> ${now.format}` : ''}`;
  named('kinds', ir.kinds, base.kinds, (now, was) => (now && was ? kindChange(now, was) : now ? `${now.format}, ${sizeWords(count(asSet(now.cubes), ir.word))}` : undefined), (a, b) => a.format === b.format && sameSet(a, b));
  named('predicates', ir.predicates, base.predicates, (now, was) => (now && was ? setChange(was.cubes, now.cubes, ir.word) : undefined), sameSet);
  const fnText = (f: IrSpec['fns'][number]): string => `(${f.params.map((x) => x.name).join(', ')}) = ${exprText(f.body)}`;
  named('fns', ir.fns, base.fns, (now, was) => (now && was ? `now ${fnText(now)}` : undefined), (a, b) => fnText(a) === fnText(b));
  named('decisions', ir.decisions, base.decisions, (now, was) => (now && was ? `was ${exprText(was.body)}, now ${exprText(now.body)}` : now ? exprText(now.body) : undefined), (a, b) => exprText(a.body) === exprText(b.body));
  const consts = (x: IrSpec): { name: string; value: bigint }[] => x.consts.filter((c) => !/^(MAX_SWAPFILES|SWP_)/.test(c.name)).map((c) => ({ name: c.name, value: c.value }));
  named('constants', consts(ir), consts(base), (now) => (now ? `= ${now.value}` : undefined), (a, b) => a.value === b.value);
  // Another level's own items (constants and decisions are every level's, said above), under its name.
  if (ir.level === undefined || ir.level === 'pte') {
    for (const l of ir.levels ?? []) {
      const was = levelOf(base, l.level);
      if (!was || !l.level) continue;
      const mine = encodingChanges({ ...l, decisions: [], consts: [] }, { ...was, decisions: [], consts: [] });
      out.push(...mine.map((line) => `${levelC(l.level).noun} level ${line}`));
    }
  }
  return out;
}

function coverLetter(ir: IrSpec, base: IrSpec | undefined, patches: readonly Patch[], id: PatchIdentity, placement?: Placement): string {
  const body: string[] = [];
  const para = (s: string, indent = ''): void => {
    body.push(...wrapWords(s, 72 - indent.length).map((l) => indent + l), '');
  };
  const bullets = (items: readonly string[]): void => {
    for (const item of items) body.push(...wrapWords(item, 68).map((l, i) => (i ? `      ${l}` : `  - ${l}`)));
    body.push('');
  };
  para(`${ir.name}:`);
  para(ir.description.replace(/\s+/g, ' ').trim() || '(no description)', '  ');
  if (!placement) {
    para(
      `This series is a sketch generated by ptelab from ${ir.file}${base ? `, against its base ${base.name} (${base.file})` : ''}: the PTE layout as #defines and exact helpers, and ${base ? 'every handler case that differs from the base' : 'every handler case'} as a static helper in the kernel file it belongs to. ${base ? `Its hunks are made against ${base.name}'s own sketch (the same series for ${base.name}, applied), with three lines of context, so they apply there with plain git apply` : 'Its hunks add to empty files: a sketch, not made against a kernel tree'}; the C of every patch compiles against ptelab's shim header.`,
    );
  }

  if (placement) {
    para(
      `Made against the kernel tree ${placement.tree}, not against ptelab's sketch: the ${placement.placed.length} unit${placement.placed.length === 1 ? '' : 's'} placed below are in that tree's files with its lines as context, so every patch applies there with git apply. A helper for a handler case sits above the kernel function it extends; calling it from inside that function is left to the author.`,
    );
    if (placement.placed.length) {
      body.push('Placed:', '');
      bullets(placement.placed.map((x) => `${x.file}: ${x.unit.what}, ${x.where}`));
    }
    if (placement.notPlaced.length) {
      body.push(`Not placed (${placement.notPlaced.length}; they stay a sketch, see ptelab build without --kernel-tree):`, '');
      bullets(placement.notPlaced.map((x) => `${x.file}: ${x.unit.what}: ${x.why}`));
    }
  }
  const budget = (x: IrSpec): string => (x.maxSwapfiles === undefined ? 'no swap table' : `MAX_SWAPFILES = ${x.maxSwapfiles} of ${2 ** (x.maxSwapfilesShift ?? 5)} swap types`);
  if (base) {
    const same = budget(base) === budget(ir);
    para(`Swap budget: ${budget(base)} before (${base.name}), ${same ? 'the same after (unchanged)' : `${budget(ir)} after`}.`);
    const added = ir.swapTypes.filter((t) => !base.swapTypes.some((b) => b.name === t.name));
    const gone = base.swapTypes.filter((t) => !ir.swapTypes.some((b) => b.name === t.name));
    const moved = ir.swapTypes.filter((t) => base.swapTypes.some((b) => b.name === t.name && b.value !== t.value));
    if (added.length) para(`New swap types: ${added.map((t) => `${t.name} (${t.value})`).join(', ')}.`);
    if (moved.length) para(`Renumbered swap types: ${moved.map((t) => `${t.name} (${base.swapTypes.find((b) => b.name === t.name)!.value} -> ${t.value})`).join(', ')}.`);
    if (gone.length) para(`Swap types given back: ${gone.map((t) => t.name).join(', ')}.`);
    const enc = encodingChanges(ir, base);
    if (enc.length) {
      body.push('What changes in the encoding (+ new, ~ changed, - gone):', '');
      bullets(enc);
    }
  } else {
    para(`Swap budget: ${budget(ir)}${ir.swapTypes.length ? `; reserved: ${ir.swapTypes.map((t) => `${t.name} = ${t.value}`).join(', ')}` : ''}.`);
  }
  const pathHunks = patches.flatMap((p) => p.hunks).filter((h) => h.concern === 'path' && h.path);
  const isDispatch = (h: Hunk): boolean => ownKey(h.unit).startsWith('dispatch:');
  if (pathHunks.length) {
    body.push(base ? 'Paths that change (cases that differ from the base):' : 'Paths (no base spec, so every case is new):', '');
    for (const file of [...new Set(pathHunks.map((h) => h.file))]) {
      const inFile = pathHunks.filter((h) => h.file === file);
      // A path of another level says so: mm/huge_memory.c has a PTE-level and a PMD-level __split_huge_pmd_locked.
      const perPath = [...new Set(inFile.map((h) => pathLabel(h.path!, h.level)))].map((label) => {
        const hs = inFile.filter((h) => pathLabel(h.path!, h.level) === label && !isDispatch(h));
        const c = countChanges(hs);
        const detail = base ? [c.added && `${c.added} added`, c.changed && `${c.changed} changed`, c.removed && `${c.removed} removed`].filter(Boolean).join(', ') : `${hs.length} case${hs.length === 1 ? '' : 's'}`;
        const level = inFile.find((h) => pathLabel(h.path!, h.level) === label)!.level;
        const name = level ? `${inFile.find((h) => pathLabel(h.path!, h.level) === label)!.path!} (${levelC(level).noun} level, ` : `${label} (`;
        return `${name}${detail || 'dispatch only'})`;
      });
      body.push(...wrapWords(`${file}: ${perPath.join(', ')}`, 70).map((l, i) => (i ? `    ${l}` : `  ${l}`)));
    }
    body.push('');
    if (base) {
      body.push('Why each of them changes:', '');
      bullets(perUnit(pathHunks).filter((h) => !isDispatch(h)).map((h) => {
        const reason = why(ir, base, h);
        return `${h.change}: ${h.what}${reason ? ` (${reason})` : ''}`;
      }));
    }
  }
  body.push(`${id.author.replace(/ <.*$/, '')} (${patches.length}):`);
  for (const p of patches) body.push(`  ${p.subject}`);
  body.push('');
  const all = fileStats(patches.flatMap((p) => p.text));
  return [
    ...header(ir, `[PATCH 0/${patches.length}] mm: ${clip(`PTE encoding sketch for ${ir.name}`, 60)}`, id),
    ...safeBody(body),
    ...diffstat(all),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------- footprint

/** Lines and hunks of one kernel file, or of one handler path, in a series. */
export interface FootprintCount {
  readonly added: number;
  readonly removed: number;
  readonly hunks: number;
}

export interface PatchFootprint {
  /** Patches in the series (the cover letter not counted). */
  readonly patches: number;
  readonly hunks: number;
  /** Kernel files the series touches, sorted. */
  readonly files: readonly string[];
  /** Lines added and removed, and hunks, per kernel file, sorted by file (for `ptelab diff`'s footprint table). */
  readonly perFile: readonly ({ readonly file: string } & FootprintCount)[];
}

export interface SeriesFootprint extends PatchFootprint {
  /**
   * What the counts above leave out: comment-only lines (added, removed) and hunks that change nothing but comments
   * and blank lines. The text of the series (patchFootprint) is the two added up; `patches` counts the patches with
   * a change to code.
   */
  readonly comments: FootprintCount;
  /**
   * Per handler path, in the spec's path order (the base's paths a series removes after): the lines and hunks of
   * its cases, its dispatcher and its prototype, in whichever files they are.
   */
  readonly perPath: readonly ({ readonly path: string } & FootprintCount)[];
}

/**
 * The footprint of a series: from the generated files of a spec (`patch/NNNN-*.patch` entries of buildFiles(), or
 * the map patchSeries() returns). Read from the patch text itself, so it counts what a reader of the series sees.
 */
export function patchFootprint(files: ReadonlyMap<string, string> | Iterable<readonly [string, string]>): PatchFootprint {
  let patches = 0;
  let hunks = 0;
  const per = new Map<string, { added: number; removed: number; hunks: number }>();
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
        if (!per.has(file)) per.set(file, { added: 0, removed: 0, hunks: 0 });
        continue;
      }
      const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
      if (h && file) {
        hunks++;
        per.get(file)!.hunks++;
        oldLeft = h[1] === undefined ? 1 : Number(h[1]);
        newLeft = h[2] === undefined ? 1 : Number(h[2]);
      }
    }
  }
  const sorted = [...per].sort(([a], [b]) => (a < b ? -1 : 1));
  return { patches, hunks, files: sorted.map(([f]) => f), perFile: sorted.map(([file, s]) => ({ file, ...s })) };
}

/**
 * The footprint of the series patchSeries(ir, base) writes, from the series' own hunks: the same numbers
 * patchFootprint() reads from its text, plus the share of each handler path (which the text only names in comments).
 */
export function seriesFootprint(ir: IrSpec, base?: IrSpec): SeriesFootprint {
  const { patches } = buildPatches(ir, base);
  const all = patches.flatMap((p) => p.text);
  const changed = (e: Edit): boolean => e.op !== ' ';
  // a removed line of a unit both sides have is a line of the base's unit
  const comment = (e: Edit): boolean => isCommentLine(e.op === '-' ? (e.old ?? e.unit) : e.unit, e.text);
  const blank = (e: Edit): boolean => e.text.trim() === '';
  // A hunk of comments and blank lines only is no change to the kernel's code: all its lines count as comments.
  const commentOnly = (h: TextHunk): boolean => h.edits.every((e) => !changed(e) || comment(e) || blank(e));
  const hunks = all.filter((h) => !commentOnly(h));
  const count = (hs: readonly TextHunk[], keep: (e: Edit) => boolean): FootprintCount => {
    const mine = hs.filter((h) => h.edits.some((e) => changed(e) && keep(e)));
    return {
      added: mine.reduce((n, h) => n + h.edits.filter((e) => e.op === '+' && keep(e)).length, 0),
      removed: mine.reduce((n, h) => n + h.edits.filter((e) => e.op === '-' && keep(e)).length, 0),
      hunks: mine.length,
    };
  };
  const code = (e: Edit): boolean => !comment(e);
  const files = [...new Set(hunks.map((h) => h.file))].sort();
  // Another level's paths are named with their level (`pmd:zap_huge_pmd`), after the PTE level's.
  const labels = (x: IrSpec): string[] => [x, ...(x.levels ?? [])].flatMap((l) => l.paths.map((p) => pathLabel(p.name, l.level)));
  const pathOrder = [...labels(ir), ...(base ? labels(base) : [])];
  const onPath = (p: string) => (e: Edit): boolean => e.unit?.path !== undefined && pathLabel(e.unit.path, e.unit.level) === p && code(e);
  const paths = [...new Set(pathOrder)].filter((p) => hunks.some((h) => h.edits.some((e) => changed(e) && onPath(p)(e))));
  const onlyComments = all.filter(commentOnly);
  const inCode = count(hunks, comment);
  const whole = count(onlyComments, () => true);
  return {
    patches: patches.filter((p) => p.text.some((h) => !commentOnly(h))).length,
    hunks: hunks.length,
    files,
    perFile: files.map((file) => ({ file, ...count(hunks.filter((h) => h.file === file), code) })),
    perPath: paths.map((p) => ({ path: p, ...count(hunks, onPath(p)) })),
    comments: {
      added: inCode.added + whole.added,
      removed: inCode.removed + whole.removed,
      hunks: onlyComments.length,
    },
  };
}
