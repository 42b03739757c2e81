// IR -> the C of a kernel patch sketch, as units: one #define block per field, one helper per kind / predicate /
// fn, one static helper per handler case and one dispatcher per path, each tagged with the kernel file it belongs
// to and a stable key (patch.ts diffs units by key against a base spec). The C is written against the shim
// (shim.ts) in kernel style: tabs, 100 columns, block comments, declarations at the top of a function.
//
// Spec text never becomes code: names are validated identifiers (renamed on a collision, see names.ts), warn
// messages are escaped C strings and comments are flattened to one safe line.
import { caseRuns } from '../../ir/case-runs.js';
import type { LevelName } from '../../../contract/table.js';
import type { IrCase, IrCond, IrConst, IrExpr, IrField, IrFn, IrFormat, IrKind, IrPath, IrSpec, IrStmt, Site, Ty } from '../../ir/types.js';
import { equals, intersect, isSubset, union, type CubeSet } from '../../bits/cube-set.js';
import { simplifyCond } from './cond.js';
import { isPte, typeOf } from '../../ir/types.js';
import { forEachChild, forEachStmtExpr } from '../../ir/visit.js';
import { exprText } from '../../ir/print.js';
import { levelEntryPaths, RSS_COUNTERS, type PrimitiveName } from '../../../contract/table.js';
import { safeComment } from '../generated-header.js';
import { call, chain, comment, flat, functionHead, macro, openEnded, statement, text, wrap, type Doc } from './doc.js';
import {
  archFiles, callGraph, caseFunction, decisionPlace, INTERNAL_H, isHeader, pathFiles, pathFunction,
  signature, sortPathFiles, specArch, SWAP_H, SWAPOPS_H, type Arch, type ArchFiles,
} from './kernel.js';
import { fieldStem, LocalNames, Names } from './names.js';
import { specKernelApi, type KernelApi } from './kernel-api.js';

/** Which patch of the series a unit belongs to. */
export type Concern = 'defs' | 'swapops' | 'arch' | 'internal' | 'path';

export interface CUnit {
  /** Kernel file, e.g. mm/memory.c. */
  readonly file: string;
  /** Identity within the file, stable across specs (`case:zap_pte_range:pte_marker:1`, `field:SWP_TYPE`). */
  readonly key: string;
  readonly concern: Concern;
  /** The kernel function (or '') a hunk of this unit names in its `@@ ... @@` line. */
  readonly context: string;
  /** What the unit is, for commit messages. */
  readonly what: string;
  /** For path units: the path. */
  readonly path?: string;
  /** For a handler case: its kind (undefined: `default`), whether it has a guard, and the spec that wrote it. */
  readonly case?: { readonly kind?: string; readonly guarded: boolean; readonly origin: string; readonly site: Site };
  readonly lines: readonly string[];
  /** No blank line after this unit (a run of one-line #defines). */
  readonly tight?: boolean;
  /** The page-table level of a unit another level's emitter wrote (absent: the PTE level's). */
  readonly level?: LevelName;
}

export interface CSketch {
  readonly arch: Arch;
  readonly archFiles: ArchFiles;
  readonly units: readonly CUnit[];
  /** Every file with units, in series order. */
  readonly files: readonly string[];
  /** The C names of what a test harness calls. */
  readonly api: CApi;
  /** The kernel API the sketch calls: the version its spec claims (kernel-api.ts; the shim declares the same). */
  readonly kernel: KernelApi;
  /** The page-table level of a level's own sketch (absent: the PTE level). */
  readonly level?: LevelName;
  /** The other levels whose C the sketch carries (emitC of a spec with `level` sections), each with its own API. */
  readonly levels?: readonly { readonly level: LevelName; readonly api: CApi }[];
}

export interface CApi {
  /** `enum pte_kind ptelab_pte_kind(pte_t)`. */
  readonly classify: string;
  /** `int ptelab_pte_decode(enum pte_kind, pte_t, unsigned long *fields)`: the count of fields. */
  readonly decode: string;
  /** `pte_t ptelab_pte_encode(enum pte_kind, const unsigned long *fields)`. */
  readonly encode: string;
  /** The enumerator after the last kind (what classify returns for a gap). */
  readonly nrKinds: string;
  /** The kinds' enumerators, in spec order. */
  readonly kinds: readonly string[];
  /** Spec fn -> C function; spec predicate -> C function. */
  readonly fns: ReadonlyMap<string, string>;
  readonly preds: ReadonlyMap<string, string>;
  /** The swap entry fields swp_type() / swp_offset() read (getter and setter names), when the spec has swap types. */
  readonly swapEntry?: { readonly type: string; readonly setType: string; readonly offset: string; readonly setOffset: string };
  /** The kinds that get make_/is_<kind>_entry() helpers, and how. */
  readonly entries: readonly (EntryShape & { readonly make: string; readonly is: string })[];
}

/** A unit's lines as they stand in its file: followed by a blank line unless it is `tight`. */
export function unitText(u: CUnit): string[] {
  return u.tight ? [...u.lines] : [...u.lines, ''];
}

/** The C text of one file of the sketch (its units, as the patches add them). */
export function cFileText(sketch: CSketch, file: string): string {
  // Units are separated by a blank line; the file ends with its last unit's last line.
  const lines = sketch.units.filter((u) => u.file === file).flatMap(unitText);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => `${l}\n`).join('');
}

/** The layout half's files (bit definitions, swap types, swapops helpers, arch helpers), in series order. */
export function layoutFiles(sketch: CSketch): string[] {
  return sketch.files.filter((f) => sketch.units.some((u) => u.file === f && u.concern !== 'path' && u.concern !== 'internal'));
}

// ---------------------------------------------------------------------------------------------------- helpers

const asCubes = (cubes: readonly (readonly [bigint, bigint])[]): CubeSet => cubes.map(([mask, value]) => ({ mask, value }));

/** A number as C: small ones decimal, the rest hex; `ull` suffixes 64-bit masks. */
function num(v: bigint): string {
  if (v < 0n) throw new Error(`C back end: negative constant ${v}`);
  if (v < 1024n) return String(v);
  return `0x${v.toString(16)}${v > 0xffffffffn ? 'ULL' : 'UL'}`;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}ULL`;
}

/** A C string literal (for WARN_ONCE formats: % doubled); `raw` is appended inside the quotes as it is. */
export function cString(s: string, raw = ''): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '%') out += '%%';
    else if (ch === '\n') out += '\\n';
    else if (ch === '?') out += '\\?'; // no trigraphs
    else if (c < 0x20 || c >= 0x7f) out += [...Buffer.from(ch, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
    else out += ch;
  }
  return `"${out}${raw}"`;
}

/** `#define NAME value`, the value at column 32 (or the next tab stop after a longer name). */
function define(name: string, value: string): string {
  const head = `#define ${name}`;
  const col = Math.max(32, (Math.floor(head.length / 8) + 1) * 8);
  return `${head}${'\t'.repeat(Math.ceil((col - head.length) / 8))}${value}`;
}

/** `#define NAME value` lines with the values aligned on a tab stop. */
function defines(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([n]) => `#define ${n}`.length));
  const col = (Math.floor(width / 8) + 1) * 8;
  return pairs.map(([n, v]) => {
    const head = `#define ${n}`;
    return `${head}${'\t'.repeat(Math.ceil((col - head.length) / 8))}${v}`;
  });
}

/** The C vocabulary of a page-table level's values: pte_t / pte_val() / __pte(), pmd_t / pmd_val() / __pmd(), ... */
export interface LevelC {
  readonly level: LevelName;
  readonly t: string;
  readonly valT: string;
  readonly val: string;
  readonly mk: string;
  /** The name of a value parameter (`pte`, `pmd`). */
  readonly v: string;
  readonly toSwp: string;
  readonly fromSwp: string;
  /** Prefix of generated names: `pte` (ptelab_pte_kind, PTE_KIND_*), `pmd`, `huge_pte`. */
  readonly prefix: string;
  /**
   * The level's C namespace: the start of its paths' and case helpers' names, and of a spec name (predicate, fn)
   * another level already has (`mmu_read` of the PMD level is `ptelab_pmd_mmu_read`): `ptelab_`, `ptelab_pmd_`,
   * `ptelab_huge_`.
   */
  readonly own: string;
  /** The struct a path hands to the path it calls. */
  readonly args: string;
  /** The handled entry's pointer and, at fork, the child's (ptep / dst_pte, pmdp / dst_pmd). */
  readonly ptr: string;
  readonly dstPtr: string;
  /** The vm_fault member that points at the entry (vmf->pte, vmf->pmd). */
  readonly vmfPtr: string;
  /** Two values are the same entry. */
  readonly same: string;
  /** What the level's values are called in comments and commit messages: PTE, PMD, hugetlb. */
  readonly noun: string;
}

export function levelC(level: LevelName = 'pte'): LevelC {
  // hugetlb entries are pte_t in the kernel (huge_ptep_get), whatever level maps them
  const ty = level === 'pmd' ? 'pmd' : 'pte';
  const own = level === 'pte' ? 'ptelab_' : level === 'pmd' ? 'ptelab_pmd_' : 'ptelab_huge_';
  return {
    level,
    t: `${ty}_t`,
    valT: `${ty}val_t`,
    val: `${ty}_val`,
    mk: `__${ty}`,
    v: ty,
    toSwp: `${ty}_to_swp_entry`,
    fromSwp: `swp_entry_to_${ty}`,
    prefix: level,
    own,
    args: `${own}args`,
    ptr: level === 'pmd' ? 'pmdp' : 'ptep',
    dstPtr: level === 'pmd' ? 'dst_pmd' : 'dst_pte',
    vmfPtr: ty,
    same: `${ty}_same`,
    noun: level === 'huge_pte' ? 'hugetlb' : level.toUpperCase(),
  };
}

/** The C vocabulary cType uses for PTE values: set while one level's sketch is emitted (emitC is synchronous). */
let valueType = 'pte_t';

function cType(t: Ty): string {
  if (isPte(t)) return valueType;
  switch (t) {
    case 'bool':
      return 'bool';
    case 'int':
      return 'unsigned long';
    case 'page':
      return 'struct page *';
    case 'counter':
      return 'int';
    case 'pmflag':
      return 'u64';
    case 'void':
      return 'void';
  }
}

/** `type name` with the pointer star on the name. */
function decl(t: Ty, name: string): string {
  const ty = cType(t);
  return ty.endsWith('*') ? `${ty}${name}` : `${ty} ${name}`;
}


// ---------------------------------------------------------------------------------------------------- walk state

// A slot is what a function has in hand; `ptep` and `dst_pte` stand for the level's entry pointers (slotC()).
type Slot = 'vmf' | 'vma' | 'dst_vma' | 'ptep' | 'dst_pte' | 'addr' | 'details' | 'zap_flags' | 'newprot' | 'cp_flags' | 'folio' | 'pm_flags' | 'args' | 'flags' | 'scan';

const SLOT_ORDER: readonly Slot[] = ['vmf', 'vma', 'dst_vma', 'ptep', 'dst_pte', 'addr', 'details', 'zap_flags', 'newprot', 'cp_flags', 'folio', 'pm_flags', 'args', 'flags', 'scan'];

/** A slot's C name at a level. */
function slotC(s: Slot, lc: LevelC): string {
  return s === 'ptep' ? lc.ptr : s === 'dst_pte' ? lc.dstPtr : s;
}

/** A slot's parameter declaration at a level. */
function slotDecl(s: Slot, lc: LevelC): string {
  switch (s) {
    case 'ptep':
    case 'dst_pte':
      return `${lc.t} *${slotC(s, lc)}`;
    case 'args':
      return `const struct ${lc.args} *args`;
    default:
      return SLOT_DECL[s];
  }
}

const SLOT_DECL: Readonly<Record<Exclude<Slot, 'ptep' | 'dst_pte' | 'args'>, string>> = {
  vmf: 'struct vm_fault *vmf',
  vma: 'struct vm_area_struct *vma',
  dst_vma: 'struct vm_area_struct *dst_vma',
  addr: 'unsigned long addr',
  details: 'struct zap_details *details',
  // v6.17 mm/hugetlb.c __unmap_hugepage_range() takes zap flags, not zap_details
  zap_flags: 'zap_flags_t zap_flags',
  newprot: 'pgprot_t newprot',
  cp_flags: 'unsigned long cp_flags',
  folio: 'struct folio *folio',
  pm_flags: 'u64 *pm_flags',
  flags: 'uffd_flags_t flags',
  scan: 'struct pagemap_scan_private *scan',
};

/** What the kernel function behind each entry path has in hand. */
const ENTRY_SLOTS: Readonly<Record<string, readonly Slot[]>> = {
  copy_page_range: ['vma', 'dst_vma', 'ptep', 'dst_pte', 'addr'],
  zap_pte_range: ['vma', 'ptep', 'addr', 'details'],
  handle_pte_fault: ['vmf'],
  filemap_map_pages: ['vmf'],
  change_pte_range: ['vma', 'ptep', 'addr', 'newprot', 'cp_flags'],
  try_to_unmap_one: ['folio', 'vma', 'ptep', 'addr'],
  try_to_migrate_one: ['folio', 'vma', 'ptep', 'addr'],
  remove_migration_pte: ['folio', 'vma', 'ptep', 'addr'],
  unuse_pte: ['vma', 'ptep', 'addr'],
  pagemap_pte: ['vma', 'ptep', 'addr', 'pm_flags'],
  mfill_atomic_pte: ['vma', 'ptep', 'addr', 'flags'],
  mfill_atomic_pte_poison: ['vma', 'ptep', 'addr'],
  guard_install_pte_entry: ['vma', 'ptep', 'addr'],
  guard_remove_pte_entry: ['vma', 'ptep', 'addr'],
  move_ptes: ['vma', 'ptep', 'addr'],
  move_pages_pte: ['vma', 'ptep', 'addr'],
  pagemap_scan_pte: ['vma', 'ptep', 'addr', 'pm_flags', 'scan'],
};

/** The same for the other levels' entry paths (contract/table.ts LEVEL_ENTRY_PATHS; v6.17 signatures). */
const LEVEL_ENTRY_SLOTS: Readonly<Record<Exclude<LevelName, 'pte'>, Readonly<Record<string, readonly Slot[]>>>> = {
  pmd: {
    copy_huge_pmd: ['vma', 'dst_vma', 'ptep', 'dst_pte', 'addr'],
    zap_huge_pmd: ['vma', 'ptep', 'addr'],
    change_huge_pmd: ['vma', 'ptep', 'addr', 'newprot', 'cp_flags'],
    do_huge_pmd_wp_page: ['vmf'],
    // the page_vma_mapped_walk of try_to_migrate_one() / remove_migration_pte() gives the folio, VMA, PMD, address
    set_pmd_migration_entry: ['folio', 'vma', 'ptep', 'addr'],
    remove_migration_pmd: ['folio', 'vma', 'ptep', 'addr'],
    __split_huge_pmd_locked: ['vma', 'ptep', 'addr'],
    collapse_huge_page: ['vma', 'ptep', 'addr'],
    pagemap_pmd_range: ['vma', 'ptep', 'addr', 'pm_flags'],
  },
  huge_pte: {
    copy_hugetlb_page_range: ['vma', 'dst_vma', 'ptep', 'dst_pte', 'addr'],
    __unmap_hugepage_range: ['vma', 'ptep', 'addr', 'zap_flags'],
    hugetlb_change_protection: ['vma', 'ptep', 'addr', 'newprot', 'cp_flags'],
    hugetlb_fault: ['vmf'],
    pagemap_hugetlb_range: ['vma', 'ptep', 'addr', 'pm_flags'],
    move_huge_pte: ['vma', 'ptep', 'addr'],
  },
};

/** The entry paths of fork, at each level: rss counted there is the child's. */
const FORK_ENTRIES: ReadonlySet<string> = new Set(['copy_page_range', 'copy_huge_pmd', 'copy_hugetlb_page_range']);

function entrySlots(level: LevelName, path: string): readonly Slot[] | undefined {
  return level === 'pte' ? ENTRY_SLOTS[path] : LEVEL_ENTRY_SLOTS[level][path];
}

/** With a vm_fault in hand, these come from it (`struct vm_area_struct *vma = vmf->vma;`). */
const FROM_VMF_SLOTS: ReadonlySet<Slot> = new Set(['vma', 'addr', 'ptep']);

function fromVmf(s: Slot, lc: LevelC): { readonly decl: string; readonly init: string } {
  if (s === 'vma') return { decl: 'struct vm_area_struct *vma', init: 'vmf->vma' };
  if (s === 'addr') return { decl: 'unsigned long addr', init: 'vmf->address' };
  return { decl: slotDecl(s, lc), init: `vmf->${lc.vmfPtr}` };
}

/** Names a local never takes: every level's parameters, the handled entry, a hugetlb function's page size. */
const PARAM_NAMES: ReadonlySet<string> = new Set([...SLOT_ORDER, 'pmdp', 'dst_pmd', 'orig', 'sz']);

interface Needs {
  readonly slots: Set<Slot>;
  faulty: boolean;
}

interface PathInfo {
  readonly ir: IrPath;
  readonly file: string;
  readonly fn: string;
  /** Parameters in order (without `orig`, always last). */
  readonly params: readonly Slot[];
  readonly ret: 'vm_fault_t' | 'int';
  readonly rssVma: 'vma' | 'dst_vma';
  /** One per case, or per run of a case written for several kinds that elaborated alike (`run`: its members). */
  readonly cases: readonly { readonly c: IrCase; readonly run: readonly IrCase[]; readonly helper: string; readonly ordinal: number; readonly reachable: boolean }[];
}

interface FieldInfo {
  readonly format: string;
  readonly field: IrField;
  readonly stem: string;
  readonly shift: string;
  readonly mask: string;
  readonly get: string;
  readonly set: string;
  /** Declared by an ancestor format with the same layout. */
  readonly inherited: boolean;
}

interface KindInfo {
  readonly kind: IrKind;
  readonly enumName: string;
  readonly baseMacro: string;
  readonly is: string;
  /** A kind of exactly one swap type: make_<kind>_entry() / is_<kind>_entry(). */
  readonly entry?: EntryShape & { readonly make: string; readonly is: string };
}

/**
 * A kind whose values all have one swap type: the swapops helpers it gets. `owns`: every swap entry of that type is
 * of the kind, so is_<kind>_entry() is the type test alone; else it is the kind's exact test on the entry's PTE.
 * make_<kind>_entry() sets every offset bit the kind fixes (`fixedMask` / `fixedValue`, logical offset bits); it is
 * emitted only when swp_entry(type, (offset & ~fixedMask) | fixedValue) is of the kind for every offset (`make`).
 */
export interface EntryShape {
  readonly kind: string;
  readonly type: string;
  readonly owns: boolean;
  readonly fixedMask: bigint;
  readonly fixedValue: bigint;
  readonly exactMake: boolean;
}

/** One rendered C statement (its lines), plus what the brace rules need to know. */
interface CStmt {
  readonly lines: readonly string[];
  readonly comment?: boolean;
  readonly isIf?: boolean;
  readonly terminal?: boolean;
}

// ---------------------------------------------------------------------------------------------------- emitter

/**
 * The sketch of a spec: its PTE level, then each other level (`level pmd`, `level huge_pte`) in the same kernel
 * files, each in a C namespace of its own (levelC(): pmd_t and `ptelab_pmd_`, pte_t and `ptelab_huge_` for hugetlb).
 * The levels share one name registry, so nothing a level defines redefines another's. A level's IR on its own (no
 * PTE level) gives that level's sketch alone.
 */
export function emitC(ir: IrSpec): CSketch {
  const isLevel = ir.level !== undefined && ir.level !== 'pte';
  const pte = inLevel(ir.level, () => new CEmitter(isLevel ? levelFormatsOnly(ir) : ir));
  const main = inLevel(ir.level, () => pte.sketch());
  if (isLevel) return main;
  return (ir.levels ?? []).reduce((acc, l) => {
    const e = inLevel(l.level, () => new CEmitter(levelFormatsOnly(l), pte.shared()));
    return withLevel(acc, inLevel(l.level, () => e.sketch()));
  }, main);
}

/** Run `f` with cType() giving the level's value type (emitting is synchronous). */
function inLevel<T>(level: LevelName | undefined, f: () => T): T {
  const saved = valueType;
  valueType = levelC(level).t;
  try {
    return f();
  } finally {
    valueType = saved;
  }
}

/**
 * A level sees the PTE level's formats, but its C needs accessors only for the formats its kinds, predicates and
 * helpers read (and what those extend): a PMD sketch has no pmd_t accessors of the PTE's own `pte` format.
 */
function levelFormatsOnly(ir: IrSpec): IrSpec {
  const keep = new Set<string>([...ir.kinds.map((k) => k.format), ...ir.predicates.flatMap((p) => p.format ?? [])]);
  for (const f of ir.fns) for (const p of [...f.params.map((x) => x.ty), f.ty]) if (isPte(p)) keep.add(p.pte);
  // and the formats the level's fns and handler cases read a field of or build a value in
  const visitE = (e: IrExpr): void => {
    if (e.k === 'field' || e.k === 'with' || e.k === 'make') keep.add(e.format);
    forEachChild(e, visitE);
  };
  const visitS = (list: readonly IrStmt[]): void => {
    for (const st of list) {
      forEachStmtExpr(st, visitE);
      if (st.s === 'if') {
        visitS(st.then);
        visitS(st.else);
      }
    }
  };
  for (const f of ir.fns) visitE(f.body);
  for (const p of ir.paths) {
    for (const c of p.cases) {
      if (c.guard) visitE(c.guard);
      visitS(c.body);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of ir.formats) {
      if (keep.has(f.name) && f.base && !keep.has(f.base)) {
        keep.add(f.base);
        grew = true;
      }
    }
  }
  return { ...ir, formats: ir.formats.filter((f) => keep.has(f.name)) };
}

/**
 * The sketch of a spec with its other levels' C added (docs/language.md, "Levels"): each level's fields, kinds,
 * predicates and helpers go into the same kernel files as the PTE ones, after them, so the series adds them in the
 * same patches. What the level shares with the PTE level (constants, the SPDX line) is written once; its keys are
 * its own (`pmd:field:PMD_UFFD_WP`), so a proposal's series diffs each level against the base's same level.
 */
export function withLevel(main: CSketch, level: CSketch): CSketch {
  const lv = level.level ?? 'pte';
  const has = new Set(main.units.map((u) => u.file));
  const added = level.units.flatMap((u): CUnit[] => {
    // A file starts with one SPDX line, whichever level wrote into it first.
    if (u.key === 'spdx') return has.has(u.file) ? [] : [u];
    return [{ ...u, key: `${lv}:${u.key}`, what: `${lv} level: ${u.what}`, level: lv }];
  });
  const units = [...main.units, ...added];
  const layout = [main.archFiles.defs, SWAP_H, SWAPOPS_H, main.archFiles.helpers, INTERNAL_H];
  const all = new Set([...main.files, ...level.files]);
  const files = [...layout.filter((f) => all.has(f)), ...sortPathFiles([...all].filter((f) => !layout.includes(f)))];
  return { ...main, units, files, levels: [...(main.levels ?? []), { level: lv, api: level.api }] };
}

/**
 * What another level's emitter takes from the PTE level's (emitC): the one name registry, and the names of what
 * every level shares (constants, decisions, the swap table) or may share when its C type is the same (hugetlb's
 * pte_t): a format the PTE level declares, and a predicate or fn of the same name that means the same.
 */
interface SharedC {
  readonly names: Names;
  readonly ir: IrSpec;
  readonly lc: LevelC;
  /** The kernel API every level's C calls: the version the spec claims (kernel-api.ts). */
  readonly api: KernelApi;
  readonly consts: ReadonlyMap<string, string>;
  readonly fields: ReadonlyMap<string, FieldInfo>;
  readonly formatCodec: ReadonlyMap<string, { readonly decode: string; readonly encode: string }>;
  readonly preds: ReadonlyMap<string, string>;
  readonly fns: ReadonlyMap<string, string>;
}

class CEmitter {
  private readonly names: Names;
  private readonly arch: Arch;
  private readonly files: ArchFiles;
  private readonly formats: Map<string, IrFormat>;
  private readonly fields = new Map<string, FieldInfo>();
  private readonly kinds = new Map<string, KindInfo>();
  private readonly consts = new Map<string, string>();
  private readonly preds = new Map<string, string>();
  private readonly fns = new Map<string, string>();
  private readonly decisions = new Map<string, string>();
  private readonly paths = new Map<string, PathInfo>();
  private readonly argNames = new Map<string, string>();
  private readonly fixed: Record<'kindEnum' | 'nrKinds' | 'classify' | 'decode' | 'encode', string>;
  private readonly formatCodec = new Map<string, { readonly decode: string; readonly encode: string }>();
  /** The kernel function the case being written belongs to (its hunk names it). */
  private kernelFn: string | undefined;

  /** The level's C vocabulary (pte_t for the PTE level, pmd_t for the PMD level). */
  private readonly lc: LevelC;
  /** The kernel's API as the spec's version has it (the PTE level's, for another level). */
  private readonly api: KernelApi;
  private get flagTests(): ReadonlySet<string> {
    return this.lc.level === 'huge_pte' ? HUGE_FLAG_TESTS : FLAG_TESTS;
  }

  /** What this level writes no C for, the PTE level's being its own (see SharedC). */
  private readonly reused = { formats: new Set<string>(), preds: new Set<string>(), fns: new Set<string>() };

  constructor(private readonly ir: IrSpec, private readonly from?: SharedC) {
    this.lc = levelC(ir.level);
    this.api = from?.api ?? specKernelApi(ir);
    this.names = from?.names ?? new Names();
    this.arch = specArch(ir);
    this.files = archFiles(this.arch);
    this.formats = new Map(ir.formats.map((f) => [f.name, f]));
    const own = this.lc.own;
    // Spec names first (they keep their kernel spelling), then generated ones. Constants and decisions are every
    // level's: another level takes the PTE level's names.
    for (const c of ir.consts) this.consts.set(c.name, from?.consts.get(c.name) ?? this.names.claim(c.name, own));
    this.findReused();
    for (const p of ir.predicates) this.preds.set(p.name, this.reused.preds.has(p.name) ? from!.preds.get(p.name)! : this.names.claim(p.name, own));
    for (const f of ir.fns) this.fns.set(f.name, this.reused.fns.has(f.name) ? from!.fns.get(f.name)! : this.names.claim(f.name, own));
    if (!from) for (const d of ir.decisions) this.decisions.set(d.name, this.names.claim(d.name));
    const lp = this.lc.prefix;
    this.fixed = {
      kindEnum: `${lp}_kind`, // a tag, not an ordinary identifier
      nrKinds: this.names.claim(`NR_${lp.toUpperCase()}_KINDS`),
      classify: this.names.claim(`ptelab_${lp}_kind`),
      decode: this.names.claim(`ptelab_${lp}_decode`),
      encode: this.names.claim(`ptelab_${lp}_encode`),
    };
    this.nameFields();
    this.nameKinds();
    for (const f of ir.formats) {
      const shared = this.reused.formats.has(f.name) ? from!.formatCodec.get(f.name) : undefined;
      if (shared) {
        this.formatCodec.set(f.name, shared);
        continue;
      }
      // Another level's codecs of a shared format (swp) take that level's values: their own names.
      const lv = this.lc.level === 'pte' ? '' : `${this.lc.prefix}_`;
      const [decode, encode] = this.names.claimFamily((s) => [`ptelab_${lv}decode_${f.name}${s}`, `ptelab_${lv}encode_${f.name}${s}`]);
      this.formatCodec.set(f.name, { decode: decode!, encode: encode! });
    }
    this.analysePaths();
  }

  /** What the next level's emitter takes from this one (the PTE level's). */
  shared(): SharedC {
    return { names: this.names, ir: this.ir, lc: this.lc, api: this.api, consts: this.consts, fields: this.fields, formatCodec: this.formatCodec, preds: this.preds, fns: this.fns };
  }

  /**
   * Where a level has the PTE level's C type (hugetlb entries are pte_t), it writes no second copy of what means the
   * same: a format the PTE level declares with the same fields (the swap and marker formats mm/hugetlb.c reads with
   * pte_to_swp_entry()), a predicate of the same name and the same exact set, a fn of the same name, signature and
   * body whose formats, fns and predicates are all reused too. hugetlb code then calls the PTE helpers, as the kernel
   * does (v6.17 include/asm-generic/hugetlb.h: the huge_pte_* helpers are the pte_* ones on the same pte_t).
   */
  private findReused(): void {
    const from = this.from;
    if (!from || from.lc.t !== this.lc.t) return;
    for (const f of this.ir.formats) {
      const g = from.ir.formats.find((x) => x.name === f.name);
      if (g && g.base === f.base && g.fields.length === f.fields.length && g.fields.every((x, i) => sameLayout(x, f.fields[i]!))) this.reused.formats.add(f.name);
    }
    for (const p of this.ir.predicates) {
      const q = from.ir.predicates.find((x) => x.name === p.name);
      if (q && from.preds.has(p.name) && equals(asCubes(p.cubes), asCubes(q.cubes))) this.reused.preds.add(p.name);
    }
    const same = (f: IrFn, g: IrFn): boolean =>
      JSON.stringify([f.params, f.ty]) === JSON.stringify([g.params, g.ty]) && exprText(f.body) === exprText(g.body);
    const candidates = this.ir.fns.filter((f) => {
      const g = from.ir.fns.find((x) => x.name === f.name);
      return g !== undefined && from.fns.has(f.name) && same(f, g);
    });
    for (const f of candidates) this.reused.fns.add(f.name);
    // A fn stays reused only while everything its body names is the PTE level's too (a fixpoint: they may call each other).
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of candidates) {
        if (this.reused.fns.has(f.name) && !this.onlyReused(f.body)) {
          this.reused.fns.delete(f.name);
          changed = true;
        }
      }
    }
  }

  private onlyReused(e: IrExpr): boolean {
    let ok = true;
    const visit = (x: IrExpr): void => {
      if (x.k === 'make') ok = false; // a kind's base value is the level's own
      if ((x.k === 'field' || x.k === 'with') && !this.reused.formats.has(x.format)) ok = false;
      if (x.k === 'fn' && !this.reused.fns.has(x.name)) ok = false;
      if (x.k === 'pred' && !this.reused.preds.has(x.name)) ok = false;
      forEachChild(x, visit);
    };
    visit(e);
    return ok;
  }

  // ------------------------------------------------------------------ naming

  private nameFields(): void {
    const stems = new Set<string>();
    for (const f of this.ir.formats) {
      const base = f.base ? this.formats.get(f.base) : undefined;
      if (this.reused.formats.has(f.name)) {
        for (const x of f.fields) this.fields.set(`${f.name}.${x.name}`, { ...this.from!.fields.get(`${f.name}.${x.name}`)!, inherited: true });
        continue;
      }
      for (const x of f.fields) {
        const inheritedFrom = base?.fields.find((y) => sameLayout(x, y)) ? this.fields.get(`${base!.name}.${x.name}`) : undefined;
        if (inheritedFrom) {
          this.fields.set(`${f.name}.${x.name}`, { ...inheritedFrom, format: f.name, field: x, inherited: true });
          continue;
        }
        let want = fieldStem(f.name, x.name);
        // Another level's accessors take its own values (pmd_t): a stem of its own, PMD_SWP_UFFD_WP next to SWP_UFFD_WP
        // (a format named after the level, protnone_pmd, already gives one: PROTNONE_PMD_HUGE_PFN).
        const up = this.lc.prefix.toUpperCase();
        if (this.lc.level !== 'pte' && !`_${want}_`.includes(`_${up}_`)) want = `${up}_${want}`;
        if (stems.has(want)) want = `${f.name.toUpperCase()}_${x.name.toUpperCase()}`;
        const [shift, mask, get, set] = this.names.claimFamily((s) => {
          const stem = `${want}${s}`;
          return [`__${stem}_SHIFT`, `__${stem}_MASK`, `ptelab_${stem.toLowerCase()}`, `ptelab_set_${stem.toLowerCase()}`];
        }, '_FIELD');
        const stem = shift!.slice(2, -'_SHIFT'.length);
        stems.add(stem);
        this.fields.set(`${f.name}.${x.name}`, { format: f.name, field: x, stem, shift: shift!, mask: mask!, get: get!, set: set!, inherited: false });
      }
    }
  }

  private nameKinds(): void {
    for (const k of this.ir.kinds) {
      const up = this.lc.prefix.toUpperCase();
      const [enumName, baseMacro, is] = this.names.claimFamily((s) => [
        `${up}_KIND_${k.name.toUpperCase()}${s}`,
        `${up}_KIND_${k.name.toUpperCase()}${s}_BASE`,
        `ptelab_${this.lc.prefix}_is_${k.name}${s}`,
      ]);
      // make_/is_<kind>_entry() are swapops helpers of swap entries: the PTE level's (a PMD migration entry is the
      // same swp_entry_t, made by the same helpers).
      const shape = this.lc.level === 'pte' ? this.entryShape(k) : undefined;
      let entry: KindInfo['entry'];
      if (shape) {
        const [make, isEntry] = this.names.claimFamily((s) => [`make_${k.name}_entry${s}`, `is_${k.name}_entry${s}`]);
        entry = { ...shape, make: make!, is: isEntry! };
      }
      this.kinds.set(k.name, { kind: k, enumName: enumName!, baseMacro: baseMacro!, is: is!, ...(entry ? { entry } : {}) });
    }
  }

  /** The swap format's TYPE and OFFSET fields (the first format that has both), which swp_type()/swp_offset() read. */
  private swapFields(): { readonly format: IrFormat; readonly type: IrField; readonly offset: IrField } | undefined {
    if (this.ir.swapTypes.length === 0) return undefined;
    for (const f of this.ir.formats) {
      const type = f.fields.find((x) => x.name === 'TYPE' && !x.parent && !x.aliasOf);
      const offset = f.fields.find((x) => x.name === 'OFFSET' && !x.parent && !x.aliasOf);
      if (type && offset) return { format: f, type, offset };
    }
    return undefined;
  }

  /** Whether `format.name` is the field swp_type() (or swp_offset()) reads: the same bits as the swap format's. */
  private swapAccessor(format: string, name: string): 'swp_type' | 'swp_offset' | undefined {
    const sw = this.swapFields();
    const x = this.formats.get(format)?.fields.find((y) => y.name === name);
    if (!sw || !x || x.parent || x.aliasOf) return undefined;
    const same = (a: IrField, b: IrField): boolean => a.shift === b.shift && a.width === b.width && a.inverted === b.inverted;
    if (name === 'TYPE' && same(x, sw.type)) return 'swp_type';
    if (name === 'OFFSET' && same(x, sw.offset)) return 'swp_offset';
    return undefined;
  }

  /** The swap type all of a kind's values have, and how exact its entry helpers can be (see EntryShape). */
  private entryShape(k: IrKind): EntryShape | undefined {
    const sw = this.swapFields();
    const type = this.formats.get(k.format)?.fields.find((f) => f.name === 'TYPE' && !f.parent && !f.aliasOf);
    if (!sw || !type || k.cubes.length === 0 || this.swapAccessor(k.format, 'TYPE') !== 'swp_type') return undefined;
    const ones = (w: number): bigint => (1n << BigInt(w)) - 1n;
    const tmask = ones(type.width) << BigInt(type.shift);
    const values = new Set<bigint>();
    for (const [mask, value] of k.cubes) {
      if ((mask & tmask) !== tmask) return undefined;
      let v = (value & tmask) >> BigInt(type.shift);
      if (type.inverted) v ^= ones(type.width);
      values.add(v);
    }
    if (values.size !== 1) return undefined;
    const t = [...values][0]!;
    const name = this.ir.swapTypes.find((x) => BigInt(x.value) === t)?.name;
    if (!name) return undefined;
    const stored = (f: IrField, v: bigint): bigint => ((f.inverted ? v ^ ones(f.width) : v) & ones(f.width)) << BigInt(f.shift);
    const typeCube: CubeSet = [{ mask: tmask, value: stored(type, t) }];
    const kindSet: CubeSet = k.cubes.map(([mask, value]) => ({ mask, value }));
    // The swap entries: the is_swap_pte predicate when the spec has one, else every kind that has a swap type.
    const swapPred = this.ir.predicates.find((p) => p.name === 'is_swap_pte');
    const swapSet: CubeSet = swapPred
      ? swapPred.cubes.map(([mask, value]) => ({ mask, value }))
      : this.ir.kinds.filter((x) => this.swapAccessor(x.format, 'TYPE')).reduce<CubeSet>((acc, x) => union(acc, x.cubes.map(([mask, value]) => ({ mask, value }))), []);
    const owns = isSubset(intersect(swapSet, typeCube), kindSet);
    // Offset bits every cube fixes to the same value (logical).
    const off = sw.offset;
    let fixedMask = ones(off.width);
    let fixedValue = 0n;
    k.cubes.forEach(([mask, value], i) => {
      const m = (mask >> BigInt(off.shift)) & ones(off.width);
      let v = (value >> BigInt(off.shift)) & ones(off.width);
      if (off.inverted) v ^= ones(off.width);
      if (i === 0) fixedValue = v & m;
      fixedMask &= m & ~((v & m) ^ fixedValue);
    });
    fixedValue &= fixedMask;
    if (owns) {
      fixedMask = 0n;
      fixedValue = 0n;
    }
    // What the constructor makes: the type, the fixed offset bits, every other offset bit free, all else 0.
    const offMask = ones(off.width) << BigInt(off.shift);
    const image: CubeSet = [{ mask: ((1n << BigInt(this.ir.word)) - 1n) & ~offMask | (fixedMask << BigInt(off.shift)), value: stored(type, t) | (stored(off, fixedValue) & (fixedMask << BigInt(off.shift))) }];
    const exactMake = isSubset(image, kindSet);
    return { kind: k.name, type: name, owns, fixedMask, fixedValue, exactMake };
  }

  private swapEntryApi(): NonNullable<CApi['swapEntry']> {
    const sw = this.swapFields()!;
    const t = this.field(sw.format.name, sw.type.name);
    const o = this.field(sw.format.name, sw.offset.name);
    return { type: t.get, setType: t.set, offset: o.get, setOffset: o.set };
  }

  private field(format: string, name: string): FieldInfo {
    const f = this.fields.get(`${format}.${name}`);
    if (!f) throw new Error(`C back end: format '${format}' has no field '${name}'`);
    return f;
  }

  // ------------------------------------------------------------------ path analysis

  private analysePaths(): void {
    const files = pathFiles(this.ir);
    const graph = callGraph(this.ir);
    const reach = this.entriesReaching(graph);
    // rss in a path only fork reaches counts in the child's mm.
    const rssVma = (p: string): 'vma' | 'dst_vma' => {
      const r = reach.get(p)!;
      return r.size === 1 && FORK_ENTRIES.has([...r][0]!) ? 'dst_vma' : 'vma';
    };
    const own = new Map(this.ir.paths.map((p) => [p.name, this.ownNeeds(p, rssVma(p.name))]));
    // What the kernel function of every entry reaching a path has in hand, the path takes too (the fault paths
    // all take the vm_fault): signatures stay those of the kernel, and stay put when a proposal needs one more value.
    for (const p of this.ir.paths) {
      const entries = [...reach.get(p.name)!];
      if (entries.length === 0) continue;
      for (const s of SLOT_ORDER) if (entries.every((e) => entrySlots(this.lc.level, e)?.includes(s))) own.get(p.name)!.slots.add(s);
    }
    // Everything a callee needs its caller must have (except args: a call passes its own).
    let changed = true;
    while (changed) {
      changed = false;
      for (const p of this.ir.paths) {
        const n = own.get(p.name)!;
        for (const q of graph.get(p.name) ?? []) {
          const m = own.get(q);
          if (!m) continue;
          for (const s of m.slots) {
            if (s !== 'args' && !n.slots.has(s)) {
              n.slots.add(s);
              changed = true;
            }
          }
          if (m.faulty && !n.faulty) {
            n.faulty = true;
            changed = true;
          }
        }
      }
    }
    for (const p of this.ir.paths) {
      const n = own.get(p.name)!;
      const params = SLOT_ORDER.filter((s) => n.slots.has(s) && !(n.slots.has('vmf') && FROM_VMF_SLOTS.has(s)));
      const fn = this.names.claim(`${this.lc.own}${p.name}`);
      // Helper numbers: per kind, the inherited cases first (so a proposal's new cases do not renumber the base's),
      // then the spec's own, each in case order.
      const ordinals = new Map<string, number>();
      const ordinalOf = new Map<IrCase, number>();
      for (const own of [false, true]) {
        for (const c of p.cases) {
          if ((c.origin === this.ir.name) !== own) continue;
          const kind = c.kind ?? 'default';
          const ordinal = (ordinals.get(kind) ?? 0) + 1;
          ordinals.set(kind, ordinal);
          ordinalOf.set(c, ordinal);
        }
      }
      let open = true;
      const cases = caseRuns(p.cases).map((run) => {
        const c = run[0]!;
        const kind = c.kind ?? 'default';
        const ordinal = ordinalOf.get(c)!;
        const reachable = open;
        if (!c.kind && !c.guard) open = false;
        return { c, run, helper: this.names.claim(`${this.lc.own}${p.name}_${kind}_${ordinal}`), ordinal, reachable };
      });
      this.paths.set(p.name, {
        ir: p,
        file: files.get(p.name)!,
        fn,
        params,
        ret: n.faulty ? 'vm_fault_t' : 'int',
        rssVma: rssVma(p.name),
        cases,
      });
    }
    const argNames = new Set<string>();
    const visitE = (e: IrExpr): void => {
      if (e.k === 'arg') argNames.add(e.name);
      forEachChild(e, visitE);
    };
    const visitS = (list: readonly IrStmt[]): void => {
      for (const s of list) {
        if (s.s === 'call') for (const a of s.args) argNames.add(a.name);
        forEachStmtExpr(s, visitE);
        if (s.s === 'if') {
          visitS(s.then);
          visitS(s.else);
        }
      }
    };
    for (const p of this.ir.paths) for (const c of p.cases) {
      if (c.guard) visitE(c.guard);
      visitS(c.body);
    }
    for (const a of [...argNames].sort()) this.argNames.set(a, C_MEMBER_OK(a) ? a : `${a}_`);
  }

  private entriesReaching(graph: Map<string, Set<string>>): Map<string, Set<string>> {
    const out = new Map(this.ir.paths.map((p) => [p.name, new Set<string>()]));
    for (const entry of levelEntryPaths(this.lc.level)) {
      if (!out.has(entry)) continue;
      const todo = [entry];
      const seen = new Set<string>();
      while (todo.length) {
        const p = todo.pop()!;
        if (seen.has(p)) continue;
        seen.add(p);
        out.get(p)?.add(entry);
        for (const q of graph.get(p) ?? []) todo.push(q);
      }
    }
    return out;
  }

  private ownNeeds(p: IrPath, rss: Slot): Needs {
    const n: Needs = { slots: new Set(), faulty: false };
    const add = (...s: Slot[]): void => s.forEach((x) => n.slots.add(x));
    const rssSlot = (): Slot => rss;
    const visitE = (e: IrExpr): void => {
      if (e.k === 'ctx') add(...ctxSlots(e.object, e.prop, this.lc.level));
      if (e.k === 'arg') add('args');
      if (e.k === 'prim') {
        const s = (C_PRIMITIVES as Readonly<Record<string, CPrimitive>>)[e.name]?.slots ?? [];
        add(...s);
        if (e.name === 'rss_inc' || e.name === 'rss_dec') add(rssSlot());
      }
      forEachChild(e, visitE);
    };
    const visitS = (list: readonly IrStmt[]): void => {
      for (const s of list) {
        if (s.s === 'set' || s.s === 'clear') add('vma', 'addr', 'ptep');
        if (s.s === 'copy') add('dst_vma', 'addr', 'dst_pte');
        if (s.s === 'call') add('ptep');
        // hugetlb writes take the huge page size (hstate_vma(vma)) and huge_ptep_get() the mm and address, in the
        // kernels that have those arguments (kernel-api.ts)
        if (this.lc.level === 'huge_pte' && s.s === 'copy' && this.api.setHugePteAtSize) add('vma');
        if (this.lc.level === 'huge_pte' && s.s === 'call' && this.api.hugePtepGetMmAddr) add('vma', 'addr');
        if (s.s === 'retry') n.faulty = true;
        if (s.s === 'outcome') {
          n.faulty = true;
          if (s.outcome.startsWith('userfault')) add('vmf');
        }
        forEachStmtExpr(s, visitE);
        if (s.s === 'if') {
          visitS(s.then);
          visitS(s.else);
        }
      }
    };
    for (const c of p.cases) {
      if (c.guard) visitE(c.guard);
      visitS(c.body);
    }
    return n;
  }

  // ------------------------------------------------------------------ the sketch

  sketch(): CSketch {
    const seen = new Map<string, number>();
    const units: CUnit[] = [
      ...this.defsUnits(),
      ...this.swapUnits(),
      ...this.swapopsUnits(),
      ...this.archUnits(),
      ...this.internalUnits(),
      ...this.pathUnits(),
    ].map((u) => {
      // Keys are unique within a file (two cases written on one line get #2, #3, ...).
      const k = `${u.file}\0${u.key}`;
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      return n === 1 ? u : { ...u, key: `${u.key}#${n}` };
    });
    // Each file of the sketch starts as a kernel file does: its SPDX line (checkpatch.pl wants it on line 1).
    for (const file of [...new Set(units.map((u) => u.file))].reverse()) {
      const first = units.findIndex((u) => u.file === file);
      const spdx = file.endsWith('.h') ? '/* SPDX-License-Identifier: GPL-2.0 */' : '// SPDX-License-Identifier: GPL-2.0-only';
      units.splice(first, 0, { file, key: 'spdx', concern: units[first]!.concern, context: '', what: 'the SPDX line', lines: [spdx] });
    }
    const order = [this.files.defs, SWAP_H, SWAPOPS_H, this.files.helpers, INTERNAL_H];
    const pathFileList = sortPathFiles(units.filter((u) => u.concern === 'path').map((u) => u.file));
    const files = [...new Set([...order.filter((f) => units.some((u) => u.file === f)), ...pathFileList])];
    const api: CApi = {
      classify: this.fixed.classify,
      decode: this.fixed.decode,
      encode: this.fixed.encode,
      nrKinds: this.fixed.nrKinds,
      kinds: [...this.kinds.values()].map((k) => k.enumName),
      fns: this.fns,
      preds: this.preds,
      ...(this.swapFields() ? { swapEntry: this.swapEntryApi() } : {}),
      entries: [...this.kinds.values()].flatMap((k) => (k.entry ? [k.entry] : [])),
    };
    return { arch: this.arch, archFiles: this.files, units, files, api, kernel: this.api, ...(this.lc.level !== 'pte' ? { level: this.lc.level } : {}) };
  }

  private defsUnits(): CUnit[] {
    const out: CUnit[] = [];
    const unit = (key: string, what: string, lines: string[]): void => {
      out.push({ file: this.files.defs, key, concern: 'defs', context: '', what, lines });
    };
    for (const f of this.ir.formats) {
      const own = f.fields.filter((x) => !this.field(f.name, x.name).inherited);
      if (own.length === 0) continue;
      unit(`format:${f.name}`, `format ${f.name}`, comment(0, safeComment(`ptelab format ${f.name}${f.base ? `, extends ${f.base}` : ''}`)));
      for (const x of own) unit(`field:${this.field(f.name, x.name).stem}`, `field ${f.name}.${x.name}`, this.fieldLines(f, x));
    }
    const swapConsts = this.swapConstNames();
    // Constants are every level's: another level defines only one the PTE level does not have.
    const consts = this.ir.consts.filter((c) => !swapConsts.has(c.name) && !this.from?.consts.has(c.name));
    consts.forEach((c, i) => {
      const v = /MASK/.test(c.name) && c.value >= 10n ? `0x${c.value.toString(16)}${c.value > 0xffffffffn ? 'ULL' : 'UL'}` : num(c.value);
      out.push({ file: this.files.defs, key: `const:${c.name}`, concern: 'defs', context: '', what: `constant ${c.name}`, lines: [define(this.consts.get(c.name)!, v)], tight: i < consts.length - 1 });
    });
    return out;
  }

  private fieldLines(f: IrFormat, x: IrField): string[] {
    const info = this.field(f.name, x.name);
    const hi = x.shift + x.width - 1;
    const bits = x.width === 1 ? `bit ${x.shift}` : `bits ${x.shift}..${hi}`;
    const parent = x.parent ? f.fields.find((y) => y.name === x.parent) : undefined;
    const notes = [
      bits,
      ...(parent ? [`${x.width === 1 ? 'bit' : 'bits'} ${x.shift - parent.shift}${x.width === 1 ? '' : `..${hi - parent.shift}`} of ${parent.name}`] : []),
      ...(x.aliasOf ? [`alias of ${x.aliasOf}`] : []),
      ...(x.inverted ? ['stored inverted'] : []),
    ];
    const { t, valT, val, mk, v: pv } = this.lc;
    const v = x.inverted ? `~${val}(${pv})` : `${val}(${pv})`;
    const bitsExpr = x.inverted ? `~bits & ${info.mask}` : `bits & ${info.mask}`;
    return [
      ...comment(0, safeComment(`${f.name}.${x.name}: ${notes.join(', ')}`)),
      ...defines([[info.shift, String(x.shift)], [info.mask, `GENMASK_ULL(${hi}, ${x.shift})`]]),
      '',
      `static inline unsigned long ${info.get}(${t} ${pv})`,
      '{',
      ...statement(1, 'return ', chain('>>', [wrap('(', text(`${v} & ${info.mask}`), ')'), text(info.shift)]), ';'),
      '}',
      '',
      `static inline ${t} ${info.set}(${t} ${pv}, unsigned long val)`,
      '{',
      `\t${valT} bits = (${valT})val << ${info.shift};`,
      '',
      ...statement(1, 'return ', call(mk, [chain('|', [wrap('(', text(`${val}(${pv}) & ~${info.mask}`), ')'), wrap('(', text(bitsExpr), ')')])]), ';'),
      '}',
    ];
  }

  private swapConstNames(): Set<string> {
    const out = new Set<string>(['MAX_SWAPFILES', 'MAX_SWAPFILES_SHIFT']);
    for (const t of this.ir.swapTypes) {
      out.add(t.name);
      out.add(t.group);
    }
    for (const c of this.ir.consts) if (/^SWP_.*_NUM$/.test(c.name)) out.add(c.name);
    return out;
  }

  private swapUnits(): CUnit[] {
    // The swap table is one for every level: the PTE level's emitter writes it.
    if (this.ir.maxSwapfiles === undefined || this.from) return [];
    const out: CUnit[] = [];
    const unit = (key: string, what: string, lines: string[]): void => {
      out.push({ file: SWAP_H, key, concern: 'defs', context: '', what, lines });
    };
    const c = (n: string): string => this.consts.get(n) ?? n;
    const groups = this.ir.consts.filter((x) => /^SWP_.*_NUM$/.test(x.name) || this.ir.swapTypes.some((t) => t.group === x.name));
    const run = (key: string, what: string, pairs: readonly (readonly [string, string])[]): void => {
      pairs.forEach(([n, v], i) => out.push({ file: SWAP_H, key: `${key}:${n}`, concern: 'defs', context: '', what: `${what} ${n}`, lines: [define(n, v)], tight: i < pairs.length - 1 }));
    };
    run('swap:num', 'swap type group', [[c('MAX_SWAPFILES_SHIFT'), String(this.ir.maxSwapfilesShift ?? 5)], ...groups.map((g): [string, string] => [c(g.name), num(g.value)])]);
    unit('swap:max', 'MAX_SWAPFILES', [
      ...comment(0, 'the swap types left to swap devices; the reserved ones are numbered upwards from here'),
      ...macro(c('MAX_SWAPFILES'), [`(1 << ${c('MAX_SWAPFILES_SHIFT')})`, ...groups.map((g) => c(g.name))], '-'),
      `static_assert(${c('MAX_SWAPFILES')} == ${this.ir.maxSwapfiles});`,
    ]);
    const max = this.ir.maxSwapfiles;
    run('swap:type', 'swap type', this.ir.swapTypes.map((t): [string, string] => [c(t.name), `(${c('MAX_SWAPFILES')} + ${t.value - max})`]));
    return out;
  }

  /**
   * A kind's or predicate's test as the spec writes it (cond.ts simplifies it; test/compiler/backends/c/cond.test.ts proves it equal
   * to the exact set); the exact set's ternary patterns only when the condition is missing (an error upstream).
   */
  private condTest(fn: string, cond: IrCond | undefined, format: string | undefined, cubes: readonly (readonly [bigint, bigint])[], what: string): string[] {
    const { t, valT, val, v: pv } = this.lc;
    const head = [...comment(0, safeComment(what)), `static inline bool ${fn}(${t} ${pv})`, '{'];
    if (!cond || !format || !this.formats.has(format)) {
      if (cubes.length === 0) return [...head, '\treturn false;', '}'];
      const tests = cubes.map(([m, v]) => text(`(val & ${hex(m)}) == ${hex(v)}`));
      return [...head, `\t${valT} val = ${val}(${pv});`, '', ...statement(1, 'return ', chain('||', tests), ';'), '}'];
    }
    const st = { entry: false };
    const body = this.condDoc(simplifyCond(cond), format, st, undefined);
    return [...head, ...(st.entry ? [`\tswp_entry_t entry = ${this.lc.toSwp}(${pv});`, ''] : []), ...statement(1, 'return ', body, ';'), '}'];
  }

  /** A condition as C, parenthesised for its parent (`&&` inside `||`, anything compound under `!`). */
  private condDoc(c: IrCond, format: string, st: { entry: boolean }, parent: 'all' | 'any' | 'not' | undefined): Doc {
    switch (c.k) {
      case 'all':
      case 'any': {
        const d = chain(c.k === 'all' ? '&&' : '||', c.items.map((x) => this.condDoc(x, format, st, c.k)));
        return parent === 'not' || (parent === 'any' && c.k === 'all') || (parent === 'all' && c.k === 'any') ? wrap('(', d, ')') : d;
      }
      case 'not': {
        const inner = this.condDoc(c.operand, format, st, 'not');
        return wrap('!', inner, '');
      }
      case 'pred':
        return text(`${this.preds.get(c.name) ?? c.name}(${this.lc.v})`);
      case 'cmp': {
        let lhs: string;
        if (c.field === undefined) {
          lhs = `${this.lc.val}(${this.lc.v})`;
        } else {
          const acc = this.swapAccessor(format, c.field);
          if (acc) {
            st.entry = true;
            lhs = `${acc}(entry)`;
          } else {
            lhs = `${this.field(format, c.field).get}(${this.lc.v})`;
          }
        }
        if (c.mask) lhs = `(${lhs} & ${this.constC(c.mask)})`;
        // A field that is not 0 is the field itself in a condition; that is 0, its negation.
        if (!c.mask && c.value.value === 0n && !c.value.name && (c.op === '!=' || c.op === '==')) {
          const bare = text(lhs);
          return c.op === '!=' ? bare : wrap('!', bare, '');
        }
        const d = text(`${lhs} ${c.op} ${this.constC(c.value)}`);
        return parent === 'not' ? wrap('(', d, ')') : d;
      }
    }
  }

  private constC(c: IrConst): string {
    if (c.name && this.consts.has(c.name)) return this.consts.get(c.name)!;
    return num(c.value);
  }

  private swapopsUnits(): CUnit[] {
    const out: CUnit[] = [];
    const unit = (key: string, what: string, lines: string[]): void => {
      out.push({ file: SWAPOPS_H, key, concern: 'swapops', context: '', what, lines });
    };
    const kinds = [...this.kinds.values()];
    unit('kinds:enum', 'the kinds', [
      ...comment(0, `what a ${this.lc.noun} value is: every value classifies as exactly one kind, or none (a gap)`),
      `enum ${this.fixed.kindEnum} {`,
      ...kinds.map((k) => `\t${k.enumName},`),
      `\t${this.fixed.nrKinds}`,
      '};',
    ]);
    // Predicates in spec order, each after the predicates it uses (C wants them declared first).
    const done = new Set<string>();
    const visit = (name: string, path: Set<string>): void => {
      const p = this.ir.predicates.find((x) => x.name === name);
      if (!p || done.has(name) || path.has(name)) return;
      path.add(name);
      for (const used of p.body ? predsOf(p.body) : []) visit(used, path);
      done.add(name);
      const cname = this.preds.get(p.name);
      if (cname && !this.reused.preds.has(p.name)) unit(`pred:${p.name}`, `predicate ${p.name}`, this.condTest(cname, p.body, p.format, p.cubes, `${p.name}()`));
    };
    for (const p of this.ir.predicates) visit(p.name, new Set());
    for (const k of kinds) {
      const lines = [
        `#define ${k.baseMacro}\t${hex(k.kind.base)}`,
        '',
        ...this.condTest(k.is, k.kind.when, k.kind.format, k.kind.cubes, `kind ${k.kind.name} (format ${k.kind.format})`),
      ];
      unit(`kind:${k.kind.name}`, `kind ${k.kind.name}`, lines);
    }
    for (const k of kinds) {
      const e = k.entry;
      if (!e) continue;
      const type = this.consts.get(e.type) ?? e.type;
      const lines: string[] = [];
      if (e.exactMake) {
        const fixed = e.fixedMask === 0n ? 'offset' : e.fixedMask === e.fixedValue ? `offset | ${num(e.fixedValue)}` : `(offset & ~${num(e.fixedMask)}) | ${num(e.fixedValue)}`;
        if (e.fixedMask !== 0n) lines.push(...comment(0, safeComment(`make_${k.kind.name}_entry(): the offset bits every ${k.kind.name} entry has set`)));
        lines.push(`static inline swp_entry_t ${e.make}(pgoff_t offset)`, '{', ...statement(1, 'return ', call('swp_entry', [text(type), text(fixed)]), ';'), '}', '');
      }
      if (e.owns) {
        lines.push(...comment(0, safeComment(`every swap entry of type ${e.type} is ${k.kind.name}`)), `static inline bool ${e.is}(swp_entry_t entry)`, '{', `\treturn swp_type(entry) == ${type};`, '}');
      } else {
        // The type is shared with another kind: the type alone would say yes to its entries too.
        lines.push(
          ...comment(0, safeComment(`${e.type} is not ${k.kind.name}'s alone: the kind's own test on the entry`)),
          `static inline bool ${e.is}(swp_entry_t entry)`,
          '{',
          `\treturn ${k.is}(swp_entry_to_pte(entry));`,
          '}',
        );
      }
      unit(`entry:${k.kind.name}`, `make_/is_ helpers of ${k.kind.name}`, lines);
    }
    unit('classify', 'classify', [
      ...comment(0, `the kind of a ${this.lc.noun} value (the first kind that holds it, as the spec orders them)`),
      `static inline enum ${this.fixed.kindEnum} ${this.fixed.classify}(${this.lc.t} ${this.lc.v})`,
      '{',
      ...kinds.flatMap((k) => [`\tif (${k.is}(${this.lc.v}))`, `\t\treturn ${k.enumName};`]),
      `\treturn ${this.fixed.nrKinds};`,
      '}',
    ]);
    for (const f of this.ir.formats) {
      if (this.reused.formats.has(f.name)) continue;
      const codec = this.formatCodec.get(f.name)!;
      unit(`codec:${f.name}`, `decode/encode of format ${f.name}`, [
        ...comment(0, safeComment(`format ${f.name}: its ${f.fields.length} field(s), in spec order, as logical values`)),
        `static inline int ${codec.decode}(${this.lc.t} ${this.lc.v}, unsigned long *fields)`,
        '{',
        ...f.fields.map((x, i) => `\tfields[${i}] = ${this.field(f.name, x.name).get}(${this.lc.v});`),
        `\treturn ${f.fields.length};`,
        '}',
        '',
        `static inline ${this.lc.t} ${codec.encode}(${this.lc.t} ${this.lc.v}, const unsigned long *fields)`,
        '{',
        ...f.fields.map((x, i) => `\t${this.lc.v} = ${this.field(f.name, x.name).set}(${this.lc.v}, fields[${i}]);`),
        `\treturn ${this.lc.v};`,
        '}',
      ]);
    }
    unit('codec', 'decode/encode by kind', [
      ...comment(0, "the fields of a kind's format; encode starts from the kind's logically smallest value"),
      `static inline int ${this.fixed.decode}(enum ${this.fixed.kindEnum} kind, ${this.lc.t} ${this.lc.v}, unsigned long *fields)`,
      '{',
      '\tswitch (kind) {',
      ...kinds.flatMap((k) => [`\tcase ${k.enumName}:`, `\t\treturn ${this.formatCodec.get(k.kind.format)!.decode}(${this.lc.v}, fields);`]),
      '\tdefault:',
      '\t\treturn 0;',
      '\t}',
      '}',
      '',
      `static inline ${this.lc.t} ${this.fixed.encode}(enum ${this.fixed.kindEnum} kind, const unsigned long *fields)`,
      '{',
      '\tswitch (kind) {',
      ...kinds.flatMap((k) => [
        `\tcase ${k.enumName}:`,
        ...statement(2, 'return ', call(this.formatCodec.get(k.kind.format)!.encode, [text(`${this.lc.mk}(${k.baseMacro})`), text('fields')]), ';'),
      ]),
      '\tdefault:',
      `\t\treturn ${this.lc.mk}(0);`,
      '\t}',
      '}',
    ]);
    return out;
  }

  private archUnits(): CUnit[] {
    return this.ir.fns.filter((f) => !this.reused.fns.has(f.name)).map((f) => {
      const name = this.fns.get(f.name)!;
      const fx = this.newFunction(new Set(), undefined, []);
      const params = f.params.map((p) => decl(p.ty, fx.param(p.name)));
      const pre: CStmt[] = [];
      const body = this.expr(f.body, fx, { cond: false, hoist: true, pre, indent: 1 });
      const lines = [
        ...comment(0, safeComment(`${f.name}(): ${f.site.file}:${f.site.line}`)),
        // No parameters is `(void)`: `()` is an old-style declaration (the kernel builds with -Wstrict-prototypes).
        ...functionHead(`static inline ${cType(f.ty)}`, name, params.length ? params.map(text) : [text('void')], ''),
        '{',
        ...fx.declLines(),
        ...pre.flatMap((s) => s.lines),
        ...statement(1, 'return ', body, ';'),
        '}',
      ];
      return { file: this.files.helpers, key: `fn:${f.name}`, concern: 'arch' as const, context: '', what: `${f.name}()`, lines };
    });
  }

  private internalUnits(): CUnit[] {
    const out: CUnit[] = [];
    if (this.argNames.size > 0) {
      out.push({
        file: INTERNAL_H,
        key: 'args',
        concern: 'internal',
        context: '',
        what: `struct ${this.lc.args}`,
        lines: [
          ...comment(0, "values a path hands to the path it calls (the spec's call ... with { name = value })"),
          `struct ${this.lc.args} {`,
          ...[...this.argNames.values()].map((a) => `\tunsigned long ${a};`),
          '};',
        ],
      });
    }
    for (const p of this.paths.values()) {
      if (isHeader(p.file)) continue;
      out.push({
        file: INTERNAL_H,
        key: `proto:${p.ir.name}`,
        concern: 'internal',
        context: '',
        what: `${p.fn}()`,
        path: p.ir.name,
        lines: this.signatureLines(p, p.fn, '', ';'),
      });
    }
    return out;
  }

  private signatureLines(p: PathInfo, name: string, storage: string, end: string): string[] {
    const params = [...p.params.map((s) => slotDecl(s, this.lc)), `${this.lc.t} orig`].map(text);
    return functionHead(`${storage}${p.ret}`, name, params, end);
  }

  private pathUnits(): CUnit[] {
    const out: CUnit[] = [];
    // Decisions are every level's: the PTE level's emitter writes them.
    for (const d of this.from ? [] : this.ir.decisions) {
      const place = decisionPlace(d.name);
      const n: Needs = { slots: new Set(), faulty: false };
      const visit = (e: IrExpr): void => {
        if (e.k === 'ctx') ctxSlots(e.object, e.prop, this.lc.level).forEach((s) => n.slots.add(s));
        forEachChild(e, visit);
      };
      visit(d.body);
      const params = SLOT_ORDER.filter((s) => n.slots.has(s) && !(n.slots.has('vmf') && FROM_VMF_SLOTS.has(s)));
      const fx = this.newFunction(new Set(params), undefined, []);
      const pre: CStmt[] = [];
      const body = this.expr(d.body, fx, { cond: true, hoist: true, pre, indent: 1 });
      const sig = params.length ? params.map((s) => text(slotDecl(s, this.lc))) : [text('void')];
      out.push({
        file: place.file,
        key: `decision:${d.name}`,
        concern: 'path',
        context: signature(place.fn),
        what: `decision ${d.name}`,
        lines: [
          ...comment(0, safeComment(`decision ${d.name}: ${d.site.file}:${d.site.line}`)),
          ...functionHead('static inline bool', this.decisions.get(d.name)!, sig, ''),
          '{',
          ...fx.declLines(),
          ...pre.flatMap((s) => s.lines),
          ...statement(1, 'return ', body, ';'),
          '}',
        ],
      });
    }
    // Header paths: forward declarations first (their dispatchers may call each other in any order).
    const headerPaths = [...this.paths.values()].filter((p) => isHeader(p.file));
    for (const file of [...new Set(headerPaths.map((p) => p.file))]) {
      const ps = headerPaths.filter((p) => p.file === file);
      out.push({
        file,
        key: 'forward',
        concern: 'path',
        context: '',
        what: 'forward declarations',
        lines: ps.flatMap((p) => this.signatureLines(p, p.fn, 'static inline ', ';')),
      });
    }
    for (const p of this.paths.values()) {
      // A case's identity is its kinds, its file and its rank among the cases of those kinds there, not its line:
      // a spec whose lines move (a comment added above) keeps every unit, so its series changes comments only.
      const seen = new Map<string, number>();
      for (const c of p.cases) {
        if (!c.reachable) continue;
        const id = `${c.run.map((x) => x.kind ?? 'default').join(',')}:${c.c.site.file}`;
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        out.push(this.caseUnit(p, c, `case:${p.ir.name}:${id}#${n}`));
      }
      out.push(this.dispatcherUnit(p));
    }
    return out;
  }

  private caseUnit(p: PathInfo, k: PathInfo['cases'][number], key: string): CUnit {
    const c = k.c;
    const kind = c.kind ? this.kinds.get(c.kind)?.kind : undefined;
    const written = c.group ? (k.run.length === c.group.length ? c.group.join(', ') : `${c.group.join(', ')}, for ${k.run.map((x) => x.kind).join(', ')}`) : (c.kind ?? 'default');
    const head = `${p.ir.name}: case ${written}${c.binding ? ` as ${c.binding}` : ''}${c.guard ? ` when ${exprText(c.guard)}` : ''} (${c.site.file}:${c.site.line})`;
    const fx = this.newFunction(new Set(p.params), c.binding, []);
    fx.rssVma = p.rssVma;
    this.kernelFn = caseFunction(this.ir, p.ir.name, kind);
    const body = this.block(c.body, fx, 1);
    this.kernelFn = undefined;
    const last = body[body.length - 1];
    const stmts = last?.terminal ? body : [...body, { lines: ['\treturn 0;'], terminal: true }];
    const storage = isHeader(p.file) ? 'static inline ' : 'static ';
    const lines = [
      ...comment(0, safeComment(head)),
      ...this.signatureLines(p, k.helper, storage, ''),
      '{',
      ...fx.declLines(),
      ...stmts.flatMap((s) => s.lines),
      '}',
    ];
    return {
      file: p.file,
      key,
      concern: 'path',
      context: signature(caseFunction(this.ir, p.ir.name, kind)),
      what: `${p.ir.name}: case ${k.run.map((x) => x.kind ?? 'default').join(', ')}${c.guard ? ` when ${exprText(c.guard)}` : ''}`,
      path: p.ir.name,
      case: { ...(c.kind ? { kind: c.kind } : {}), guarded: c.guard !== undefined, origin: c.origin, site: c.site },
      lines,
    };
  }

  private dispatcherUnit(p: PathInfo): CUnit {
    const fx = this.newFunction(new Set(p.params), undefined, []);
    const kindVar = fx.claim('kind');
    let usesKind = false;
    const args = [...p.params.map((s) => slotC(s, this.lc)), 'orig'].map((s) => text(s));
    const stmts: CStmt[] = [];
    let tail = true;
    for (const k of p.cases) {
      if (!k.reachable) {
        stmts.push({ lines: comment(1, safeComment(`case ${k.c.kind ?? 'default'} (${k.c.site.file}:${k.c.site.line}) is never reached: default above`)), comment: true });
        continue;
      }
      const tests: Doc[] = [];
      if (k.c.kind) {
        // a case for several kinds: one test, `kind == A || kind == B`
        const one = k.run.map((x) => text(`${kindVar} == ${this.kinds.get(x.kind!)!.enumName}`));
        tests.push(one.length === 1 ? one[0]! : k.c.guard ? wrap('(', chain('||', one), ')') : chain('||', one));
        usesKind = true;
      }
      const pre: CStmt[] = [];
      if (k.c.guard) {
        const gx = this.newFunction(new Set(p.params), k.c.binding, []);
        const g = this.expr(k.c.guard, gx, { cond: true, hoist: false, pre, indent: 1 });
        tests.push(needsParens(k.c.guard, '&&', this.flagTests) ? wrap('(', g, ')') : g);
        for (const u of gx.usedDerived()) fx.useDerived(u);
      }
      if (tests.length === 0) {
        stmts.push({ lines: statement(1, 'return ', call(k.helper, args), ';'), terminal: true });
        tail = false;
        break;
      }
      stmts.push(...pre, { lines: [...statement(1, 'if (', chain('&&', tests), ')'), ...statement(2, 'return ', call(k.helper, args), ';')], isIf: true });
    }
    if (tail) {
      usesKind = true;
      // The function's name through __func__, as checkpatch.pl asks (EMBEDDED_FUNCTION_NAME).
      stmts.push({ lines: statement(1, '', call('WARN_ONCE', [text('1'), text('"%s: no case for kind %d\\n"'), text('__func__'), text(`(int)${kindVar}`)]), ';') });
      stmts.push({ lines: ['\treturn 0;'], terminal: true });
    }
    const head = [...fx.derivedLines(), ...(usesKind ? [`\tenum ${this.fixed.kindEnum} ${kindVar} = ${this.fixed.classify}(orig);`] : [])];
    const storage = isHeader(p.file) ? 'static inline ' : '';
    const lines = [
      ...comment(0, safeComment(`${p.ir.name}: the first case whose kind and guard match handles the entry (the spec's case order)`)),
      ...this.signatureLines(p, p.fn, storage, ''),
      '{',
      ...head,
      ...(head.length ? [''] : []),
      ...stmts.flatMap((s) => s.lines),
      '}',
    ];
    return {
      file: p.file,
      key: `dispatch:${p.ir.name}`,
      concern: 'path',
      context: signature(pathFunction(p.ir.name, this.ir)),
      what: `${p.ir.name}: dispatch on the entry's kind`,
      path: p.ir.name,
      lines,
    };
  }

  // ------------------------------------------------------------------ statements

  private newFunction(params: Set<Slot>, binding: string | undefined, reserved: string[]): Fx {
    return new Fx(this.names, this.lc, params, binding, reserved);
  }

  /** A block's statements at `indent`. */
  private block(list: readonly IrStmt[], fx: Fx, indent: number): CStmt[] {
    fx.push();
    const out: CStmt[] = [];
    for (const s of list) out.push(...this.stmt(s, fx, indent));
    fx.pop();
    return out;
  }

  private stmt(s: IrStmt, fx: Fx, indent: number): CStmt[] {
    const pre: CStmt[] = [];
    const o = { cond: false, hoist: true, pre, indent };
    const one = (prefix: string, d: Doc, suffix: string, terminal = false): CStmt[] => [...pre, { lines: statement(indent, prefix, d, suffix), terminal }];
    const mm = (): string => `${fx.slot('vma')}->vm_mm`;
    const lv = this.lc.level;
    switch (s.s) {
      case 'set':
      case 'copy': {
        const dst = s.s === 'set' ? [mm(), fx.slot('addr'), fx.slot('ptep')] : [`${fx.slot('dst_vma')}->vm_mm`, fx.slot('addr'), fx.slot('dst_pte')];
        // set_pmd_at() for a PMD; set_huge_pte_at() for a hugetlb entry, with the huge page size since v6.6
        const setter = lv === 'pmd' ? 'set_pmd_at' : lv === 'huge_pte' ? 'set_huge_pte_at' : 'set_pte_at';
        const size = lv === 'huge_pte' && this.api.setHugePteAtSize ? [text(fx.size())] : [];
        const store = (hoistOne: boolean): Doc => call(setter, [...dst.map(text), this.expr(s.value, fx, { ...o, hoistOne }), ...size]);
        const mark = pre.length;
        const d = store(false);
        // A constructor too wide to stay aligned after `set_pte_at(` is built in a temporary first, rather than
        // left on a line ending in `(` (checkpatch.pl --strict). Only when the first try hoisted nothing: a second
        // rendering must not declare anything twice.
        const retry = pre.length === mark && (s.value.k === 'make' || s.value.k === 'with') && statement(indent, '', d, ';').some(openEnded);
        return one('', retry ? store(true) : d, ';');
      }
      case 'clear':
        if (lv === 'pmd') return one('', call('pmd_clear', [text(fx.slot('ptep'))]), ';');
        if (lv === 'huge_pte') return one('', call('huge_pte_clear', [text(mm()), text(fx.slot('addr')), text(fx.slot('ptep')), text(fx.size())]), ';');
        return one('', call('pte_clear', [text(mm()), text(fx.slot('addr')), text(fx.slot('ptep'))]), ';');
      case 'keep':
        return [{ lines: comment(indent, 'keep: the entry stays as it is'), comment: true }];
      case 'let': {
        const t = typeOf(s.value);
        const value = this.expr(s.value, fx, o);
        const name = fx.local(s.name, t);
        return one(`${name} = `, value, ';');
      }
      case 'if':
        return this.ifStmt(s, fx, indent);
      case 'call': {
        const callee = this.paths.get(s.path);
        if (!callee) throw new Error(`C back end: call of unknown path '${s.path}'`);
        const args: Doc[] = callee.params.map((slot) => {
          if (slot !== 'args') return text(fx.slot(slot));
          const sets = s.args.filter((a) => this.argNames.has(a.name));
          const members = sets.map((a) => wrap(`.${this.argNames.get(a.name)!} = `, this.expr(a.value, fx, { ...o, cond: false }), ''));
          // The values are set in a local just before the call: the call's arguments then stay on aligned lines.
          const local = fx.argsLocal();
          pre.push({ lines: statement(indent, `${local} = `, call(`(struct ${this.lc.args})`, members.length ? members : [text('0')], '{ ', ' }'), ';') });
          return text(`&${local}`);
        });
        // the entry as it now is: pmdp_get() (since v6.2; before, the pointer read as mm/huge_memory.c does),
        // huge_ptep_get(ptep), with the mm and address since v6.12 (kernel-api.ts)
        if (lv === 'pmd') args.push(this.api.pmdpGet ? call('pmdp_get', [text(fx.slot('ptep'))]) : text(`*${fx.slot('ptep')}`));
        else if (lv === 'huge_pte') {
          const where = this.api.hugePtepGetMmAddr ? [text(mm()), text(fx.slot('addr'))] : [];
          args.push(call('huge_ptep_get', [...where, text(fx.slot('ptep'))]));
        }
        else args.push(call('ptep_get', [text(fx.slot('ptep'))]));
        return one('return ', call(callee.fn, args), ';', true);
      }
      case 'retry':
        return [{ lines: [...comment(indent, 'the access faults again'), `${'\t'.repeat(indent)}return 0;`], terminal: true }];
      case 'return':
        return [{ lines: [`${'\t'.repeat(indent)}return 0;`], terminal: true }];
      case 'outcome': {
        const v =
          s.outcome === 'userfault_wp' ? `handle_userfault(${fx.slot('vmf')}, VM_UFFD_WP)`
          : s.outcome === 'userfault_missing' ? `handle_userfault(${fx.slot('vmf')}, VM_UFFD_MISSING)`
          : s.outcome === 'userfault_minor' ? `handle_userfault(${fx.slot('vmf')}, VM_UFFD_MINOR)`
          : s.outcome === 'sigbus' ? 'VM_FAULT_SIGBUS'
          : s.outcome === 'sigsegv' ? 'VM_FAULT_SIGSEGV'
          : 'VM_FAULT_HWPOISON';
        return [{ lines: [`${'\t'.repeat(indent)}return ${v};`], terminal: true }];
      }
      case 'warn':
      {
        // One literal however long: a kernel message stays greppable (checkpatch.pl: SPLIT_STRING). A message that
        // starts with the kernel function's name takes it from __func__ (EMBEDDED_FUNCTION_NAME).
        const fn = this.kernelFn;
        if (fn && s.message.startsWith(`${fn}:`)) {
          return one('', call('WARN_ONCE', [text('1'), text(cString(`%s${s.message.slice(fn.length)}\n`).replace('%%s', '%s')), text('__func__')]), ';');
        }
        return one('', call('WARN_ONCE', [text('1'), text(cString(`${s.message}\n`))]), ';');
      }
      case 'do':
        return one('', this.expr(s.expr, fx, o), ';');
    }
  }

  private ifStmt(s: Extract<IrStmt, { s: 'if' }>, fx: Fx, indent: number): CStmt[] {
    const pre: CStmt[] = [];
    const branches: { cond?: Doc; body: CStmt[] }[] = [];
    branches.push({ cond: this.expr(s.cond, fx, { cond: true, hoist: true, pre, indent }), body: this.block(s.then, fx, indent + 1) });
    let rest: readonly IrStmt[] = s.else;
    while (rest.length) {
      const only = rest.length === 1 ? rest[0] : undefined;
      if (only?.s === 'if') {
        const innerPre: CStmt[] = [];
        const cond = this.expr(only.cond, fx, { cond: true, hoist: true, pre: innerPre, indent });
        if (innerPre.length === 0) {
          branches.push({ cond, body: this.block(only.then, fx, indent + 1) });
          rest = only.else;
          continue;
        }
      }
      branches.push({ body: this.block(rest, fx, indent + 1) });
      break;
    }
    return [...pre, ...this.splitChain(branches, indent)];
  }

  /**
   * No `else` after a branch that returns (checkpatch.pl: UNNECESSARY_ELSE): the rest follows the `if`, and the
   * rest is split the same way, so a chain of returning branches becomes a row of plain `if`s.
   */
  private splitChain(branches: readonly { cond?: Doc; body: CStmt[] }[], indent: number): CStmt[] {
    const ends = (b: { body: CStmt[] }): boolean => b.body[b.body.length - 1]?.terminal === true;
    // Only a first branch that returns may stand alone: after one that falls through, the rest is still an `else`.
    if (branches.length < 2 || !ends(branches[0]!)) return [this.renderIf(branches, indent)];
    const head = this.renderIf(branches.slice(0, 1), indent);
    const rest = branches.slice(1);
    // A final else's statements were written one level in: they move out a tab (alignment kept).
    const dedent = (x: CStmt): CStmt => ({ ...x, lines: x.lines.map((l) => (l.startsWith('\t') ? l.slice(1) : l)) });
    const tail: CStmt[] = rest[0]!.cond ? this.splitChain(rest, indent) : rest[0]!.body.map(dedent);
    const terminal = tail[tail.length - 1]?.terminal === true;
    return [{ ...head, terminal: false }, ...tail.slice(0, -1), { ...tail[tail.length - 1]!, terminal }];
  }

  /** An if / else if / else chain (the conditions already rendered). */
  private renderIf(branches: readonly { cond?: Doc; body: CStmt[] }[], indent: number): CStmt {
    // Kernel style: no braces around single statements, but braces on every branch if one branch needs them.
    const braces = branches.some((b) => b.body.length !== 1 || b.body[0]!.comment || b.body[0]!.isIf);
    const tab = '\t'.repeat(indent);
    const lines: string[] = [];
    branches.forEach((b, i) => {
      if (b.cond) {
        const head = i === 0 ? 'if (' : braces ? '} else if (' : 'else if (';
        lines.push(...statement(indent, head, b.cond, braces ? ') {' : ')'));
      } else {
        lines.push(braces ? `${tab}} else {` : `${tab}else`);
      }
      lines.push(...b.body.flatMap((x) => x.lines));
    });
    if (braces) lines.push(`${tab}}`);
    const last = branches[branches.length - 1]!;
    const terminal = !last.cond && branches.every((b) => b.body[b.body.length - 1]?.terminal === true);
    return { lines, isIf: true, terminal };
  }

  // ------------------------------------------------------------------ expressions

  /**
   * An expression as a document. `cond`: in a boolean context (an if, an operand of !, && or ||), where a flag
   * test or a pointer may stand as it is. `hoist`: `with` / kind constructors with several fields may be built in a
   * temporary before the statement (not under a short-circuit, where that would change what is evaluated).
   */
  private expr(e: IrExpr, fx: Fx, o: { cond: boolean; hoist: boolean; hoistOne?: boolean; pre: CStmt[]; indent: number }): Doc {
    const x = (y: IrExpr, cond = false): Doc => this.expr(y, fx, { ...o, cond, hoistOne: false });
    const paren = (y: IrExpr, parentOp: string, cond = false): Doc => {
      const d = x(y, cond);
      return needsParens(y, parentOp, this.flagTests) ? wrap('(', d, ')') : d;
    };
    switch (e.k) {
      case 'int':
        return text(num(e.value));
      case 'bool':
        return text(String(e.value));
      case 'const':
        return text(this.consts.get(e.name) ?? e.name);
      case 'local':
        return text(fx.ref(e.name));
      case 'field':
        return call(this.field(e.format, e.field).get, [x(e.base)]);
      case 'with':
      case 'make': {
        const base: Doc = e.k === 'with' ? x(e.base) : text(`${this.lc.mk}(${this.kinds.get(e.kind)!.baseMacro})`);
        if ((e.sets.length >= 2 || (o.hoistOne === true && e.sets.length === 1)) && o.hoist) {
          const tmp = fx.temp();
          o.pre.push({ lines: statement(o.indent, `${tmp} = `, base, ';') });
          for (const s of e.sets) {
            o.pre.push({ lines: statement(o.indent, `${tmp} = `, call(this.field(e.format, s.field).set, [text(tmp), x(s.value)]), ';') });
          }
          return text(tmp);
        }
        return e.sets.reduce<Doc>((acc, s) => call(this.field(e.format, s.field).set, [acc, x(s.value)]), base);
      }
      case 'ctx':
        return this.ctxExpr(e.object, e.prop, fx, o.cond);
      case 'arg':
        return text(`${fx.slot('args')}->${this.argNames.get(e.name) ?? e.name}`);
      case 'prim':
        return this.prim(e.name, e.args, fx, o);
      case 'fn':
        return call(this.fns.get(e.name) ?? e.name, e.args.map((a) => x(a)));
      case 'pred':
        return call(this.preds.get(e.name) ?? `ptelab_pred_${e.name}`, [x(e.arg)]);
      case 'counter':
        return text(RSS_COUNTERS[e.name]);
      case 'pmflag':
        return text(e.name);
      case 'truthy': {
        const d = x(e.operand, o.cond);
        if (o.cond) return d;
        return wrap('(', d, typeOf(e.operand) === 'page' ? ' != NULL)' : ' != 0)');
      }
      case 'toInt':
        return x(e.operand, false);
      case 'unary': {
        if (e.op === '!') return wrap('!', paren(e.operand, '!', true), '');
        if (e.op === '~') {
          const inner = wrap('~', paren(e.operand, '~'), '');
          return this.ir.word >= 64 ? inner : wrap('(', chain('&', [inner, text(hex((1n << BigInt(this.ir.word)) - 1n))]), ')');
        }
        return wrap('-', paren(e.operand, '-'), '');
      }
      case 'binary': {
        const lt = typeOf(e.left);
        if ((e.op === '==' || e.op === '!=') && isPte(lt)) {
          const same = call(this.lc.same, [x(e.left), x(e.right)]);
          return e.op === '==' ? same : wrap('!', same, '');
        }
        if (e.op === '&&' || e.op === '||') {
          const items: Doc[] = [];
          const flatten = (y: IrExpr, first: boolean): void => {
            if (y.k === 'binary' && y.op === e.op) {
              flatten(y.left, first);
              flatten(y.right, false);
            } else {
              // Only the first operand is always evaluated: nothing after it may be built ahead of the test.
              items.push(first ? paren(y, e.op, true) : this.noHoist(y, fx, o, e.op));
            }
          };
          flatten(e.left, true);
          flatten(e.right, false);
          return chain(e.op, items);
        }
        return chain(e.op, [paren(e.left, e.op), paren(e.right, e.op)]);
      }
    }
  }

  private noHoist(y: IrExpr, fx: Fx, o: { cond: boolean; hoist: boolean; pre: CStmt[]; indent: number }, op: string): Doc {
    const d = this.expr(y, fx, { ...o, cond: true, hoist: false });
    return needsParens(y, op, this.flagTests) ? wrap('(', d, ')') : d;
  }

  private ctxExpr(object: string, prop: string, fx: Fx, cond: boolean): Doc {
    const flag = (v: string, f: string): Doc => text(cond ? `${v}->vm_flags & ${f}` : `!!(${v}->vm_flags & ${f})`);
    switch (`${object}.${prop}`) {
      case 'vma.anon':
        return call('vma_is_anonymous', [text(fx.slot('vma'))]);
      case 'vma.shmem':
        return call('vma_is_shmem', [text(fx.slot('vma'))]);
      case 'vma.shared':
        return flag(fx.slot('vma'), 'VM_SHARED');
      case 'vma.writable':
        return flag(fx.slot('vma'), 'VM_WRITE');
      case 'vma.private_file': {
        const v = fx.slot('vma');
        return wrap('(', chain('&&', [text(`!vma_is_anonymous(${v})`), text(`!(${v}->vm_flags & VM_SHARED)`)]), ')');
      }
      case 'vma.uffd_wp':
        return call('userfaultfd_wp', [text(fx.slot('vma'))]);
      case 'vma.uffd_missing':
        return call('userfaultfd_missing', [text(fx.slot('vma'))]);
      case 'vma.uffd_minor':
        return call('userfaultfd_minor', [text(fx.slot('vma'))]);
      case 'vma.uffd_wp_unpopulated':
        return call('userfaultfd_wp_unpopulated', [text(fx.slot('vma'))]);
      case 'vma.hugetlb':
        return call('is_vm_hugetlb_page', [text(fx.slot('vma'))]);
      case 'vma.anon_vma':
        return text(cond ? `${fx.slot('vma')}->anon_vma` : `(${fx.slot('vma')}->anon_vma != NULL)`);
      case 'dst.uffd_wp':
        return call('userfaultfd_wp', [text(fx.slot('dst_vma'))]);
      case 'zap.drop_markers':
        // v6.17 mm/hugetlb.c __unmap_hugepage_range() tests its zap_flags for ZAP_FLAG_DROP_MARKER
        if (this.lc.level === 'huge_pte') return text(cond ? `${fx.slot('zap_flags')} & ZAP_FLAG_DROP_MARKER` : `!!(${fx.slot('zap_flags')} & ZAP_FLAG_DROP_MARKER)`);
        return call('zap_drop_markers', [text(fx.slot('details'))]);
      case 'zap.even_cows':
        return call('should_zap_cows', [text(fx.slot('details'))]);
      case 'fault.write':
        return text(cond ? `${fx.slot('vmf')}->flags & FAULT_FLAG_WRITE` : `!!(${fx.slot('vmf')}->flags & FAULT_FLAG_WRITE)`);
      case 'fault.around':
        return call('ptelab_fault_around', [text(fx.slot('vmf'))]);
      case 'prot.uffd_wp':
        return text(cond ? `${fx.slot('cp_flags')} & MM_CP_UFFD_WP` : `!!(${fx.slot('cp_flags')} & MM_CP_UFFD_WP)`);
      case 'prot.uffd_wp_resolve':
        return text(cond ? `${fx.slot('cp_flags')} & MM_CP_UFFD_WP_RESOLVE` : `!!(${fx.slot('cp_flags')} & MM_CP_UFFD_WP_RESOLVE)`);
      case 'prot.numa':
        return text(cond ? `${fx.slot('cp_flags')} & MM_CP_PROT_NUMA` : `!!(${fx.slot('cp_flags')} & MM_CP_PROT_NUMA)`);
      case 'prot.wrprotect':
        return call('ptelab_newprot_readonly', [text(fx.slot('newprot'))]);
      case 'prot.none':
        return call('ptelab_newprot_none', [text(fx.slot('newprot'))]);
      case 'prot.try_change_writable':
        return text(cond ? `${fx.slot('cp_flags')} & MM_CP_TRY_CHANGE_WRITABLE` : `!!(${fx.slot('cp_flags')} & MM_CP_TRY_CHANGE_WRITABLE)`);
      case 'vma.accessible':
        return call('vma_is_accessible', [text(fx.slot('vma'))]);
      case 'move.clear_uffd_wp':
        return call('vma_has_uffd_without_event_remap', [text(fx.slot('vma'))]);
      case 'reclaim.slot_type':
        return call('swp_type', [text(`${fx.slot('folio')}->swap`)]);
      case 'reclaim.slot_offset':
        return call('swp_offset', [text(`${fx.slot('folio')}->swap`)]);
      case 'migrate.dst_pfn':
        return call('folio_pfn', [text(fx.slot('folio'))]);
      case 'mfill.copy':
        return call('uffd_flags_mode_is', [text(fx.slot('flags')), text('MFILL_ATOMIC_COPY')]);
      case 'mfill.zeropage':
        return call('uffd_flags_mode_is', [text(fx.slot('flags')), text('MFILL_ATOMIC_ZEROPAGE')]);
      case 'mfill.continue':
        return call('uffd_flags_mode_is', [text(fx.slot('flags')), text('MFILL_ATOMIC_CONTINUE')]);
      case 'mfill.wp':
        return text(cond ? `${fx.slot('flags')} & MFILL_ATOMIC_WP` : `!!(${fx.slot('flags')} & MFILL_ATOMIC_WP)`);
      case 'reclaim.hwpoison':
        return call('ptelab_ttu_hwpoison', [text(fx.slot('folio'))]);
      case 'vma.uffd_wp_async':
        return call('userfaultfd_wp_async', [text(fx.slot('vma'))]);
      case 'scan.wp':
        return text(cond ? `${fx.slot('scan')}->arg.flags & PM_SCAN_WP_MATCHING` : `!!(${fx.slot('scan')}->arg.flags & PM_SCAN_WP_MATCHING)`);
    }
    throw new Error(`C back end: no C for context value ${object}.${prop}`);
  }

  private prim(name: string, irArgs: readonly IrExpr[], fx: Fx, o: { cond: boolean; hoist: boolean; pre: CStmt[]; indent: number }): Doc {
    const a = irArgs.map((y) => this.expr(y, fx, { ...o, cond: false }));
    const row = (C_PRIMITIVES as Readonly<Record<string, CPrimitive>>)[name];
    if (!row) throw new Error(`C back end: no C for primitive ${name}()`);
    return row.c(a, fx);
  }
}

/** The predicates a condition uses. */
function predsOf(c: IrCond): string[] {
  switch (c.k) {
    case 'all':
    case 'any':
      return c.items.flatMap(predsOf);
    case 'not':
      return predsOf(c.operand);
    case 'pred':
      return [c.name];
    default:
      return [];
  }
}


/** How the sketch calls a primitive: the kernel function (or the shim's stand-in) and its arguments. */
interface CPrimitive {
  /** The function's parameters beyond the primitive's own arguments, read from the handler's context. */
  readonly slots: readonly Slot[];
  readonly c: (a: readonly Doc[], fx: Fx) => Doc;
}

const swpEntry = (a: readonly Doc[]): Doc => call('swp_entry', [a[0]!, a[1]!]);
const compound = (fx: Fx): string => (fx.lc.level === 'pte' ? 'false' : 'true');
// v6.17 mm/huge_memory.c counts a THP's rss as add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR) (and -HPAGE_PMD_NR)
const rss = (fx: Fx, op: 'inc' | 'dec', counter: Doc): Doc => {
  const mm = text(`${fx.slot(fx.rssVma)}->vm_mm`);
  if (fx.lc.level === 'pmd') return call('add_mm_counter', [mm, counter, text(op === 'inc' ? 'HPAGE_PMD_NR' : '-HPAGE_PMD_NR')]);
  return call(`${op}_mm_counter`, [mm, counter]);
};
const vmaOf = (fx: Fx): Doc => text(fx.slot('vma'));
const addrOf = (fx: Fx): Doc => text(fx.slot('addr'));

/** One row per primitive of the contract (contract/table.ts): a primitive without its C is a type error here. */
const C_PRIMITIVES: Readonly<Record<PrimitiveName, CPrimitive>> = {
  vm_normal_page: { slots: ['vma', 'addr'], c: (a, fx) => call('vm_normal_page', [vmaOf(fx), addrOf(fx), a[0]!]) },
  pfn_to_page: { slots: [], c: (a) => call('pfn_to_page', [a[0]!]) },
  zero_pfn: { slots: ['addr'], c: (_a, fx) => call('my_zero_pfn', [addrOf(fx)]) },
  page_anon: { slots: [], c: (a) => call('PageAnon', [a[0]!]) },
  page_exclusive: { slots: [], c: (a) => call('PageAnonExclusive', [a[0]!]) },
  page_mapcount: { slots: [], c: (a) => call('page_mapcount', [a[0]!]) },
  page_pfn: { slots: [], c: (a) => call('page_to_pfn', [a[0]!]) },
  get_page: { slots: [], c: (a) => call('get_page', [a[0]!]) },
  put_page: { slots: [], c: (a) => call('put_page', [a[0]!]) },
  page_add_rmap: { slots: ['vma', 'addr'], c: (a, fx) => call('page_add_rmap', [a[0]!, vmaOf(fx), addrOf(fx)]) },
  page_add_new_anon_rmap: { slots: ['vma', 'addr'], c: (a, fx) => call('page_add_new_anon_rmap', [a[0]!, vmaOf(fx), addrOf(fx)]) },
  // a PMD or hugetlb entry maps its folio whole: compound rmap, and (THP) HPAGE_PMD_NR pages of rss
  page_dup_rmap: { slots: [], c: (a, fx) => call('page_dup_rmap', [a[0]!, text(compound(fx))]) },
  page_remove_rmap: { slots: ['vma'], c: (a, fx) => call('page_remove_rmap', [a[0]!, vmaOf(fx), text(compound(fx))]) },
  rss_inc: { slots: [], c: (a, fx) => rss(fx, 'inc', a[0]!) },
  rss_dec: { slots: [], c: (a, fx) => rss(fx, 'dec', a[0]!) },
  mm_counter: { slots: [], c: (a) => call('mm_counter', [a[0]!]) },
  alloc_anon_page: { slots: ['vma', 'addr'], c: (_a, fx) => call('alloc_zeroed_user_highpage_movable', [vmaOf(fx), addrOf(fx)]) },
  copy_page: { slots: ['vma', 'addr'], c: (a, fx) => call('copy_user_highpage', [a[0]!, a[1]!, addrOf(fx), vmaOf(fx)]) },
  filemap_fault: { slots: ['vmf'], c: (_a, fx) => call('ptelab_fault_page', [text(fx.slot('vmf'))]) },
  find_get_page: {
    slots: ['vma', 'addr'],
    c: (_a, fx) => call('find_get_page', [text(`${fx.slot('vma')}->vm_file->f_mapping`), call('linear_page_index', [vmaOf(fx), addrOf(fx)])]),
  },
  swapin: { slots: ['vma', 'addr'], c: (a, fx) => call('lookup_swap_cache', [swpEntry(a), vmaOf(fx), addrOf(fx)]) },
  swap_duplicate: { slots: [], c: (a) => call('swap_duplicate', [swpEntry(a)]) },
  swap_free: { slots: [], c: (a) => call('swap_free', [swpEntry(a)]) },
  swap_read_error: { slots: ['vma', 'addr'], c: (a, fx) => call('ptelab_swap_read_error', [swpEntry(a), vmaOf(fx), addrOf(fx)]) },
  pagemap: { slots: ['pm_flags'], c: (a, fx) => text(`*${fx.slot('pm_flags')} |= ${flat(a[0]!)}`) },
  filemap_hole: { slots: ['vmf'], c: (_a, fx) => call('ptelab_shmem_hole', [text(fx.slot('vmf'))]) },
  filemap_present: { slots: ['vmf'], c: (_a, fx) => call('ptelab_shmem_present', [text(fx.slot('vmf'))]) },
  mfill_eexist: { slots: [], c: () => call('ptelab_mfill_eexist', []) },
  move_ebusy: { slots: [], c: () => call('ptelab_move_refuse', [text('-EBUSY')]) },
  move_efault: { slots: [], c: () => call('ptelab_move_refuse', [text('-EFAULT')]) },
  page_maybe_dma_pinned: { slots: ['vma'], c: (a, fx) => call('folio_needs_cow_for_dma', [text(fx.slot('vma')), call('page_folio', [a[0]!])]) },
  // THP (PMD level): __split_huge_pmd_locked's PTE loop, and wp_huge_pmd's fallback split
  split_ptes: { slots: [], c: (a) => call('ptelab_split_ptes', [...a]) },
  split_huge_pmd: { slots: ['vma', 'addr'], c: (_a, fx) => call('ptelab_split_huge_pmd', [vmaOf(fx), addrOf(fx)]) },
  // v6.17 include/linux/hugetlb.h: hugetlb_count_add/sub(pages_per_huge_page(h), mm)
  hugetlb_count_add: {
    slots: ['vma'],
    c: (_a, fx) => call('hugetlb_count_add', [text(`pages_per_huge_page(hstate_vma(${fx.slot('vma')}))`), text(`${fx.slot('vma')}->vm_mm`)]),
  },
  hugetlb_count_sub: {
    slots: ['vma'],
    c: (_a, fx) => call('hugetlb_count_sub', [text(`pages_per_huge_page(hstate_vma(${fx.slot('vma')}))`), text(`${fx.slot('vma')}->vm_mm`)]),
  },
};

/** Parentheses a C reader (and gcc -Wparentheses) wants around an operand of `parentOp`. */
function needsParens(e: IrExpr, parentOp: string, flagTests: ReadonlySet<string>): boolean {
  if (e.k === 'ctx' && flagTests.has(`${e.object}.${e.prop}`)) return true;
  const op = e.k === 'binary' ? e.op : e.k === 'truthy' || e.k === 'toInt' ? inner(e) : undefined;
  if (!op) return false;
  if (parentOp === '!' || parentOp === '~' || parentOp === '-') return true;
  if (op === parentOp && ['&&', '||', '|', '&', '^', '+', '*'].includes(op)) return false;
  const cmp = ['==', '!=', '<', '<=', '>', '>='];
  if ((parentOp === '&&' || parentOp === '||') && cmp.includes(op)) return false;
  return true;
}

/** Context values that render as `x & FLAG` in a condition (and, at the hugetlb level, zap.drop_markers). */
const FLAG_TESTS: ReadonlySet<string> = new Set(['vma.shared', 'vma.writable', 'fault.write', 'prot.uffd_wp', 'prot.uffd_wp_resolve', 'prot.numa', 'prot.try_change_writable', 'mfill.wp', 'scan.wp']);
const HUGE_FLAG_TESTS: ReadonlySet<string> = new Set([...FLAG_TESTS, 'zap.drop_markers']);

function inner(e: Extract<IrExpr, { k: 'truthy' | 'toInt' }>): string | undefined {
  const o = e.operand;
  return o.k === 'binary' ? o.op : o.k === 'truthy' || o.k === 'toInt' ? inner(o) : undefined;
}

function sameLayout(a: IrField, b: IrField): boolean {
  return a.name === b.name && a.shift === b.shift && a.width === b.width && a.inverted === b.inverted && a.aliasOf === b.aliasOf && a.parent === b.parent;
}

function C_MEMBER_OK(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !['auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false'].includes(name);
}

function ctxSlots(object: string, prop: string, level: LevelName = 'pte'): Slot[] {
  switch (object) {
    case 'vma':
      return ['vma'];
    case 'dst':
      return ['dst_vma'];
    case 'zap':
      return level === 'huge_pte' && prop === 'drop_markers' ? ['zap_flags'] : ['details'];
    case 'fault':
      return ['vmf'];
    case 'prot':
      return prop === 'wrprotect' || prop === 'none' ? ['newprot'] : ['cp_flags'];
    case 'move':
      return ['vma'];
    case 'reclaim':
    case 'migrate':
      return ['folio'];
    case 'mfill':
      return ['flags'];
    default:
      return [];
  }
}


/** One C function being written: its parameters, locals (declared at the top) and scopes. */
class Fx {
  rssVma: 'vma' | 'dst_vma' = 'vma';
  private readonly localNames: LocalNames;
  private readonly scopes: Map<string, string>[] = [new Map()];
  private readonly decls = new Map<string, Ty>();
  private readonly derived = new Set<Slot>();
  private readonly reads = new Set<string>();
  private readonly bySpecName = new Map<string, { c: string; ty: Ty }[]>();
  private readonly hasVmf: boolean;

  constructor(names: Names, readonly lc: LevelC, private readonly params: Set<Slot>, binding: string | undefined, reserved: string[]) {
    this.hasVmf = params.has('vmf');
    this.localNames = new LocalNames(names, [...PARAM_NAMES, ...reserved]);
    if (binding) this.scopes[0]!.set(binding, 'orig');
  }

  claim(want: string): string {
    return this.localNames.claim(want);
  }

  push(): void {
    this.scopes.push(new Map(this.scopes[this.scopes.length - 1]));
  }

  pop(): void {
    this.scopes.pop();
  }

  /** The C name of a parameter slot (derived from vmf when the function has one). */
  slot(s: Slot): string {
    if (this.hasVmf && FROM_VMF_SLOTS.has(s)) {
      this.derived.add(s);
      return slotC(s, this.lc);
    }
    if (!this.params.has(s)) throw new Error(`C back end: '${s}' is not in scope (needs analysis missed it)`);
    return slotC(s, this.lc);
  }

  /**
   * The huge page size a hugetlb write takes, as a local of the function: v6.17 mm/hugetlb.c reads it as
   * huge_page_size(h) of the VMA's hstate (set_huge_pte_at, huge_pte_clear).
   */
  size(): string {
    this.slot('vma');
    this.usesSize = true;
    return 'sz';
  }

  private usesSize = false;

  useDerived(s: Slot): void {
    this.derived.add(s);
  }

  usedDerived(): Slot[] {
    return [...this.derived];
  }

  /** A spec local: a C local declared at the top (shared with a same-named, same-typed one of a closed scope). */
  local(name: string, t: Ty): string {
    const scope = this.scopes[this.scopes.length - 1]!;
    const known = this.bySpecName.get(name) ?? [];
    const reuse = known.find((k) => sameTy(k.ty, t));
    const c = reuse?.c ?? this.localNames.claim(name);
    if (!reuse) {
      known.push({ c, ty: t });
      this.bySpecName.set(name, known);
      this.decls.set(c, t);
    }
    scope.set(name, c);
    return c;
  }

  /** A parameter of an arch helper: bound, not declared. */
  param(name: string): string {
    const c = this.localNames.claim(name);
    this.scopes[0]!.set(name, c);
    return c;
  }

  ref(name: string): string {
    const c = this.scopes[this.scopes.length - 1]!.get(name);
    if (!c) throw new Error(`C back end: local '${name}' is not in scope`);
    this.reads.add(c);
    return c;
  }

  /** The `struct ptelab_args` (the level's) a call hands on (one per function, reused by every call in it). */
  argsLocal(): string {
    if (!this.argsName) {
      this.argsName = this.localNames.claim('call_args');
      this.reads.add(this.argsName);
    }
    return this.argsName;
  }

  private argsName: string | undefined;

  temp(): string {
    const c = this.localNames.claim(`new${this.lc.v}`);
    this.decls.set(c, { pte: '' });
    this.reads.add(c);
    return c;
  }

  /** Locals from vmf, then the declared locals, then a blank line. */
  declLines(): string[] {
    const lines = this.derivedLines(false);
    if (this.usesSize) lines.push(`\tunsigned long sz = huge_page_size(hstate_vma(${slotC('vma', this.lc)}));`);
    if (this.argsName) lines.push(`\tstruct ${this.lc.args} ${this.argsName};`);
    for (const [c, t] of this.decls) lines.push(`\t${decl(t, c)}${this.reads.has(c) ? '' : ' __maybe_unused'};`);
    if (lines.length) lines.push('');
    return lines;
  }

  derivedLines(blank = false): string[] {
    const lines = SLOT_ORDER.filter((s) => this.derived.has(s)).map((s) => `\t${fromVmf(s, this.lc).decl} = ${fromVmf(s, this.lc).init};`);
    if (blank && lines.length) lines.push('');
    return lines;
  }
}

function sameTy(a: Ty, b: Ty): boolean {
  return isPte(a) && isPte(b) ? true : a === b;
}
