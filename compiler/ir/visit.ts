// One walk over IR handler code, driven by what each node holds (as graphql-js's visitor is driven by its key
// table): the back ends and analyses ask for the children of an expression, the expressions of a statement, or a
// deep walk of a body, instead of each switching over every node kind.
import type { IrExpr, IrStmt } from './types.js';

/** The direct sub-expressions of `e`, in source order. */
export function forEachChild(e: IrExpr, f: (x: IrExpr) => void): void {
  switch (e.k) {
    case 'field':
      f(e.base);
      break;
    case 'with':
      f(e.base);
      e.sets.forEach((s) => f(s.value));
      break;
    case 'make':
      e.sets.forEach((s) => f(s.value));
      break;
    case 'prim':
    case 'fn':
      e.args.forEach(f);
      break;
    case 'pred':
      f(e.arg);
      break;
    case 'truthy':
    case 'toInt':
    case 'unary':
      f(e.operand);
      break;
    case 'binary':
      f(e.left);
      f(e.right);
      break;
    default:
      break;
  }
}

/** The expressions a statement holds itself (an `if`'s condition, not its branches). */
export function forEachStmtExpr(s: IrStmt, f: (x: IrExpr) => void): void {
  switch (s.s) {
    case 'set':
    case 'copy':
    case 'let':
      f(s.value);
      break;
    case 'if':
      f(s.cond);
      break;
    case 'call':
      s.args.forEach((a) => f(a.value));
      break;
    case 'do':
      f(s.expr);
      break;
    default:
      break;
  }
}

export interface IrVisitor {
  /** Every statement, outer before inner. */
  readonly stmt?: (s: IrStmt) => void;
  /** Every expression, outer before inner. */
  readonly expr?: (e: IrExpr) => void;
}

/** Visit an expression and all its sub-expressions. */
export function walkExpr(e: IrExpr, v: IrVisitor): void {
  v.expr?.(e);
  forEachChild(e, (x) => walkExpr(x, v));
}

/** Visit every statement of a body (branches included) and every expression in them. */
export function walkStmts(list: readonly IrStmt[], v: IrVisitor): void {
  for (const s of list) {
    v.stmt?.(s);
    if (v.expr) forEachStmtExpr(s, (e) => walkExpr(e, v));
    if (s.s === 'if') {
      walkStmts(s.then, v);
      walkStmts(s.else, v);
    }
  }
}

/** The paths a body calls, in order (with repeats). */
export function calledPaths(list: readonly IrStmt[]): string[] {
  const out: string[] = [];
  walkStmts(list, { stmt: (s) => s.s === 'call' && out.push(s.path) });
  return out;
}
