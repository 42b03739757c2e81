// The one place diagnostics become text or JSON.
import { splitLines, type SourceFile } from '../source.js';
import type { Diagnostic } from './diagnostic.js';
import { sortDiagnostics } from './diagnostic.js';

export interface RenderOptions {
  /** Colour (ANSI) only when writing to a TTY. */
  readonly color?: boolean;
}

/** file:line:col: severity CODE: message, then the source line with a caret under the range, then the hint. */
export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  opts: RenderOptions = {},
): string {
  const c = opts.color ? ansi : plain;
  const out: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const { file, start } = d.range;
    const sev = d.severity === 'error' ? c.red(d.severity) : d.severity === 'warning' ? c.yellow(d.severity) : c.cyan(d.severity);
    out.push(`${c.bold(`${file}:${start.line}:${start.column}`)}: ${sev} ${d.code}: ${d.message}`);
    const snippet = excerpt(d, sources);
    if (snippet) out.push(...snippet);
    if (d.hint) out.push(`  ${c.cyan('hint')}: ${d.hint}`);
    for (const r of d.related ?? []) {
      out.push(`  ${r.range.file}:${r.range.start.line}:${r.range.start.column}: note: ${r.message}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function excerpt(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): string[] | undefined {
  const src = sources.get(d.range.file);
  if (!src) return undefined;
  const lines = splitLines(src.text);
  const lineNo = d.range.start.line;
  const line = lines[lineNo - 1];
  if (line === undefined) return undefined;
  const shown = line.replace(/\t/g, ' ').replace(/\r$/, '');
  const col = Math.max(1, d.range.start.column);
  const endCol =
    d.range.end.line === lineNo ? Math.max(col + 1, d.range.end.column) : Math.max(col + 1, shown.length + 1);
  const width = Math.max(1, Math.min(endCol, shown.length + 1) - col);
  const gutter = String(lineNo).length;
  return [
    `${' '.repeat(gutter + 1)}|`,
    `${lineNo} | ${shown}`,
    `${' '.repeat(gutter + 1)}| ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
  ];
}

/** Stable JSON: the diagnostics sorted, ranges as file/line/column. */
export function toJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({
    code: d.code,
    severity: d.severity,
    file: d.range.file,
    line: d.range.start.line,
    column: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ file: r.range.file, line: r.range.start.line, column: r.range.start.column, message: r.message })) } : {}),
  }));
}

const plain = { red: id, yellow: id, cyan: id, bold: id };
const ansi = {
  red: (s: string) => `\x1b[31m${s}\x1b[0m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[0m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[0m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[0m`,
};
function id(s: string): string {
  return s;
}
