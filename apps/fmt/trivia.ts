// Comments and layout facts of a parsed spec that the AST does not carry, for the formatter: the token stream, each
// node's extent (its range widened over grouping parentheses), the brace-delimited blocks and their rows, and where
// every comment is attached. The rules keep every comment between the same tokens as far as the printed layout
// allows, so that formatting the output again attaches every comment to the same node (idempotence).
import type { IToken } from 'chevrotain';
import type * as A from '../../grammar/ast.js';
import { LBrace, LParen, RBrace, RParen, Semicolon, specLexer } from '../../grammar/lexer.js';

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
  /** The code tokens, as the lexer made them. */
  readonly tokens: readonly IToken[];
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
  /** The line of the first code token starting at or after an offset (undefined: none). */
  lineOfTokenAfter(offset: number): number | undefined;
}

export class TriviaError extends Error {}

const NO_NODES = Object.freeze([]) as unknown as Node[];
/** The kids of a shallow row while it is visited: none are visited or kept. */
const SKIPPED = Object.freeze([]) as unknown as Node[];
const NO_BLOCKS = Object.freeze([]) as unknown as Block[];
/** Kinds of node with no children that comments attach to, and those that own brace-delimited blocks. */
const LEAF_KINDS: ReadonlySet<string> = new Set(['Ident', 'StringLit', 'ClearStmt', 'KeepStmt', 'RetryStmt', 'ReturnStmt']);
const LEAF_EXPRS: ReadonlySet<string> = new Set(['NameRef', 'NumberLit']);
const BLOCK_KINDS: ReadonlySet<string> = new Set(['SpecFile', 'FormatDecl', 'SubFields', 'SwapDecl', 'PathDecl', 'CaseDecl', 'IfStmt']);
const typeOf = (r: Node): string => (r as { type: string }).type;

// The punctuation of a code token, as far as layout asks (trivia keeps one byte per token).
const P_OTHER = 0;
const P_LPAREN = 1;
const P_RPAREN = 2;
const P_LBRACE = 3;
const P_RBRACE = 4;
const P_SEMICOLON = 5;

function lexAgain(text: string): { tokens: readonly IToken[]; comments: readonly IToken[] } {
  const lexed = specLexer.tokenize(text);
  return { tokens: lexed.tokens, comments: lexed.groups['comments'] ?? [] };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export interface TriviaOptions {
  /** Facts about every node, also the parts of rows with no comment inside (which nothing asks about): for tests. */
  readonly everyNode?: boolean;
}

/** `lexed`: the tokens and comments the parser's lexer made of this same text, if at hand (lexing again costs a tenth of fmt). */
export function collectTrivia(
  text: string,
  ast: A.SpecFile,
  lexed?: { readonly tokens: readonly IToken[]; readonly comments: readonly IToken[] },
  opts: TriviaOptions = {},
): Trivia {
  const lex = lexed ?? lexAgain(text);
  const lineStarts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // The 1-based line of an offset: how many lines start at or before it, by binary search (a table of every offset
  // was a loop over every character, slow before it is compiled; lines are asked only of rows and comments).
  const lineOf = (offset: number): number => {
    const o = offset <= 0 ? 0 : Math.min(offset, text.length);
    let lo = 0;
    let hi = lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid]! <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // The lexer tracks lines and columns itself (positionTracking 'full'; the text's line ends are \n here).
  const lineOfToken = (t: IToken): number => t.startLine ?? lineOf(t.startOffset);
  // The code tokens' offsets (end exclusive) and the punctuation this file asks about, in flat arrays: a large spec
  // has hundreds of thousands of tokens, and a copy of each as an object was much of the formatter's garbage.
  const tokens = lex.tokens;
  const nTokens = tokens.length;
  const tStart = new Int32Array(nTokens);
  const tEnd = new Int32Array(nTokens);
  const tPunct = new Uint8Array(nTokens);
  for (let i = 0; i < nTokens; i++) {
    const tk = tokens[i]!;
    tStart[i] = tk.startOffset;
    tEnd[i] = tk.startOffset + tk.image.length;
    const type = tk.tokenType;
    tPunct[i] = type === LParen ? P_LPAREN : type === RParen ? P_RPAREN : type === LBrace ? P_LBRACE : type === RBrace ? P_RBRACE : type === Semicolon ? P_SEMICOLON : P_OTHER;
  }
  /** Whether token `i` exists and is the punctuation `p`. */
  const isPunct = (i: number, p: number): boolean => i >= 0 && i < nTokens && tPunct[i] === p;
  const comments: Comment[] = lex.comments.map((tk) => {
    const start = tk.startOffset;
    const image = tk.image;
    const end = start + image.length;
    const line = lineOfToken(tk);
    const name = tk.tokenType.name;
    const block = name === 'BlockComment';
    // Own line: only blanks between the line's start and the comment (a scan, not a slice and a regex per comment).
    let i = start - 1;
    while (i >= lineStarts[line - 1]! && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
    const ownLine = i < lineStarts[line - 1]!;
    const endLine = tk.endLine ?? lineOf(Math.max(start, end - 1));
    const column = tk.startColumn ?? start - lineStarts[line - 1]! + 1;
    return { image, name, start, end, line, endLine, column, block, ownLine, text: block ? image : image.trimEnd() };
  });
  comments.sort((a, b) => a.start - b.start);
  const commentStarts = Int32Array.from(comments, (c) => c.start);
  /** Whether a comment starts in [start, end). */
  const commentIn = (start: number, end: number): boolean => {
    let lo = 0;
    let hi = commentStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (commentStarts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < commentStarts.length && commentStarts[lo]! < end;
  };

  // ------------------------------------------------------------------ token lookups
  /** Index of the first token starting at or after `offset` (binary search: tokens are in order). */
  const firstAtOrAfter = (offset: number): number => {
    let lo = 0;
    let hi = nTokens;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tStart[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Index of the last token ending at or before `offset` (-1 if none). */
  const lastBefore = (offset: number): number => {
    let i = firstAtOrAfter(offset) - 1;
    while (i >= 0 && tEnd[i]! > offset) i--;
    return i;
  };
  // The index of the bracket matching each `(`, `)`, `{` and `}` (-1: none).
  const match = new Int32Array(nTokens).fill(-1);
  {
    const parens: number[] = [];
    const braces: number[] = [];
    for (let i = 0; i < nTokens; i++) {
      const p = tPunct[i];
      if (p === P_LPAREN) parens.push(i);
      else if (p === P_LBRACE) braces.push(i);
      else if (p === P_RPAREN || p === P_RBRACE) {
        const open = (p === P_RPAREN ? parens : braces).pop();
        if (open !== undefined) {
          match[open] = i;
          match[i] = open;
        }
      }
    }
  }
  /** The `{` starting the block after `offset`, and its `}`. */
  const braceAfter = (offset: number): { open: number; close: number; openLine: number } => {
    let i = firstAtOrAfter(offset);
    while (i < nTokens && tPunct[i] !== P_LBRACE) i++;
    const close = i < nTokens ? match[i]! : -1;
    if (i >= nTokens || close < 0) throw new TriviaError('a block without braces');
    return { open: tStart[i]!, close: tStart[close]!, openLine: lineOfToken(tokens[i]!) };
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
    if (isPunct(i, P_LPAREN)) syntaxParens.add(i);
  };

  type Kind = string;
  // One map per node (not one per fact about it): a large spec has hundreds of thousands of nodes.
  // The helpers of visit() take the node's lists as arguments: closures made for every node were much of the garbage.
  const kid = (kids: Node[], n: Node, k: Node | undefined, kk: Kind): void => {
    if (!k || kids === SKIPPED) return;
    visit(k, kk, n);
    kids.push(k);
  };
  const rowsBlock = (blocks: Block[], n: Node, key: Block['key'], after: number, rows: readonly Node[]): void => {
    const b = braceAfter(after);
    for (const r of rows) visit(r, typeOf(r));
    blocks.push({ owner: n, key, open: b.open, close: b.close, openLine: b.openLine, rows });
  };
  // A part of a shallow row (below) has no facts: its range's end stands for its extent's, which differs only by the
  // `)` of grouping parentheses, and is only asked where the next `{` is.
  const endOf = (k: Node | undefined): number => (k ? (meta.get(k)?.ext.end ?? (k as { range: A.Ident['range'] }).range.end.offset) : -1);

  const visit = (n: Node, kind: Kind, parent?: Node): void => {
    const r = (n as { range?: { start: { offset: number }; end: { offset: number } } }).range;
    if (kind !== 'SpecFile' && !r) throw new TriviaError('a node without a range');
    // A row (no parent) with no comment in its source range is shallow: comments attach to it as a whole, so its
    // parts (their extents lie within the range: parentheses are the row's own tokens) need no facts. That is most
    // rows of a large spec, and most of its nodes. Blocks and their rows are still visited.
    const shallow = parent === undefined && kind !== 'SpecFile' && !opts.everyNode && !commentIn(r!.start.offset, r!.end.offset);
    // Leaves (most nodes) and nodes without blocks share one frozen empty list.
    const kids: Node[] = shallow ? SKIPPED : LEAF_KINDS.has(kind) || (kind === 'Expr' && LEAF_EXPRS.has((n as A.Expr).type)) ? NO_NODES : [];
    const blocks: Block[] = BLOCK_KINDS.has(kind) ? [] : NO_BLOCKS;
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
        kid(kids, n, h.name, 'Ident');
        kid(kids, n, h.extends, 'StringLit');
        kid(kids, n, h.description, 'StringLit');
        break;
      }
      case 'WordDecl':
        kid(kids, n, (n as A.WordDecl).bits, 'Expr');
        break;
      case 'FormatDecl': {
        const f = n as A.FormatDecl;
        kid(kids, n, f.name, 'Ident');
        kid(kids, n, f.extends, 'Ident');
        rowsBlock(blocks, n, 'body', endOf(f.extends ?? f.name), f.members);
        break;
      }
      case 'BitField': {
        const b = n as A.BitField;
        kid(kids, n, b.lo, 'Expr');
        if (b.hi !== b.lo) kid(kids, n, b.hi, 'Expr');
        kid(kids, n, b.name, 'Ident');
        break;
      }
      case 'AliasField':
        kid(kids, n, (n as A.AliasField).name, 'Ident');
        kid(kids, n, (n as A.AliasField).target, 'Ident');
        break;
      case 'SubFields': {
        const s = n as A.SubFields;
        kid(kids, n, s.parent, 'Ident');
        rowsBlock(blocks, n, 'body', endOf(s.parent), s.members);
        break;
      }
      case 'RemoveField':
        kid(kids, n, (n as A.RemoveField).name, 'Ident');
        break;
      case 'RenameField':
        kid(kids, n, (n as A.RenameField).from, 'Ident');
        kid(kids, n, (n as A.RenameField).to, 'Ident');
        break;
      case 'RemoveDecl':
        kid(kids, n, (n as A.RemoveDecl).name, 'Ident');
        break;
      case 'LevelDecl':
        kid(kids, n, (n as A.LevelDecl).name, 'Ident');
        break;
      case 'SwapDecl':
        rowsBlock(blocks, n, 'body', rangeOf(n).start, (n as A.SwapDecl).entries);
        break;
      case 'SwapEntry': {
        const e = n as A.SwapEntry;
        kid(kids, n, e.name, 'Ident');
        kid(kids, n, e.value, 'Expr');
        for (const t of e.types ?? []) kid(kids, n, t, 'Ident');
        kid(kids, n, e.before, 'Ident');
        break;
      }
      case 'ConstDecl':
        kid(kids, n, (n as A.ConstDecl).name, 'Ident');
        kid(kids, n, (n as A.ConstDecl).value, 'Expr');
        break;
      case 'PredicateDecl': {
        const p = n as A.PredicateDecl;
        kid(kids, n, p.name, 'Ident');
        kid(kids, n, p.format, 'Ident');
        kid(kids, n, p.body, 'Expr');
        for (const m of p.means) kid(kids, n, m, 'Ident');
        break;
      }
      case 'KindDecl': {
        const k = n as A.KindDecl;
        kid(kids, n, k.name, 'Ident');
        kid(kids, n, k.format, 'Ident');
        kid(kids, n, k.when, 'Expr');
        kid(kids, n, k.refs, 'RefsClause');
        break;
      }
      case 'RefsClause': {
        const r = n as A.RefsClause;
        parenAfter(r.target.range.end.offset);
        kid(kids, n, r.target, 'Ident');
        for (const a of r.args) kid(kids, n, a, 'Ident');
        break;
      }
      case 'ImportDecl':
        kid(kids, n, (n as A.ImportDecl).path, 'StringLit');
        break;
      case 'FnDecl': {
        const f = n as A.FnDecl;
        parenAfter(f.name.range.end.offset);
        kid(kids, n, f.name, 'Ident');
        for (const p of f.params) kid(kids, n, p, 'Param');
        kid(kids, n, f.body, 'Expr');
        break;
      }
      case 'Param':
        kid(kids, n, (n as A.Param).name, 'Ident');
        kid(kids, n, (n as A.Param).paramType, 'Ident');
        break;
      case 'DecisionDecl':
        kid(kids, n, (n as A.DecisionDecl).name, 'Ident');
        kid(kids, n, (n as A.DecisionDecl).body, 'Expr');
        break;
      case 'PathDecl': {
        const p = n as A.PathDecl;
        kid(kids, n, p.name, 'Ident');
        rowsBlock(blocks, n, 'body', endOf(p.name), p.cases);
        break;
      }
      case 'CaseDecl': {
        const c = n as A.CaseDecl;
        for (const k of c.kinds) kid(kids, n, k, 'Ident');
        kid(kids, n, c.binding, 'Ident');
        kid(kids, n, c.guard, 'Expr');
        const lastKind = c.kinds[c.kinds.length - 1];
        const after = c.guard ? endOf(c.guard) : c.binding ? endOf(c.binding) : lastKind ? endOf(lastKind) : rangeOf(n).start;
        if (c.mode !== 'remove') rowsBlock(blocks, n, 'body', after, c.body); // `remove case K` has no block
        break;
      }
      case 'IfStmt': {
        const s = n as Extract<A.Stmt, { type: 'IfStmt' }>;
        kid(kids, n, s.cond, 'Expr');
        rowsBlock(blocks, n, 'then', endOf(s.cond), s.then);
        if (s.else) {
          const thenClose = blocks[0]!.close;
          const elseTok = firstAtOrAfter(thenClose + 1);
          if (isPunct(elseTok + 1, P_LBRACE)) rowsBlock(blocks, n, 'else', tEnd[elseTok]!, s.else);
          else if (kids === SKIPPED) visit(s.else[0]!, 'IfStmt', n); // the printer asks for its blocks
          else kid(kids, n, s.else[0], 'IfStmt');
        }
        break;
      }
      case 'SetStmt':
      case 'CopyStmt':
        kid(kids, n, x['value'] as Node, 'Expr');
        break;
      case 'LetStmt':
        kid(kids, n, x['name'] as Node, 'Ident');
        kid(kids, n, x['value'] as Node, 'Expr');
        break;
      case 'WarnStmt':
        kid(kids, n, x['message'] as Node, 'StringLit');
        break;
      case 'CallStmt':
        kid(kids, n, x['path'] as Node, 'Ident');
        for (const a of x['args'] as Node[]) kid(kids, n, a, 'FieldInit');
        break;
      case 'ExprStmt':
        kid(kids, n, x['expr'] as Node, 'Expr');
        break;
      case 'ClearStmt':
      case 'KeepStmt':
      case 'RetryStmt':
      case 'ReturnStmt':
      case 'Ident':
      case 'StringLit':
        break;
      case 'FieldInit':
        kid(kids, n, (n as A.FieldInit).name, 'Ident');
        kid(kids, n, (n as A.FieldInit).value, 'Expr');
        break;
      case 'Arg':
        kid(kids, n, (n as A.Arg).name, 'Ident');
        kid(kids, n, (n as A.Arg).value, 'Expr');
        break;
      case 'Expr': {
        const e = n as A.Expr;
        switch (e.type) {
          case 'Binary':
            kid(kids, n, e.left, 'Expr');
            kid(kids, n, e.right, 'Expr');
            break;
          case 'Unary':
            kid(kids, n, e.operand, 'Expr');
            break;
          case 'Member':
            kid(kids, n, e.object, 'Expr');
            kid(kids, n, e.property, 'Ident');
            break;
          case 'Call':
            parenAfter(e.callee.range.end.offset);
            kid(kids, n, e.callee, 'Ident');
            for (const a of e.args) kid(kids, n, a, 'Arg');
            break;
          case 'With':
            kid(kids, n, e.base, 'Expr');
            for (const f of e.fields) kid(kids, n, f, 'FieldInit');
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
    let start = r ? r.start.offset : 0;
    let end = r ? r.end.offset : text.length;
    for (const k of kids) {
      const e = meta.get(k)!.ext;
      if (e.start < start) start = e.start;
      if (e.end > end) end = e.end;
    }
    // A row's trailing ';' is not part of it (comments after it trail the row).
    const last = lastBefore(end);
    if (isPunct(last, P_SEMICOLON) && tEnd[last] === end && last > 0 && tStart[last - 1]! >= start) end = tEnd[last - 1]!;
    let endLine = lineOf(Math.max(start, end - 1));
    // Grouping parentheses around an expression belong to it: `(a || b) // c` trails `a || b`. (Calls, refs and fn
    // parameter lists registered their parentheses before their children were visited: `parenAfter` above.)
    if (kind === 'Expr') {
      const start0 = start;
      for (;;) {
        const before = lastBefore(start);
        const after = firstAtOrAfter(end);
        if (!isPunct(before, P_LPAREN) || syntaxParens.has(before) || match[before] !== after) break;
        start = tStart[before]!;
        end = tEnd[after]!;
      }
      if (start !== start0) endLine = lineOf(end - 1);
    }
    const startLine = kind === 'SpecFile' ? 1 : lineOf(start);
    meta.set(n, {
      kids: kids === SKIPPED ? NO_NODES : kids,
      blocks,
      ext: { start, end },
      startLine,
      startColumn: start - lineStarts[startLine - 1]! + 1,
      endLine,
      kind: kind === 'Expr' ? (n as A.Expr).type : kind,
      parent,
    });
  };

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
    lineOfTokenAfter: (offset) => {
      const i = firstAtOrAfter(offset);
      return i < nTokens ? lineOfToken(tokens[i]!) : undefined;
    },
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
    for (let i = firstAtOrAfter(c.end); i < nTokens && tStart[i]! < end; i++) if (tPunct[i] !== P_RPAREN) return false;
    return true;
  };

  const onlyOpenersBefore = (c: Comment, start: number): boolean => {
    for (let i = lastBefore(c.start); i >= 0 && tStart[i]! >= start; i--) if (tPunct[i] !== P_LPAREN) return false;
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
    if (P && lastLine === c.line && prev >= 0 && tEnd[prev] === m(P).ext.end) push(t.trailing, P, c);
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
