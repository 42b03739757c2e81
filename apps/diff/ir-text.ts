// IR expressions and statements back to spec-like text (for guards and bodies in the handler diff), and a canonical
// form for comparing them structurally: spec lines dropped, locals renamed by binding order, constants by name.
import { isPte, type IrExpr, type IrStmt, type Ty } from '../../compiler/ir/types.js';

/** The grammar's precedence (grammar/parser.ts): unlike C, `&` `|` `^` and shifts bind tighter than comparisons. */
const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '|': 4,
  '^': 5,
  '&': 6,
  '<<': 7,
  '>>': 7,
  '+': 8,
  '-': 8,
  '*': 9,
};
const COMPARISON = 3;

function num(v: bigint): string {
  return v < 10n ? v.toString() : '0x' + v.toString(16);
}

export function exprText(e: IrExpr, prec = 0): string {
  switch (e.k) {
    case 'int':
      return num(e.value);
    case 'bool':
      return String(e.value);
    case 'const':
    case 'local':
    case 'counter':
    case 'pmflag':
      return e.name;
    case 'field':
      return e.base.k === 'with' ? `(${exprText(e.base)}).${e.field}` : `${exprText(e.base, 10)}.${e.field}`;
    case 'with':
      return `${exprText(e.base, 10)} with { ${e.sets.map((s) => `${s.field} = ${exprText(s.value)}`).join(', ')} }`;
    case 'make':
      return `${e.kind}(${e.sets.map((s) => `${s.field} = ${exprText(s.value)}`).join(', ')})`;
    case 'ctx':
      return `${e.object}.${e.prop}`;
    case 'arg':
      return `arg.${e.name}`;
    case 'prim':
    case 'fn':
      return `${e.name}(${e.args.map((x) => exprText(x)).join(', ')})`;
    case 'pred':
      return `${e.name}(${exprText(e.arg)})`;
    case 'truthy':
    case 'toInt':
      return exprText(e.operand, prec);
    case 'unary':
      return `${e.op}${exprText(e.operand, 10)}`;
    case 'binary': {
      const p = PREC[e.op]!;
      // Left-associative, except comparisons, which do not chain: a comparison inside one is parenthesised.
      const s = `${exprText(e.left, p === COMPARISON ? p + 1 : p)} ${e.op} ${exprText(e.right, p + 1)}`;
      return p < prec ? `(${s})` : s;
    }
  }
}

const OUTCOMES: Record<string, string> = {
  userfault_wp: 'userfault(wp)',
  userfault_missing: 'userfault(missing)',
  sigbus: 'sigbus',
  sigsegv: 'sigsegv',
  hwpoison: 'hwpoison',
};

/** One line per simple statement; `if` opens and closes blocks, bodies indented by two spaces. */
export function stmtLines(list: readonly IrStmt[], indent = ''): string[] {
  const out: string[] = [];
  for (const s of list) {
    switch (s.s) {
      case 'set':
      case 'copy':
        out.push(`${indent}${s.s} ${exprText(s.value)}`);
        break;
      case 'clear':
      case 'keep':
      case 'retry':
      case 'return':
        out.push(indent + s.s);
        break;
      case 'let':
        out.push(`${indent}let ${s.name} = ${exprText(s.value)}`);
        break;
      case 'if':
        out.push(`${indent}if ${exprText(s.cond)} {`);
        out.push(...stmtLines(s.then, indent + '  '));
        if (s.else.length > 0) {
          out.push(`${indent}} else {`);
          out.push(...stmtLines(s.else, indent + '  '));
        }
        out.push(`${indent}}`);
        break;
      case 'call':
        out.push(`${indent}call ${s.path}${s.args.length ? ` with { ${s.args.map((a) => `${a.name} = ${exprText(a.value)}`).join(', ')} }` : ''}`);
        break;
      case 'outcome':
        out.push(indent + (OUTCOMES[s.outcome] ?? s.outcome));
        break;
      case 'warn':
        out.push(`${indent}warn ${JSON.stringify(s.message)}`);
        break;
      case 'do':
        out.push(indent + exprText(s.expr));
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------- canonical

/**
 * A string equal for two bodies exactly when they are the same IR up to spec lines, the names of locals (the `as`
 * binding, `let`s and fn parameters are numbered in binding order), the values of named constants and the formats
 * values are read through. Constants compare by name and PTE values by field name, not by layout: a body is
 * "changed" when its logic is, while a changed constant, bit position or kind format is reported once, in the
 * layout, swap or classification section, instead of in every body that reads it (the generic mm handlers shared
 * by x86_64 and arm64 are then the same on both).
 */
export class Canon {
  private readonly names = new Map<string, string>();
  private next = 0;

  bind(name: string | undefined): void {
    if (name !== undefined) this.names.set(name, `$${this.next++}`);
  }

  expr(e: IrExpr): string {
    return JSON.stringify(this.norm(e));
  }

  stmts(list: readonly IrStmt[]): string {
    return JSON.stringify(this.normStmts(list));
  }

  private normStmts(list: readonly IrStmt[]): unknown[] {
    const saved = new Map(this.names);
    const out = list.map((s) => this.normStmt(s));
    // Block scope: a `let` inside a branch does not rename uses after the branch.
    this.names.clear();
    for (const [k, v] of saved) this.names.set(k, v);
    return out;
  }

  private normStmt(s: IrStmt): unknown {
    switch (s.s) {
      case 'set':
      case 'copy':
        return [s.s, this.norm(s.value)];
      case 'clear':
      case 'keep':
      case 'retry':
      case 'return':
        return [s.s];
      case 'let': {
        const v = this.norm(s.value);
        this.bind(s.name);
        return ['let', this.names.get(s.name), v];
      }
      case 'if':
        return ['if', this.norm(s.cond), this.normStmts(s.then), this.normStmts(s.else)];
      case 'call':
        return ['call', s.path, s.args.map((a) => [a.name, this.norm(a.value)])];
      case 'outcome':
        return ['outcome', s.outcome];
      case 'warn':
        return ['warn', s.message];
      case 'do':
        return ['do', this.norm(s.expr)];
    }
  }

  private norm(e: IrExpr): unknown {
    switch (e.k) {
      case 'int':
        return ['int', e.value.toString()];
      case 'bool':
        return ['bool', e.value];
      case 'const':
        return ['const', e.name];
      case 'local':
        return ['local', this.names.get(e.name) ?? e.name, ty(e.ty)];
      case 'field':
        return ['field', this.norm(e.base), e.field];
      case 'with':
        return ['with', this.norm(e.base), e.sets.map((s) => [s.field, this.norm(s.value)])];
      case 'make':
        return ['make', e.kind, e.sets.map((s) => [s.field, this.norm(s.value)])];
      case 'ctx':
        return ['ctx', e.object, e.prop];
      case 'arg':
        return ['arg', e.name];
      case 'prim':
      case 'fn':
        return [e.k, e.name, e.args.map((x) => this.norm(x)), ty(e.ty)];
      case 'pred':
        return ['pred', e.name, this.norm(e.arg)];
      case 'counter':
      case 'pmflag':
        return [e.k, e.name];
      case 'truthy':
      case 'toInt':
        return [e.k, this.norm(e.operand)];
      case 'unary':
        return ['unary', e.op, this.norm(e.operand), ty(e.ty)];
      case 'binary':
        return ['binary', e.op, this.norm(e.left), this.norm(e.right), ty(e.ty)];
    }
  }
}

/** A type without its format: 'pte' for every PTE value. */
export function ty(t: Ty): string {
  return isPte(t) ? 'pte' : t;
}
