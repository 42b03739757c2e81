// When may the explorer renumber pfns and swap offsets (canonical.ts)? Only when nothing in the spec can tell one
// pfn (offset) from another: then two states that differ only by such a renumbering have isomorphic futures (the
// runtime's lowest-free allocation is just "some fresh number"). Decided from the IR, exactly where it is about bit
// sets (cube-set algebra), conservatively where it is about handler code:
//
// 1. classification: for every kind that refers to a page/pfn/slot, changing the referring field to any other value
//    in the range the runtime uses (pfns 2..2^16-1, offsets 1..2^16-1) keeps the word in the same kind; likewise
//    every predicate (mmu_read, mmu_write, ...) gives the same answer on such words;
// 2. handler code (paths, fns, decisions): a pfn / offset value (a referring field, a page, page_pfn(), arg values
//    it was passed as, migrate.dst_pfn, reclaim.slot_offset) only flows into primitives, into the referring field of
//    a new entry, into `call` and fn arguments, and is compared only for (in)equality with another such value; no
//    other field that shares its bits is read or written. A literal in a referring field, arithmetic or ordering on
//    a pfn, or a read of a bit inside the field turns the reduction off (reported with the reason).
//
// pfn and offset values are tracked as one class ("identities"): a spec that moved one into the other's field would
// break the runtime's accounting anyway.
import * as C from '../bits/cube-set.js';
import type { IrCase, IrExpr, IrField, IrFormat, IrSpec, IrStmt } from '../ir/types.js';
import type { SymmetryVerdict } from '../../contract/table.js';

export type { SymmetryVerdict } from '../../contract/table.js';

/** Values the explorer can give a referring field: well above anything a bounded exploration allocates. */
const RANGE_BITS = 16n;

interface RefField {
  readonly kind: string;
  readonly format: string;
  readonly field: string;
  readonly target: 'page' | 'pfn' | 'slot';
  readonly bits: C.FieldBits;
  readonly mask: bigint;
  readonly set: C.CubeSet; // the kind's words
  readonly range: C.CubeSet; // words whose field holds a value the explorer may use
}

function fieldOf(formats: ReadonlyMap<string, IrFormat>, format: string, field: string): IrField | undefined {
  return formats.get(format)?.fields.find((f) => f.name === field);
}

function fieldBits(f: IrField): C.FieldBits {
  return { bits: Array.from({ length: f.width }, (_, i) => ({ pos: f.shift + i, inverted: f.inverted })) };
}

function fieldMaskOf(f: IrField): bigint {
  return ((1n << BigInt(f.width)) - 1n) << BigInt(f.shift);
}

/** Is `set` (restricted to r's words in range) blind to the value of r's field? */
function blind(set: C.CubeSet, r: RefField): boolean {
  const a = C.intersect(set, r.range);
  const b = C.intersect(C.existsBits(a, r.mask), r.range);
  return C.isSubset(b, set);
}

export function symmetryFor(ir: IrSpec): SymmetryVerdict {
  const width = ir.word;
  const formats = new Map(ir.formats.map((f) => [f.name, f]));
  const cubes = (list: readonly (readonly [bigint, bigint])[]): C.CubeSet => list.map(([mask, value]) => ({ mask, value }));
  const reasons: string[] = [];
  let pfns = true;
  let slots = true;
  const off = (target: RefField['target'], why: string): void => {
    if (target === 'slot') slots = false;
    else pfns = false;
    reasons.push(why);
  };

  // ---- referring fields, and 1. classification and predicates
  const refs: RefField[] = [];
  for (const k of ir.kinds) {
    if (!k.refs) continue;
    const name = k.refs.target === 'slot' ? k.refs.offsetField : k.refs.field;
    const f = fieldOf(formats, k.format, name);
    if (!f) {
      off(k.refs.target, `kind ${k.name}: field ${name} not found in format ${k.format}`);
      continue;
    }
    const bits = fieldBits(f);
    const low = k.refs.target === 'slot' ? 1n : 2n;
    const range = C.intersect(C.fieldCompare(bits, '>=', low, width), C.fieldCompare(bits, '<', 1n << RANGE_BITS, width));
    refs.push({ kind: k.name, format: k.format, field: name, target: k.refs.target, bits, mask: fieldMaskOf(f), set: cubes(k.cubes), range });
  }
  for (const r of refs) {
    if (!blind(r.set, r)) off(r.target, `kind ${r.kind}: whether a word is a ${r.kind} depends on the value of ${r.field}`);
    for (const p of ir.predicates) {
      const ps = cubes(p.cubes);
      const inK = C.intersect(ps, r.set);
      if (!blind(inK, r) || !blind(C.subtract(r.set, ps), r)) {
        off(r.target, `predicate ${p.name} depends on the ${r.field} of a ${r.kind} entry`);
      }
    }
  }

  // ---- 2. handler code
  const refNames = new Set(refs.map((r) => `${r.format}.${r.field}`));
  const isRefField = (format: string, field: string): boolean => {
    if (refNames.has(`${format}.${field}`)) return true;
    // a format that extends a kind's format sees the same field
    for (let f = formats.get(format); f?.base; f = formats.get(f.base)) if (refNames.has(`${f.base}.${field}`)) return true;
    return false;
  };
  /** Kinds whose words a pte<format> value may hold: formats related by `extends`. */
  const related = (a: string, b: string): boolean => {
    for (let f = formats.get(a); f; f = f.base ? formats.get(f.base) : undefined) if (f.name === b) return true;
    for (let f = formats.get(b); f; f = f.base ? formats.get(f.base) : undefined) if (f.name === a) return true;
    return false;
  };
  /** Refs fields a read/write of (format, field) overlaps without being one, for words of `kind` (or any kind). */
  const overlapping = (format: string, field: string, kind: string | undefined): RefField | undefined => {
    const f = fieldOf(formats, format, field);
    if (!f || isRefField(format, field)) return undefined;
    const m = fieldMaskOf(f);
    return refs.find((r) => (kind === undefined ? related(r.format, format) : r.kind === kind) && (r.mask & m) !== 0n);
  };

  const taintedArgs = new Set<string>();
  const taintedParams = new Set<string>(); // fn.param
  const fnTaint = new Map<string, boolean>();
  const problems = new Set<string>();
  let recording = false;
  const problem = (where: string, why: string): void => {
    if (recording) problems.add(`${where}: ${why}`);
  };

  type Env = {
    readonly locals: Map<string, boolean>;
    readonly kinds: Map<string, string | undefined>;
    readonly where: string;
    /** Inside a fn: its name and parameters (a parameter used where an identity is needed makes it a sink). */
    readonly fn?: string;
  };
  type Target = RefField['target'];
  /** Parameters ("fn.param") and `call` argument names that must receive a pfn / offset, and of which kind. */
  const sinkParams = new Map<string, Target>();
  const sinkArgs = new Map<string, Target>();
  /** Int arguments of primitives that name a page or a swap slot. */
  const PRIM_SINKS: Readonly<Record<string, readonly (Target | undefined)[]>> = {
    vm_normal_page: ['pfn'],
    pfn_to_page: ['pfn'],
    swapin: [undefined, 'slot'],
    swap_duplicate: [undefined, 'slot'],
    swap_free: [undefined, 'slot'],
  };
  /** A literal the renaming leaves alone: pfns below 2 (0, the zero page), offset 0 (the swap header). */
  const fixedPoint = (e: IrExpr, target: Target): boolean =>
    (e.k === 'int' || e.k === 'const') && e.value >= 0n && e.value < (target === 'slot' ? 1n : 2n);
  /** `v` is used where a pfn / offset is needed. */
  const sinkUse = (v: IrExpr, env: Env, target: Target, what: string): void => {
    const tainted = expr(v, env);
    if (v.k === 'local' && env.fn !== undefined && !env.locals.has(`let:${v.name}`)) {
      sinkParams.set(`${env.fn}.${v.name}`, target);
      return;
    }
    if (v.k === 'arg') {
      sinkArgs.set(v.name, target);
      return;
    }
    if (!tainted && !fixedPoint(v, target)) problem(env.where, `puts a value that is not a pfn or swap offset into ${what}`);
  };

  const expr = (e: IrExpr, env: Env): boolean => {
    switch (e.k) {
      case 'int':
      case 'bool':
      case 'const':
      case 'counter':
      case 'pmflag':
        return false;
      case 'local':
        return env.locals.get(e.name) ?? false;
      case 'arg':
        return taintedArgs.has(e.name);
      case 'ctx':
        return (e.object === 'migrate' && e.prop === 'dst_pfn') || (e.object === 'reclaim' && e.prop === 'slot_offset');
      case 'field': {
        expr(e.base, env);
        const kind = e.base.k === 'local' ? env.kinds.get(e.base.name) : undefined;
        const r = overlapping(e.format, e.field, kind);
        if (r) problem(env.where, `reads ${e.field}, which shares bits with the ${r.field} of a ${r.kind} entry`);
        return isRefField(e.format, e.field);
      }
      case 'with': {
        expr(e.base, env);
        const kind = e.base.k === 'local' ? env.kinds.get(e.base.name) : undefined;
        for (const s of e.sets) setField(e.format, s.field, s.value, kind, env);
        return false;
      }
      case 'make':
        for (const s of e.sets) setField(e.format, s.field, s.value, e.kind, env);
        return false;
      case 'prim': {
        const sinks = PRIM_SINKS[e.name];
        e.args.forEach((a, i) => {
          const t = sinks?.[i];
          if (t) sinkUse(a, env, t, `${e.name}()`);
          else expr(a, env); // pages are identities by type: they only come from primitives
        });
        return e.ty === 'page' || e.name === 'page_pfn' || e.name === 'zero_pfn';
      }
      case 'fn': {
        const fn = ir.fns.find((f) => f.name === e.name);
        e.args.forEach((a, i) => {
          const p = fn?.params[i];
          const key = p ? `${e.name}.${p.name}` : '';
          const sink = sinkParams.get(key);
          if (sink) sinkUse(a, env, sink, `parameter ${p!.name} of ${e.name}`);
          if (expr(a, env) && p) taintedParams.add(key);
        });
        return fnTaint.get(e.name) ?? false;
      }
      case 'pred':
        expr(e.arg, env); // predicates were checked on the bit level above
        return false;
      case 'truthy':
      case 'toInt':
        expr(e.operand, env); // a pfn/offset is never 0: truthiness is the same for all
        return false;
      case 'unary':
        if (expr(e.operand, env)) problem(env.where, `applies '${e.op}' to a pfn or swap offset`);
        return false;
      case 'binary': {
        const l = expr(e.left, env);
        const r = expr(e.right, env);
        if ((l || r) && !((e.op === '==' || e.op === '!=') && l && r)) {
          problem(env.where, `'${e.op}' on a pfn or swap offset${e.op === '==' || e.op === '!=' ? ' and a value that is not one' : ''}`);
        }
        return false;
      }
    }
  };

  const setField = (format: string, field: string, value: IrExpr, kind: string | undefined, env: Env): void => {
    // a known kind: only its own referring field is one; otherwise any kind the format may hold
    const ref = kind !== undefined
      ? refs.find((r) => r.kind === kind && r.field === field)
      : isRefField(format, field) ? refs.find((r) => related(r.format, format) && r.field === field) : undefined;
    if (ref) {
      sinkUse(value, env, ref.target, field);
      return;
    }
    if (expr(value, env)) problem(env.where, `puts a pfn or swap offset into ${field}`);
    const r = overlapping(format, field, kind);
    if (r) problem(env.where, `writes ${field}, which shares bits with the ${r.field} of a ${r.kind} entry`);
  };

  const stmts = (list: readonly IrStmt[], env: Env): void => {
    for (const s of list) {
      switch (s.s) {
        case 'set':
        case 'copy':
          expr(s.value, env);
          break;
        case 'let': {
          const t = expr(s.value, env);
          env.locals.set(s.name, t);
          env.locals.set(`let:${s.name}`, t);
          env.kinds.set(s.name, s.value.k === 'make' ? s.value.kind : undefined);
          break;
        }
        case 'if': {
          expr(s.cond, env);
          stmts(s.then, env);
          stmts(s.else, env);
          break;
        }
        case 'call':
          for (const a of s.args) {
            const sink = sinkArgs.get(a.name);
            if (sink) sinkUse(a.value, env, sink, `argument ${a.name} of ${s.path}`);
            if (expr(a.value, env)) taintedArgs.add(a.name);
          }
          break;
        case 'do':
          expr(s.expr, env);
          break;
        default:
          break;
      }
    }
  };

  const runAll = (): void => {
    for (const f of ir.fns) {
      const locals = new Map(f.params.map((p) => [p.name, taintedParams.has(`${f.name}.${p.name}`)] as const));
      fnTaint.set(f.name, expr(f.body, { locals, kinds: new Map(), where: `fn ${f.name} (${f.site.file}:${f.site.line})`, fn: f.name }));
    }
    for (const d of ir.decisions) expr(d.body, { locals: new Map(), kinds: new Map(), where: `decision ${d.name}` });
    for (const p of ir.paths) {
      for (const c of p.cases as readonly IrCase[]) {
        const env: Env = { locals: new Map(), kinds: new Map(), where: `${p.name} case #${c.index} (${c.site.file}:${c.site.line})` };
        if (c.binding) {
          env.locals.set(c.binding, false);
          env.kinds.set(c.binding, c.kind);
        }
        if (c.guard) expr(c.guard, env);
        stmts(c.body, env);
      }
    }
  };
  // taint flows through call args and fn params: iterate to a fixpoint, then record the problems
  for (let i = 0; i < 50; i++) {
    const state = (): string =>
      `${[...taintedArgs].sort().join()}|${[...taintedParams].sort().join()}|${[...fnTaint].map(([k, v]) => `${k}${v}`).join()}|` +
      `${[...sinkParams.keys()].sort().join()}|${[...sinkArgs.keys()].sort().join()}`;
    const before = state();
    runAll();
    const after = state();
    if (before === after) break;
  }
  recording = true;
  runAll();
  if (problems.size > 0) {
    pfns = false;
    slots = false;
    reasons.push(...[...problems].sort());
  }
  return { pfns, slots, reasons };
}
