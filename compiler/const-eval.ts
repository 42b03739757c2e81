// Constant expressions: numbers, named constants, + - * << >> & | ^ ~ and parentheses. `~` complements within the
// word (so `~0x60` is a 64-bit mask); a negative result or a shift by more than the word is an error.
import type * as A from '../grammar/ast.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';

export type ConstLookup = (name: string) => bigint | undefined | 'unknown';

export class ConstError {
  constructor(readonly diagnostic: Diagnostic) {}
}

export function evalConst(e: A.Expr, word: number, lookup: ConstLookup): bigint {
  const all = (1n << BigInt(word)) - 1n;
  const go = (x: A.Expr): bigint => {
    switch (x.type) {
      case 'NumberLit':
        return x.value;
      case 'NameRef': {
        const v = lookup(x.name);
        if (v === 'unknown') {
          throw new ConstError(diag('PTE002', x.range, `unknown constant '${x.name}'`, 'declare it with `const`, or check the spelling'));
        }
        if (v === undefined) {
          throw new ConstError(diag('PTE036', x.range, `'${x.name}' has no value here (it is not a constant, or its definition depends on itself)`));
        }
        return v;
      }
      case 'Unary': {
        const v = go(x.operand);
        if (x.op === '~') return all ^ (v & all);
        if (x.op === '-') return nonNegative(-v, x);
        throw new ConstError(diag('PTE036', x.range, `'!' is not a constant operator`, 'use == 0 in a predicate'));
      }
      case 'Binary': {
        const l = go(x.left);
        const r = go(x.right);
        switch (x.op) {
          case '+': return l + r;
          case '-': return nonNegative(l - r, x);
          case '*': return l * r;
          case '&': return l & r;
          case '|': return l | r;
          case '^': return l ^ r;
          case '<<':
            if (r > BigInt(word)) throw new ConstError(diag('PTE036', x.range, `shift by ${r} is wider than the ${word}-bit word`));
            return l << r;
          case '>>': return l >> r;
          default:
            throw new ConstError(diag('PTE036', x.range, `'${x.op}' is not allowed in a constant expression`, 'constants use + - * << >> & | ^ ~'));
        }
      }
      default:
        throw new ConstError(diag('PTE036', x.range, 'not a constant expression', 'constants use numbers, other constants and + - * << >> & | ^ ~'));
    }
  };
  return go(e);
}

function nonNegative(v: bigint, x: A.Expr): bigint {
  if (v < 0n) throw new ConstError(diag('PTE036', x.range, `constant expression is negative (${v})`, 'constants are unsigned'));
  return v;
}
