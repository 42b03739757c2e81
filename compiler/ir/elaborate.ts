// Handler expressions and statements -> typed IR, reporting type and name errors (PTE040-PTE046). Scoping:
// locals (let, `as` bindings, fn parameters), then context objects, constants, counters, pagemap flags.
import type * as A from '../../grammar/ast.js';
import type { Range } from '../../core/source.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Spec } from '../model.js';
import { knownHint } from '../resolve.js';
import { FormatReads, placement, samePlacement } from './format-reads.js';
import { CONTEXT as CONTRACT_CONTEXT, type RssCounter, PAGEMAP_FLAGS, PRIMITIVES as CONTRACT_PRIMITIVES, RSS_COUNTER_NAMES } from '../../contract/table.js';
import { isPte, typeOf, tyName, type IrExpr, type IrStmt, type OutcomeName, type Ty } from './types.js';

/** Context values a handler can read: the contract's rows, by object (contract/table.ts). */
const CONTEXT: Readonly<Record<string, Readonly<Record<string, { readonly ty: Ty }>>>> = CONTRACT_CONTEXT;

/** Runtime primitives: argument types and result (contract/table.ts). */
export const PRIMITIVES: Readonly<Record<string, { readonly args: readonly Ty[]; readonly ret: Ty }>> = CONTRACT_PRIMITIVES;

const COUNTERS: ReadonlySet<string> = new Set(RSS_COUNTER_NAMES);
const PMFLAGS: ReadonlySet<string> = new Set(PAGEMAP_FLAGS);
const SIGNALS: Record<string, OutcomeName> = { sigbus: 'sigbus', sigsegv: 'sigsegv', hwpoison: 'hwpoison' };

export class ElabError extends Error {
  /** followOn: the error only repeats one already reported (a use of a failed helper or binding): not shown. */
  constructor(readonly diagnostic: Diagnostic, readonly followOn = false) {
    super(diagnostic.message);
  }
}

export interface Scope {
  readonly locals: ReadonlyMap<string, Ty>;
  /** The path being elaborated (statements like `copy` are path-specific), or undefined in fns/decisions. */
  readonly path?: string;
  /** Arch helpers are pure functions of their parameters: no context, no primitives. */
  readonly pure?: boolean;
  /** Bindings whose `let` failed: a use of one is a follow-on error, not reported again. */
  readonly poisoned?: ReadonlySet<string>;
}

export class Elaborator {
  readonly diagnostics: Diagnostic[] = [];
  /** Return types of fns, filled as fns are elaborated (in declaration order; a later fn may call an earlier one). */
  readonly fnTypes = new Map<string, Ty>();
  private readonly fnInProgress = new Set<string>();
  private readonly reads: FormatReads;
  /** (callee, parameter, value format) triples already reported as PTE047: one finding per helper and layout. */
  private readonly mismatchSeen = new Set<string>();

  constructor(private readonly spec: Spec, private readonly elabFn: (name: string, at: Range) => Ty | undefined) {
    this.reads = new FormatReads(spec);
  }

  /** Record an elaboration error, unless it only follows from one already reported. */
  report(e: ElabError): void {
    if (!e.followOn) this.diagnostics.push(e.diagnostic);
  }

  fail(code: Parameters<typeof diag>[0], range: Range, message: string, hint?: string): never {
    throw new ElabError(diag(code, range, message, hint));
  }

  // ------------------------------------------------------------------ statements
  stmts(list: readonly A.Stmt[], scope: Scope): IrStmt[] {
    const out: IrStmt[] = [];
    let locals = new Map(scope.locals);
    let poisoned = new Set(scope.poisoned ?? []);
    for (const s of list) {
      try {
        const ir = this.stmt(s, { ...scope, locals, poisoned });
        out.push(ir);
        if (ir.s === 'let') {
          locals = new Map(locals);
          locals.set(ir.name, typeOf(ir.value));
        }
      } catch (e) {
        if (!(e instanceof ElabError)) throw e;
        this.report(e);
        if (s.type === 'LetStmt') {
          // Later uses of the binding neither report "unknown name" nor a type error of a guessed type.
          poisoned = new Set(poisoned);
          poisoned.add(s.name.name);
        }
      }
    }
    return out;
  }

  private stmt(s: A.Stmt, scope: Scope): IrStmt {
    const line = s.range.start.line;
    switch (s.type) {
      case 'SetStmt':
      case 'CopyStmt': {
        if (s.type === 'CopyStmt' && scope.path !== 'copy_page_range') {
          this.fail('PTE043', s.range, `'copy' writes the child's entry and is only meaningful in copy_page_range`, "use 'set' to write the handled entry");
        }
        const value = this.expr(s.value, scope);
        this.expectPte(value, s.value.range, s.type === 'SetStmt' ? 'set' : 'copy');
        return { s: s.type === 'SetStmt' ? 'set' : 'copy', value, line };
      }
      case 'ClearStmt':
        return { s: 'clear', line };
      case 'KeepStmt':
        return { s: 'keep', line };
      case 'RetryStmt':
        return { s: 'retry', line };
      case 'ReturnStmt':
        return { s: 'return', line };
      case 'WarnStmt':
        return { s: 'warn', message: s.message.value, line };
      case 'LetStmt': {
        if (scope.locals.has(s.name.name)) this.fail('PTE003', s.name.range, `'${s.name.name}' is already bound in this case`, 'use another name');
        const value = this.expr(s.value, scope);
        const t = typeOf(value);
        if (t === 'void') this.fail('PTE040', s.value.range, `'${s.name.name}' would be bound to a primitive that returns nothing`);
        return { s: 'let', name: s.name.name, value, line };
      }
      case 'IfStmt': {
        const cond = this.cond(s.cond, scope);
        return { s: 'if', cond, then: this.stmts(s.then, scope), else: s.else ? this.stmts(s.else, scope) : [], line };
      }
      case 'CallStmt': {
        if (!this.spec.paths.has(s.path.name)) {
          this.fail('PTE042', s.path.range, `'call ${s.path.name}': no such path`, knownHint('paths', this.spec.paths.keys()));
        }
        const args = s.args.map((a) => ({ name: a.name.name, value: this.intValue(this.expr(a.value, scope), a.value.range) }));
        return { s: 'call', path: s.path.name, args, line };
      }
      case 'ExprStmt':
        return this.exprStmt(s.expr, scope, line);
    }
  }

  private exprStmt(e: A.Expr, scope: Scope, line: number): IrStmt {
    if (e.type === 'NameRef' && SIGNALS[e.name] && !scope.locals.has(e.name)) return { s: 'outcome', outcome: SIGNALS[e.name]!, line };
    if (e.type === 'Call' && e.callee.name === 'userfault') {
      const a = e.args[0];
      if (e.args.length !== 1 || !a || a.name || a.value.type !== 'NameRef' || (a.value.name !== 'wp' && a.value.name !== 'missing' && a.value.name !== 'minor')) {
        this.fail('PTE041', e.range, "userfault takes one mode: 'userfault(wp)', 'userfault(missing)' or 'userfault(minor)'");
      }
      return { s: 'outcome', outcome: a.value.name === 'wp' ? 'userfault_wp' : a.value.name === 'minor' ? 'userfault_minor' : 'userfault_missing', line };
    }
    const ir = this.expr(e, scope);
    if (ir.k !== 'prim') {
      this.fail('PTE044', e.range, 'this expression is computed and thrown away', "statements are set/copy/clear/keep/let/if/call/retry/return/warn, a signal (sigbus, sigsegv, hwpoison), userfault(wp) or a primitive such as put_page(page)");
    }
    return { s: 'do', expr: ir, line };
  }

  // ------------------------------------------------------------------ expressions
  cond(e: A.Expr, scope: Scope): IrExpr {
    const ir = this.expr(e, scope);
    return this.truthy(ir, e.range);
  }

  truthy(ir: IrExpr, range: Range): IrExpr {
    const t = typeOf(ir);
    if (t === 'bool') return ir;
    if (t === 'int' || t === 'page') return { k: 'truthy', operand: ir };
    this.fail('PTE040', range, `a ${tyName(t)} is not a condition`, 'conditions are booleans, numbers (non-zero) or pages (not none)');
  }

  intValue(ir: IrExpr, range: Range): IrExpr {
    const t = typeOf(ir);
    if (t === 'int') return ir;
    if (t === 'bool') return { k: 'toInt', operand: ir };
    this.fail('PTE040', range, `expected a number, found a ${tyName(t)}`);
  }

  private expectPte(ir: IrExpr, range: Range, what: string): string {
    const t = typeOf(ir);
    if (!isPte(t)) this.fail('PTE040', range, `'${what}' needs a PTE value, found a ${tyName(t)}`, 'build one with a kind constructor, `x with { ... }` or an arch helper');
    return t.pte;
  }

  expr(e: A.Expr, scope: Scope): IrExpr {
    switch (e.type) {
      case 'NumberLit':
        return { k: 'int', value: e.value };
      case 'NameRef':
        return this.name(e, scope);
      case 'Member':
        return this.member(e, scope);
      case 'Call':
        return this.call(e, scope);
      case 'With': {
        const base = this.expr(e.base, scope);
        const format = this.expectPte(base, e.base.range, 'with');
        return { k: 'with', base, format, sets: this.fieldSets(format, e.fields, scope) };
      }
      case 'Unary': {
        const operand = this.expr(e.operand, scope);
        if (e.op === '!') return { k: 'unary', op: '!', operand: this.truthy(operand, e.operand.range), ty: 'bool' };
        return { k: 'unary', op: e.op, operand: this.intValue(operand, e.operand.range), ty: 'int' };
      }
      case 'Binary':
        return this.binary(e, scope);
    }
  }

  private name(e: A.NameRef, scope: Scope): IrExpr {
    const local = scope.locals.get(e.name);
    if (local) return { k: 'local', name: e.name, ty: local };
    if (scope.poisoned?.has(e.name)) throw new ElabError(diag('PTE042', e.range, `'${e.name}' has errors`), true);
    if (e.name === 'true' || e.name === 'false') return { k: 'bool', value: e.name === 'true' };
    const c = this.spec.consts.get(e.name);
    if (c) return { k: 'const', name: e.name, value: c.value };
    if (COUNTERS.has(e.name)) return { k: 'counter', name: e.name as RssCounter };
    if (PMFLAGS.has(e.name)) return { k: 'pmflag', name: e.name };
    if (CONTEXT[e.name] || e.name === 'arg') this.fail('PTE040', e.range, `'${e.name}' is a context object; read one of its values, e.g. '${e.name}.${Object.keys(CONTEXT[e.name] ?? { NAME: 0 })[0]}'`);
    if (SIGNALS[e.name]) this.fail('PTE040', e.range, `'${e.name}' ends the handler; it is a statement, not a value`);
    this.fail('PTE042', e.range, `unknown name '${e.name}'`, knownHint('names in scope', [...scope.locals.keys(), ...Object.keys(CONTEXT)]));
  }

  private member(e: A.Member, scope: Scope): IrExpr {
    const obj = e.object;
    if (obj.type === 'NameRef' && !scope.locals.has(obj.name)) {
      if ((obj.name === 'arg' || CONTEXT[obj.name]) && scope.pure) {
        this.fail('PTE040', e.range, `an arch helper cannot read '${obj.name}.${e.property.name}': fns are pure functions of their parameters`, 'pass the value as a parameter, or test it in the handler');
      }
      if (obj.name === 'arg') {
        if (scope.path === undefined) this.fail('PTE040', e.range, `'arg.${e.property.name}' exists only inside a path (values passed by 'call ... with')`);
        return { k: 'arg', name: e.property.name };
      }
      const ctx = CONTEXT[obj.name];
      if (ctx) {
        const ty = ctx[e.property.name]?.ty;
        if (!ty) this.fail('PTE042', e.property.range, `'${obj.name}' has no value '${e.property.name}'`, knownHint(`${obj.name} values`, Object.keys(ctx)));
        return { k: 'ctx', object: obj.name, prop: e.property.name, ty };
      }
    }
    const base = this.expr(obj, scope);
    const t = typeOf(base);
    if (!isPte(t)) this.fail('PTE040', e.range, `'.${e.property.name}' reads a field of a PTE value, but this is a ${tyName(t)}`);
    const format = this.spec.formats.get(t.pte);
    if (!format?.fields.has(e.property.name)) {
      this.fail('PTE040', e.property.range, `format '${t.pte}' has no field '${e.property.name}'`, knownHint('fields', format?.fields.keys() ?? []));
    }
    return { k: 'field', base, format: t.pte, field: e.property.name };
  }

  private fieldSets(format: string, fields: readonly A.FieldInit[], scope: Scope) {
    const f = this.spec.formats.get(format);
    const seen = new Set<string>();
    return fields.map((fi) => {
      if (!f?.fields.has(fi.name.name)) this.fail('PTE040', fi.name.range, `format '${format}' has no field '${fi.name.name}'`, knownHint('fields', f?.fields.keys() ?? []));
      if (seen.has(fi.name.name)) this.fail('PTE003', fi.name.range, `field '${fi.name.name}' is set twice`);
      seen.add(fi.name.name);
      return { field: fi.name.name, value: this.intValue(this.expr(fi.value, scope), fi.value.range) };
    });
  }

  private call(e: A.Call, scope: Scope): IrExpr {
    const name = e.callee.name;
    const prim = PRIMITIVES[name];
    if (prim && (scope.pure || scope.path === undefined)) {
      this.fail('PTE040', e.range, `only handlers can call the runtime primitive ${name}()`, 'fns and decisions are pure: call primitives from a path case');
    }
    if (prim) {
      if (e.args.length !== prim.args.length || e.args.some((a) => a.name)) {
        this.fail('PTE041', e.range, `${name}() takes ${prim.args.length} argument(s): ${name}(${prim.args.join(', ')})`);
      }
      const args = e.args.map((a, i) => this.coerce(this.expr(a.value, scope), prim.args[i]!, a.value.range, `argument ${i + 1} of ${name}()`));
      return { k: 'prim', name, args, ty: prim.ret };
    }
    const kind = this.spec.kinds.get(name);
    if (kind) {
      const positional = e.args.filter((a) => !a.name);
      if (positional.length > 0) this.fail('PTE041', positional[0]!.range, `a kind constructor takes named fields: ${name}(FIELD = value, ...)`);
      const sets = this.fieldSets(kind.format, e.args.map((a) => ({ name: a.name!, value: a.value, range: a.range })), scope);
      return { k: 'make', kind: name, format: kind.format, sets };
    }
    const fn = this.spec.fns.get(name);
    if (fn) {
      if (e.args.length !== fn.params.length || e.args.some((a) => a.name)) {
        this.fail('PTE041', e.range, `${name}() takes ${fn.params.length} argument(s): ${name}(${fn.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`);
      }
      const ret = this.elabFn(name, e.callee.range);
      const args = e.args.map((a, i) => this.coerce(this.expr(a.value, scope), paramTy(fn.params[i]!.type), a.value.range, `argument '${fn.params[i]!.name}' of ${name}()`));
      args.forEach((a, i) => this.checkReadThrough(a, fn.params[i]!.type, this.reads.fnParam(name, i), `${name}()`, `argument '${fn.params[i]!.name}'`, e.args[i]!.value.range));
      // A helper whose body failed has no type: what uses its result would only repeat that error.
      if (ret === undefined) throw new ElabError(diag('PTE040', e.range, `fn '${name}' has errors`), true);
      return { k: 'fn', name, args, ty: ret };
    }
    if (this.spec.predicates.has(name)) {
      if (e.args.length !== 1 || e.args[0]!.name) this.fail('PTE041', e.range, `predicate ${name}() takes one PTE value`);
      const arg = this.expr(e.args[0]!.value, scope);
      this.expectPte(arg, e.args[0]!.value.range, name);
      this.checkReadThrough(arg, this.spec.predicates.get(name)!.format, this.reads.predicate(name), `predicate ${name}()`, 'its value', e.args[0]!.value.range);
      return { k: 'pred', name, arg };
    }
    this.fail('PTE042', e.callee.range, `unknown function '${name}'`, 'not a primitive, kind constructor, fn or predicate of this spec (primitives are listed in docs/handlers.md)');
  }

  /**
   * PTE047: a value of one format handed to a helper or predicate declared on another reads the fields the callee
   * uses at the callee's positions. Where the two formats place one of those fields differently, the callee reads
   * or writes the wrong bits, silently: reported, with both placements.
   */
  private checkReadThrough(arg: IrExpr, declared: string, used: ReadonlySet<string>, callee: string, what: string, range: Range): void {
    const t = typeOf(arg);
    if (!isPte(t) || t.pte === declared || used.size === 0) return;
    const have = this.spec.formats.get(t.pte)?.fields;
    const want = this.spec.formats.get(declared)?.fields;
    if (!have || !want) return;
    const differ = [...used].filter((f) => want.has(f) && !samePlacement(have.get(f), want.get(f))).sort();
    if (differ.length === 0) return;
    const key = `${callee}|${what}|${t.pte}|${declared}`;
    if (this.mismatchSeen.has(key)) return;
    this.mismatchSeen.add(key);
    const where = differ.map((f) => `${f} is ${placement(have.get(f))} in '${t.pte}' but ${placement(want.get(f))} in '${declared}'`).join('; ');
    this.diagnostics.push(
      diag(
        'PTE047',
        range,
        `${what} of ${callee} is a '${t.pte}' value read through format '${declared}': ${where}`,
        `change the layout in '${declared}' itself ('override format ${declared} { ... }'), so every kind, helper and predicate on it follows; or declare ${callee} on '${t.pte}'`,
      ),
    );
  }

  private coerce(ir: IrExpr, want: Ty, range: Range, what: string): IrExpr {
    const t = typeOf(ir);
    if (isPte(want)) {
      if (!isPte(t)) this.fail('PTE041', range, `${what} is a PTE value (${want.pte}), not a ${tyName(t)}`);
      if (!this.formatsCompatible(t.pte, want.pte)) {
        this.fail('PTE041', range, `${what} expects format '${want.pte}', but this value has format '${t.pte}'`, 'formats are compatible when one extends the other');
      }
      return ir;
    }
    if (want === 'int') return this.intValue(ir, range);
    if (want === t) return ir;
    this.fail('PTE041', range, `${what} must be a ${tyName(want)}, not a ${tyName(t)}`);
  }

  formatsCompatible(a: string, b: string): boolean {
    return this.ancestors(a).includes(b) || this.ancestors(b).includes(a);
  }

  private ancestors(f: string): string[] {
    const out: string[] = [];
    let cur: string | undefined = f;
    while (cur && !out.includes(cur)) {
      out.push(cur);
      cur = this.spec.formats.get(cur)?.base;
    }
    return out;
  }

  private binary(e: A.Binary, scope: Scope): IrExpr {
    const l = this.expr(e.left, scope);
    const r = this.expr(e.right, scope);
    const op = e.op;
    if (op === '&&' || op === '||') {
      return { k: 'binary', op, left: this.truthy(l, e.left.range), right: this.truthy(r, e.right.range), ty: 'bool' };
    }
    const lt = typeOf(l);
    const rt = typeOf(r);
    if (op === '==' || op === '!=') {
      if (lt === rt && (lt === 'bool' || lt === 'page' || lt === 'counter')) return { k: 'binary', op, left: l, right: r, ty: 'bool' };
      if (isPte(lt) && isPte(rt)) return { k: 'binary', op, left: l, right: r, ty: 'bool' };
    }
    const li = this.intValue(l, e.left.range);
    const ri = this.intValue(r, e.right.range);
    const cmp = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
    return { k: 'binary', op, left: li, right: ri, ty: cmp ? 'bool' : 'int' };
  }

  /** Fn bodies: parameters are the scope. */
  fnBody(name: string, at: Range): { body: IrExpr; ty: Ty } | undefined {
    const fn = this.spec.fns.get(name)!;
    if (this.fnInProgress.has(name)) {
      this.fail('PTE045', at, `fn '${name}' calls itself`, 'arch helpers are single expressions without recursion');
    }
    this.fnInProgress.add(name);
    try {
      const locals = new Map<string, Ty>();
      for (const p of fn.params) {
        const t = paramTy(p.type);
        if (isPte(t) && !this.spec.formats.has(t.pte)) {
          this.fail('PTE042', p.range, `parameter type '${p.type}' is neither 'int' nor a format`, knownHint('formats', this.spec.formats.keys()));
        }
        locals.set(p.name, t);
      }
      const body = this.expr(fn.body, { locals, pure: true });
      return { body, ty: typeOf(body) };
    } finally {
      this.fnInProgress.delete(name);
    }
  }
}

export function paramTy(t: string): Ty {
  if (t === 'int') return 'int';
  if (t === 'bool') return 'bool';
  if (t === 'page') return 'page';
  return { pte: t };
}
