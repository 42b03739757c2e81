// The formatter's check that its output parses to the same spec, without parsing the whole output again (that
// second run of the front end was about a third of `ptelab fmt`'s time on large specs, garbage collection included).
// Only the top-level items whose tokens changed are parsed again, each on its own; the others are proved the same by
// their tokens. Whatever this cannot prove, the caller settles by parsing the whole output (format.ts).
import type { IToken, TokenType } from 'chevrotain';
import { buildItem } from '../../grammar/cst-to-ast.js';
import { LParen, RParen, Semicolon } from '../../grammar/lexer.js';
import type { ParseResult } from '../../grammar/parse.js';
import { MAX_LOOKAHEAD, specParser } from '../../grammar/parser.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { sameData } from './same-meaning.js';

/** The tokens formatting may add or drop: grouping parentheses and optional semicolons (docs/fmt.md). */
const LOOSE: ReadonlySet<TokenType> = new Set([LParen, RParen, Semicolon]);

const sameToken = (a: IToken | undefined, b: IToken | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.tokenType === b.tokenType && a.image === b.image;

/**
 * True when `after` (the code tokens of the formatted text) provably parses, without errors, to the header and
 * items of `before` (an error-free parse of the input), source positions aside; false when this cannot prove it.
 *
 * Why it holds: the parser is LL(k), k = MAX_LOOKAHEAD, and keeps no state but its rule stack; a spec is an
 * optional header and then top-level items, each parsed from the same state (the `item*` loop of `specFile`, which
 * enters on any token an item can start with). So how an item parses is fixed by its own tokens and the k tokens
 * after it. Set aside the tokens formatting may change (`(`, `)`, `;`) and the two streams must be equal; that maps
 * each item's first token in `before` to its place in `after`, and cuts `after` into the same segments. Then, from
 * the start of the file on, a segment parses as its `before` counterpart did when
 * - its tokens and the k tokens after them are those of `before` (types and images): the same parse; or
 * - it is an item, and parsed on its own, the k tokens after it in view, it is one item that ends exactly where
 *   the segment does, with no error, and builds the same AST as the `before` item.
 */
export function sameItems(before: ParseResult, after: readonly IToken[], file: string): boolean {
  if (hasErrors(before.diagnostics)) return false;
  const b = before.tokens;
  const items = before.ast.items;

  // Segment starts in `before`: 0 (the header, possibly empty), then each item's first token. Each item must end
  // where the next begins (the last at the end of the input): the segments are exactly the items.
  const bStarts: number[] = [0];
  const endsAt = (k: number, t: number) => items[k]!.range.end.offset === b[t - 1]!.endOffset! + 1;
  let t = 0;
  for (let k = 0; k < items.length; k++) {
    while (t < b.length && b[t]!.startOffset < items[k]!.range.start.offset) t++;
    if (b[t]?.startOffset !== items[k]!.range.start.offset || LOOSE.has(b[t]!.tokenType)) return false;
    if (k > 0 && !endsAt(k - 1, t)) return false;
    bStarts.push(t);
  }
  if (items.length > 0 && !endsAt(items.length - 1, b.length)) return false;

  // The same segments in `after`: walk both streams with the loose tokens set aside.
  const aStarts: number[] = [0];
  let j = 0;
  let next = 1;
  for (let i = 0; i < b.length; i++) {
    if (LOOSE.has(b[i]!.tokenType)) continue;
    while (j < after.length && LOOSE.has(after[j]!.tokenType)) j++;
    if (!sameToken(b[i], after[j])) return false;
    if (bStarts[next] === i) {
      aStarts.push(j);
      next++;
    }
    j++;
  }
  while (j < after.length && LOOSE.has(after[j]!.tokenType)) j++;
  if (j !== after.length || aStarts.length !== bStarts.length) return false;

  const parser = specParser();
  for (let s = 0; s < bStarts.length; s++) {
    const [b0, b1] = [bStarts[s]!, bStarts[s + 1] ?? b.length];
    const [a0, a1] = [aStarts[s]!, aStarts[s + 1] ?? after.length];
    if (sameWindow(b, b0, b1, after, a0, a1)) continue;
    if (s === 0) return false; // the header: formatting never changes its tokens
    parser.input = after.slice(a0, Math.min(a1 + MAX_LOOKAHEAD, after.length));
    const cst = parser.item();
    const errors = parser.errors;
    // Parsed as the root rule, the item reports the first token it left unparsed: it must be the next segment's.
    const endsRight = a1 === after.length ? errors.length === 0 : errors.length === 1 && errors[0]!.name === 'NotAllInputParsedException' && errors[0]!.token === after[a1];
    if (!endsRight) return false;
    const item = buildItem(cst, file);
    if (item === undefined || !sameData(item, items[s - 1])) return false;
  }
  return true;
}

/** The same tokens in b[b0, b1) and a[a0, a1), and the same MAX_LOOKAHEAD tokens (or end of input) after them. */
function sameWindow(b: readonly IToken[], b0: number, b1: number, a: readonly IToken[], a0: number, a1: number): boolean {
  if (b1 - b0 !== a1 - a0) return false;
  for (let i = 0; i < b1 - b0 + MAX_LOOKAHEAD; i++) if (!sameToken(b[b0 + i], a[a0 + i])) return false;
  return true;
}
