// CST -> typed AST. Kept apart from the grammar so the grammar reads like EBNF. After error recovery a CST node can
// lack children: such items are dropped here (the syntax error was already reported), never turned into a crash.
import { PRECEDENCE } from './precedence.js';
import { tokenRange } from '../core/chevrotain-diagnostics.js';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Range } from '../core/source.js';

class Incomplete extends Error {}

const NONE: readonly IToken[] = [];
const NO_NODES: readonly CstNode[] = [];

export function buildSpecFile(cst: CstNode, file: string, textLength: number): A.SpecFile {
  const b = new Builder(file);
  const headerCst = b.node(cst, 'header');
  const header = headerCst ? b.tryBuild(() => b.header(headerCst)) : undefined;
  const items: A.Item[] = [];
  for (const itemCst of b.nodes(cst, 'item')) {
    const item = b.tryItem(itemCst);
    if (item) items.push(item);
  }
  const zero = { offset: 0, line: 1, column: 1 };
  const range: Range = { file, start: zero, end: { offset: textLength, line: 1, column: 1 } };
  return { type: 'SpecFile', file, ...(header ? { header } : {}), items, range };
}

/** One top-level item's AST from its CST (parsed on its own by `specParser().item()`); undefined if incomplete. */
export function buildItem(cst: CstNode, file: string): A.Item | undefined {
  return new Builder(file).tryItem(cst);
}

type Children = Record<string, CstElement[] | undefined>;

class Builder {
  constructor(private readonly file: string) {}

  /** item(n), or undefined if incomplete (no closure made: a large spec has tens of thousands of items). */
  tryItem(n: CstNode): A.Item | undefined {
    try {
      return this.item(n);
    } catch (e) {
      if (e instanceof Incomplete) return undefined;
      throw e;
    }
  }

  tryBuild<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof Incomplete) return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- CST access
  nodes(n: CstNode, key: string): readonly CstNode[] {
    return ((n.children as Children)[key] ?? NO_NODES) as CstNode[];
  }
  node(n: CstNode, key: string): CstNode | undefined {
    return this.nodes(n, key)[0];
  }
  req(n: CstNode, key: string): CstNode {
    const c = this.node(n, key);
    if (!c) throw new Incomplete();
    return c;
  }
  tokens(n: CstNode, key: string): IToken[] {
    const all = ((n.children as Children)[key] ?? NONE) as IToken[];
    // A copy only when recovery inserted a token (rare): this runs for every token of a spec.
    for (let i = 0; i < all.length; i++) if (isRecovered(all[i]!)) return all.filter((t) => !isRecovered(t));
    return all;
  }
  token(n: CstNode, key: string): IToken | undefined {
    return this.tokens(n, key)[0];
  }
  reqToken(n: CstNode, key: string): IToken {
    const t = this.token(n, key);
    if (!t) throw new Incomplete();
    return t;
  }

  // ---------------------------------------------------------------- ranges
  tokRange(t: IToken, u: IToken = t): Range {
    return tokenRange(t, this.file, u);
  }
  /** The range of a CST node: from its first token to its last (Chevrotain tracks it; a walk only after recovery). */
  nodeRange(n: CstNode): Range {
    const l = n.location;
    if (l && Number.isFinite(l.startOffset) && Number.isFinite(l.endOffset ?? NaN) && Number.isFinite(l.startLine ?? NaN) && Number.isFinite(l.endLine ?? NaN)) {
      return {
        file: this.file,
        start: { offset: l.startOffset, line: l.startLine!, column: l.startColumn! },
        end: { offset: l.endOffset! + 1, line: l.endLine!, column: l.endColumn! + 1 },
      };
    }
    const toks = allTokens(n);
    if (toks.length === 0) throw new Incomplete();
    return this.tokRange(toks[0]!, toks[toks.length - 1]!);
  }
  ident(t: IToken): A.Ident {
    return { type: 'Ident', name: t.image, range: this.tokRange(t) };
  }
  num(t: IToken): A.NumberLit {
    return { type: 'NumberLit', value: parseNumber(t.image), range: this.tokRange(t) };
  }
  str(t: IToken): A.StringLit {
    return { type: 'StringLit', value: unescapeString(t.image), range: this.tokRange(t) };
  }

  // ---------------------------------------------------------------- items
  header(n: CstNode): A.SpecHeader {
    const base = this.token(n, 'base');
    const description = this.token(n, 'description');
    return {
      type: 'SpecHeader',
      name: this.ident(this.reqToken(n, 'name')),
      ...(base ? { extends: this.str(base) } : {}),
      ...(description ? { description: this.str(description) } : {}),
      range: this.nodeRange(n),
    };
  }

  item(n: CstNode): A.Item {
    // The first key, without listing them all.
    let key: string | undefined;
    for (const k in n.children) {
      key = k;
      break;
    }
    const child = key ? this.node(n, key) : undefined;
    if (!child) throw new Incomplete();
    switch (key) {
      case 'wordDecl':
        return { type: 'WordDecl', bits: this.num(this.reqToken(child, 'NumberLiteral')), range: this.nodeRange(child) };
      case 'formatDecl':
        return this.formatDecl(child);
      case 'swapDecl':
        return {
          type: 'SwapDecl',
          entries: this.nodes(child, 'swapEntry').flatMap((e) => this.tryBuild(() => this.swapEntry(e)) ?? []),
          range: this.nodeRange(child),
        };
      case 'constDecl':
        return {
          type: 'ConstDecl',
          name: this.ident(this.reqToken(child, 'name')),
          value: this.expr(this.req(child, 'value')),
          range: this.nodeRange(child),
        };
      case 'predicateDecl':
        return {
          type: 'PredicateDecl',
          override: this.token(child, 'Kw_override') !== undefined,
          name: this.ident(this.reqToken(child, 'name')),
          format: this.ident(this.reqToken(child, 'format')),
          body: this.expr(this.req(child, 'body')),
          means: this.tokens(child, 'means').map((t) => this.ident(t)),
          range: this.nodeRange(child),
        };
      case 'kindDecl':
        return this.kindDecl(child);
      case 'importDecl':
        return { type: 'ImportDecl', path: this.str(this.reqToken(child, 'StringLiteral')), range: this.nodeRange(child) };
      case 'fnDecl':
        return {
          type: 'FnDecl',
          override: this.token(child, 'Kw_override') !== undefined,
          name: this.ident(this.reqToken(child, 'name')),
          params: this.nodes(child, 'params').map((p) => ({
            name: this.ident(this.reqToken(p, 'name')),
            paramType: this.ident(this.reqToken(p, 'paramType')),
            range: this.nodeRange(p),
          })),
          body: this.expr(this.req(child, 'body')),
          range: this.nodeRange(child),
        };
      case 'decisionDecl':
        return {
          type: 'DecisionDecl',
          override: this.token(child, 'Kw_override') !== undefined,
          name: this.ident(this.reqToken(child, 'name')),
          body: this.expr(this.req(child, 'body')),
          range: this.nodeRange(child),
        };
      case 'removeDecl': {
        const what = this.reqToken(child, 'what').image as A.RemoveDecl['what'];
        return { type: 'RemoveDecl', what, name: this.ident(this.reqToken(child, 'name')), range: this.nodeRange(child) };
      }
      case 'levelDecl':
        return { type: 'LevelDecl', name: this.ident(this.reqToken(child, 'name')), range: this.nodeRange(child) };
      case 'pathDecl':
        return {
          type: 'PathDecl',
          name: this.ident(this.reqToken(child, 'name')),
          cases: this.nodes(child, 'cases').flatMap((c) => this.tryBuild(() => this.caseDecl(c)) ?? []),
          range: this.nodeRange(child),
        };
      default:
        throw new Incomplete();
    }
  }

  formatDecl(n: CstNode): A.FormatDecl {
    const base = this.token(n, 'base');
    return {
      type: 'FormatDecl',
      ...(this.token(n, 'Kw_override') ? { override: true } : {}),
      name: this.ident(this.reqToken(n, 'name')),
      ...(base ? { extends: this.ident(base) } : {}),
      members: this.members(n),
      range: this.nodeRange(n),
    };
  }

  members(n: CstNode): A.FieldMember[] {
    const out: A.FieldMember[] = [];
    for (const m of this.nodes(n, 'fieldMember')) {
      try {
        out.push(this.fieldMember(m));
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return out;
  }

  fieldMember(n: CstNode): A.FieldMember {
    const bf = this.node(n, 'bitField');
    if (bf) {
      const lo = this.num(this.reqToken(bf, 'lo'));
      const hiTok = this.token(bf, 'hi');
      if (this.token(bf, 'Kw_bits') && !hiTok) throw new Incomplete();
      return {
        type: 'BitField',
        override: this.token(bf, 'Kw_override') !== undefined,
        lo,
        hi: hiTok ? this.num(hiTok) : lo,
        name: this.ident(this.reqToken(bf, 'name')),
        inverted: this.token(bf, 'Kw_inverted') !== undefined,
        range: this.nodeRange(bf),
      };
    }
    const al = this.node(n, 'aliasField');
    if (al) {
      return {
        type: 'AliasField',
        name: this.ident(this.reqToken(al, 'name')),
        target: this.ident(this.reqToken(al, 'target')),
        range: this.nodeRange(al),
      };
    }
    const rm = this.node(n, 'removeField');
    if (rm) return { type: 'RemoveField', name: this.ident(this.reqToken(rm, 'name')), range: this.nodeRange(rm) };
    const rn = this.node(n, 'renameField');
    if (rn) {
      return {
        type: 'RenameField',
        from: this.ident(this.reqToken(rn, 'from')),
        to: this.ident(this.reqToken(rn, 'to')),
        range: this.nodeRange(rn),
      };
    }
    const sub = this.req(n, 'subFields');
    return {
      type: 'SubFields',
      parent: this.ident(this.reqToken(sub, 'parent')),
      members: this.members(sub),
      range: this.nodeRange(sub),
    };
  }

  swapEntry(e: CstNode): A.SwapEntry {
    if (this.token(e, 'Kw_remove')) {
      return { type: 'SwapEntry', mode: 'remove', name: this.ident(this.reqToken(e, 'name')), range: this.nodeRange(e) };
    }
    const n = this.req(e, 'swapGroup');
    const hasBraces = this.token(n, 'LBrace') !== undefined;
    const before = this.token(n, 'before');
    return {
      type: 'SwapEntry',
      ...(this.token(n, 'Kw_override') ? { mode: 'override' as const } : {}),
      name: this.ident(this.reqToken(n, 'name')),
      value: this.expr(this.req(n, 'value')),
      ...(hasBraces ? { types: this.tokens(n, 'types').map((t) => this.ident(t)) } : {}),
      ...(before ? { before: this.ident(before) } : {}),
      range: this.nodeRange(n),
    };
  }

  kindDecl(n: CstNode): A.KindDecl {
    const target = this.token(n, 'refTarget');
    let refs: A.RefsClause | undefined;
    if (target) {
      const args = this.tokens(n, 'refArgs');
      const last = this.token(n, 'RParen') ?? args[args.length - 1] ?? target;
      refs = { target: this.ident(target), args: args.map((t) => this.ident(t)), range: this.tokRange(target, last) };
    }
    return {
      type: 'KindDecl',
      override: this.token(n, 'Kw_override') !== undefined,
      name: this.ident(this.reqToken(n, 'name')),
      format: this.ident(this.reqToken(n, 'format')),
      when: this.expr(this.req(n, 'when')),
      ...(refs ? { refs } : {}),
      range: this.nodeRange(n),
    };
  }

  // ---------------------------------------------------------------- handlers
  caseDecl(n: CstNode): A.CaseDecl {
    const mode = this.token(n, 'mode');
    const kinds = this.tokens(n, 'kind');
    const binding = this.token(n, 'binding');
    const guardCst = this.node(n, 'guard');
    const guard = guardCst ? this.expr(guardCst) : undefined;
    const isDefault = !!this.token(n, 'Kw_default');
    const remove = mode?.image === 'remove';
    const body = remove ? undefined : this.req(n, 'body');
    const first = mode ?? this.token(n, 'Kw_case') ?? this.token(n, 'Kw_default');
    if (!first || (kinds.length === 0 && !isDefault)) throw new Incomplete();
    const last = kinds[kinds.length - 1];
    const headEnd = guard ? guard.range.end : this.tokRange(binding ?? last ?? this.token(n, 'Kw_default') ?? first).end;
    return {
      type: 'CaseDecl',
      mode: mode ? (mode.image as A.CaseMode) : 'append',
      kinds: kinds.map((k) => this.ident(k)),
      ...(binding ? { binding: this.ident(binding) } : {}),
      ...(guard ? { guard } : {}),
      body: body ? this.block(body) : [],
      range: this.nodeRange(n),
      headRange: { file: this.file, start: this.tokRange(first).start, end: headEnd },
    };
  }

  block(n: CstNode): A.Stmt[] {
    return this.nodes(n, 'stmts').flatMap((s) => this.tryBuild(() => this.stmt(s)) ?? []);
  }

  stmt(n: CstNode): A.Stmt {
    const range = this.nodeRange(n);
    const v = (key: string) => this.expr(this.req(n, key));
    if (this.token(n, 'Kw_set')) return { type: 'SetStmt', value: v('setValue'), range };
    if (this.token(n, 'Kw_copy')) return { type: 'CopyStmt', value: v('copyValue'), range };
    if (this.token(n, 'Kw_clear')) return { type: 'ClearStmt', range };
    if (this.token(n, 'Kw_keep')) return { type: 'KeepStmt', range };
    if (this.token(n, 'Kw_retry')) return { type: 'RetryStmt', range };
    if (this.token(n, 'Kw_return')) return { type: 'ReturnStmt', range };
    if (this.token(n, 'Kw_warn')) return { type: 'WarnStmt', message: this.str(this.reqToken(n, 'warnMessage')), range };
    if (this.token(n, 'Kw_let')) return { type: 'LetStmt', name: this.ident(this.reqToken(n, 'letName')), value: v('letValue'), range };
    const ifCst = this.node(n, 'ifStmt');
    if (ifCst) return this.ifStmt(ifCst);
    if (this.token(n, 'Kw_call')) {
      return { type: 'CallStmt', path: this.ident(this.reqToken(n, 'callPath')), args: this.nodes(n, 'callArgs').map((a) => this.fieldInit(a)), range };
    }
    return { type: 'ExprStmt', expr: v('exprStmt'), range };
  }

  ifStmt(n: CstNode): A.Stmt {
    const elseIf = this.node(n, 'elseIf');
    const elseBlock = this.node(n, 'elseBlock');
    const otherwise = elseIf ? [this.ifStmt(elseIf)] : elseBlock ? this.block(elseBlock) : undefined;
    return {
      type: 'IfStmt',
      cond: this.expr(this.req(n, 'cond')),
      then: this.block(this.req(n, 'then')),
      ...(otherwise ? { else: otherwise } : {}),
      range: this.nodeRange(n),
    };
  }

  // ---------------------------------------------------------------- expressions
  expr(n: CstNode): A.Expr {
    switch (n.name) {
      case 'expr':
        return this.binaryChain(n);
      case 'unaryExpr':
        return this.unary(n);
      case 'postfixExpr':
        return this.postfix(n);
      default:
        throw new Incomplete();
    }
  }

  /** operand (op operand)* -> a tree, by precedence climbing; operators of equal precedence associate left. */
  binaryChain(n: CstNode): A.Expr {
    const operands = this.nodes(n, 'operands');
    const ops = this.tokens(n, 'ops');
    if (operands.length === 0 || operands.length !== ops.length + 1) throw new Incomplete();
    if (ops.length === 0) return this.expr(operands[0]!); // one operand, no operator: most expressions
    const values = operands.map((o) => this.expr(o));
    let next = 0; // the next operand to take; operator k stands between operands k and k + 1
    const climb = (minPrec: number): A.Expr => {
      let left = values[next++]!;
      while (next - 1 < ops.length) {
        const op = ops[next - 1]!.image as A.BinaryOp;
        const prec = PRECEDENCE[op];
        if (prec < minPrec) break;
        const right = climb(prec + 1);
        left = { type: 'Binary', op, left, right, range: { file: this.file, start: left.range.start, end: right.range.end } };
      }
      return left;
    };
    return climb(0);
  }

  unary(n: CstNode): A.Expr {
    const op = this.token(n, 'op');
    const operand = this.req(n, 'operand');
    const inner = this.expr(operand);
    if (!op) return inner;
    return {
      type: 'Unary',
      op: op.image as A.UnaryOp,
      operand: inner,
      range: { file: this.file, start: this.tokRange(op).start, end: inner.range.end },
    };
  }

  postfix(n: CstNode): A.Expr {
    let e = this.primary(this.req(n, 'primary'));
    for (const m of this.tokens(n, 'members')) {
      const property = this.ident(m);
      e = { type: 'Member', object: e, property, range: { file: this.file, start: e.range.start, end: property.range.end } };
    }
    if (this.token(n, 'Kw_with')) {
      const fields = this.nodes(n, 'withFields').map((f) => this.fieldInit(f));
      const close = this.token(n, 'RBrace');
      if (!close) throw new Incomplete();
      e = { type: 'With', base: e, fields, range: { file: this.file, start: e.range.start, end: this.tokRange(close).end } };
    }
    return e;
  }

  fieldInit(n: CstNode): A.FieldInit {
    return { name: this.ident(this.reqToken(n, 'name')), value: this.expr(this.req(n, 'value')), range: this.nodeRange(n) };
  }

  primary(n: CstNode): A.Expr {
    const num = this.token(n, 'NumberLiteral');
    if (num) return this.num(num);
    const inner = this.node(n, 'inner');
    if (inner) return this.expr(inner);
    const name = this.reqToken(n, 'name');
    if (this.token(n, 'call')) {
      const close = this.token(n, 'RParen');
      if (!close) throw new Incomplete();
      const args = this.nodes(n, 'args').map((a) => this.arg(a));
      return { type: 'Call', callee: this.ident(name), args, range: this.tokRange(name, close) };
    }
    return { type: 'NameRef', name: name.image, range: this.tokRange(name) };
  }

  arg(n: CstNode): A.Arg {
    const name = this.token(n, 'argName');
    return { ...(name ? { name: this.ident(name) } : {}), value: this.expr(this.req(n, 'value')), range: this.nodeRange(n) };
  }
}

function isRecovered(t: IToken): boolean {
  return t.isInsertedInRecovery === true || Number.isNaN(t.startOffset);
}

function allTokens(n: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (x: CstNode) => {
    for (const list of Object.values(x.children as Children)) {
      for (const el of list ?? []) {
        if ('image' in el) {
          if (!isRecovered(el)) out.push(el);
        } else walk(el);
      }
    }
  };
  walk(n);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

export function parseNumber(image: string): bigint {
  // Plain decimal and lowercase hex/binary literals, the common case, go straight to BigInt.
  if (/^(?:0[xb][0-9a-fA-F]+|[0-9]+)$/.test(image)) return BigInt(image);
  const s = image.replace(/_/g, '');
  if (/^0[xX]$|^0[bB]$/.test(s)) return 0n;
  return BigInt(s.replace(/^0B/, '0b').replace(/^0X/, '0x'));
}

function unescapeString(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
