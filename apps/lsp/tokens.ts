// The token under the cursor and the ones before it, from the same lexers the parsers use.
import type { IToken } from 'chevrotain';
import { specLexer } from '../../grammar/lexer.js';
import { scenarioLexer } from '../../runtime/scenario/lexer.js';
import type { Lang } from './workspace.js';

export interface TokenAt {
  readonly token: IToken;
  /** Index in `tokens`. */
  readonly index: number;
  readonly tokens: readonly IToken[];
}

export function lex(text: string, lang: Lang): IToken[] {
  return (lang === 'scn' ? scenarioLexer : specLexer).tokenize(text).tokens;
}

/** The code token that contains `offset` or ends right at it (the cursor just after a name still names it). */
export function tokenAt(text: string, lang: Lang, offset: number): TokenAt | undefined {
  const tokens = lex(text, lang);
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid]!;
    const end = t.startOffset + t.image.length;
    if (offset < t.startOffset) hi = mid - 1;
    else if (offset > end) lo = mid + 1;
    else {
      // Between two tokens that touch (`a.b` at the dot), prefer the one that starts at the cursor if it is a word.
      const next = tokens[mid + 1];
      if (offset === end && next && next.startOffset === offset && /^\w/.test(next.image)) return { token: next, index: mid + 1, tokens };
      return { token: t, index: mid, tokens };
    }
  }
  return undefined;
}

export function isWord(t: IToken): boolean {
  return /^[A-Za-z_]\w*$/.test(t.image);
}
