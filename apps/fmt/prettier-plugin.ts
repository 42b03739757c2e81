// A prettier plugin for .pte specs: `prettier --plugin ./dist/apps/fmt/prettier-plugin.js spec.pte`.
// The parser is the spec grammar's (grammar/parse.ts); a spec with syntax errors is not formatted (the error carries
// the first diagnostic's position). Comments are attached by apps/fmt/trivia.ts and printed by the printer
// itself (prettier's own attachment is not used), so no comment is ever dropped or merged.
import type { Parser, Printer, SupportLanguage } from 'prettier';
import type { SpecFile } from '../../grammar/ast.js';
import { parseSpec } from '../../grammar/parse.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { SpecPrinter } from './print.js';
import { collectTrivia, type Trivia } from './trivia.js';

/** The node prettier holds: the spec's AST with the trivia the printer needs. */
export interface PteRoot {
  readonly type: 'PteRoot';
  readonly ast: SpecFile;
  readonly trivia: Trivia;
  readonly start: number;
  readonly end: number;
}

/** A syntax error in the shape prettier reports (`loc` gives the code frame). */
export class PteSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly loc: { readonly start: { readonly line: number; readonly column: number } },
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

type Located = { readonly start?: number; readonly end?: number; readonly range?: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } } };

export function locStart(node: Located): number {
  return node.range?.start.offset ?? node.start ?? 0;
}

export function locEnd(node: Located): number {
  return node.range?.end.offset ?? node.end ?? 0;
}

/** The width of the canonical style: the classic wide terminal; the kind tables of the bundled specs need about 130. */
export const PTE_PRINT_WIDTH = 132;

export const languages: SupportLanguage[] = [
  {
    name: 'ptelab spec',
    parsers: ['pte'],
    extensions: ['.pte'],
    vscodeLanguageIds: ['pte'],
  },
];

export function parsePte(text: string, file = 'spec.pte'): PteRoot {
  const r = parseSpec({ path: file, text });
  if (hasErrors(r.diagnostics)) {
    const d = r.diagnostics.find((x) => x.severity === 'error')!;
    throw new PteSyntaxError(`${d.code} ${d.message}`, { start: { line: d.range.start.line, column: d.range.start.column } });
  }
  return { type: 'PteRoot', ast: r.ast, trivia: collectTrivia(text, r.ast, r), start: 0, end: text.length };
}

export const parsers: Record<string, Parser<PteRoot | Located>> = {
  pte: {
    astFormat: 'pte',
    parse: (text, options) => parsePte(text, typeof options.filepath === 'string' ? options.filepath : 'spec.pte'),
    locStart,
    locEnd,
  },
};

export const printers: Record<string, Printer<PteRoot | Located>> = {
  pte: {
    print(path, options) {
      const root = path.node as PteRoot;
      if (root.type !== 'PteRoot') throw new Error('the pte printer prints whole specs only');
      return new SpecPrinter(root.trivia, { printWidth: options.printWidth, tabWidth: options.tabWidth, useTabs: options.useTabs === true }).print(root.ast);
    },
  },
};

export const defaultOptions = { printWidth: PTE_PRINT_WIDTH, tabWidth: 2, useTabs: false };

const plugin = { languages, parsers, printers, defaultOptions };
export default plugin;
