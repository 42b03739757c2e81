// parse(text) -> AST + diagnostics. Lexer and parser errors become PTE001 diagnostics; recovery lets one run
// report several of them.
import type { IRecognitionException, IToken } from 'chevrotain';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { SpecFile } from './ast.js';
import { buildSpecFile } from './cst-to-ast.js';
import { specLexer } from './lexer.js';
import { specParser } from './parser.js';
import type { SourceFile } from '../core/source.js';
import { endOfInputRange, isEof, lexErrorDiagnostics, ruleHint, tokenRange } from '../core/chevrotain-diagnostics.js';

const DOC = 'docs/language.md';

export interface ParseResult {
  readonly ast: SpecFile;
  readonly comments: readonly IToken[];
  /** The code tokens (what the formatter's trivia would otherwise lex again). */
  readonly tokens: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

export function parseSpec(source: SourceFile): ParseResult {
  const { path: file, text } = source;
  const diagnostics: Diagnostic[] = [];
  const lexed = specLexer.tokenize(text);
  diagnostics.push(...lexErrorDiagnostics(lexed.errors, source, DOC));
  const parser = specParser();
  parser.input = lexed.tokens;
  const cst = parser.specFile();
  for (const e of parser.errors) diagnostics.push(parseError(e, file, text));
  const ast = buildSpecFile(cst, file, text.length);
  return { ast, comments: lexed.groups['comments'] ?? [], tokens: lexed.tokens, diagnostics };
}

function parseError(e: IRecognitionException, file: string, text: string): Diagnostic {
  const t = e.token;
  const range = isEof(t) ? endOfInputRange(text, file) : tokenRange(t, file);
  const found = isEof(t) ? 'end of file' : `'${t.image}'`;
  const expected = summariseExpected(e.message);
  const message = expected ? `expected ${expected} but found ${found}` : `unexpected ${found}`;
  return diag('PTE001', range, message, ruleHint(e.context?.ruleStack ?? [], ruleHints, DOC));
}

/** Chevrotain's messages list every alternative path; we keep the set of first tokens, which is what a person needs. */
function summariseExpected(message: string): string | undefined {
  const expecting = message.split(/\bbut found\b/)[0] ?? '';
  const arrow = /-->\s*(.*?)\s*<--/.exec(expecting); // MismatchedTokenException: "Expecting token of type --> X <--"
  const quoted = arrow ? [arrow[1]!] : [...expecting.matchAll(/(?:\[|<|')([^\]>']+)(?:\]|>|')/g)].map((m) => m[1]!);
  const names = new Set<string>();
  for (const q of quoted) {
    for (const part of q.split(/,\s*/)) {
      const p = part.trim();
      if (!p || p === 'EOF' || /but found/.test(p)) continue;
      names.add(p === 'Identifier' ? 'a name' : p === 'NumberLiteral' ? 'a number' : p === 'StringLiteral' ? 'a string' : p.replace(/^'|'$/g, ''));
    }
  }
  const list = [...names].slice(0, 8).map((n) => (n.startsWith('a ') ? n : `'${n}'`));
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : `one of ${list.join(', ')}`;
}

const ruleHints: Record<string, string> = {
  formatDecl: "a format is 'format NAME [extends BASE] { bit N NAME; bits LO..HI NAME [inverted]; alias A = B; in F { ... } }'",
  swapDecl: "the swap table is 'swap { MAX_SWAPFILES_SHIFT = 5  GROUP_NUM = n { TYPE, ... } }'",
  kindDecl: "a kind is 'kind NAME : FORMAT when CONDITION [refs page(FIELD) | refs slot(TYPE, OFFSET)]'",
  predicateDecl: "a predicate is 'predicate NAME on FORMAT = CONDITION [means KIND, ...]'",
  header: "the header is 'spec NAME [extends \"base.pte\"] \"description\"'",
  constDecl: "a constant is 'const NAME = EXPRESSION'",
};
