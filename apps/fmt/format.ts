// formatSpecText: a spec's text in canonical style (docs/fmt.md), through prettier and the pte plugin with fixed
// options (no configuration lookup: the same input gives the same bytes everywhere). The result is checked before it
// is returned: it parses, it means the same (same AST, ranges aside) and it holds every comment, in order.
import type { IToken } from 'chevrotain';
import { specLexer } from '../../grammar/lexer.js';
import { parseSpec, type ParseResult } from '../../grammar/parse.js';
import type { SourceFile } from '../../core/source.js';
import { hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import plugin, { forgetParse, parsePte, PTE_PRINT_WIDTH } from './prettier-plugin.js';
import { sameItems } from './same-items.js';
import { sameMeaning } from './same-meaning.js';

export type FormatResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly source: SourceFile };

export class FormatCheckError extends Error {}

export interface FormatOptions {
  readonly printWidth?: number;
}

export async function formatSpecText(original: string, file = 'spec.pte', opts: FormatOptions = {}): Promise<FormatResult> {
  // Line ends are LF in the output (prettier normalizes them too); a byte-order mark is dropped.
  const text = original.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const source = { path: file, text: original };
  const before = parseSpec({ path: file, text });
  if (hasErrors(before.diagnostics)) return { ok: false, diagnostics: before.diagnostics, source };
  const prettier = await import('prettier');
  let out: string;
  try {
    parsePte(text, file, before);
    out = await prettier.format(text, {
      parser: 'pte',
      plugins: [plugin],
      filepath: file,
      printWidth: opts.printWidth ?? PTE_PRINT_WIDTH,
      tabWidth: 2,
      useTabs: false,
      endOfLine: 'lf',
    });
  } finally {
    forgetParse();
  }
  // The same text as the input (an already formatted file) is the same parse and the same comments: nothing to check.
  if (out !== text) checkFormattedSpec(before, out, file);
  return { ok: true, text: out, changed: out !== original };
}

/**
 * Throws FormatCheckError unless `out` parses, means what the input meant (`before`, its error-free parse: same AST,
 * positions aside) and holds the input's comments in order. The output is lexed and its items proved the same one by
 * one (same-items.ts: only items whose tokens changed are parsed again); only when that cannot prove it does the
 * whole front end run on the output, to settle it and say what is wrong.
 */
export function checkFormattedSpec(before: ParseResult, out: string, file: string): void {
  const lexed = specLexer.tokenize(out);
  if (lexed.errors.length > 0 || !sameItems(before, lexed.tokens, file)) {
    const after = parseSpec({ path: file, text: out });
    if (hasErrors(after.diagnostics)) {
      throw new FormatCheckError(`formatting ${file} produced text that does not parse (${after.diagnostics[0]!.message}); this is a bug in ptelab fmt`);
    }
    if (!sameMeaning(before.ast, after.ast)) throw new FormatCheckError(`formatting ${file} changed its meaning; this is a bug in ptelab fmt`);
  }
  const lost = lostComment(before.comments, lexed.groups['comments'] ?? []);
  if (lost !== undefined) throw new FormatCheckError(`formatting ${file} would lose or reorder the comment ${JSON.stringify(lost)}; this is a bug in ptelab fmt`);
}

/** The text of a comment as the formatter keeps it (line comments lose trailing blanks). */
export function commentText(image: string): string {
  return image.startsWith('//') ? image.replace(/\s+$/, '') : image;
}

/** The first comment of `before` missing from `after` (same texts, same order), if any. */
function lostComment(before: readonly IToken[], after: readonly IToken[]): string | undefined {
  const a = before.map((c) => commentText(c.image));
  const b = after.map((c) => commentText(c.image));
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i];
  return b.length > a.length ? b[a.length] : undefined;
}
