// Operator precedence of .pte expressions, loosest first (docs/language.md): || && comparisons | ^ & shifts + - *,
// then unary, then postfix (`.field`, calls, `with`). Unlike C, `&` `|` `^` and shifts bind tighter than comparisons.
// The parser builds trees from it (cst-to-ast.ts), and every printer of expressions (the formatter, the IR printer)
// parenthesises by it.
import type { BinaryOp } from './ast.js';

export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
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
/** The level of the comparisons, which do not chain. */
export const COMPARISON = 3;
export const UNARY = 10;
export const POSTFIX = 11;
export const PRIMARY = 12;
