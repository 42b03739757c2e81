// Comments and layout facts of a parsed spec that the AST does not carry, for the formatter: the token stream, each
// node's extent (its range widened over grouping parentheses), the brace-delimited blocks and their rows, and where
// every comment is attached. The rules keep every comment between the same tokens as far as the printed layout
// allows, so that formatting the output again attaches every comment to the same node (idempotence).
import type * as A from '../../grammar/ast.js';
import { specLexer } from '../../grammar/lexer.js';

/** Any AST node (typed or not: Arg, FieldInit, Param and RefsClause carry no `type`). */
export type Node = object;

export interface Tok {
  readonly image: string;
  readonly name: string;
  /** Offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the first and of the last character, 1-based column of the first. */
  readonly line: number;
  readonly endLine: number;
  readonly column: number;
}

export interface Comment extends Tok {
  readonly block: boolean;
  /** Only whitespace before it on its line. */
  readonly ownLine: boolean;
  /** The text as printed: the image, line comments without trailing whitespace. */
  readonly text: string;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A `{ ... }` holding rows (items, fields, swap entries, cases, statements), or the whole file. */
export interface Block {
  readonly owner: Node;
  readonly key: 'body' | 'then' | 'else';
  /** Offset of `{` (-1 for the file) and of `}` (the text length for the file). */
  readonly open: number;
  readonly close: number;
  readonly openLine: number;
  readonly rows: readonly Node[];
}

export interface Meta {
  /** Children that comments inside this node attach to (rows of blocks excluded). */
  readonly kids: readonly Node[];
  readonly blocks: readonly Block[];
  ext: Span;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
}

export interface Continuation {
  readonly comment: Comment;
  /** In the column of the row's first trailing comment (a note continued on the next line). */
  readonly aligned: boolean;
}

export interface Trivia {
  readonly text: string;
  readonly tokens: readonly Tok[];
  readonly comments: readonly Comment[];
  readonly meta: ReadonlyMap<Node, Meta>;
  readonly fileBlock: Block;
  /** Inside a row: printed before / after the node they sit next to. */
  readonly leading: Map<Node, Comment[]>;
  readonly trailing: Map<Node, Comment[]>;
  /** Inside a node with no child next to them (a comment between `swap` or `default` and its brace): printed after its keyword. */
  readonly dangling: Map<Node, Comment[]>;
  /** Between an if statement's `}` and its `else`. */
  readonly elseComments: Map<Node, Comment[]>;
  /** Own-line comments above a row. */
  readonly rowLeading: Map<Node, Comment[]>;
  /** Comments after a row on its last line. */
  readonly rowTrailing: Map<Node, Comment[]>;
  /** Own-line comments right below a row, indented deeper than it: notes about that row. */
  readonly rowCont: Map<Node, Continuation[]>;
  /** Comments on the line of a block's `{`. */
  readonly blockHead: Map<Block, Comment[]>;
  /** Own-line comments after a block's last row. */
  readonly blockEnd: Map<Block, Comment[]>;
  /** The first code token starting at or after an offset. */
  tokenAfter(offset: number): Tok | undefined;
}

export class TriviaError extends Error {}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function collectTrivia(text: string, ast: A.SpecFile): Trivia {
  const lexed = specLexer.tokenize(text);
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const toTok = (t: { image: string; startOffset: number; tokenType: { name: string } }): Tok => {
    const start = t.startOffset;
    const end = start + t.image.length;
    const line = lineOf(start);
    return { image: t.image, name: t.tokenType.name, start, end, line, endLine: lineOf(Math.max(start, end - 1)), column: start - lineStarts[line - 1]! + 1 };
  };
  const tokens = lexed.tokens.map(toTok);
  const comments: Comment[] = (lexed.groups['comments'] ?? []).map((t) => {
    const tok = toTok(t);
    const block = tok.name === 'BlockComment';
    const before = text.slice(lineStarts[tok.line - 1]!, tok.start);
    return { ...tok, block, ownLine: /^[ \t]*$/.test(before), text: block ? tok.image : tok.image.replace(/\s+$/, '') };
  });
  comments.sort((a, b) => a.start - b.start);

  // ------------------------------------------------------------------ token lookups
  const starts = tokens.map((t) => t.start);
  /** Index of the first token starting at or after `offset`. */
  const firstAtOrAfter = (offset: number): number => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Index of the last token ending at or before `offset` (-1 if none). */
  const lastBefore = (offset: number): number => {
    let i = firstAtOrAfter(offset) - 1;
    while (i >= 0 && tokens[i]!.end > offset) i--;
    return i;
  };
  const match = new Map<number, number>();
  {
    const stacks: Record<string, number[]> = { LParen: [], LBrace: [] };
    tokens.forEach((t, i) => {
      if (t.name === 'LParen' || t.name === 'LBrace') stacks[t.name]!.push(i);
      else if (t.name === 'RParen' || t.name === 'RBrace') {
        const open = stacks[t.name === 'RParen' ? 'LParen' : 'LBrace']!.pop();
        if (open !== undefined) {
          match.set(open, i);
          match.set(i, open);
        }
      }
    });
  }
  /** The `{` starting the block after `offset`, and its `}`. */
  const braceAfter = (offset: number): { open: number; close: number; openLine: number } => {
    let i = firstAtOrAfter(offset);
    while (i < tokens.length && tokens[i]!.name !== 'LBrace') i++;
    const close = match.get(i);
    if (i >= tokens.length || close === undefined) throw new TriviaError('a block without braces');
    return { open: tokens[i]!.start, close: tokens[close]!.start, openLine: tokens[i]!.line };
  };

  // ------------------------------------------------------------------ node structure
  const meta = new Map<Node, Meta>();
  /** `(` tokens that belong to calls, refs and fn parameter lists, not to grouping. */
  const syntaxParens = new Set<number>();
  const rangeOf = (n: Node): Span => {
    const r = (n as { range?: { start: { offset: number }; end: { offset: number } } }).range;
    if (!r) throw new TriviaError('a node without a range');
    return { start: r.start.offset, end: r.end.offset };
  };
  const parenAfter = (end: number): void => {
    const i = firstAtOrAfter(end);
    if (tokens[i]?.name === 'LParen') syntaxParens.add(i);
  };

  type Kind = string;
  const visit = (n: Node, kind: Kind): void => {
    const kids: Node[] = [];
    const blocks: Block[] = [];
    const kid = (k: Node | undefined, kk: Kind): void => {
      if (!k) return;
      visit(k, kk);
      kids.push(k);
    };
    const rowsBlock = (key: Block['key'], after: number, rows: readonly Node[], rowKind: (r: Node) => Kind): void => {
      const b = braceAfter(after);
      for (const r of rows) visit(r, rowKind(r));
      blocks.push({ owner: n, key, open: b.open, close: b.close, openLine: b.openLine, rows });
    };
    const typeOf = (r: Node): Kind => (r as { type: string }).type;
    const endOf = (k: Node | undefined): number => (k ? meta.get(k)!.ext.end : -1);
    const x = n as Record<string, unknown> & { type?: string };
    switch (kind) {
      case 'SpecFile': {
        const f = n as A.SpecFile;
        const rows: Node[] = [...(f.header ? [f.header] : []), ...f.items];
        for (const r of rows) visit(r, typeOf(r));
        blocks.push({ owner: n, key: 'body', open: -1, close: text.length, openLine: 0, rows });
        break;
      }
      case 'SpecHeader': {
        const h = n as A.SpecHeader;
        kid(h.name, 'Ident');
        kid(h.extends, 'StringLit');
        kid(h.description, 'StringLit');
        break;
      }
      case 'WordDecl':
        kid((n as A.WordDecl).bits, 'Expr');
        break;
      case 'FormatDecl': {
        const f = n as A.FormatDecl;
        kid(f.name, 'Ident');
        kid(f.extends, 'Ident');
        rowsBlock('body', endOf(f.extends ?? f.name), f.members, typeOf);
        break;
      }
      case 'BitField': {
        const b = n as A.BitField;
        kid(b.lo, 'Expr');
        if (b.hi !== b.lo) kid(b.hi, 'Expr');
        kid(b.name, 'Ident');
        break;
      }
      case 'AliasField':
        kid((n as A.AliasField).name, 'Ident');
        kid((n as A.AliasField).target, 'Ident');
        break;
      case 'SubFields': {
        const s = n as A.SubFields;
        kid(s.parent, 'Ident');
        rowsBlock('body', endOf(s.parent), s.members, typeOf);
        break;
      }
      case 'SwapDecl':
        rowsBlock('body', rangeOf(n).start, (n as A.SwapDecl).entries, typeOf);
        break;
      case 'SwapEntry': {
        const e = n as A.SwapEntry;
        kid(e.name, 'Ident');
        kid(e.value, 'Expr');
        for (const t of e.types ?? []) kid(t, 'Ident');
        kid(e.before, 'Ident');
        break;
      }
      case 'ConstDecl':
        kid((n as A.ConstDecl).name, 'Ident');
        kid((n as A.ConstDecl).value, 'Expr');
        break;
      case 'PredicateDecl': {
        const p = n as A.PredicateDecl;
        kid(p.name, 'Ident');
        kid(p.format, 'Ident');
        kid(p.body, 'Expr');
        for (const m of p.means) kid(m, 'Ident');
        break;
      }
      case 'KindDecl': {
        const k = n as A.KindDecl;
        kid(k.name, 'Ident');
        kid(k.format, 'Ident');
        kid(k.when, 'Expr');
        kid(k.refs, 'RefsClause');
        break;
      }
      case 'RefsClause': {
        const r = n as A.RefsClause;
        parenAfter(r.target.range.end.offset);
        kid(r.target, 'Ident');
        for (const a of r.args) kid(a, 'Ident');
        break;
      }
      case 'ImportDecl':
        kid((n as A.ImportDecl).path, 'StringLit');
        break;
      case 'FnDecl': {
        const f = n as A.FnDecl;
        parenAfter(f.name.range.end.offset);
        kid(f.name, 'Ident');
        for (const p of f.params) kid(p, 'Param');
        kid(f.body, 'Expr');
        break;
      }
      case 'Param':
        kid((n as A.Param).name, 'Ident');
        kid((n as A.Param).paramType, 'Ident');
        break;
      case 'DecisionDecl':
        kid((n as A.DecisionDecl).name, 'Ident');
        kid((n as A.DecisionDecl).body, 'Expr');
        break;
      case 'PathDecl': {
        const p = n as A.PathDecl;
        kid(p.name, 'Ident');
        rowsBlock('body', endOf(p.name), p.cases, typeOf);
        break;
      }
      case 'CaseDecl': {
        const c = n as A.CaseDecl;
        kid(c.kind, 'Ident');
        kid(c.binding, 'Ident');
        kid(c.guard, 'Expr');
        const after = c.guard ? endOf(c.guard) : c.binding ? endOf(c.binding) : c.kind ? endOf(c.kind) : rangeOf(n).start;
        rowsBlock('body', after, c.body, typeOf);
        break;
      }
      case 'IfStmt': {
        const s = n as Extract<A.Stmt, { type: 'IfStmt' }>;
        kid(s.cond, 'Expr');
        rowsBlock('then', endOf(s.cond), s.then, typeOf);
        if (s.else) {
          const thenClose = blocks[0]!.close;
          const elseTok = firstAtOrAfter(thenClose + 1);
          const next = tokens[elseTok + 1];
          if (next?.name === 'LBrace') rowsBlock('else', tokens[elseTok]!.end, s.else, typeOf);
          else kid(s.else[0], 'IfStmt');
        }
        break;
      }
      case 'SetStmt':
      case 'CopyStmt':
        kid(x['value'] as Node, 'Expr');
        break;
      case 'LetStmt':
        kid(x['name'] as Node, 'Ident');
        kid(x['value'] as Node, 'Expr');
        break;
      case 'WarnStmt':
        kid(x['message'] as Node, 'StringLit');
        break;
      case 'CallStmt':
        kid(x['path'] as Node, 'Ident');
        for (const a of x['args'] as Node[]) kid(a, 'FieldInit');
        break;
      case 'ExprStmt':
        kid(x['expr'] as Node, 'Expr');
        break;
      case 'ClearStmt':
      case 'KeepStmt':
      case 'RetryStmt':
      case 'ReturnStmt':
      case 'Ident':
      case 'StringLit':
        break;
      case 'FieldInit':
        kid((n as A.FieldInit).name, 'Ident');
        kid((n as A.FieldInit).value, 'Expr');
        break;
      case 'Arg':
        kid((n as A.Arg).name, 'Ident');
        kid((n as A.Arg).value, 'Expr');
        break;
      case 'Expr': {
        const e = n as A.Expr;
        switch (e.type) {
          case 'Binary':
            kid(e.left, 'Expr');
            kid(e.right, 'Expr');
            break;
          case 'Unary':
            kid(e.operand, 'Expr');
            break;
          case 'Member':
            kid(e.object, 'Expr');
            kid(e.property, 'Ident');
            break;
          case 'Call':
            parenAfter(e.callee.range.end.offset);
            kid(e.callee, 'Ident');
            for (const a of e.args) kid(a, 'Arg');
            break;
          case 'With':
            kid(e.base, 'Expr');
            for (const f of e.fields) kid(f, 'FieldInit');
            break;
          case 'NumberLit':
          case 'NameRef':
            break;
        }
        break;
      }
      default:
        throw new TriviaError(`no layout rule for ${kind}`);
    }
    let ext = kind === 'SpecFile' ? { start: 0, end: text.length } : rangeOf(n);
    for (const k of kids) {
      const e = meta.get(k)!.ext;
      ext = { start: Math.min(ext.start, e.start), end: Math.max(ext.end, e.end) };
    }
    // A row's trailing ';' is not part of it (comments after it trail the row).
    const last = lastBefore(ext.end);
    if (last >= 0 && tokens[last]!.name === 'Semicolon' && tokens[last]!.end === ext.end && last > 0 && tokens[last - 1]!.start >= ext.start) {
      ext = { start: ext.start, end: tokens[last - 1]!.end };
    }
    const startLine = kind === 'SpecFile' ? 1 : lineOf(ext.start);
    meta.set(n, {
      kids,
      blocks,
      ext,
      startLine,
      startColumn: ext.start - lineStarts[startLine - 1]! + 1,
      endLine: lineOf(Math.max(ext.start, ext.end - 1)),
    });
    if (kind === 'Expr') widenOverParens(n);
  };

  /** Grouping parentheses around an expression belong to it: `(a || b) // c` trails `a || b`. */
  const widenOverParens = (n: Node): void => {
    const m = meta.get(n)!;
    let { start, end } = m.ext;
    for (;;) {
      const before = lastBefore(start);
      const after = firstAtOrAfter(end);
      if (before < 0 || tokens[before]!.name !== 'LParen' || syntaxParens.has(before) || match.get(before) !== after) break;
      start = tokens[before]!.start;
      end = tokens[after]!.end;
    }
    if (start !== m.ext.start) {
      const startLine = lineOf(start);
      meta.set(n, { ...m, ext: { start, end }, startLine, startColumn: start - lineStarts[startLine - 1]! + 1, endLine: lineOf(end - 1) });
    }
  };

  // Calls, refs and fn parameter lists register their parentheses before their children widen, since children are
  // visited after `parenAfter` in each case above.
  visit(ast, 'SpecFile');

  const fileBlock = meta.get(ast)!.blocks[0]!;
  const t: Trivia = {
    text,
    tokens,
    comments,
    meta,
    fileBlock,
    leading: new Map(),
    trailing: new Map(),
    dangling: new Map(),
    elseComments: new Map(),
    rowLeading: new Map(),
    rowTrailing: new Map(),
    rowCont: new Map(),
    blockHead: new Map(),
    blockEnd: new Map(),
    tokenAfter: (offset) => tokens[firstAtOrAfter(offset)],
  };

  // ------------------------------------------------------------------ attachment
  const m = (n: Node): Meta => meta.get(n)!;
  const inside = (s: Span, c: Comment): boolean => s.start <= c.start && c.end <= s.end;
  /** Where the text of a row and the notes after it end. */
  const rowGroupEnd = new Map<Node, number>();
  const onlySpaceAndOneNewline = (from: number, to: number): boolean => {
    if (from < 0) return false;
    const gap = text.slice(from, to);
    return /^[ \t\r;,]*\n[ \t\r]*$/.test(gap);
  };

  const attachInBlock = (b: Block, c: Comment): void => {
    let P: Node | undefined;
    let F: Node | undefined;
    for (const r of b.rows) {
      const e = m(r).ext;
      if (e.end <= c.start) P = r;
      else if (e.start >= c.end && !F) F = r;
    }
    if (P && m(P).endLine === c.line) {
      push(t.rowTrailing, P, c);
      rowGroupEnd.set(P, c.end);
      return;
    }
    if (!P && b.open >= 0 && c.line === b.openLine) {
      push(t.blockHead, b, c);
      return;
    }
    if (P && c.ownLine && c.column > m(P).startColumn && onlySpaceAndOneNewline(rowGroupEnd.get(P) ?? m(P).ext.end, c.start)) {
      const trailing = t.rowTrailing.get(P);
      push(t.rowCont, P, { comment: c, aligned: trailing !== undefined && trailing[0]!.column === c.column });
      rowGroupEnd.set(P, c.end);
      return;
    }
    if (F) push(t.rowLeading, F, c);
    else push(t.blockEnd, b, c);
    // Nothing after a leading comment continues the row before it.
    if (P) rowGroupEnd.set(P, -1);
  };

  const attachInterior = (n: Node, c: Comment): void => {
    const kids = m(n).kids;
    let P: Node | undefined;
    let F: Node | undefined;
    for (const k of kids) {
      const e = m(k).ext;
      if (e.end <= c.start) P = k;
      else if (e.start >= c.end && !F) F = k;
    }
    const prev = lastBefore(c.start);
    if (P && m(P).endLine === c.line && prev >= 0 && tokens[prev]!.end === m(P).ext.end) push(t.trailing, P, c);
    else if (F) push(t.leading, F, c);
    else if (P) push(t.trailing, P, c);
    else push(t.dangling, n, c);
  };

  for (const c of comments) {
    let block = fileBlock;
    outer: for (;;) {
      const row = block.rows.find((r) => inside(m(r).ext, c));
      if (!row) {
        attachInBlock(block, c);
        break;
      }
      let n: Node = row;
      for (;;) {
        const inner = m(n).blocks.find((b) => b.open < c.start && c.end <= b.close);
        if (inner) {
          block = inner;
          continue outer;
        }
        const k = m(n).kids.find((k) => inside(m(k).ext, c));
        if (k) {
          n = k;
          continue;
        }
        const ifThen = (n as { type?: string }).type === 'IfStmt' ? m(n).blocks.find((b) => b.key === 'then') : undefined;
        if (ifThen && c.start > ifThen.close) push(t.elseComments, n, c);
        else attachInterior(n, c);
        break outer;
      }
    }
  }
  return t;
}

/** Whether the source has an empty line between two offsets. */
export function blankBetween(text: string, from: number, to: number): boolean {
  if (from < 0 || to <= from) return false;
  const lines = text.slice(from, to).split('\n');
  return lines.slice(1, -1).some((l) => /^[ \t\r]*$/.test(l));
}
