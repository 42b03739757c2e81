// Tokens the .pte and .scn languages share (layout, comments, literals, punctuation), declared once, and the
// keyword factory both use. A comment or string never spans a line break (\n, \r\n or a lone \r: Chevrotain counts
// all three). Each language adds its own keywords and operators and fixes its own token order.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, label: 'a string' });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*/, label: 'a number' });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });
export const Assign = createToken({ name: 'Assign', pattern: /=/, label: "'='" });
export const Bang = createToken({ name: 'Bang', pattern: /!/, label: "'!'" });

/**
 * A keyword factory for a language whose names are `identifier` tokens. Contextual keywords are also in the
 * Identifier category (a .pte kind may be called `swap`); reserved ones are not (a .scn mm may not be called `write`).
 */
export function keywordFactory(identifier: TokenType, contextual: boolean): { readonly keyword: (word: string) => TokenType; readonly tokens: TokenType[] } {
  const tokens: TokenType[] = [];
  const keyword = (word: string): TokenType => {
    const t = createToken({
      name: `Kw_${word}`,
      pattern: new RegExp(`${word}(?![A-Za-z0-9_])`),
      longer_alt: identifier,
      ...(contextual ? { categories: [identifier] } : {}),
      label: `'${word}'`,
    });
    tokens.push(t);
    return t;
  };
  return { keyword, tokens };
}
