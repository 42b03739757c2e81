// The check fmt makes of its output before writing it (checkFormattedSpec in apps/fmt/format.ts): it parses, it means
// the same, it keeps every comment. sameItems (apps/fmt/same-items.ts) proves the first two item by item, parsing
// again only the items whose tokens changed. It must prove them for what the formatter prints (else fmt pays for a
// whole second parse again), and must never claim them when parsing the whole output disagrees: hand-made cases,
// and seeded token edits of formatted specs compared with the whole parse.
import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { checkFormattedSpec, FormatCheckError } from '../../../apps/fmt/format.js';
import { sameItems } from '../../../apps/fmt/same-items.js';
import { sameMeaning } from '../../../apps/fmt/same-meaning.js';
import { specLexer } from '../../../grammar/lexer.js';
import { parseSpec } from '../../../grammar/parse.js';
import { X86 } from '../../helpers.js';
import { allBundledPte, fmt, int, mulberry32, parseOk, pick, readRepo, type Rng } from './helpers.js';
import { scaled } from '../../helpers/scale.js';

const lines = (...ls: string[]) => ls.join('\n') + '\n';
const tokensOf = (text: string) => specLexer.tokenize(text).tokens;

/** sameItems' verdict on `after` as the output for the input `before`. */
const proved = (before: string, after: string): boolean => sameItems(parseOk(before), tokensOf(after), 'f.pte');

/** What parsing the whole of `after` says: no syntax error, and the AST of `before`, positions aside. */
function wholeParseAgrees(before: string, after: string): boolean {
  const a = parseSpec({ path: 'f.pte', text: after });
  return !a.diagnostics.some((d) => d.severity === 'error') && sameMeaning(parseOk(before).ast, a.ast);
}

/** Tokens after which a number is an operand (so parentheses around it are redundant). */
const BEFORE_OPERAND = new Set(['Assign', 'EqEq', 'NotEq', 'Lt', 'Gt', 'LtEq', 'GtEq', 'Plus', 'Minus', 'Star', 'Pipe', 'Amp', 'Caret', 'Shl', 'Shr', 'AndAnd', 'OrOr']);

/** Indexes of the number tokens that are operands. */
function numberOperands(toks: readonly IToken[]): number[] {
  const out: number[] = [];
  toks.forEach((t, i) => {
    if (t.tokenType.name === 'NumberLiteral' && i > 0 && BEFORE_OPERAND.has(toks[i - 1]!.tokenType.name)) out.push(i);
  });
  return out;
}

/** Parentheses around every number that is an operand: redundant, fmt drops them. */
function parenthesizeNumbers(text: string): string {
  const toks = tokensOf(text);
  let out = '';
  let at = 0;
  for (const i of numberOperands(toks)) {
    const t = toks[i]!;
    out += `${text.slice(at, t.startOffset)}(${t.image})`;
    at = t.startOffset + t.image.length;
  }
  return out + text.slice(at);
}

const HANDLERS = lines(
  'spec h "handlers" // header',
  'word 64',
  'format pte { bit 0 PRESENT; bits 1..2 B inverted ; in B { bit 0 D; bit 1 E } }',
  'const A = ((1 << 3)) - (1)',
  'predicate p on pte = ((PRESENT && B)) || (D) && !(E || B) means k',
  'kind k : pte when (PRESENT) refs page(B)',
  'fn g(x: pte) = (x with { B = 1 }).B + (-x.B) - (x.D).E',
  'decision d = (!vma.uffd_wp) && (vma.anon || (vma.shmem))',
  'path zap {',
  '  case none { keep; }',
  '  case present as p { let page = vm_normal_page((p.PFN)); (keep).RW; clear; }',
  '  default { warn "zap"; (clear); }',
  '}',
);

describe('sameItems', () => {
  it('proves what the formatter prints, parentheses and semicolons dropped', async () => {
    const out = await fmt(HANDLERS);
    expect(tokensOf(out).length).toBeLessThan(tokensOf(HANDLERS).length);
    expect(proved(HANDLERS, out)).toBe(true);
  });

  it('proves the formatted bundled specs, with redundant parentheses added to them first', async () => {
    let changed = 0;
    for (const file of allBundledPte()) {
      const input = parenthesizeNumbers(readRepo(file));
      if (input === readRepo(file)) continue; // no number operand (a proposal that mostly imports)
      const out = await fmt(input, file);
      expect(out, file).not.toBe(input);
      expect(proved(input, out), file).toBe(true);
      changed++;
    }
    expect(changed).toBeGreaterThan(5);
  });

  it('claims nothing for an output that means something else or does not parse', () => {
    const no = (before: string, after: string) => {
      expect(wholeParseAgrees(before, after), after).toBe(false);
      expect(proved(before, after), after).toBe(false);
    };
    no('const A = a - b - c\n', 'const A = a - (b - c)\n'); // regrouped
    no('path p { case none { let a = b; (c).d } }\n', 'path p { case none { let a = b (c).d } }\n'); // `;` dropped: b(c).d
    no('kind k : f when A\nconst B = 1\n', 'kind k : f when A\nconst B = 2\n'); // a token changed
    no('word 64\nconst B = 1\n', 'word 64\n'); // an item lost
    no('word 64\n', 'word 64;\n'); // a stray `;`
    no('spec t "d"\nword 64\n', 'spec t "e"\nword 64\n'); // the header changed
    no('const A = (a)\n', 'const A = (a\n'); // does not parse
  });

  it('never claims what parsing the whole output denies, on seeded token edits of formatted specs', async () => {
    const bases = [await fmt(X86), await fmt(HANDLERS)];
    const tally = { provedSame: 0, refusedDifferent: 0, refusedSame: 0 };
    const edits = scaled(600, 150);
    for (let seed = 1; seed <= edits; seed++) {
      const r = mulberry32(seed);
      const before = pick(r, bases);
      const after = tokenEdit(r, before);
      const fast = proved(before, after);
      const whole = wholeParseAgrees(before, after);
      if (fast) expect(whole, `seed ${seed}: sameItems proved an output the whole parse rejects:\n${after}`).toBe(true);
      if (fast) tally.provedSame++;
      else if (whole) tally.refusedSame++;
      else tally.refusedDifferent++;
    }
    // Both verdicts are exercised: edits that keep the meaning (redundant parentheses) and edits that do not.
    expect(tally.provedSame).toBeGreaterThan(edits / 12);
    expect(tally.refusedDifferent).toBeGreaterThan(edits / 12);
  });
});

/**
 * One random edit at the token level: drop, duplicate or swap tokens, add parentheses (around a number operand:
 * redundant; around a few tokens: anything), drop parentheses or `;`, add `;`, change an operator.
 */
function tokenEdit(r: Rng, text: string): string {
  const toks = tokensOf(text);
  const i = int(r, toks.length);
  const t = toks[i]!;
  const at = (k: number) => toks[Math.min(k, toks.length - 1)]!;
  const end = (k: number) => at(k).startOffset + at(k).image.length;
  const splice = (from: number, to: number, s: string) => text.slice(0, from) + s + text.slice(to);
  switch (int(r, 9)) {
    case 0:
      return splice(t.startOffset, end(i), '');
    case 1:
      return splice(t.startOffset, t.startOffset, `${t.image} `);
    case 2: {
      const u = at(i + 1);
      return u === t ? text : splice(t.startOffset, end(i + 1), `${u.image} ${t.image}`);
    }
    case 3: {
      // Parentheses around tokens i..j: redundant around a whole operand, wrong or a syntax error elsewhere.
      const j = Math.min(toks.length - 1, i + int(r, 4));
      return `${text.slice(0, t.startOffset)}(${text.slice(t.startOffset, end(j))})${text.slice(end(j))}`;
    }
    case 4: {
      const p = toks.filter((x) => x.image === '(' || x.image === ')' || x.image === ';');
      const q = p.length > 0 ? pick(r, p) : t;
      return splice(q.startOffset, q.startOffset + q.image.length, '');
    }
    case 5:
      return splice(end(i), end(i), ';');
    case 6:
    case 7: {
      const n = numberOperands(toks);
      const q = n.length > 0 ? toks[pick(r, n)]! : t;
      return splice(q.startOffset, q.startOffset + q.image.length, `(${q.image})`);
    }
    default: {
      const ops = ['+', '-', '|', '&', '==', '&&', '||', '<<'];
      const o = toks.filter((x) => ops.includes(x.image));
      const q = o.length > 0 ? pick(r, o) : t;
      return splice(q.startOffset, q.startOffset + q.image.length, pick(r, ops));
    }
  }
}

describe('checkFormattedSpec', () => {
  const src = 'const A = (1) // one\nconst B = 2\n';
  const check = (out: string) => () => checkFormattedSpec(parseOk(src), out, 'f.pte');

  it("passes the formatter's output", async () => {
    expect(check(await fmt(src))).not.toThrow();
  });

  it('throws FormatCheckError for an output that does not parse, means something else or loses a comment', () => {
    expect(check('const A = 1 + // one\nconst B = 2\n')).toThrow(/produced text that does not parse/);
    expect(check('const A = 2 // one\nconst B = 2\n')).toThrow(/changed its meaning/);
    expect(check('const A = 1\nconst B = 2\n')).toThrow('would lose or reorder the comment "// one"');
    expect(check('const A = 1\nconst B = 2\n')).toThrow(FormatCheckError);
  });
});
