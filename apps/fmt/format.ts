// formatSpecText: a spec's text in canonical style (docs/fmt.md), through prettier and the pte plugin with fixed
// options (no configuration lookup: the same input gives the same bytes everywhere). The result is checked before it
// is returned: it parses, it means the same (same AST, ranges aside) and it holds every comment, in order.
import type { IToken } from 'chevrotain';
import type { SpecFile } from '../../grammar/ast.js';
import { parseSpec } from '../../grammar/parse.js';
import type { SourceFile } from '../../core/source.js';
import { hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import plugin, { parsePte, PTE_PRINT_WIDTH } from './prettier-plugin.js';

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
  parsePte(text, file, before);
  const prettier = await import('prettier');
  const out = await prettier.format(text, {
    parser: 'pte',
    plugins: [plugin],
    filepath: file,
    printWidth: opts.printWidth ?? PTE_PRINT_WIDTH,
    tabWidth: 2,
    useTabs: false,
    endOfLine: 'lf',
  });
  const after = parseSpec({ path: file, text: out });
  if (hasErrors(after.diagnostics)) {
    throw new FormatCheckError(`formatting ${file} produced text that does not parse (${after.diagnostics[0]!.message}); this is a bug in ptelab fmt`);
  }
  if (!sameMeaning(before.ast, after.ast)) {
    throw new FormatCheckError(`formatting ${file} changed its meaning; this is a bug in ptelab fmt`);
  }
  const lost = lostComment(before.comments, after.comments);
  if (lost !== undefined) throw new FormatCheckError(`formatting ${file} would lose or reorder the comment ${JSON.stringify(lost)}; this is a bug in ptelab fmt`);
  return { ok: true, text: out, changed: out !== original };
}

/** The AST without source positions, as plain JSON-able data (bigints as strings). */
export function withoutRanges(x: unknown): unknown {
  if (typeof x === 'bigint') return `${x}n`;
  if (Array.isArray(x)) return x.map(withoutRanges);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'range' || k === 'headRange' || k === 'file') continue;
      out[k] = withoutRanges(v);
    }
    return out;
  }
  return x;
}

/** The same AST, source positions aside (compared in place: two JSON copies of a large spec cost more than the rest). */
export function sameMeaning(a: SpecFile, b: SpecFile): boolean {
  return sameData(a, b);
}

const POSITION_KEYS = new Set(['range', 'headRange', 'file']);

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => !POSITION_KEYS.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !POSITION_KEYS.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
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
