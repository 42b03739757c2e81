// formatScenarioText: a scenario file (`*.scn`, docs/scenarios.md) in canonical style (docs/fmt.md). The language is
// flat and line-oriented (no expressions, no width decisions), so this is a direct printer over the scenario parser's
// tokens and CST rather than a prettier plugin: rows (scenarios, statements, mm block items) one per line, tokens
// one space apart, comments kept next to the tokens they were next to. As for specs, the result is checked before it
// is returned: it parses, it builds the same scenarios (positions aside) with the same diagnostics, and it holds
// every comment, in order.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { FormatCheckError, type FormatResult } from './format.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { scenarioLexer } from '../../runtime/scenario/lexer.js';
import { scenarioParser } from '../../runtime/scenario/parser.js';

/** Trailing comments start in this column (0-based) or one space after the longest row of their run. */
export const SCN_COMMENT_COLUMN = 30;

interface Tok {
  readonly image: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly endLine: number;
  readonly name: string;
}

interface Comment extends Tok {
  readonly block: boolean;
  /** As printed: a line comment without trailing blanks. */
  readonly text: string;
}

/** A scenario, a statement or an mm block item: tokens, possibly a `{ ... }` among them. */
interface Row {
  readonly before: readonly Tok[];
  readonly block?: Block;
  readonly after: readonly Tok[];
  /** Offsets of the first and the end of the last printed token; line of the last. */
  readonly start: number;
  readonly end: number;
  readonly endLine: number;
  /** Comments among the row's own tokens (not inside its block). */
  readonly interior: Comment[];
  readonly trailing: Comment[];
}

interface Block {
  /** The braces (absent for the file). */
  readonly open?: Tok;
  readonly close?: Tok;
  readonly rows: readonly Row[];
  /** Comments on the line of `{`, before the first row. */
  readonly head: Comment[];
  /** Own-line comments, in order; printed before the first row that starts after them. */
  readonly own: Comment[];
  /** The block was written on one line (mm blocks only stay on one line then, and when they hold no comment). */
  readonly oneLine: boolean;
}

export async function formatScenarioText(original: string, file = 'scenarios.scn'): Promise<FormatResult> {
  const text = original.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const source = { path: file, text: original };
  const lexed = scenarioLexer.tokenize(text);
  const parser = scenarioParser();
  parser.input = lexed.tokens;
  const cst = parser.scenarioFile();
  if (lexed.errors.length > 0 || parser.errors.length > 0) {
    const all = parseScenarios({ path: file, text: original }).diagnostics;
    const syntax = all.filter((d) => d.code === 'PTE001');
    return { ok: false, diagnostics: syntax.length > 0 ? syntax : all, source };
  }
  const comments = (lexed.groups['comments'] ?? []).map(toComment).sort((a, b) => a.start - b.start);
  const fileBlock = buildFile(cst);
  for (const c of comments) place(fileBlock, c);
  const out = printFile(fileBlock, text);
  check(text, out, file);
  return { ok: true, text: out, changed: out !== original };
}

// ------------------------------------------------------------------------------------------------ structure

function toTok(t: IToken): Tok {
  return { image: t.image, start: t.startOffset, end: t.startOffset + t.image.length, line: t.startLine ?? 1, endLine: t.endLine ?? t.startLine ?? 1, name: t.tokenType.name };
}

function toComment(t: IToken): Comment {
  const block = t.tokenType.name === 'BlockComment';
  return { ...toTok(t), block, text: block ? t.image : t.image.replace(/\s+$/, '') };
}

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).tokenType !== undefined;
}

function children(n: CstNode, key: string): CstNode[] {
  return ((n.children as Children)[key] ?? []) as CstNode[];
}

/** Every token under a CST node, in source order, skipping the subtrees named in `except`. */
function tokensOf(n: CstNode, except: ReadonlySet<CstNode> = new Set()): IToken[] {
  const out: IToken[] = [];
  const walk = (x: CstNode): void => {
    for (const key in x.children) {
      for (const e of (x.children as Children)[key] ?? []) {
        if (isToken(e)) out.push(e);
        else if (!except.has(e)) walk(e);
      }
    }
  };
  walk(n);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

function makeRow(tokens: readonly IToken[], block?: Block): Row {
  const open = block?.open?.start ?? Infinity;
  const toks = tokens.filter((t) => t.tokenType.name !== 'LBrace' && t.tokenType.name !== 'RBrace').map(toTok);
  const before = toks.filter((t) => t.start < open);
  const after = toks.filter((t) => t.start > open);
  const first = before[0] ?? block?.open ?? after[0];
  const last = after[after.length - 1] ?? block?.close ?? before[before.length - 1];
  if (!first || !last) throw new FormatCheckError('an empty row in a scenario file; this is a bug in ptelab fmt');
  return { before, ...(block ? { block } : {}), after, start: first.start, end: last.end, endLine: last.endLine, interior: [], trailing: [] };
}

function makeBlock(lbrace: IToken | undefined, rbrace: IToken | undefined, rows: Row[]): Block {
  const open = lbrace ? toTok(lbrace) : undefined;
  const close = rbrace ? toTok(rbrace) : undefined;
  return { ...(open ? { open } : {}), ...(close ? { close } : {}), rows, head: [], own: [], oneLine: open !== undefined && close !== undefined && open.line === close.line };
}

function direct(n: CstNode, key: string): IToken | undefined {
  return ((n.children as Children)[key] ?? []).find(isToken);
}

function buildFile(cst: CstNode): Block {
  return makeBlock(undefined, undefined, children(cst, 'scenarioDecl').map(buildScenario));
}

function buildScenario(s: CstNode): Row {
  const statements = children(s, 'statement');
  const body = makeBlock(direct(s, 'LBrace'), direct(s, 'RBrace'), statements.map(buildStatement));
  return makeRow(tokensOf(s, new Set(statements)), body);
}

/** A statement's own `;` is dropped: statements are printed one per line. */
function buildStatement(st: CstNode): Row {
  const semi = direct(st, 'Semicolon');
  const mm = children(st, 'mmDecl')[0];
  const lbrace = mm ? direct(mm, 'LBrace') : undefined;
  if (!mm || !lbrace) return makeRow(tokensOf(st).filter((t) => t !== semi));
  const items = children(mm, 'setupItem');
  const block = makeBlock(lbrace, direct(mm, 'RBrace'), items.map((it) => makeRow(tokensOf(it).filter((t) => t !== direct(it, 'Semicolon')))));
  return makeRow(
    tokensOf(st, new Set(items)).filter((t) => t !== semi),
    block,
  );
}

// ------------------------------------------------------------------------------------------------ comments

/** Index of the first element of `xs` (ascending by key) whose key is > `v`. */
function upperBound<T>(xs: readonly T[], v: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid]!) > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Attach a comment to the innermost block or row it sits in. */
function place(b: Block, c: Comment): void {
  const i = upperBound(b.rows, c.start, (r) => r.start) - 1;
  const row = i >= 0 ? b.rows[i] : undefined;
  if (row && c.end <= row.end) {
    const inner = row.block;
    if (inner?.open && inner.close && inner.open.start < c.start && c.end <= inner.close.start) place(inner, c);
    else row.interior.push(c);
    return;
  }
  // After row i (or before every row).
  if (row) {
    const t = row.trailing;
    const lastLine = t.length > 0 ? t[t.length - 1]!.endLine : row.endLine;
    // A comment on the row's last line (or on the line its last trailing block comment ends) trails it; nothing
    // follows a line comment on its line.
    if (c.line === lastLine && (t.length === 0 || t[t.length - 1]!.block)) {
      t.push(c);
      return;
    }
  } else if (b.open && c.line === b.open.line && b.own.length === 0) {
    b.head.push(c);
    return;
  }
  b.own.push(c);
}

// ------------------------------------------------------------------------------------------------ printing

const INDENT = '  ';

type Piece = Tok | Comment;

function isComment(p: Piece): p is Comment {
  return (p as Comment).text !== undefined;
}

/** Tokens one space apart, except before `,` and after `!`; a line comment ends its line (the row continues below). */
function inline(pieces: readonly Piece[], indent: string, startText = ''): string {
  let s = startText;
  let prev: Piece | undefined;
  for (const p of pieces) {
    if (prev && isComment(prev) && !prev.block) s += `\n${indent}${INDENT}`;
    else if (prev && !(p.name === 'Comma' || prev.name === 'Bang')) s += ' ';
    else if (!prev && s !== '') s += ' ';
    s += isComment(p) ? p.text : p.image;
    prev = p;
  }
  return s;
}

function merge(toks: readonly Tok[], comments: readonly Comment[]): Piece[] {
  return [...toks, ...comments].sort((a, b) => a.start - b.start);
}

function hasComments(b: Block): boolean {
  return b.head.length > 0 || b.own.length > 0 || b.rows.some((r) => r.interior.length > 0 || r.trailing.length > 0 || (r.block !== undefined && hasComments(r.block)));
}

/** A row without its trailing comments; `indent` is the row's own. */
function printRow(r: Row, indent: string, text: string): string {
  const open = r.block?.open?.start ?? Infinity;
  const headPieces = merge(r.before, r.interior.filter((c) => c.start < open));
  const tailPieces = merge(r.after, r.interior.filter((c) => c.start > open));
  let s = inline(headPieces, indent);
  if (r.block) {
    const b = r.block;
    const endsWithLineComment = headPieces.length > 0 && isComment(headPieces[headPieces.length - 1]!) && !(headPieces[headPieces.length - 1] as Comment).block;
    s += endsWithLineComment ? `\n${indent}${INDENT}` : headPieces.length > 0 ? ' ' : '';
    // A scenario's body is always one row per line; an mm block stays on one line when written so, without comments.
    const scenarioBody = r.before[0]?.name === 'Kw_scenario';
    if (b.rows.length === 0 && !hasComments(b)) s += '{}';
    else if (!scenarioBody && b.oneLine && !hasComments(b)) s += `{ ${b.rows.map((x) => printRow(x, indent, text)).join('; ')} }`;
    else s += `{${b.head.map((c) => ` ${c.text}`).join('')}\n${printBody(b, indent + INDENT, text)}\n${indent}}`;
  }
  if (tailPieces.length > 0) s = inline(tailPieces, indent, s);
  return s;
}

/** The rows and own-line comments of a block, one per line, blank lines kept (at most one), trailing comments aligned. */
function printBody(b: Block, indent: string, text: string): string {
  type Entity = { readonly row: Row; readonly start: number; readonly end: number } | { readonly comment: Comment; readonly start: number; readonly end: number };
  const entities: Entity[] = [];
  let k = 0;
  for (const row of b.rows) {
    while (k < b.own.length && b.own[k]!.start < row.start) entities.push({ comment: b.own[k]!, start: b.own[k]!.start, end: b.own[k++]!.end });
    const last = row.trailing[row.trailing.length - 1];
    entities.push({ row, start: row.start, end: last ? last.end : row.end });
  }
  while (k < b.own.length) entities.push({ comment: b.own[k]!, start: b.own[k]!.start, end: b.own[k++]!.end });

  const printed = entities.map((e) => ('row' in e ? indent + printRow(e.row, indent, text) : indent + e.comment.text));
  const blank = entities.map((e, i) => i > 0 && blankBetween(text, entities[i - 1]!.end, e.start));
  // Runs of neighbouring one-line rows with trailing comments share a column.
  const column = new Map<number, number>();
  let run: number[] = [];
  const flush = () => {
    const col = Math.max(SCN_COMMENT_COLUMN, ...run.map((i) => printed[i]!.length + 1));
    for (const i of run) column.set(i, col);
    run = [];
  };
  entities.forEach((e, i) => {
    const alignable = 'row' in e && e.row.trailing.length > 0 && !printed[i]!.includes('\n');
    const joins = alignable && run.length > 0 && run[run.length - 1] === i - 1 && !blank[i];
    if (run.length > 0 && !joins) flush();
    if (alignable) run.push(i);
  });
  if (run.length > 0) flush();
  const lines: string[] = [];
  entities.forEach((e, i) => {
    if (blank[i]) lines.push('');
    let s = printed[i]!;
    if ('row' in e && e.row.trailing.length > 0) {
      const lastLine = s.slice(s.lastIndexOf('\n') + 1);
      const col = column.get(i) ?? lastLine.length + 1;
      s += ' '.repeat(Math.max(1, col - lastLine.length)) + e.row.trailing.map((c) => c.text).join(' ');
    }
    lines.push(s);
  });
  return lines.join('\n');
}

function printFile(b: Block, text: string): string {
  const body = printBody(b, '', text);
  return body === '' ? '' : `${body}\n`;
}

function blankBetween(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  const lines = text.slice(from, to).split('\n');
  return lines.slice(1, -1).some((l) => /^[ \t]*$/.test(l));
}

// ------------------------------------------------------------------------------------------------ self-check

/** Scenarios without source positions. */
function meaning(text: string, file: string): { syntax: number; data: string; codes: string; comments: string[] } {
  const r = parseScenarios({ path: file, text });
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'loc' && k !== 'file').map(([k, v]) => [k, strip(v)]));
    return x;
  };
  const lexed = scenarioLexer.tokenize(text);
  return {
    syntax: r.diagnostics.filter((d) => d.code === 'PTE001').length,
    data: JSON.stringify(strip(r.scenarios)),
    codes: r.diagnostics.map((d) => d.code).join(','),
    comments: (lexed.groups['comments'] ?? []).map((c) => (c.image.startsWith('//') ? c.image.replace(/\s+$/, '') : c.image)),
  };
}

function check(before: string, after: string, file: string): void {
  const a = meaning(before, file);
  const b = meaning(after, file);
  if (b.syntax > 0) throw new FormatCheckError(`formatting ${file} produced text that does not parse; this is a bug in ptelab fmt`);
  if (a.data !== b.data || a.codes !== b.codes) throw new FormatCheckError(`formatting ${file} changed its meaning; this is a bug in ptelab fmt`);
  const lost = a.comments.find((c, i) => b.comments[i] !== c) ?? (b.comments.length !== a.comments.length ? b.comments[a.comments.length] : undefined);
  if (lost !== undefined) throw new FormatCheckError(`formatting ${file} would lose or reorder the comment ${JSON.stringify(lost)}; this is a bug in ptelab fmt`);
}
