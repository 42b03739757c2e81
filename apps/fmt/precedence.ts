// The parentheses the formatter prints, by the grammar's precedence (grammar/precedence.ts).
import type * as A from '../../grammar/ast.js';
import { COMPARISON as CMP, POSTFIX, PRECEDENCE as PREC, PRIMARY, UNARY } from '../../grammar/precedence.js';

export { COMPARISON as CMP, POSTFIX, PRECEDENCE as PREC, PRIMARY, UNARY } from '../../grammar/precedence.js';

export function precOf(e: A.Expr): number {
  switch (e.type) {
    case 'Binary':
      return PREC[e.op];
    case 'Unary':
      return UNARY;
    case 'Member':
    case 'Call':
    case 'With':
      return POSTFIX;
    default:
      return PRIMARY;
  }
}

/**
 * Whether `child` needs parentheses as the `side` operand of `op`: when precedence asks for them, and (for the reader,
 * as prettier does) around `&&` inside `||` and around any other operator inside `|`, `^` or `&`.
 */
export function needsParens(child: A.Expr, op: A.BinaryOp, side: 'left' | 'right'): boolean {
  const level = PREC[op];
  const p = precOf(child);
  if (p < level || (p === level && (side === 'right' || level === CMP))) return true;
  if (child.type !== 'Binary') return false;
  if (op === '||' && child.op === '&&') return true;
  return (op === '|' || op === '^' || op === '&') && child.op !== op;
}

/** Whether the object of `.x` or the base of `with { }` needs parentheses. */
export function postfixNeedsParens(e: A.Expr): boolean {
  return precOf(e) < POSTFIX || e.type === 'With';
}
