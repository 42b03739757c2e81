// The front end as one function: load the extends chain, resolve, compute exact sets, run the checks — once per
// page-table level the spec describes (compiler/levels.ts), the PTE level first.
import { layoutChecks } from './checks/index.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { loadChain, nodeHost, type SpecHost } from './load.js';
import type { Spec } from './model.js';
import { resolve } from './resolve.js';
import { compileSets, type SpecSets } from './sets.js';
import type { SourceFile } from '../core/source.js';
import { internalErrorText } from '../core/internal-error.js';
import { lower } from './ir/lower.js';
import type { IrSpec } from './ir/types.js';
import { renderText } from '../core/diagnostics/render.js';
import { err, ok, type Result } from '../core/result.js';
import type * as A from '../grammar/ast.js';
import type { LevelName } from '../contract/table.js';
import { splitLevels } from './levels.js';

/** The same finding reached twice (e.g. a fn body error met from two call sites) is reported once. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}\0${d.range.file}\0${d.range.start.offset}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One level other than the PTE's, compiled as the PTE level is (its diagnostics are the spec's). */
export interface CompiledLevel {
  readonly level: LevelName;
  readonly spec: Spec;
  readonly sets: SpecSets;
  readonly ir?: IrSpec;
  /** Formats declared in the level's own sections (it also sees the PTE level's). */
  readonly ownFormats: ReadonlySet<string>;
}

interface FrontEnd {
  /** The PTE level (a spec without `level` sections is all PTE level). */
  readonly spec: Spec;
  readonly sets: SpecSets;
  /** The other levels the spec describes (`level pmd`, ...), in the order of contract/table.ts LEVELS. */
  readonly levels: readonly CompiledLevel[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** A spec without errors: the front end ran to the end, so its IR is there. */
export interface CleanCompiled extends FrontEnd {
  readonly ok: true;
  readonly ir: IrSpec;
}

/** A spec with errors in `diagnostics`; its IR is there when the front end still ran to the end. */
export interface FailedCompiled extends FrontEnd {
  readonly ok: false;
  readonly ir?: IrSpec;
}

/** What the front end makes of a readable spec; `ok` tells the two apart (and makes `ir` non-optional). */
export type Compiled = CleanCompiled | FailedCompiled;

/** A compiled spec, or why its files could not be read (the only failure: findings are diagnostics). */
export type CompileOutcome = Result<Compiled>;

/**
 * The last few clean results, by the entry as named. A hit is used only when the entry and every file the result was
 * compiled from still read (through the caller's host) as the same text, so it is exactly what compiling again would
 * give; one process often compiles one spec several times (a command and the base of another, the matrix and the
 * report, the tests). Results with errors are not kept: a file that could not be read is not among their sources.
 */
const clean = new Map<string, CleanCompiled>();
const KEEP = 16; // more than the bundled specs and proposals (11): the matrix loads them all in turn

export function compileSpec(entry: string, host: SpecHost = nodeHost): CompileOutcome {
  const hit = clean.get(entry);
  // The entry itself too: a bundled name read no file of that name, and must still read none.
  const same = (file: string): boolean => host.readFile(file) === hit?.sources.get(file)?.text;
  if (hit && same(entry) && [...hit.sources.keys()].every(same)) {
    clean.delete(entry); // most recently used last
    clean.set(entry, hit);
    return ok(hit);
  }
  const r = compileFresh(entry, host);
  if (r.ok && r.value.ok) {
    clean.delete(entry);
    clean.set(entry, r.value);
    while (clean.size > KEEP) clean.delete(clean.keys().next().value!);
  }
  return r;
}

interface LevelResult {
  readonly spec: Spec;
  readonly sets: SpecSets;
  readonly ir?: IrSpec;
  readonly diagnostics: readonly Diagnostic[];
}

/** Resolve, sets, checks and lowering of one level's chain. */
function compileLevel(files: readonly A.SpecFile[], level: LevelName): LevelResult {
  const ds: Diagnostic[] = [];
  const resolved = resolve(files);
  const spec: Spec = level === 'pte' ? resolved.spec : { ...resolved.spec, level };
  ds.push(...resolved.diagnostics);
  let sets: SpecSets = { predicates: new Map(), kinds: new Map(), broken: new Set(spec.kinds.keys()) };
  let ir: IrSpec | undefined;
  try {
    const s = compileSets(spec);
    sets = s;
    ds.push(...s.diagnostics);
    // The checks skip kinds and predicates whose sets are broken, so they add findings, not echoes.
    for (const check of layoutChecks) ds.push(...check({ spec, sets }));
    const lowered = lower(spec, sets);
    ds.push(...lowered.diagnostics);
    ir = lowered.ir;
  } catch (e) {
    ds.push(diag('PTE090', spec.headerRange, internalErrorText(e), 'please report this with the spec that triggered it'));
  }
  // A finding about the whole level (gaps, a missing entry path) points at the spec header, shared by every level:
  // its message names the level.
  const named = level === 'pte' ? ds : ds.map((d) => (d.range.file === spec.headerRange.file && d.range.start.offset === spec.headerRange.start.offset ? { ...d, message: `${level} level: ${d.message}` } : d));
  return { spec, sets, ...(ir ? { ir } : {}), diagnostics: named };
}

function compileFresh(entry: string, host: SpecHost): CompileOutcome {
  const loaded = loadChain(entry, host);
  if (!loaded.ok) return loaded;
  const chain = loaded.value;
  const ds: Diagnostic[] = [...chain.diagnostics];
  // A file that is not text gets its one diagnostic and nothing else (load.ts).
  if (chain.notText) {
    const { spec } = resolve(chain.files);
    const sets: SpecSets = { predicates: new Map(), kinds: new Map(), broken: new Set(spec.kinds.keys()) };
    return ok({ spec, sets, levels: [], diagnostics: ds, sources: chain.sources, ok: false });
  }
  const split = splitLevels(chain.files);
  ds.push(...split.diagnostics);
  const pte = compileLevel(split.pte, 'pte');
  ds.push(...pte.diagnostics);
  const levels: CompiledLevel[] = split.levels.map((l) => {
    const r = compileLevel(l.files, l.level);
    ds.push(...r.diagnostics);
    return { level: l.level, spec: r.spec, sets: r.sets, ...(r.ir ? { ir: r.ir } : {}), ownFormats: l.ownFormats };
  });
  const diagnostics = sortDiagnostics(dedupe(ds));
  // The back ends that write one artefact per spec (the C patch series) find the other levels on the PTE level's IR.
  const levelIrs = levels.flatMap((l) => (l.ir ? [l.ir] : []));
  const ir = pte.ir && levelIrs.length > 0 ? { ...pte.ir, levels: levelIrs } : pte.ir;
  const front = { spec: pte.spec, sets: pte.sets, levels, diagnostics, sources: chain.sources };
  // Without IR there is always an error (PTE090 above), so a clean spec always has its IR.
  return ok(ir && !hasErrors(diagnostics) ? { ...front, ir, ok: true } : { ...front, ...(ir ? { ir } : {}), ok: false });
}

/** compileSpec(), where a spec with errors is a failure too: the message is the rendered diagnostics. */
export function compileClean(entry: string, host: SpecHost = nodeHost): Result<CleanCompiled> {
  const r = compileSpec(entry, host);
  if (!r.ok) return r;
  if (!r.value.ok) return err(`${entry} has errors:\n${renderText(r.value.diagnostics, r.value.sources)}`);
  return ok(r.value);
}

/** One level of a compiled spec as the commands read it: the PTE level is the spec itself. */
export interface LevelView {
  readonly level: LevelName;
  readonly spec: Spec;
  readonly sets: SpecSets;
  readonly ir?: IrSpec;
  /** The IR to draw: the level's formats without the PTE formats its kinds do not use. */
  readonly displayIr?: IrSpec;
}

export function levelView(c: Compiled, name: string): LevelView | undefined {
  if (name === 'pte') return { level: 'pte', spec: c.spec, sets: c.sets, ...(c.ir ? { ir: c.ir, displayIr: c.ir } : {}) };
  const l = c.levels.find((x) => x.level === name);
  if (!l) return undefined;
  return { level: l.level, spec: l.spec, sets: l.sets, ...(l.ir ? { ir: l.ir, displayIr: levelDisplayIr(l.ir, l.ownFormats) } : {}) };
}

/** A level's IR with only the formats it declares or its kinds use (and what those extend). */
export function levelDisplayIr(ir: IrSpec, own: ReadonlySet<string>): IrSpec {
  const keep = new Set<string>(own);
  for (const k of ir.kinds) keep.add(k.format);
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
