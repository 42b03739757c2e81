// Tokens of the .pte language, declared once. Keywords are contextual: each keyword token is also in the
// Identifier category, so `swap` can be both the swap-table keyword and the canonical kind name `swap`.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from '../core/chevrotain.js';
import { Arrow, Assign, Bang, BlockComment, Comma, keywordFactory, LBrace, LineComment, NumberLiteral, RBrace, Semicolon, StringLiteral, WhiteSpace } from '../core/chevrotain-tokens.js';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

const { keyword, tokens: keywordTokens } = keywordFactory(Identifier, true);

export const Spec = keyword('spec');
export const Extends = keyword('extends');
export const Word = keyword('word');
export const Format = keyword('format');
export const Bits = keyword('bits');
export const Bit = keyword('bit');
export const Inverted = keyword('inverted');
export const Alias = keyword('alias');
export const Override = keyword('override');
export const Remove = keyword('remove');
export const Rename = keyword('rename');
export const In = keyword('in');
export const Swap = keyword('swap');
export const Const = keyword('const');
export const Predicate = keyword('predicate');
export const On = keyword('on');
export const Means = keyword('means');
export const Kind = keyword('kind');
export const When = keyword('when');
export const Refs = keyword('refs');
export const Before = keyword('before');
export const With = keyword('with');
export const Import = keyword('import');
export const Fn = keyword('fn');
export const Decision = keyword('decision');
export const Path = keyword('path');
export const Case = keyword('case');
export const Default = keyword('default');
export const As = keyword('as');
export const If = keyword('if');
export const Else = keyword('else');
export const Set = keyword('set');
export const Copy = keyword('copy');
export const Clear = keyword('clear');
export const Keep = keyword('keep');
export const Let = keyword('let');
export const Call = keyword('call');
export const Retry = keyword('retry');
export const Return = keyword('return');
export const Warn = keyword('warn');
export const Level = keyword('level');

export { Arrow, Assign, Bang, BlockComment, Comma, LBrace, LineComment, NumberLiteral, RBrace, Semicolon, StringLiteral, WhiteSpace } from '../core/chevrotain-tokens.js';
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./, label: "'..'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });

export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/, label: "'||'" });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/, label: "'&&'" });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, label: "'=='" });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: "'!='" });
export const LtEq = createToken({ name: 'LtEq', pattern: /<=/, label: "'<='" });
export const GtEq = createToken({ name: 'GtEq', pattern: />=/, label: "'>='" });
export const Shl = createToken({ name: 'Shl', pattern: /<</, label: "'<<'" });
export const Shr = createToken({ name: 'Shr', pattern: />>/, label: "'>>'" });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'" });
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, label: "'~'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
export const Caret = createToken({ name: 'Caret', pattern: /\^/, label: "'^'" });
export const Amp = createToken({ name: 'Amp', pattern: /&/, label: "'&'" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });

// Order matters: comments before operators, longer operators before their prefixes, keywords before Identifier.
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  NumberLiteral,
  Arrow,
  LBrace, RBrace, LParen, RParen, Comma, Semicolon, Colon, DotDot, Dot,
  OrOr, AndAnd, EqEq, NotEq, LtEq, GtEq, Shl, Shr, Lt, Gt, Assign, Bang, Tilde, Pipe, Caret, Amp, Plus, Minus, Star,
  ...keywordTokens,
  Identifier,
];

export const keywords: readonly TokenType[] = keywordTokens;

/** The lexer's options; `skipValidations`: the token definitions are checked by a test (test/grammar/definitions.test.ts), not on every start. */
export const SPEC_LEXER_CONFIG = { positionTracking: 'full', ensureOptimizations: false } as const;

export const specLexer = new Lexer(allTokens, { ...SPEC_LEXER_CONFIG, skipValidations: true });
