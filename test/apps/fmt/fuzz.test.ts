// Formatting mutated and generated specs that still parse: every one must format, and the result must be
// idempotent, mean the same (same AST, ranges aside) and keep every comment in order. Seeded corpora:
//  (a) the bundled specs and the fuzz seeds with comments inserted between random tokens (line, block, multi-line
//      block, own-line), whitespace between tokens reshuffled, redundant parentheses and semicolons added;
//  (b) random specs whose expressions and statement blocks come from a small generator (operators of every
//      precedence, unary chains, members, calls with named arguments, `with`, if/else chains, statements that start
//      with `(` or `-`), with comments sprinkled in.
// Reproduce a failure with PTELAB_FMT_FUZZ_SEED=<seed printed>; PTELAB_FMT_FUZZ_SCALE=10 runs ten times the cases.
import { describe, it } from 'vitest';
import type * as A from '../../../grammar/ast.js';
import { specLexer } from '../../../grammar/lexer.js';
import { parseSpec } from '../../../grammar/parse.js';
import { X86 } from '../../helpers.js';
import { SEEDS } from '../../compiler/fuzz/seeds.js';
import { allBundledPte, chance, checkFormatting, int, mulberry32, pick, readRepo, type Rng } from './helpers.js';

const BASE_SEED = Number(process.env['PTELAB_FMT_FUZZ_SEED'] ?? 0xf0f0_0001) >>> 0;
const SCALE = Number(process.env['PTELAB_FMT_FUZZ_SCALE'] ?? 1);

/** A spec exercising the behaviour half, with comments in awkward places. */
const HANDLERS = `spec h "handlers" // header
import "x.pte"
fn pte_modify(p: pte, w: int) = p with { RW = w, DIRTY = (p.DIRTY | p.SAVED_DIRTY) & w, // keep dirty
  SAVED_DIRTY = (p.DIRTY | p.SAVED_DIRTY) & !w }
fn mk(pfn: int) = present(PFN = pfn, USER = 1, /* x */ NX = 1)
decision d = !vma.uffd_wp && (vma.anon || vma.shmem) // d
path zap {
  case none { keep }
    // none stays none
  case present as p {
    let page = vm_normal_page(p.PFN)
    clear
    if page { rss_dec(mm_counter(page)); put_page(page) }
    else if p.RW { warn "x" } // odd
    else {
      // nothing
    }
  }
  before case swap as s when s.TYPE > 3 && !zap.drop { swap_free(s.TYPE, s.OFFSET); clear }
  override case pte_marker as m when m.PTE_MARKER_UFFD_WP { if vma.anon || zap.drop_markers { clear } }
  default { warn "zap: unexpected"; clear } /* end */
}
`;

function seeds(): { name: string; text: string }[] {
  const out = [
    ...Object.entries(SEEDS).map(([name, text]) => ({ name, text })),
    { name: 'X86', text: X86 },
    { name: 'HANDLERS', text: HANDLERS },
  ];
  return out.filter((s) => parses(s.text));
}

function parses(text: string): boolean {
  return !parseSpec({ path: 'f.pte', text }).diagnostics.some((d) => d.severity === 'error');
}

// ----------------------------------------------------------------------------------------------------- mutations

interface Gap {
  /** Offset where the gap between two tokens starts and ends (the whitespace between them). */
  readonly start: number;
  readonly end: number;
  /** The token before the gap is a line comment (the gap must keep a line break). */
  readonly afterLineComment: boolean;
}

function gaps(text: string): Gap[] {
  const lexed = specLexer.tokenize(text);
  const toks = [...lexed.tokens, ...(lexed.groups['comments'] ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const out: Gap[] = [];
  let prevEnd = 0;
  let prevLine = false;
  for (const t of toks) {
    out.push({ start: prevEnd, end: t.startOffset, afterLineComment: prevLine });
    prevEnd = t.startOffset + t.image.length;
    prevLine = t.tokenType.name === 'LineComment';
  }
  out.push({ start: prevEnd, end: text.length, afterLineComment: prevLine });
  return out;
}

type Edit = { at: number; end: number; text: string };

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at || b.end - a.end)) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}

let commentId = 0;
function comment(r: Rng, afterLineComment: boolean): string {
  const id = ++commentId;
  switch (int(r, 5)) {
    case 0:
      return ` // c${id}\n`;
    case 1:
      return `\n// c${id}\n`;
    case 2:
      return `\n    // c${id} indented\n`;
    case 3:
      return `${afterLineComment ? '\n' : ' '}/* c${id}\n   more ${id} */ `;
    default:
      return `${afterLineComment ? '\n' : ' '}/* c${id} */ `;
  }
}

function insertComments(r: Rng, text: string, n: number): string {
  const gs = gaps(text);
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) {
    const g = pick(r, gs);
    const at = chance(r, 0.5) ? g.start : g.end;
    edits.push({ at, end: at, text: comment(r, at === g.start && g.afterLineComment) });
  }
  return applyEdits(text, edits);
}

const SPACES = [' ', '\n', '\n\n\n', '  \n    ', '\t', '\n\n', ' \t '];
function reshuffle(r: Rng, text: string, n: number): string {
  const gs = gaps(text).filter((g) => g.end > g.start);
  const edits: Edit[] = [];
  const used = new Set<number>();
  for (let i = 0; i < n && gs.length > 0; i++) {
    const g = pick(r, gs);
    if (used.has(g.start)) continue;
    used.add(g.start);
    let s = pick(r, SPACES);
    if (g.afterLineComment && !s.includes('\n')) s = '\n';
    edits.push({ at: g.start, end: g.end, text: s });
  }
  return applyEdits(text, edits);
}

/** Ranges of the expressions that may be parenthesized (not bit positions nor the word size). */
function exprRanges(ast: A.SpecFile): A.Expr[] {
  const out: A.Expr[] = [];
  const e = (x: A.Expr | undefined): void => {
    if (!x) return;
    out.push(x);
    switch (x.type) {
      case 'Binary':
        e(x.left);
        e(x.right);
        break;
      case 'Unary':
        e(x.operand);
        break;
      case 'Member':
        e(x.object);
        break;
      case 'Call':
        x.args.forEach((a) => e(a.value));
        break;
      case 'With':
        e(x.base);
        x.fields.forEach((f) => e(f.value));
        break;
      default:
        break;
    }
  };
  const stmts = (ss: readonly A.Stmt[]): void => {
    for (const s of ss) {
      switch (s.type) {
        case 'SetStmt':
        case 'CopyStmt':
        case 'LetStmt':
          e(s.value);
          break;
        case 'ExprStmt':
          e(s.expr);
          break;
        case 'IfStmt':
          e(s.cond);
          stmts(s.then);
          stmts(s.else ?? []);
          break;
        case 'CallStmt':
          s.args.forEach((a) => e(a.value));
          break;
        default:
          break;
      }
    }
  };
  for (const it of ast.items) {
    switch (it.type) {
      case 'ConstDecl':
        e(it.value);
        break;
      case 'PredicateDecl':
        e(it.body);
        break;
      case 'KindDecl':
        e(it.when);
        break;
      case 'FnDecl':
      case 'DecisionDecl':
        e(it.body);
        break;
      case 'SwapDecl':
        it.entries.forEach((x) => e(x.value));
        break;
      case 'PathDecl':
        for (const c of it.cases) {
          e(c.guard);
          stmts(c.body);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

function addParens(r: Rng, text: string, n: number): string {
  const exprs = exprRanges(parseSpec({ path: 'f.pte', text }).ast);
  if (exprs.length === 0) return text;
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) {
    const x = pick(r, exprs);
    edits.push({ at: x.range.start.offset, end: x.range.start.offset, text: '(' }, { at: x.range.end.offset, end: x.range.end.offset, text: ')' });
  }
  return applyEdits(text, edits);
}

function addSemicolons(r: Rng, text: string, n: number): string {
  const ast = parseSpec({ path: 'f.pte', text }).ast;
  const ends: number[] = [];
  const members = (ms: readonly A.FieldMember[]): void => {
    for (const m of ms) {
      ends.push(m.range.end.offset);
      if (m.type === 'SubFields') members(m.members);
    }
  };
  const stmts = (ss: readonly A.Stmt[]): void => {
    for (const s of ss) {
      ends.push(s.range.end.offset);
      if (s.type === 'IfStmt') {
        stmts(s.then);
        stmts(s.else ?? []);
      }
    }
  };
  for (const it of ast.items) {
    if (it.type === 'FormatDecl') members(it.members);
    if (it.type === 'SwapDecl') it.entries.forEach((x) => ends.push(x.range.end.offset));
    if (it.type === 'PathDecl') it.cases.forEach((c) => stmts(c.body));
  }
  if (ends.length === 0) return text;
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) {
    const at = pick(r, ends);
    edits.push({ at, end: at, text: ';' });
  }
  return applyEdits(text, edits);
}

function mutate(r: Rng, text: string): string {
  let out = text;
  const steps = 1 + int(r, 4);
  for (let i = 0; i < steps; i++) {
    const before = out;
    switch (int(r, 4)) {
      case 0:
        out = insertComments(r, out, 1 + int(r, 8));
        break;
      case 1:
        out = reshuffle(r, out, 1 + int(r, 12));
        break;
      case 2:
        out = addParens(r, out, 1 + int(r, 4));
        break;
      default:
        out = addSemicolons(r, out, 1 + int(r, 3));
        break;
    }
    if (!parses(out)) out = before;
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------- generator

const NAMES = ['a', 'b', 'TYPE', 'PRESENT', 'word', 'x', 'vma', 'p', 'with', 'swap', 'when', 'else', 'keep'];
const NUMS = ['0', '1', '3', '0x60', '0xffff_ffff', '0b101', '1_000'];
const BIN = ['||', '&&', '==', '!=', '<', '<=', '>', '>=', '|', '^', '&', '<<', '>>', '+', '-', '*'];

function atom(r: Rng, d: number): string {
  if (d <= 0 || chance(r, 0.25)) return chance(r, 0.7) ? pick(r, NAMES.slice(0, 8)) : pick(r, NUMS);
  switch (int(r, 4)) {
    case 0:
      return `(${expr(r, d - 1)})`;
    case 1:
      return `${pick(r, ['f', 'g', 'present'])}(${Array.from({ length: int(r, 3) }, () => (chance(r, 0.5) ? `${pick(r, ['A', 'B'])} = ${expr(r, d - 1)}` : expr(r, d - 1))).join(', ')})`;
    case 2:
      return `${atom(r, d - 1)}.${pick(r, ['RW', 'PFN', 'anon'])}`;
    default:
      return pick(r, NAMES);
  }
}

function postfix(r: Rng, d: number): string {
  const a = atom(r, d);
  return chance(r, 0.15) ? `${a} with { ${Array.from({ length: int(r, 3) }, () => `${pick(r, ['RW', 'DIRTY'])} = ${expr(r, d - 1)}`).join(', ')} }` : a;
}

function expr(r: Rng, d: number): string {
  if (d <= 0 || chance(r, 0.2)) return postfix(r, d);
  if (chance(r, 0.2)) return `${pick(r, ['!', '~', '-'])}${chance(r, 0.5) ? `(${expr(r, d - 1)})` : postfix(r, d - 1)}`;
  const left = expr(r, d - 1);
  const right = expr(r, d - 1);
  const wrap = (s: string) => (chance(r, 0.5) ? `(${s})` : s);
  return `${wrap(left)} ${pick(r, BIN)} ${wrap(right)}`;
}

function stmt(r: Rng, d: number): string {
  switch (int(r, 10)) {
    case 0:
      return `set ${expr(r, 2)}`;
    case 1:
      return `copy ${expr(r, 2)}`;
    case 2:
      return pick(r, ['clear', 'keep', 'retry', 'return', 'warn "w \\" x"']);
    case 3:
      return `let v${int(r, 9)} = ${expr(r, 2)}`;
    case 4:
      return d > 0 ? `if ${expr(r, 2)} ${block(r, d - 1)}${chance(r, 0.5) ? `${chance(r, 0.5) ? '\n' : ' '}else ${chance(r, 0.4) ? stmtIf(r, d - 1) : block(r, d - 1)}` : ''}` : 'keep';
    case 5:
      return `call q${chance(r, 0.5) ? ` with { A = ${expr(r, 1)}${chance(r, 0.5) ? `, B = ${expr(r, 1)}` : ''} }` : ''}`;
    case 6:
      return `-${postfix(r, 1)}`;
    case 7:
      return `(${expr(r, 2)}).RW`;
    default:
      return expr(r, 2);
  }
}

function stmtIf(r: Rng, d: number): string {
  return `if ${expr(r, 1)} ${block(r, d)}${chance(r, 0.5) ? ` else ${block(r, d)}` : ''}`;
}

function block(r: Rng, d: number): string {
  const n = int(r, 4);
  const ss = Array.from({ length: n }, () => stmt(r, d));
  const multi = chance(r, 0.5);
  return multi ? `{\n${ss.map((s) => `  ${s}${chance(r, 0.5) ? ';' : ''}`).join('\n')}\n}` : `{ ${ss.join('; ')} }`;
}

function generated(r: Rng): string {
  const items: string[] = ['spec g "generated"', 'word 64', 'format f { bit 0 A; bits 1..9 B inverted; alias C = A; in B { bit 0 D } }'];
  const n = 2 + int(r, 6);
  for (let i = 0; i < n; i++) {
    switch (int(r, 7)) {
      case 0:
        items.push(`const K${i} = ${expr(r, 3)}`);
        break;
      case 1:
        items.push(`predicate p${i} on f = ${expr(r, 3)}${chance(r, 0.5) ? ' means k1, k2, k3' : ''}`);
        break;
      case 2:
        items.push(`kind k${i} : f when ${expr(r, 3)}${chance(r, 0.5) ? ' refs slot(TYPE, OFFSET)' : ''}`);
        break;
      case 3:
        items.push(`fn fn${i}(x: f, y: int) = ${expr(r, 3)}`);
        break;
      case 4:
        items.push(`decision d${i} = ${expr(r, 3)}`);
        break;
      case 5:
        items.push(`swap { MAX_SWAPFILES_SHIFT = ${expr(r, 1)}\n  G${i}_NUM = 1 { T${i} }${chance(r, 0.5) ? ' before X' : ''} }`);
        break;
      default:
        items.push(
          `path pa${i} {\n${Array.from({ length: 1 + int(r, 3) }, (_, j) => `  ${chance(r, 0.2) ? 'default' : `${pick(r, ['', 'before ', 'override '])}case k${j}${chance(r, 0.5) ? ' as x' : ''}${chance(r, 0.4) ? ` when ${expr(r, 2)}` : ''}`} ${block(r, 2)}`).join('\n')}\n}`,
        );
        break;
    }
    if (chance(r, 0.3)) items.push('');
  }
  return items.join('\n') + '\n';
}

// ----------------------------------------------------------------------------------------------------- the runs

function fuzz(label: string, cases: number, seedOffset: number, make: (r: Rng) => string | undefined): void {
  it(`${label}: ${cases} cases`, async () => {
    let ran = 0;
    for (let i = 0; i < cases; i++) {
      const seed = (BASE_SEED + seedOffset + i) >>> 0;
      const text = make(mulberry32(seed));
      if (text === undefined || !parses(text)) continue;
      ran++;
      try {
        await checkFormatting(text);
      } catch (e) {
        throw new Error(`${label}: case failed (PTELAB_FMT_FUZZ_SEED=${seed - seedOffset - i}, case ${i}, seed ${seed}):\n${(e as Error).message}\n--- input ---\n${text}`);
      }
    }
    if (ran < cases / 2) throw new Error(`${label}: only ${ran} of ${cases} cases parsed`);
  });
}

describe('formatting fuzzed specs', () => {
  const small = seeds();
  const bundled = allBundledPte().map((f) => readRepo(f));
  fuzz('mutated seed specs', Math.round(400 * SCALE), 0, (r) => mutate(r, pick(r, small).text));
  fuzz('mutated bundled specs', Math.round(12 * SCALE), 100_000, (r) => mutate(r, pick(r, bundled)));
  fuzz('generated specs', Math.round(400 * SCALE), 200_000, (r) => generated(r));
  fuzz('generated specs with comments', Math.round(300 * SCALE), 300_000, (r) => insertComments(r, generated(r), 1 + int(r, 10)));
});
