// Comments and layout facts of a parsed spec that the AST does not carry, for the formatter: the token stream, each
// node's extent (its range widened over grouping parentheses), the brace-delimited blocks and their rows, and where
// every comment is attached. The rules keep every comment between the same tokens as far as the printed layout
// allows, so that formatting the output again attaches every comment to the same node (idempotence).
import type { IToken } from 'chevrotain';
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
  /** The node's type (an expression's own type), and the node whose child it is (none for rows and the file). */
  readonly kind: string;
  readonly parent: Node | undefined;
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

function lexAgain(text: string): { tokens: readonly IToken[]; comments: readonly IToken[] } {
  const lexed = specLexer.tokenize(text);
  return { tokens: lexed.tokens, comments: lexed.groups['comments'] ?? [] };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** `lexed`: the tokens and comments the parser's lexer made of this same text, if at hand (lexing again costs a tenth of fmt). */
export function collectTrivia(text: string, ast: A.SpecFile, lexed?: { readonly tokens: readonly IToken[]; readonly comments: readonly IToken[] }): Trivia {
  const lex = lexed ?? lexAgain(text);
  const lineStarts: number[] = [0];
  // The line of every offset, looked up rather than searched for: a large spec asks for hundreds of thousands.
  const lineAt = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) {
    lineAt[i] = lineStarts.length;
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  lineAt[text.length] = lineStarts.length;
  const lineOf = (offset: number): number => lineAt[offset <= 0 ? 0 : Math.min(offset, text.length)]!;
  // The lexer tracks lines and columns itself (positionTracking 'full'; the text's line ends are \n here).
  const toTok = (t: { image: string; startOffset: number; startLine?: number; endLine?: number; startColumn?: number; tokenType: { name: string } }): Tok => {
    const start = t.startOffset;
    const end = start + t.image.length;
    const line = t.startLine ?? lineOf(start);
    return {
      image: t.image,
      name: t.tokenType.name,
      start,
      end,
      line,
      endLine: t.endLine ?? lineOf(Math.max(start, end - 1)),
      column: t.startColumn ?? start - lineStarts[line - 1]! + 1,
    };
  };
  const tokens = lex.tokens.map(toTok);
  const comments: Comment[] = lex.comments.map((t) => {
    const tok = toTok(t);
    const block = tok.name === 'BlockComment';
    // Own line: only blanks between the line's start and the comment (a scan, not a slice and a regex per comment).
    let i = tok.start - 1;
    while (i >= lineStarts[tok.line - 1]! && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
    const ownLine = i < lineStarts[tok.line - 1]!;
    const { image, name, start, end, line, endLine, column } = tok;
    return { image, name, start, end, line, endLine, column, block, ownLine, text: block ? image : image.trimEnd() };
  });
  comments.sort((a, b) => a.start - b.start);

  // ------------------------------------------------------------------ token lookups
  // The first token starting at or after every offset, looked up (as lines are, above).
  const tokenFrom = new Int32Array(text.length + 1);
  for (let o = text.length, i = tokens.length; o >= 0; o--) {
    while (i > 0 && tokens[i - 1]!.start >= o) i--;
    tokenFrom[o] = i;
  }
  /** Index of the first token starting at or after `offset`. */
  const firstAtOrAfter = (offset: number): number => (offset <= 0 ? 0 : offset > text.length ? tokens.length : tokenFrom[offset]!);
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
  // One map per node (not one per fact about it): a large spec has hundreds of thousands of nodes.
  const visit = (n: Node, kind: Kind, parent?: Node): void => {
    const kids: Node[] = [];
    const blocks: Block[] = [];
    const kid = (k: Node | undefined, kk: Kind): void => {
      if (!k) return;
      visit(k, kk, n);
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
      case 'RemoveField':
        kid((n as A.RemoveField).name, 'Ident');
        break;
      case 'RenameField':
        kid((n as A.RenameField).from, 'Ident');
        kid((n as A.RenameField).to, 'Ident');
        break;
      case 'RemoveDecl':
        kid((n as A.RemoveDecl).name, 'Ident');
        break;
      case 'LevelDecl':
        kid((n as A.LevelDecl).name, 'Ident');
        break;
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
        for (const k of c.kinds) kid(k, 'Ident');
        kid(c.binding, 'Ident');
        kid(c.guard, 'Expr');
        const lastKind = c.kinds[c.kinds.length - 1];
        const after = c.guard ? endOf(c.guard) : c.binding ? endOf(c.binding) : lastKind ? endOf(lastKind) : rangeOf(n).start;
        if (c.mode !== 'remove') rowsBlock('body', after, c.body, typeOf); // `remove case K` has no block
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
      kind: kind === 'Expr' ? (n as A.Expr).type : kind,
      parent,
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

  /** A comment after a row on its line; after a line comment it goes below instead (two never share a line). */
  const trailRow = (row: Node, c: Comment): void => {
    const list = t.rowTrailing.get(row);
    if (list && !list[list.length - 1]!.block) push(t.rowCont, row, { comment: c, aligned: false });
    else push(t.rowTrailing, row, c);
    rowGroupEnd.set(row, Math.max(c.end, m(row).ext.end));
  };
  /** Only closing parentheses between a comment and the end of a row: the comment trails the row. */
  const onlyClosersAfter = (c: Comment, end: number): boolean => {
    for (let i = firstAtOrAfter(c.end); i < tokens.length && tokens[i]!.start < end; i++) if (tokens[i]!.name !== 'RParen') return false;
    return true;
  };

  const onlyOpenersBefore = (c: Comment, start: number): boolean => {
    for (let i = lastBefore(c.start); i >= 0 && tokens[i]!.start >= start; i--) if (tokens[i]!.name !== 'LParen') return false;
    return true;
  };

  /**
   * The rows of a block in source order do not overlap, so their extents' starts and ends both ascend: the row
   * around a comment and its neighbours are found by binary search (a scan per comment made formatting quadratic).
   */
  const rowIndex = new Map<Block, { starts: number[]; ends: number[] }>();
  const extentsOf = (b: Block): { starts: number[]; ends: number[] } => {
    let x = rowIndex.get(b);
    if (!x) {
      x = { starts: b.rows.map((r) => m(r).ext.start), ends: b.rows.map((r) => m(r).ext.end) };
      rowIndex.set(b, x);
    }
    return x;
  };
  /** Index of the first element of an ascending array that is > `v` (or >= `v` when `orEqual`). */
  const firstAbove = (xs: readonly number[], v: number, orEqual: boolean): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! > v || (orEqual && xs[mid]! === v)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  /** The row of `b` whose extent holds the comment, if any. */
  const rowAround = (b: Block, c: Comment): Node | undefined => {
    const { starts } = extentsOf(b);
    const i = firstAbove(starts, c.start, false) - 1;
    const r = i >= 0 ? b.rows[i] : undefined;
    return r !== undefined && inside(m(r).ext, c) ? r : undefined;
  };

  const attachInBlock = (b: Block, c: Comment, next?: Node): void => {
    const { starts, ends } = extentsOf(b);
    // P: the last row ending at or before the comment; F: the first row starting at or after its end.
    const p = firstAbove(ends, c.start, false) - 1;
    const P: Node | undefined = p >= 0 ? b.rows[p] : undefined;
    const F: Node | undefined = next ?? b.rows[firstAbove(starts, c.end, true)];
    // On the row's last line, or on the line where the row's last trailing comment (a block comment) ends.
    const trailing = P ? t.rowTrailing.get(P) : undefined;
    const lastLine = P ? (trailing && !t.rowCont.has(P) ? trailing[trailing.length - 1]!.endLine : m(P).endLine) : -1;
    if (P && lastLine === c.line) {
      trailRow(P, c);
      return;
    }
    if (!P && b.open >= 0 && c.line === b.openLine) {
      push(t.blockHead, b, c);
      return;
    }
    if (P && c.ownLine && c.column > m(P).startColumn && onlySpaceAndOneNewline(rowGroupEnd.get(P) ?? m(P).ext.end, c.start)) {
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
    const blocks = m(n).blocks;
    /** No block of `n` between the two offsets (a comment never moves across a block). */
    const open = (from: number, to: number) => !blocks.some((b) => b.open >= from && b.open < to);
    let P: Node | undefined;
    let F: Node | undefined;
    for (const k of kids) {
      const e = m(k).ext;
      if (e.end <= c.start && open(e.end, c.start)) P = k;
      else if (e.start >= c.end && !F && open(c.end, e.start)) F = k;
    }
    const prev = lastBefore(c.start);
    // On P's last line, or on the line where P's last trailing comment (a block comment) ends.
    const before = P ? t.trailing.get(P) : undefined;
    const lastLine = P ? (before ? before[before.length - 1]!.endLine : m(P).endLine) : -1;
    if (P && lastLine === c.line && prev >= 0 && tokens[prev]!.end === m(P).ext.end) push(t.trailing, P, c);
    else if (F) push(t.leading, F, c);
    else if (P) push(t.trailing, P, c);
    else if (m(n).kind === 'NameRef' || m(n).kind === 'NumberLit') push(c.end <= rangeOf(n).start ? t.leading : t.trailing, n, c);
    else push(t.dangling, n, c);
  };

  for (const c of comments) {
    let block = fileBlock;
    outer: for (;;) {
      const row = rowAround(block, c);
      if (!row) {
        attachInBlock(block, c);
        break;
      }
      // `f(a // c` + `)` at a row's end: the parentheses may go (redundant) or stay; the comment goes after the row.
      if (onlyClosersAfter(c, m(row).ext.end)) {
        trailRow(row, c);
        break;
      }
      // `( /* c */ x).y` at a row's start: the comment goes before the row.
      if (onlyOpenersBefore(c, m(row).ext.start)) {
        attachInBlock(block, c, row);
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
  hoist(t.leading, (x) => firstPrintedOf(x));
  hoist(t.trailing, (x) => lastPrintedOf(x));
  // Nothing follows a line comment on its line: comments trailing a node after one of its line comments start the
  // next line, where they lead the node's next sibling (as formatting the output again would attach them).
  for (const [x, list] of [...t.trailing]) {
    const i = list.findIndex((c) => !c.block);
    const p = meta.get(x)!.parent;
    if (i < 0 || i === list.length - 1 || !p) continue;
    const F = m(p).kids.find((k) => m(k).ext.start >= m(x).ext.end);
    if (!F) continue;
    t.trailing.set(x, list.slice(0, i + 1));
    t.leading.set(F, [...list.slice(i + 1), ...(t.leading.get(F) ?? [])].sort((a, b) => a.start - b.start));
  }
  return t;

  /** The parent of `x` when `x` is printed first in it (its comments go outside any parentheses the printer adds). */
  function firstPrintedOf(x: Node): Node | undefined {
    const p = meta.get(x)!.parent;
    if (!p) return undefined;
    const q = p as Record<string, unknown>;
    switch (meta.get(p)!.kind) {
      case 'Binary':
        return x === q['left'] ? p : undefined;
      case 'Member':
        return x === q['object'] ? p : undefined;
      case 'With':
        return x === q['base'] ? p : undefined;
      case 'Call':
        return x === q['callee'] ? p : undefined;
      case 'Arg':
        return x === (q['name'] ?? q['value']) ? p : undefined;
      case 'FieldInit':
      case 'Param':
        return x === q['name'] ? p : undefined;
      default:
        return undefined;
    }
  }

  /** The parent of `x` when `x` is printed last in it with nothing after. */
  function lastPrintedOf(x: Node): Node | undefined {
    const p = meta.get(x)!.parent;
    if (!p) return undefined;
    const q = p as Record<string, unknown>;
    switch (meta.get(p)!.kind) {
      case 'Binary':
        return x === q['right'] ? p : undefined;
      case 'Unary':
        return p;
      case 'Member':
        return x === q['property'] ? p : undefined;
      case 'Arg':
      case 'FieldInit':
        return x === q['value'] ? p : undefined;
      case 'Param':
        return x === q['paramType'] ? p : undefined;
      default:
        return undefined;
    }
  }
}

/**
 * Comments before an expression's first token belong to the outermost expression that starts with that token as
 * printed (and those after its last token to the outermost that ends with it): formatting the output again attaches
 * them there, whatever parentheses the input had.
 */
function hoist(map: Map<Node, Comment[]>, up: (x: Node) => Node | undefined): void {
  for (const [node, cs] of [...map]) {
    let x = node;
    for (let p = up(x); p !== undefined; p = up(x)) x = p;
    if (x === node) continue;
    map.delete(node);
    const merged = [...(map.get(x) ?? []), ...cs].sort((a, b) => a.start - b.start);
    map.set(x, merged);
  }
}

/**
 * Whether the source has an empty line between two offsets: a line of blanks (spaces, tabs, CRs) that starts and ends
 * inside [from, to). A scan, no copies: the printer asks this several times per row.
 */
export function blankBetween(text: string, from: number, to: number): boolean {
  if (from < 0 || to <= from) return false;
  let nl = text.indexOf('\n', from);
  while (nl >= 0 && nl < to) {
    let i = nl + 1;
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i < to && text.charCodeAt(i) === 10) return true;
    nl = text.indexOf('\n', i);
  }
  return false;
}

/** Space, tab or CR. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}
