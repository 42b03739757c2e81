// parse(text) -> AST + diagnostics. Lexer and parser errors become PTE001 diagnostics; recovery lets one run
// report several of them.
import type { IRecognitionException, IToken } from 'chevrotain';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { SpecFile } from './ast.js';
import { buildSpecFile } from './cst-to-ast.js';
import { specLexer } from './lexer.js';
import { specParser } from './parser.js';
import { posAt, type Range, type SourceFile } from '../core/source.js';

export interface ParseResult {
  readonly ast: SpecFile;
  readonly comments: readonly IToken[];
  readonly diagnostics: readonly Diagnostic[];
}

export function parseSpec(source: SourceFile): ParseResult {
  const { path: file, text } = source;
  const diagnostics: Diagnostic[] = [];
  const lexed = specLexer.tokenize(text);
  for (const e of lexed.errors) {
    const start = posAt(text, e.offset);
    const range: Range = { file, start, end: posAt(text, e.offset + Math.max(1, e.length)) };
    const ch = text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 20)));
    const unterminated = text.startsWith('/*', e.offset)
      ? 'unterminated /* comment'
      : text.startsWith('"', e.offset)
        ? 'unterminated string (strings end on the same line)'
        : `unexpected character ${JSON.stringify(ch.slice(0, 1))}`;
    diagnostics.push(diag('PTE001', range, unterminated, 'remove or fix the character; see docs/language.md for the tokens'));
  }
  const parser = specParser();
  parser.input = lexed.tokens;
  const cst = parser.specFile();
  for (const e of parser.errors) diagnostics.push(parseError(e, file, text));
  const ast = buildSpecFile(cst, file, text.length);
  return { ast, comments: lexed.groups['comments'] ?? [], diagnostics };
}

function parseError(e: IRecognitionException, file: string, text: string): Diagnostic {
  const t = e.token;
  let range: Range;
  if (t && !Number.isNaN(t.startOffset) && t.tokenType?.name !== 'EOF') {
    range = {
      file,
      start: { offset: t.startOffset, line: t.startLine ?? 1, column: t.startColumn ?? 1 },
      end: { offset: (t.endOffset ?? t.startOffset) + 1, line: t.endLine ?? 1, column: (t.endColumn ?? 0) + 1 },
    };
  } else {
    // End of input: point just past the last non-blank character.
    const trimmed = text.replace(/\s+$/, '').length;
    const at = posAt(text, Math.max(0, trimmed - 1));
    range = { file, start: at, end: posAt(text, trimmed) };
  }
  const found = t && t.tokenType?.name !== 'EOF' && !Number.isNaN(t.startOffset) ? `'${t.image}'` : 'end of file';
  const expected = summariseExpected(e.message);
  const message = expected ? `expected ${expected} but found ${found}` : `unexpected ${found}`;
  return diag('PTE001', range, message, hintFor(e.context?.ruleStack ?? []));
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

function hintFor(ruleStack: string[]): string {
  for (let i = ruleStack.length - 1; i >= 0; i--) {
    const h = ruleHints[ruleStack[i]!];
    if (h) return h;
  }
  return 'see docs/language.md for the syntax';
}
