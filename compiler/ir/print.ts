// IR expressions and statements back to spec text (guards and bodies in the handler diff, the report, comments):
// the one printer of the IR, parenthesised by the grammar's precedence table.
import { COMPARISON, PRECEDENCE as PREC } from '../../grammar/precedence.js';
import { isPte, type IrExpr, type IrStmt, type Ty } from './types.js';

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
  userfault_minor: 'userfault(minor)',
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

/** A type without its format: 'pte' for every PTE value. */
export function ty(t: Ty): string {
  return isPte(t) ? 'pte' : t;
}
