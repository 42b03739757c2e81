// formatSpecText: a spec's text in canonical style (docs/fmt.md), printed as prettier prints it with the pte plugin
// and fixed options (no configuration lookup: the same input gives the same bytes everywhere). The result is checked
// before it is returned: it parses, it means the same (same AST, ranges aside) and it holds every comment, in order.
import type { IToken } from 'chevrotain';
import { printer as docPrinter } from 'prettier/doc';
import { specLexer } from '../../grammar/lexer.js';
import { parseSpec, type ParseResult } from '../../grammar/parse.js';
import type { SourceFile } from '../../core/source.js';
import { hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { PTE_PRINT_WIDTH } from './prettier-plugin.js';
import { SpecPrinter } from './print.js';
import { sameItems } from './same-items.js';
import { sameMeaning } from './same-meaning.js';
import { collectTrivia } from './trivia.js';

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
  const trivia = collectTrivia(text, before.ast, before);
  // What prettier.format does with the plugin's parser and printer (prettier-plugin.ts; a test holds the two equal),
  // without loading prettier's core for its option handling and plugin machinery: an all-blank text is '', any other
  // is the printer's doc laid out by prettier's doc printer (its line ends are '\n' unless told otherwise).
  const layout = { printWidth: opts.printWidth ?? PTE_PRINT_WIDTH, tabWidth: 2, useTabs: false };
  const out = text.trim().length === 0 ? '' : docPrinter.printDocToString(new SpecPrinter(trivia, layout).print(before.ast), layout).formatted;
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
