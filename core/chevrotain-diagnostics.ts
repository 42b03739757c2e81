// What the two Chevrotain front ends (.pte in grammar/, .scn in runtime/scenario/) share: lexer errors and parser
// errors turned into PTE001 diagnostics with a range a person can use, and the hint of the innermost rule that has
// one. Each front end keeps only what is its own (its rule hints, its wording of "expected ...").
import type { ILexingError, IToken } from 'chevrotain';
import { diag, type Diagnostic } from './diagnostics/diagnostic.js';
import { posAt, type Range, type SourceFile } from './source.js';

/** Is `t` the end of input (or a token Chevrotain invented while recovering)? */
export function isEof(t: IToken | undefined): boolean {
  return !t || t.tokenType?.name === 'EOF' || Number.isNaN(t.startOffset);
}

/** The range from token `t` to token `u` (a real token's own range when `u` is `t`). */
export function tokenRange(t: IToken, file: string, u: IToken = t): Range {
  return {
    file,
    start: { offset: t.startOffset, line: t.startLine ?? 1, column: t.startColumn ?? 1 },
    end: {
      offset: (u.endOffset ?? u.startOffset) + 1,
      line: u.endLine ?? u.startLine ?? 1,
      column: (u.endColumn ?? u.startColumn ?? 0) + 1,
    },
  };
}

/** End of input: the range just past the last non-blank character. */
export function endOfInputRange(text: string, file: string): Range {
  const trimmed = text.replace(/\s+$/, '').length;
  return { file, start: posAt(text, Math.max(0, trimmed - 1)), end: posAt(text, trimmed) };
}

/** Lexer errors as PTE001: an unterminated comment or string, or the character no token starts with. */
export function lexErrorDiagnostics(errors: readonly ILexingError[], source: SourceFile, doc: string): Diagnostic[] {
  const { path: file, text } = source;
  return errors.map((e) => {
    const range: Range = { file, start: posAt(text, e.offset), end: posAt(text, e.offset + Math.max(1, e.length)) };
    const message = text.startsWith('/*', e.offset)
      ? 'unterminated /* comment'
      : text.startsWith('"', e.offset)
        ? 'unterminated string (strings end on the same line)'
        : `unexpected character ${JSON.stringify(text.slice(e.offset, e.offset + 1))}`;
    return diag('PTE001', range, message, `remove or fix the character; see ${doc} for the tokens`);
  });
}

/** The hint of the innermost rule on the stack that has one, else where the syntax is documented. */
export function ruleHint(ruleStack: readonly string[], hints: Readonly<Record<string, string>>, doc: string): string {
  for (let i = ruleStack.length - 1; i >= 0; i--) {
    const h = hints[ruleStack[i]!];
    if (h) return h;
  }
  return `see ${doc} for the syntax`;
}
