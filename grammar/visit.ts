// One walk over the .pte AST's expressions and handler statements, as compiler/ir/visit.ts is for the IR: analyses
// ask for the children of an expression or a deep walk, instead of each switching over every node kind (and each
// forgetting a different one).
import type * as A from './ast.js';

/** The direct sub-expressions of `e`, in source order (a callee, a member's property and field names are names, not expressions). */
export function forEachChild(e: A.Expr, f: (x: A.Expr) => void): void {
  switch (e.type) {
    case 'Member':
      f(e.object);
      break;
    case 'With':
      f(e.base);
      for (const x of e.fields) f(x.value);
      break;
    case 'Call':
      for (const a of e.args) f(a.value);
      break;
    case 'Unary':
      f(e.operand);
      break;
    case 'Binary':
      f(e.left);
      f(e.right);
      break;
    case 'NumberLit':
    case 'NameRef':
      break;
  }
}

/** Visit `e` and every sub-expression, outer before inner. */
export function walkExpr(e: A.Expr, visit: (x: A.Expr) => void): void {
  visit(e);
  forEachChild(e, (x) => walkExpr(x, visit));
}

/** The expressions a statement holds itself (an `if`'s condition, not its branches). */
export function forEachStmtExpr(s: A.Stmt, f: (x: A.Expr) => void): void {
  switch (s.type) {
    case 'SetStmt':
    case 'CopyStmt':
    case 'LetStmt':
      f(s.value);
      break;
    case 'IfStmt':
      f(s.cond);
      break;
    case 'CallStmt':
      for (const a of s.args) f(a.value);
      break;
    case 'ExprStmt':
      f(s.expr);
      break;
    case 'ClearStmt':
    case 'KeepStmt':
    case 'RetryStmt':
    case 'ReturnStmt':
    case 'WarnStmt':
      break;
  }
}

export interface AstVisitor {
  /** Every statement, outer before inner. */
  readonly stmt?: (s: A.Stmt) => void;
  /** Every expression, outer before inner. */
  readonly expr?: (e: A.Expr) => void;
}

/** Visit every statement of a body (branches included) and every expression in them. */
export function walkStmts(list: readonly A.Stmt[], v: AstVisitor): void {
  for (const s of list) {
    v.stmt?.(s);
    if (v.expr) forEachStmtExpr(s, (e) => walkExpr(e, v.expr!));
    if (s.type === 'IfStmt') {
      walkStmts(s.then, v);
      if (s.else) walkStmts(s.else, v);
    }
  }
}
