// Predicates and kind conditions -> exact sets of word values (unions of disjoint ternary cubes). Every bit-level
// question the checks ask is answered on these sets, over all 2^word values.
import type * as A from '../grammar/ast.js';
import * as C from './bits/cube-set.js';
import type { CubeSet, FieldBits } from './bits/cube-set.js';
import { ConstError, evalConst } from './const-eval.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { FieldDef, FormatDef, Spec } from './model.js';
import { knownHint } from './resolve.js';

export interface SpecSets {
  readonly predicates: ReadonlyMap<string, CubeSet>;
  readonly kinds: ReadonlyMap<string, CubeSet>;
  /** Kinds and predicates whose condition had an error: their set is empty and checks say nothing more of them. */
  readonly broken: ReadonlySet<string>;
}

export interface SetsResult extends SpecSets {
  readonly diagnostics: readonly Diagnostic[];
}

/** Raised inside compilation of one condition; the condition is then treated as the empty set. */
class NotExact extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** A use of a predicate that already failed: no second diagnostic, but the user is broken too. */
class BrokenRef extends Error {}

const CMP_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FLIP: Record<string, C.CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function compileSets(spec: Spec): SetsResult {
  const ds: Diagnostic[] = [];
  const broken = new Set<string>();
  const predicates = new Map<string, CubeSet>();
  const inProgress = new Set<string>();
  const W = spec.word;
  const wordField: FieldBits = { bits: Array.from({ length: W }, (_, i) => ({ pos: i, inverted: false })) };

  const predicateSet = (name: string, at: A.Expr): CubeSet => {
    if (broken.has(name)) throw new BrokenRef();
    const done = predicates.get(name);
    if (done) return done;
    const p = spec.predicates.get(name)!;
    if (inProgress.has(name)) {
      throw new NotExact(diag('PTE037', at.range, `predicate '${name}' is defined in terms of itself`, 'a predicate may use other predicates, but not recursively'));
    }
    inProgress.add(name);
    try {
      const format = spec.formats.get(p.format);
      const set = format ? compileCondition(p.body, format) : C.EMPTY;
      predicates.set(name, set);
      return set;
    } catch (e) {
      if (e instanceof NotExact) ds.push(e.diagnostic);
      else if (!(e instanceof BrokenRef)) throw e;
      broken.add(name);
      predicates.set(name, C.EMPTY);
      throw new BrokenRef();
    } finally {
      inProgress.delete(name);
    }
  };

  const constOf = (e: A.Expr, format: FormatDef): bigint | undefined => {
    if (usesPoisoned(e)) throw new BrokenRef();
    if (!isConstExpr(e, format)) return undefined;
    try {
      return evalConst(e, W, (n) => (spec.consts.has(n) ? spec.consts.get(n)!.value : 'unknown'));
    } catch (err) {
      if (err instanceof ConstError) throw new NotExact(err.diagnostic);
      throw err;
    }
  };

  const usesPoisoned = (e: A.Expr): boolean =>
    e.type === 'NameRef'
      ? spec.poisonedConsts.has(e.name)
      : e.type === 'Binary'
        ? usesPoisoned(e.left) || usesPoisoned(e.right)
        : e.type === 'Unary' && usesPoisoned(e.operand);

  const isConstExpr = (e: A.Expr, format: FormatDef): boolean => {
    switch (e.type) {
      case 'NumberLit':
        return true;
      case 'NameRef':
        return !format.fields.has(e.name) && e.name !== 'word' && spec.consts.has(e.name);
      case 'Unary':
        return e.op !== '!' && isConstExpr(e.operand, format);
      case 'Binary':
        return !CMP_OPS.has(e.op) && e.op !== '&&' && e.op !== '||' && isConstExpr(e.left, format) && isConstExpr(e.right, format);
      default:
        return false;
    }
  };

  /** A bit-vector view: a field or the word, optionally masked by a constant. */
  const viewOf = (e: A.Expr, format: FormatDef): { field: FieldBits; mask?: bigint; width: number } | undefined => {
    if (e.type === 'NameRef') {
      const f = format.fields.get(e.name);
      if (f) return { field: f, width: f.width };
      if (e.name === 'word') return { field: wordField, width: W };
      return undefined;
    }
    if (e.type === 'Binary' && e.op === '&') {
      for (const [v, m] of [[e.left, e.right], [e.right, e.left]] as const) {
        const inner = viewOf(v, format);
        const mask = inner && inner.mask === undefined ? constOf(m, format) : undefined;
        if (inner && mask !== undefined) return { ...inner, mask };
      }
    }
    return undefined;
  };

  const compileCondition = (e: A.Expr, format: FormatDef): CubeSet => {
    switch (e.type) {
      case 'Binary': {
        if (e.op === '&&') return C.intersect(compileCondition(e.left, format), compileCondition(e.right, format));
        if (e.op === '||') return C.union(compileCondition(e.left, format), compileCondition(e.right, format));
        if (CMP_OPS.has(e.op)) return compileComparison(e, format);
        break;
      }
      case 'Unary':
        if (e.op === '!') return C.complement(compileCondition(e.operand, format), W);
        break;
      case 'NameRef': {
        const f = format.fields.get(e.name);
        if (f) return C.fieldCompare(f, '!=', 0n, W);
        if (e.name === 'word') return C.fieldCompare(wordField, '!=', 0n, W);
        if (spec.predicates.has(e.name)) return predicateSet(e.name, e);
        if (spec.consts.has(e.name)) {
          throw new NotExact(diag('PTE032', e.range, `constant '${e.name}' used as a condition`, `compare a field with it: 'FIELD == ${e.name}'`));
        }
        throw new NotExact(diag('PTE002', e.range, `'${e.name}' is not a field of format '${format.name}', a predicate or a constant`, knownHint('fields', format.fields.keys())));
      }
      default:
        break;
    }
    throw new NotExact(diag('PTE032', e.range, `this expression is not an exact predicate form`, "conditions compare a field (or 'word', optionally '& MASK') with a constant, and combine with ! && ||"));
  };

  const compileComparison = (e: A.Binary, format: FormatDef): CubeSet => {
    let op = e.op as C.CompareOp;
    let view = viewOf(e.left, format);
    let c = view ? constOf(e.right, format) : undefined;
    if (!view || c === undefined) {
      view = viewOf(e.right, format);
      c = view ? constOf(e.left, format) : undefined;
      op = FLIP[op]!;
    }
    if (!view || c === undefined) {
      const unknown = firstUnknownName(e, format);
      if (unknown) {
        throw new NotExact(diag('PTE002', unknown.range, `'${unknown.name}' is not a field of format '${format.name}' or a constant`, knownHint('fields', format.fields.keys())));
      }
      throw new NotExact(diag('PTE032', e.range, `'${e.op}' must compare a field (or 'word', optionally '& MASK') with a constant`, 'two fields, or arithmetic on a field, have no exact set form; split the condition'));
    }
    if (view.mask !== undefined) {
      if (op !== '==' && op !== '!=') {
        throw new NotExact(diag('PTE032', e.range, `a masked field can only be compared with == or !=`, "write '(F & m) == c' or '(F & m) != c'"));
      }
      const eq = C.fieldMaskedEquals(view.field, view.mask, c, W);
      return op === '==' ? eq : C.complement(eq, W);
    }
    return C.fieldCompare(view.field, op, c, W);
  };

  const firstUnknownName = (e: A.Expr, format: FormatDef): A.NameRef | undefined => {
    if (e.type === 'NameRef') {
      return format.fields.has(e.name) || e.name === 'word' || spec.consts.has(e.name) || spec.predicates.has(e.name) ? undefined : e;
    }
    if (e.type === 'Binary') return firstUnknownName(e.left, format) ?? firstUnknownName(e.right, format);
    if (e.type === 'Unary') return firstUnknownName(e.operand, format);
    return undefined;
  };

  for (const name of spec.predicates.keys()) {
    try {
      predicateSet(name, spec.predicates.get(name)!.body);
    } catch (e) {
      if (e instanceof NotExact) ds.push(e.diagnostic);
      else if (!(e instanceof BrokenRef)) throw e;
    }
  }

  const kinds = new Map<string, CubeSet>();
  for (const k of [...spec.kinds.values()].sort((a, b) => a.index - b.index)) {
    const format = spec.formats.get(k.format);
    if (!format) {
      broken.add(k.name);
      kinds.set(k.name, C.EMPTY);
      continue;
    }
    try {
      kinds.set(k.name, compileCondition(k.when, format));
    } catch (e) {
      if (e instanceof NotExact) ds.push(e.diagnostic);
      else if (!(e instanceof BrokenRef)) throw e;
      broken.add(k.name);
      kinds.set(k.name, C.EMPTY);
    }
  }
  return { predicates, kinds, broken, diagnostics: dedupe(ds) };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}:${d.range.file}:${d.range.start.offset}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A field as the cube algebra sees it. */
export function fieldBits(f: FieldDef): FieldBits {
  return f;
}
