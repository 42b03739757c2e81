// The .pte printer: a parsed spec and its trivia -> a prettier Doc. Canonical style (docs/fmt.md): 2-space indent,
// one item, field, swap entry and case per line, blank lines kept (at most one), minimal parentheses, comments kept
// where they were, trailing comments of neighbouring lines aligned, and the columns of a run of kinds aligned.
import { builders, printer as docPrinter } from 'prettier/doc';
import type * as A from '../../grammar/ast.js';
import { CMP, needsParens, PREC, postfixNeedsParens, precOf, UNARY } from './precedence.js';
import { blankBetween, type Block, type Comment, type Node, type Trivia } from './trivia.js';

type Doc = builders.Doc;
const { group, indent, align, line, softline, hardline, fill, ifBreak, lineSuffix, literalline, breakParent } = builders;

export interface PrintOptions {
  readonly printWidth: number;
  readonly tabWidth: number;
  readonly useTabs: boolean;
  /** false: every row goes through its doc, none through its one-line text made directly (tests compare the two). */
  readonly flatRows?: boolean;
}

/**
 * Marks the end of a line comment printed inside a row. Being a break-parent, it breaks every enclosing group, so a
 * `line` after it is a newline; `cat` puts a hard line before anything else that follows it.
 */
const LC_END = { type: 'break-parent' } as Doc;

export class FormatError extends Error {}

/** Thrown inside SpecPrinter.flatRow when a row has a comment inside it: that row is printed through its doc. */
const NOT_FLAT = Symbol('not flat');

// ---------------------------------------------------------------------------------------------------- doc helpers

type Lead = boolean | undefined;

function startsWithLine(d: Doc): Lead {
  if (typeof d === 'string') return d === '' ? undefined : false;
  if (Array.isArray(d)) {
    for (const x of d) {
      const r = startsWithLine(x);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  switch (d.type) {
    case 'line':
      return true;
    case 'indent':
    case 'align':
    case 'label':
      return startsWithLine(d.contents);
    case 'if-break':
      return startsWithLine(d.breakContents);
    case 'group':
    case 'fill':
    case 'indent-if-break':
      return false;
    default:
      return undefined;
  }
}

function endsWithLineComment(d: Doc): Lead {
  if (d === LC_END) return true;
  if (typeof d === 'string') return d === '' ? undefined : false;
  if (Array.isArray(d)) {
    for (let i = d.length - 1; i >= 0; i--) {
      const r = endsWithLineComment(d[i]!);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  switch (d.type) {
    case 'line':
      return false;
    case 'indent':
    case 'align':
    case 'label':
    case 'group':
      return endsWithLineComment(d.contents);
    case 'fill':
      return endsWithLineComment(d.parts as Doc[]);
    case 'if-break':
      return endsWithLineComment(d.breakContents);
    default:
      return undefined;
  }
}

/**
 * The width of `d` printed on one line, when printing it at a width of at least that many columns gives exactly one
 * line: no hard line, break-parent or line suffix, only printable ASCII, and every `line`, `fill` and `if-break` inside a group
 * (outside any group prettier prints them broken). Undefined when that is not sure; the caller then prints it.
 */
export function flatWidth(d: Doc, inGroup = false): number | undefined {
  // Printable ASCII only: prettier measures other characters by their display width.
  if (typeof d === 'string') return /[^\x20-\x7e]/.test(d) ? undefined : d.length;
  if (Array.isArray(d)) {
    let w = 0;
    for (const x of d) {
      const k = flatWidth(x, inGroup);
      if (k === undefined) return undefined;
      w += k;
    }
    return w;
  }
  switch (d.type) {
    case 'line':
      return d.hard || !inGroup ? undefined : d.soft ? 0 : 1;
    case 'group':
      return d.break || d.expandedStates ? undefined : flatWidth(d.contents, true);
    case 'indent':
    case 'align':
    case 'label':
      return flatWidth(d.contents, inGroup);
    case 'fill':
      return inGroup ? flatWidth(d.parts as Doc[], inGroup) : undefined;
    case 'if-break':
      // A forced break in the branch not taken still breaks the groups around it (prettier propagates it).
      return inGroup && !forcesBreak(d.breakContents) ? flatWidth(d.flatContents, inGroup) : undefined;
    default:
      return undefined;
  }
}

/**
 * The line prettier prints for `d` when flatWidth(d) answers and the line has room for it: every group flat, so a
 * `line` is a space, a soft line nothing, an if-break its flat branch.
 */
export function flatText(d: Doc): string {
  const out: string[] = [];
  const walk = (x: Doc): void => {
    if (typeof x === 'string') out.push(x);
    else if (Array.isArray(x)) for (const y of x) walk(y);
    else {
      switch (x.type) {
        case 'line':
          if (!x.soft) out.push(' ');
          break;
        case 'group':
        case 'indent':
        case 'align':
        case 'label':
          walk(x.contents);
          break;
        case 'fill':
          walk(x.parts as Doc[]);
          break;
        case 'if-break':
          walk(x.flatContents);
          break;
        default:
          throw new FormatError(`internal: no one-line text for a ${x.type} doc`);
      }
    }
  };
  walk(d);
  return out.join('');
}

/**
 * flatText(d) when flatWidth(d) answers, else undefined: the width is the text's length (printable ASCII only). One
 * walk instead of two, for the printer's rows.
 */
export function flatLine(d: Doc): string | undefined {
  const out: string[] = [];
  return flatInto(d, false, out) ? out.join('') : undefined;
}

function flatInto(d: Doc, inGroup: boolean, out: string[]): boolean {
  if (typeof d === 'string') {
    if (/[^\x20-\x7e]/.test(d)) return false;
    out.push(d);
    return true;
  }
  if (Array.isArray(d)) {
    for (const x of d) if (!flatInto(x, inGroup, out)) return false;
    return true;
  }
  switch (d.type) {
    case 'line':
      if (d.hard || !inGroup) return false;
      if (!d.soft) out.push(' ');
      return true;
    case 'group':
      return !d.break && !d.expandedStates && flatInto(d.contents, true, out);
    case 'indent':
    case 'align':
    case 'label':
      return flatInto(d.contents, inGroup, out);
    case 'fill':
      return inGroup && flatInto(d.parts as Doc[], inGroup, out);
    case 'if-break':
      return inGroup && !forcesBreak(d.breakContents) && flatInto(d.flatContents, inGroup, out);
    default:
      return false;
  }
}

/** Whether a doc holds a break-parent or a hard line anywhere (in either branch of an if-break too). */
function forcesBreak(d: Doc): boolean {
  if (typeof d === 'string') return false;
  if (Array.isArray(d)) return d.some(forcesBreak);
  switch (d.type) {
    case 'break-parent':
      return true;
    case 'line':
      return d.hard === true;
    case 'group':
      return forcesBreak(d.contents) || (d.expandedStates ?? []).some(forcesBreak);
    case 'indent':
    case 'align':
    case 'label':
    case 'line-suffix':
      return forcesBreak(d.contents);
    case 'fill':
      return (d.parts as Doc[]).some(forcesBreak);
    case 'if-break':
      return forcesBreak(d.breakContents) || forcesBreak(d.flatContents);
    case 'indent-if-break':
      return true; // not used by this printer; be safe
    default:
      return false;
  }
}

function stripLeadingSpace(d: Doc): Doc {
  if (typeof d === 'string') return d.replace(/^ +/, '');
  if (Array.isArray(d) && d.length > 0) return [stripLeadingSpace(d[0]!), ...d.slice(1)];
  return d;
}

/** Concatenation that never lets code follow a line comment on its line. */
function cat(...parts: Doc[]): Doc[] {
  // Most calls drop nothing and insert nothing: then the parts are the result, no copy made.
  let pending = false;
  let i = 0;
  for (; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '' || (Array.isArray(p) && p.length === 0) || (pending && startsWithLine(p) !== true)) break;
    const e = endsWithLineComment(p);
    if (e !== undefined) pending = e;
  }
  if (i === parts.length) return parts;
  const out: Doc[] = parts.slice(0, i);
  for (; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '' || (Array.isArray(p) && p.length === 0)) continue;
    if (pending && startsWithLine(p) !== true) {
      out.push(hardline);
      const rest = stripLeadingSpace(p);
      if (rest === '') {
        pending = false;
        continue;
      }
      out.push(rest);
    } else {
      out.push(p);
    }
    const e = endsWithLineComment(p);
    if (e !== undefined) pending = e;
  }
  return out;
}

function joinCat(sep: Doc, docs: readonly Doc[]): Doc[] {
  const parts: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) parts.push(sep);
    parts.push(d);
  });
  return cat(...parts);
}

/** Statement keywords: an expression statement starting with one is printed with it in parentheses (`(keep).RW`). */
const STMT_KEYWORDS = new Set(['set', 'copy', 'clear', 'keep', 'retry', 'return', 'warn', 'let', 'if', 'call']);

/** The name an expression statement starts with, when that name must be parenthesized (see STMT_KEYWORDS). */
function leadingKeyword(e: A.Expr): A.NameRef | undefined {
  switch (e.type) {
    case 'Binary':
      return needsParens(e.left, e.op, 'left') ? undefined : leadingKeyword(e.left);
    case 'Member':
      return postfixNeedsParens(e.object) ? undefined : leadingKeyword(e.object);
    case 'With':
      return postfixNeedsParens(e.base) ? undefined : leadingKeyword(e.base);
    case 'NameRef':
      return STMT_KEYWORDS.has(e.name) ? e : undefined;
    default:
      return undefined;
  }
}

/** The first token of an expression as printed (for the `;` a statement needs before one starting with `(` or `-`). */
function firstToken(e: A.Expr): string {
  switch (e.type) {
    case 'Binary':
      return needsParens(e.left, e.op, 'left') ? '(' : firstToken(e.left);
    case 'Unary':
      return e.op;
    case 'Member':
      return postfixNeedsParens(e.object) ? '(' : firstToken(e.object);
    case 'With':
      return postfixNeedsParens(e.base) ? '(' : firstToken(e.base);
    case 'Call':
      return e.callee.name;
    case 'NameRef':
      return e.name;
    case 'NumberLit':
      return '0';
  }
}

// ---------------------------------------------------------------------------------------------------- the printer

interface Entity {
  readonly start: number;
  readonly end: number;
  readonly comment?: Comment;
  readonly row?: Node;
}

interface RowLayout {
  doc: Doc;
  /** Width of the row's last line when printed alone, when it is one line. */
  width?: number;
  lastLineWidth: number;
}

export class SpecPrinter {
  private readonly printed = new Set<Comment>();
  /** Names printed in parentheses: statement keywords starting an expression statement. */
  private readonly parenthesized = new Set<A.NameRef>();
  private readonly text: string;

  constructor(
    private readonly t: Trivia,
    private readonly opts: PrintOptions,
  ) {
    this.text = t.text;
  }

  print(ast: A.SpecFile): Doc {
    const entities = this.blockEntities(this.t.fileBlock);
    const doc = entities.length === 0 ? '' : [this.entitiesDoc(this.t.fileBlock, entities, 0), hardline];
    const missing = this.t.comments.filter((c) => !this.printed.has(c));
    if (missing.length > 0) {
      throw new FormatError(`internal: comment at line ${missing[0]!.line} would be lost by formatting ${ast.file}`);
    }
    return doc;
  }

  // ------------------------------------------------------------------ comments and leaves

  private comment(c: Comment): Doc {
    if (this.printed.has(c)) throw new FormatError(`internal: comment at line ${c.line} printed twice`);
    this.printed.add(c);
    if (!c.block) return c.text;
    const lines = c.text.split('\n');
    return lines.length === 1 ? c.text : lines.flatMap((l, i) => (i === 0 ? [l] : [literalline, l]));
  }

  /** `core` with the comments attached to `n` inside a row. */
  private wrap(n: Node, core: Doc): Doc {
    const leading = this.t.leading.get(n);
    const trailing = this.t.trailing.get(n);
    const danglingAll = this.t.dangling.get(n);
    if (!leading && !trailing && !danglingAll) return core; // most nodes: no lists made
    const lead = leading ?? [];
    const trail = trailing ?? [];
    const dangling = (danglingAll ?? []).filter((c) => !this.printed.has(c));
    if (lead.length + trail.length + dangling.length === 0) return core;
    const parts: Doc[] = [];
    for (const c of lead) parts.push(c.block ? [this.comment(c), ' '] : [this.comment(c), hardline]);
    parts.push(core);
    for (const c of [...dangling, ...trail]) parts.push(c.block ? [' ', this.comment(c)] : [' ', this.comment(c), LC_END]);
    return cat(...parts);
  }

  private hasComments(n: Node): boolean {
    return this.t.leading.has(n) || this.t.trailing.has(n) || this.t.dangling.has(n);
  }

  private raw(n: { range: { start: { offset: number }; end: { offset: number } } }): string {
    return this.text.slice(n.range.start.offset, n.range.end.offset);
  }

  private id(i: A.Ident): Doc {
    return this.wrap(i, i.name);
  }

  private str(s: A.StringLit): Doc {
    return this.wrap(s, this.raw(s));
  }

  /** Comments with no neighbour inside `n` (after `swap`, after `default`). */
  private danglingAfterKeyword(n: Node): Doc {
    const ds = this.t.dangling.get(n);
    if (!ds) return '';
    return cat(...ds.map((c) => (c.block ? [' ', this.comment(c)] : [' ', this.comment(c), LC_END])));
  }

  // ------------------------------------------------------------------ expressions

  expr(e: A.Expr): Doc {
    return this.wrap(e, this.exprCore(e));
  }

  /** `(e)`, the comments attached to `e` outside the parentheses (where its extent, parentheses included, has them). */
  private paren(e: A.Expr): Doc {
    return this.wrap(e, cat('(', this.exprCore(e), ')'));
  }

  private exprCore(e: A.Expr): Doc {
    switch (e.type) {
      case 'NumberLit':
        return this.raw(e);
      case 'NameRef':
        return this.parenthesized.has(e) ? `(${e.name})` : e.name;
      case 'Member':
        return cat(postfixNeedsParens(e.object) ? this.paren(e.object) : this.expr(e.object), '.', this.id(e.property));
      case 'Call':
        return cat(this.id(e.callee), this.argList(e.args.map((a) => this.wrap(a, cat(a.name ? cat(this.id(a.name), ' = ') : '', this.expr(a.value))))));
      case 'Unary':
        return cat(e.op, precOf(e.operand) < UNARY ? this.paren(e.operand) : this.expr(e.operand));
      case 'With':
        return cat(postfixNeedsParens(e.base) ? this.paren(e.base) : this.expr(e.base), ' with ', this.braceList(e.fields.map((f) => this.fieldInit(f))));
      case 'Binary':
        return this.binary(e);
    }
  }

  private binary(e: A.Binary): Doc {
    const level = PREC[e.op];
    const items: { op: A.BinaryOp; right: A.Expr }[] = [];
    let left: A.Expr = e;
    while (left.type === 'Binary' && PREC[left.op] === level && (left === e || !this.hasComments(left))) {
      items.unshift({ op: left.op, right: left.right });
      left = left.left;
      if (level === CMP) break;
    }
    const first = needsParens(left, e.op, 'left') ? this.paren(left) : this.expr(left);
    const rest = items.map((it) => cat(line, it.op, ' ', needsParens(it.right, it.op, 'right') ? this.paren(it.right) : this.expr(it.right)));
    return group(cat(first, indent(cat(...rest))));
  }

  private fieldInit(f: A.FieldInit): Doc {
    return this.wrap(f, cat(this.id(f.name), ' = ', this.expr(f.value)));
  }

  /** `(a, b)`, one per line when too long. */
  private argList(docs: readonly Doc[]): Doc {
    if (docs.length === 0) return '()';
    return group(cat('(', indent(cat(softline, joinCat([',', line], docs))), softline, ')'));
  }

  /** `{ a, b }`, one per line when too long; `{}` when empty. */
  private braceList(docs: readonly Doc[]): Doc {
    if (docs.length === 0) return '{}';
    return group(cat('{', indent(cat(line, joinCat([',', line], docs))), line, '}'));
  }

  /** A list of names that fills lines (`means`, swap types); plain when a comment sits in it. */
  private nameList(names: readonly A.Ident[]): Doc {
    if (names.some((n) => this.hasComments(n))) return group(joinCat([',', line], names.map((n) => this.id(n))));
    const parts: Doc[] = [];
    names.forEach((n, i) => {
      if (i > 0) parts.push(line);
      parts.push(i < names.length - 1 ? [n.name, ','] : n.name);
    });
    return fill(parts);
  }

  // ------------------------------------------------------------------ rows

  private row(r: Node, depth: number, kindPads?: KindPads): Doc {
    const n = r as A.Item | A.SpecHeader | A.FieldMember | A.SwapEntry | A.CaseDecl | A.Stmt;
    return this.wrap(r, this.rowCore(n, depth, kindPads));
  }

  private rowCore(n: A.Item | A.SpecHeader | A.FieldMember | A.SwapEntry | A.CaseDecl | A.Stmt, depth: number, kindPads?: KindPads): Doc {
    const ov = (o: boolean) => (o ? 'override ' : '');
    switch (n.type) {
      case 'SpecHeader':
        return group(
          cat(
            'spec ',
            this.id(n.name),
            n.extends ? cat(' extends ', this.str(n.extends)) : '',
            n.description ? indent(cat(line, this.str(n.description))) : '',
          ),
        );
      case 'WordDecl':
        return cat('word ', this.expr(n.bits));
      case 'FormatDecl':
        return cat(n.override ? 'override format ' : 'format ', this.id(n.name), n.extends ? cat(' extends ', this.id(n.extends)) : '', ' ', this.block(n, 'body', depth));
      case 'BitField':
        return cat(
          ov(n.override),
          n.hi === n.lo ? cat('bit ', this.expr(n.lo)) : cat('bits ', this.expr(n.lo), '..', this.expr(n.hi)),
          ' ',
          this.id(n.name),
          n.inverted ? ' inverted' : '',
        );
      case 'AliasField':
        return cat('alias ', this.id(n.name), ' = ', this.id(n.target));
      case 'SubFields':
        return cat('in ', this.id(n.parent), ' ', this.block(n, 'body', depth));
      case 'RemoveField':
        return cat('remove ', this.id(n.name));
      case 'RenameField':
        return cat('rename ', this.id(n.from), ' as ', this.id(n.to));
      case 'RemoveDecl':
        return cat('remove ', n.what, ' ', this.id(n.name));
      case 'LevelDecl':
        return cat('level ', this.id(n.name));
      case 'SwapDecl':
        return cat('swap', this.danglingAfterKeyword(n), ' ', this.block(n, 'body', depth));
      case 'SwapEntry':
        if (n.mode === 'remove' || !n.value) return cat('remove ', this.id(n.name));
        return cat(
          n.mode === 'override' ? 'override ' : '',
          this.id(n.name),
          ' = ',
          this.expr(n.value),
          n.types ? cat(' ', n.types.length === 0 ? '{}' : group(cat('{', indent(cat(line, this.nameList(n.types))), line, '}'))) : '',
          n.before ? cat(' before ', this.id(n.before)) : '',
        );
      case 'ConstDecl':
        return cat('const ', this.id(n.name), ' = ', this.expr(n.value));
      case 'PredicateDecl':
        return group(
          cat(
            ov(n.override),
            'predicate ',
            this.id(n.name),
            ' on ',
            this.id(n.format),
            ' = ',
            this.expr(n.body),
            n.means.length > 0 ? indent(cat(line, 'means ', align(6, this.nameList(n.means)))) : '',
          ),
        );
      case 'KindDecl':
        return this.kind(n, kindPads);
      case 'ImportDecl':
        return cat('import ', this.str(n.path));
      case 'FnDecl':
        return cat(
          ov(n.override),
          'fn ',
          this.id(n.name),
          this.argList(n.params.map((p) => this.wrap(p, cat(this.id(p.name), ': ', this.id(p.paramType))))),
          ' = ',
          this.expr(n.body),
        );
      case 'DecisionDecl':
        return cat(ov(n.override), 'decision ', this.id(n.name), ' = ', this.expr(n.body));
      case 'PathDecl':
        return cat('path ', this.id(n.name), ' ', this.block(n, 'body', depth));
      case 'CaseDecl': {
        const mode = n.mode === 'append' ? '' : `${n.mode} `;
        // a long kind list fills lines, continued one indent in (as `means` lists are)
        const kinds = n.kinds.length > 1 ? [indent(this.nameList(n.kinds))] : n.kinds.map((k) => this.id(k));
        const head =
          n.kinds.length > 0
            ? cat(
                mode,
                'case ',
                ...kinds,
                n.binding ? cat(' as ', this.id(n.binding)) : '',
                n.guard ? cat(' when ', this.expr(n.guard)) : '',
              )
            : cat(mode, 'default', this.danglingAfterKeyword(n));
        return n.mode === 'remove' ? head : cat(head, ' ', this.block(n, 'body', depth));
      }
      case 'IfStmt':
        return this.ifStmt(n, depth);
      case 'SetStmt':
        return cat('set ', this.expr(n.value));
      case 'CopyStmt':
        return cat('copy ', this.expr(n.value));
      case 'ClearStmt':
        return 'clear';
      case 'KeepStmt':
        return 'keep';
      case 'RetryStmt':
        return 'retry';
      case 'ReturnStmt':
        return 'return';
      case 'WarnStmt':
        return cat('warn ', this.str(n.message));
      case 'LetStmt':
        return cat('let ', this.id(n.name), ' = ', this.expr(n.value));
      case 'CallStmt':
        return cat('call ', this.id(n.path), n.args.length > 0 ? cat(' with ', this.braceList(n.args.map((a) => this.fieldInit(a)))) : '');
      case 'ExprStmt': {
        const kw = leadingKeyword(n.expr);
        if (kw) this.parenthesized.add(kw);
        return this.expr(n.expr);
      }
    }
  }

  /**
   * An if / else-if / else chain: on one line when it fits; else each `else` starts a line, except after a block that
   * is itself broken (`} else {`).
   */
  private ifStmt(n: Extract<A.Stmt, { type: 'IfStmt' }>, depth: number): Doc {
    type If = Extract<A.Stmt, { type: 'IfStmt' }>;
    let id = Symbol('then');
    const parts: Doc[] = [cat('if ', this.expr(n.cond), ' ', this.block(n, 'then', depth, id))];
    let cur: If = n;
    let keepBroken = false;
    while (cur.else) {
      // An `else` the author started on a new line keeps the chain broken.
      const thenClose = this.blockOf(cur, 'then').close;
      if (this.t.lineOfTokenAfter(thenClose + 1)! > this.lineAt(thenClose)) keepBroken = true;
      const hasElseBlock = this.t.meta.get(cur)!.blocks.some((b) => b.key === 'else');
      const elseComments = (this.t.elseComments.get(cur) ?? []).map((c) => (c.block ? [this.comment(c), ' '] : [this.comment(c), LC_END]));
      const sep = ifBreak(' ', line, { groupId: id });
      if (hasElseBlock) {
        parts.push(sep, ...elseComments, 'else ', this.block(cur, 'else', depth, Symbol('else')));
        break;
      }
      const next = cur.else[0] as If;
      id = Symbol('then');
      parts.push(sep, ...elseComments, 'else ', this.wrap(next, cat('if ', this.expr(next.cond), ' ', this.block(next, 'then', depth, id))));
      cur = next;
    }
    return parts.length === 1 ? parts[0]! : group(cat(...parts, keepBroken ? breakParent : ''));
  }

  private lineAt(offset: number): number {
    return this.t.lineOfTokenAfter(offset)!;
  }

  private kind(n: A.KindDecl, pads?: KindPads): Doc {
    const refs = n.refs;
    const refsDoc = refs ? this.wrap(refs, cat(this.id(refs.target), '(', joinCat(', ', refs.args.map((a) => this.id(a))), ')')) : '';
    const name = cat(n.override ? 'override kind ' : 'kind ', this.id(n.name));
    if (pads) {
      return cat(
        name,
        ' '.repeat(pads.name),
        ' : ',
        this.id(n.format),
        ' '.repeat(pads.format),
        ' when ',
        this.expr(n.when),
        refs ? cat(' '.repeat(pads.when), ' refs ', refsDoc) : '',
      );
    }
    return group(cat(name, ' : ', this.id(n.format), ' when ', this.expr(n.when), refs ? indent(cat(line, 'refs ', refsDoc)) : ''));
  }

  // ------------------------------------------------------------------ blocks

  private blockOf(owner: Node, key: Block['key']): Block {
    const b = this.t.meta.get(owner)!.blocks.find((x) => x.key === key);
    if (!b) throw new FormatError(`internal: no ${key} block`);
    return b;
  }

  /** The rows of a block, in order, with the comments above them and those left at its end. */
  private blockEntities(b: Block): Entity[] {
    const out: Entity[] = [];
    for (const r of b.rows) {
      for (const c of this.t.rowLeading.get(r) ?? []) out.push({ start: c.start, end: c.end, comment: c });
      // The row ends after its notes: trailing comments and the comments continued below it.
      let end = this.t.meta.get(r)!.ext.end;
      for (const c of this.t.rowTrailing.get(r) ?? []) end = Math.max(end, c.end);
      for (const x of this.t.rowCont.get(r) ?? []) end = Math.max(end, x.comment.end);
      out.push({ start: this.t.meta.get(r)!.ext.start, end, row: r });
    }
    for (const c of this.t.blockEnd.get(b) ?? []) out.push({ start: c.start, end: c.end, comment: c });
    return out;
  }

  private block(owner: Node, key: Block['key'], depth: number, id?: symbol): Doc {
    const d = this.blockDoc(owner, key, depth);
    return id === undefined ? d : group(d, { id });
  }

  private blockDoc(owner: Node, key: Block['key'], depth: number): Doc {
    const b = this.blockOf(owner, key);
    const entities = this.blockEntities(b);
    const head = this.t.blockHead.get(b) ?? [];
    const statements = key !== 'body' || (owner as { type: string }).type === 'CaseDecl';
    if (entities.length === 0 && head.length === 0) return '{}';
    const hasComments = head.length > 0 || entities.some((e) => e.comment || this.t.rowTrailing.has(e.row!) || this.t.rowCont.has(e.row!));
    const first = entities[0];
    const firstLine = first === undefined ? b.openLine : first.comment ? first.comment.line : this.t.meta.get(first.row!)!.startLine;
    const newlineAfterBrace = firstLine > b.openLine;
    const blank = entities.some((e, i) => i > 0 && blankBetween(this.text, entities[i - 1]!.end, e.start));
    if (statements && !hasComments && !newlineAfterBrace && !blank) {
      // A statement block stays on one line when it fits: `{ keep }`, `{ get_page(page); rss_inc(anon) }`.
      const rows = b.rows.map((r) => this.row(r, depth + 1));
      const parts: Doc[] = [];
      rows.forEach((d, i) => {
        if (i > 0) parts.push(this.needsSemicolon(b.rows, i - 1) ? [';', line] : [ifBreak('', ';'), line]);
        parts.push(d);
      });
      return group(cat('{', indent(cat(line, ...parts)), line, '}'));
    }
    const headDoc = head.length > 0 ? cat(' ', ...head.map((c, i) => (c.block ? [i > 0 ? ' ' : '', this.comment(c)] : [i > 0 ? ' ' : '', this.comment(c), LC_END]))) : '';
    const body = entities.length > 0 ? indent([hardline, this.entitiesDoc(b, entities, depth + 1, statements)]) : '';
    return [cat('{', headDoc), body, hardline, '}'];
  }

  /**
   * A statement followed by one that starts with `(`, `-` or `with` (which would continue its expression) or with
   * `else` (which would continue an if) needs `;` to stay two statements.
   */
  private needsSemicolon(rows: readonly Node[], i: number): boolean {
    const next = rows[i + 1] as A.Stmt | undefined;
    if (!next || next.type !== 'ExprStmt') return false;
    const tok = leadingKeyword(next.expr) ? '(' : firstToken(next.expr);
    return tok === '(' || tok === '-' || tok === 'with' || tok === 'else';
  }

  /** Rows and comments one per line, blank lines kept (at most one), trailing comments aligned. */
  private entitiesDoc(b: Block, entities: readonly Entity[], depth: number, statements = false): Doc {
    const avail = this.opts.printWidth - depth * this.opts.tabWidth;
    const kindPads = this.kindTable(entities, avail);
    const layouts = new Map<Node, RowLayout>();
    const indexOf = new Map(b.rows.map((r, i) => [r, i]));
    for (const e of entities) {
      if (!e.row) continue;
      const i = indexOf.get(e.row)!;
      const needsWidth = this.t.rowTrailing.has(e.row) || (this.t.rowCont.get(e.row) ?? []).some((c) => c.aligned);
      let width: number | undefined;
      let lastLineWidth = 0;
      // Most rows of a large spec are one line with no comment inside: their text is made directly, with no doc.
      const direct = statements || this.opts.flatRows === false ? undefined : this.flatRow(e.row, kindPads.get(e.row));
      if (direct !== undefined && direct.length <= avail) {
        layouts.set(e.row, needsWidth ? { doc: direct, width: direct.length, lastLineWidth: direct.length } : { doc: direct, lastLineWidth });
        continue;
      }
      let doc = this.row(e.row, depth, kindPads.get(e.row));
      if (statements && this.needsSemicolon(b.rows, i)) doc = cat(doc, ';');
      const flat = flatLine(doc);
      if (flat !== undefined && flat.length <= avail) {
        // Fits on one line as it is: its width without printing it (printing every commented row twice dominated),
        // and its text, which prettier copies, rather than a doc it must lay out (most rows of a large spec fit).
        doc = flat;
        if (needsWidth) {
          width = flat.length;
          lastLineWidth = flat.length;
        }
      } else if (needsWidth) {
        const out = this.render(doc, avail);
        const lines = out.split('\n');
        lastLineWidth = lines[lines.length - 1]!.length;
        if (lines.length === 1 && !/[\t]/.test(out)) width = out.length;
      }
      layouts.set(e.row, { doc, lastLineWidth, ...(width !== undefined ? { width } : {}) });
    }
    // Trailing comments of neighbouring one-line rows (no blank line or comment line between) share a column.
    const column = new Map<Node, number>();
    let run: Node[] = [];
    const flush = () => {
      const col = Math.max(...run.map((r) => layouts.get(r)!.width!)) + 2;
      for (const r of run) column.set(r, col);
      run = [];
    };
    entities.forEach((e, i) => {
      const r = e.row;
      const alignable = r !== undefined && this.t.rowTrailing.has(r) && layouts.get(r)!.width !== undefined;
      const joins = alignable && run.length > 0 && entities[i - 1]?.row === run[run.length - 1] && !blankBetween(this.text, entities[i - 1]!.end, e.start);
      if (run.length > 0 && !joins) flush();
      if (alignable) run.push(r);
    });
    if (run.length > 0) flush();

    const parts: Doc[] = [];
    entities.forEach((e, i) => {
      if (i > 0) parts.push(blankBetween(this.text, entities[i - 1]!.end, e.start) ? [hardline, hardline] : hardline);
      if (e.comment) {
        parts.push(this.comment(e.comment));
        return;
      }
      const r = e.row!;
      const lay = layouts.get(r)!;
      const trailing = this.t.rowTrailing.get(r) ?? [];
      const tcol = column.get(r) ?? lay.lastLineWidth + 2;
      const rowParts: Doc[] = [lay.doc];
      if (trailing.length > 0) {
        const pad = ' '.repeat(Math.max(1, tcol - (lay.width ?? lay.lastLineWidth)));
        const notes: Doc[] = [];
        trailing.forEach((c, j) => notes.push(j > 0 ? ' ' : '', this.comment(c)));
        // A row printed as its text is followed by a hard line (the next row's, or its block's or file's end): its
        // notes go right after it as text, which is what the line suffix would print there, for less work.
        if (typeof lay.doc === 'string' && notes.every((x) => typeof x === 'string')) rowParts[0] = lay.doc + pad + notes.join('');
        else rowParts.push(lineSuffix([pad, ...notes]));
      }
      for (const cont of this.t.rowCont.get(r) ?? []) {
        const at = cont.aligned && trailing.length > 0 ? tcol : this.opts.tabWidth;
        rowParts.push(hardline, ' '.repeat(at), this.comment(cont.comment));
      }
      parts.push(rowParts);
    });
    return parts;
  }

  private render(doc: Doc, width: number): string {
    return docPrinter.printDocToString(doc, { printWidth: Math.max(1, width), tabWidth: this.opts.tabWidth, useTabs: this.opts.useTabs }).formatted;
  }

  /**
   * Runs of kinds on neighbouring lines print as a table: names, formats and `when` conditions padded so that `:`,
   * `when` and `refs` line up, as long as every row of the run stays within the print width.
   */
  private kindTable(entities: readonly Entity[], avail: number): Map<Node, KindPads> {
    const pads = new Map<Node, KindPads>();
    interface Cells {
      node: A.KindDecl;
      name: number;
      format: number;
      when: number;
      refs: number;
    }
    const measure = (d: Doc): number | undefined => {
      const flat = flatWidth(d);
      if (flat !== undefined) return flat;
      const s = this.render(d, 1_000_000);
      return s.includes('\n') ? undefined : s.length;
    };
    const cellsOf = (n: A.KindDecl): Cells | undefined => {
      if (this.hasInteriorComments(n)) return undefined;
      // Measuring prints the cells' comments; there are none (checked above), so nothing is marked printed.
      const name = (n.override ? 'override kind '.length : 'kind '.length) + n.name.name.length;
      const when = this.flatCoreOrUndefined(n.when)?.length ?? measure(this.exprProbe(n.when));
      if (when === undefined) return undefined;
      const refs = n.refs ? `${n.refs.target.name}(${n.refs.args.map((a) => a.name).join(', ')})`.length : 0;
      const c = { node: n, name, format: n.format.name.length, when, refs };
      return rowWidth(c, { name: 0, format: 0, when: 0 }) <= avail ? c : undefined;
    };
    const rowWidth = (c: Cells, p: KindPads): number =>
      c.name + p.name + 3 + c.format + p.format + 6 + c.when + (c.refs > 0 ? p.when + 6 + c.refs : 0);
    let run: Cells[] = [];
    const flush = () => {
      if (run.length > 1) {
        const maxName = Math.max(...run.map((c) => c.name));
        const maxFormat = Math.max(...run.map((c) => c.format));
        const withRefs = run.filter((c) => c.refs > 0);
        const maxWhen = withRefs.length > 0 ? Math.max(...withRefs.map((c) => c.when)) : 0;
        const full = (c: Cells): KindPads => ({ name: maxName - c.name, format: maxFormat - c.format, when: c.refs > 0 ? maxWhen - c.when : 0 });
        const cols = (c: Cells): KindPads => ({ name: maxName - c.name, format: maxFormat - c.format, when: 0 });
        const choice = run.every((c) => rowWidth(c, full(c)) <= avail) ? full : run.every((c) => rowWidth(c, cols(c)) <= avail) ? cols : undefined;
        if (choice) for (const c of run) pads.set(c.node, choice(c));
      }
      run = [];
    };
    entities.forEach((e, i) => {
      const n = e.row as A.KindDecl | undefined;
      const cells = n && n.type === 'KindDecl' ? cellsOf(n) : undefined;
      const joins = cells !== undefined && run.length > 0 && entities[i - 1]?.row === run[run.length - 1]!.node && !blankBetween(this.text, entities[i - 1]!.end, e.start);
      if (run.length > 0 && !joins) flush();
      if (cells) run.push(cells);
    });
    flush();
    return pads;
  }

  // ------------------------------------------------------------------ one-line text without docs
  //
  // flatRow(r) is flatLine(this.row(r)) for a row with no comment inside it, made without building the doc: the same
  // words, the same parentheses (needsParens, the same operator chains as binary()), every group flat. Rows that hold
  // blocks, statements and rows with a comment inside are not made here (undefined): they go through their docs.

  private flatRow(r: Node, pads?: KindPads): string | undefined {
    if (this.hasComments(r)) return undefined;
    let s: string | undefined;
    try {
      s = this.flatRowCore(r as A.Item | A.SpecHeader | A.FieldMember | A.SwapEntry, pads);
    } catch (e) {
      if (e === NOT_FLAT) return undefined;
      throw e;
    }
    // flatLine answers only for printable ASCII (prettier measures other characters by their display width).
    return s === undefined || /[^\x20-\x7e]/.test(s) ? undefined : s;
  }

  private flatRowCore(n: A.Item | A.SpecHeader | A.FieldMember | A.SwapEntry, pads?: KindPads): string | undefined {
    const ov = (o: boolean) => (o ? 'override ' : '');
    switch (n.type) {
      case 'SpecHeader':
        return `spec ${this.flatId(n.name)}${n.extends ? ` extends ${this.flatStr(n.extends)}` : ''}${n.description ? ` ${this.flatStr(n.description)}` : ''}`;
      case 'WordDecl':
        return `word ${this.flatExpr(n.bits)}`;
      case 'BitField':
        return `${ov(n.override)}${n.hi === n.lo ? `bit ${this.flatExpr(n.lo)}` : `bits ${this.flatExpr(n.lo)}..${this.flatExpr(n.hi)}`} ${this.flatId(n.name)}${n.inverted ? ' inverted' : ''}`;
      case 'AliasField':
        return `alias ${this.flatId(n.name)} = ${this.flatId(n.target)}`;
      case 'RemoveField':
        return `remove ${this.flatId(n.name)}`;
      case 'RenameField':
        return `rename ${this.flatId(n.from)} as ${this.flatId(n.to)}`;
      case 'RemoveDecl':
        return `remove ${n.what} ${this.flatId(n.name)}`;
      case 'LevelDecl':
        return `level ${this.flatId(n.name)}`;
      case 'SwapEntry': {
        if (n.mode === 'remove' || !n.value) return `remove ${this.flatId(n.name)}`;
        const types = n.types ? ` ${n.types.length === 0 ? '{}' : `{ ${this.flatNames(n.types)} }`}` : '';
        return `${n.mode === 'override' ? 'override ' : ''}${this.flatId(n.name)} = ${this.flatExpr(n.value)}${types}${n.before ? ` before ${this.flatId(n.before)}` : ''}`;
      }
      case 'ConstDecl':
        return `const ${this.flatId(n.name)} = ${this.flatExpr(n.value)}`;
      case 'PredicateDecl': {
        const means = n.means.length > 0 ? ` means ${this.flatNames(n.means)}` : '';
        return `${ov(n.override)}predicate ${this.flatId(n.name)} on ${this.flatId(n.format)} = ${this.flatExpr(n.body)}${means}`;
      }
      case 'KindDecl': {
        const head = `${n.override ? 'override kind ' : 'kind '}${this.flatId(n.name)}`;
        const refs = n.refs;
        if (refs && this.hasComments(refs)) throw NOT_FLAT;
        const refsText = refs ? `${this.flatId(refs.target)}(${refs.args.map((a) => this.flatId(a)).join(', ')})` : '';
        if (pads) {
          const tail = refs ? `${' '.repeat(pads.when)} refs ${refsText}` : '';
          return `${head}${' '.repeat(pads.name)} : ${this.flatId(n.format)}${' '.repeat(pads.format)} when ${this.flatExpr(n.when)}${tail}`;
        }
        return `${head} : ${this.flatId(n.format)} when ${this.flatExpr(n.when)}${refs ? ` refs ${refsText}` : ''}`;
      }
      case 'ImportDecl':
        return `import ${this.flatStr(n.path)}`;
      case 'FnDecl': {
        const params = n.params.map((p) => {
          if (this.hasComments(p)) throw NOT_FLAT;
          return `${this.flatId(p.name)}: ${this.flatId(p.paramType)}`;
        });
        return `${ov(n.override)}fn ${this.flatId(n.name)}(${params.join(', ')}) = ${this.flatExpr(n.body)}`;
      }
      case 'DecisionDecl':
        return `${ov(n.override)}decision ${this.flatId(n.name)} = ${this.flatExpr(n.body)}`;
      default:
        return undefined; // rows with blocks
    }
  }

  private flatId(i: A.Ident): string {
    if (this.hasComments(i)) throw NOT_FLAT;
    return i.name;
  }

  private flatStr(s: A.StringLit): string {
    if (this.hasComments(s)) throw NOT_FLAT;
    return this.raw(s);
  }

  /** nameList's one line: `a, b, c`. */
  private flatNames(names: readonly A.Ident[]): string {
    return names.map((n) => this.flatId(n)).join(', ');
  }

  private flatExpr(e: A.Expr): string {
    if (this.hasComments(e)) throw NOT_FLAT;
    return this.flatCore(e);
  }

  private flatParen(e: A.Expr): string {
    if (this.hasComments(e)) throw NOT_FLAT;
    return `(${this.flatCore(e)})`;
  }

  /** flatLine(this.exprCore(e)) when nothing inside `e` has a comment, else undefined. */
  private flatCoreOrUndefined(e: A.Expr): string | undefined {
    if (this.opts.flatRows === false) return undefined;
    try {
      return this.flatCore(e);
    } catch (x) {
      if (x === NOT_FLAT) return undefined;
      throw x;
    }
  }

  /** exprCore(e)'s one line (expressions have no line outside a group, and only ASCII). */
  private flatCore(e: A.Expr): string {
    switch (e.type) {
      case 'NumberLit':
        return this.raw(e);
      case 'NameRef':
        return this.parenthesized.has(e) ? `(${e.name})` : e.name;
      case 'Member':
        return `${postfixNeedsParens(e.object) ? this.flatParen(e.object) : this.flatExpr(e.object)}.${this.flatId(e.property)}`;
      case 'Call': {
        const args = e.args.map((a) => {
          if (this.hasComments(a)) throw NOT_FLAT;
          return a.name ? `${this.flatId(a.name)} = ${this.flatExpr(a.value)}` : this.flatExpr(a.value);
        });
        return `${this.flatId(e.callee)}(${args.join(', ')})`;
      }
      case 'Unary':
        return e.op + (precOf(e.operand) < UNARY ? this.flatParen(e.operand) : this.flatExpr(e.operand));
      case 'With': {
        const base = postfixNeedsParens(e.base) ? this.flatParen(e.base) : this.flatExpr(e.base);
        const fields = e.fields.map((f) => {
          if (this.hasComments(f)) throw NOT_FLAT;
          return `${this.flatId(f.name)} = ${this.flatExpr(f.value)}`;
        });
        return `${base} with ${fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`}`;
      }
      case 'Binary': {
        // The operator chain binary() prints as one group.
        const level = PREC[e.op];
        const chain: A.Binary[] = [];
        let left: A.Expr = e;
        while (left.type === 'Binary' && PREC[left.op] === level && (left === e || !this.hasComments(left))) {
          chain.push(left);
          left = left.left;
          if (level === CMP) break;
        }
        let out = needsParens(left, e.op, 'left') ? this.flatParen(left) : this.flatExpr(left);
        for (let i = chain.length - 1; i >= 0; i--) {
          const b = chain[i]!;
          out += ` ${b.op} ${needsParens(b.right, b.op, 'right') ? this.flatParen(b.right) : this.flatExpr(b.right)}`;
        }
        return out;
      }
    }
  }

  /** A comment-free expression printed for measuring only. */
  private exprProbe(e: A.Expr): Doc {
    return this.exprCore(e);
  }

  private hasInteriorComments(n: Node): boolean {
    const ext = this.t.meta.get(n)!.ext;
    const notes = new Set([...(this.t.rowTrailing.get(n) ?? []), ...(this.t.rowCont.get(n) ?? []).map((x) => x.comment)]);
    // Comments are in source order: look only at those starting inside the extent (a scan of all of them per kind
    // made formatting quadratic).
    const cs = this.t.comments;
    let lo = 0;
    let hi = cs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid]!.start > ext.start) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < cs.length && cs[i]!.start < ext.end; i++) if (cs[i]!.end < ext.end && !notes.has(cs[i]!)) return true;
    return false;
  }
}

interface KindPads {
  readonly name: number;
  readonly format: number;
  readonly when: number;
}
