// The one place diagnostics become text or JSON.
import { splitLines, type SourceFile } from '../source.js';
import type { Diagnostic } from './diagnostic.js';
import { sortDiagnostics } from './diagnostic.js';

export interface RenderOptions {
  /** Colour (ANSI) only when writing to a TTY. */
  readonly color?: boolean;
  /** At most this many diagnostics per file (default 50), then one line saying how many more there are. */
  readonly maxPerFile?: number;
}

export const MAX_DIAGNOSTICS_PER_FILE = 50;
/** Longest source line echoed under a diagnostic; longer ones are cut to a window around the caret. */
const MAX_EXCERPT = 160;

/** file:line:col: severity CODE: message, then the source line with a caret under the range, then the hint. */
export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  opts: RenderOptions = {},
): string {
  const c = opts.color ? ansi : plain;
  const out: string[] = [];
  const max = opts.maxPerFile ?? MAX_DIAGNOSTICS_PER_FILE;
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const d of sortDiagnostics(diagnostics)) {
    const { file, start } = d.range;
    const n = shown.get(file) ?? 0;
    if (n >= max) {
      hidden.set(file, (hidden.get(file) ?? 0) + 1);
      continue;
    }
    shown.set(file, n + 1);
    const sev = d.severity === 'error' ? c.red(d.severity) : d.severity === 'warning' ? c.yellow(d.severity) : c.cyan(d.severity);
    out.push(`${c.bold(`${visible(file)}:${start.line}:${start.column}`)}: ${sev} ${d.code}: ${visible(d.message)}`);
    const snippet = excerpt(d, sources);
    if (snippet) out.push(...snippet);
    if (d.hint) out.push(`  ${c.cyan('hint')}: ${visible(d.hint)}`);
    for (const r of d.related ?? []) {
      out.push(`  ${visible(r.range.file)}:${r.range.start.line}:${r.range.start.column}: note: ${visible(r.message)}`);
    }
  }
  for (const [file, n] of hidden) out.push(`${visible(file)}: ${n} more diagnostic${n === 1 ? '' : 's'} not shown (the first ${max} are above; --json lists all)`);
  return out.length ? out.join('\n') + '\n' : '';
}

function excerpt(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>): string[] | undefined {
  const src = sources.get(d.range.file);
  if (!src) return undefined;
  const lines = splitLines(src.text);
  const lineNo = d.range.start.line;
  const line = lines[lineNo - 1];
  if (line === undefined) return undefined;
  let shown = line.replace(/\t/g, ' ').replace(/\r$/, '');
  let col = Math.max(1, d.range.start.column);
  let endCol =
    d.range.end.line === lineNo ? Math.max(col + 1, d.range.end.column) : Math.max(col + 1, shown.length + 1);
  if (shown.length > MAX_EXCERPT) {
    // A very long line (minified, or a file that is not text) is shown as a window around the caret.
    const from = Math.max(0, Math.min(col - 1 - MAX_EXCERPT / 2, shown.length - MAX_EXCERPT));
    const lead = from > 0 ? '…' : '';
    shown = lead + shown.slice(from, from + MAX_EXCERPT) + (from + MAX_EXCERPT < shown.length ? '…' : '');
    col = col - from + lead.length;
    endCol = Math.min(endCol - from + lead.length, shown.length + 1);
  }
  const width = Math.max(1, Math.min(endCol, shown.length + 1) - col);
  const gutter = String(lineNo).length;
  return [
    `${' '.repeat(gutter + 1)}|`,
    `${lineNo} | ${visible(shown)}`,
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
/**
 * Text from a user's file made safe for a terminal: C0 controls and DEL become their Unicode control pictures (one
 * column each, so a caret below still lines up), C1 controls a \\xNN escape. Raw ESC or BEL bytes never reach it.
 */
export function visible(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\x${code.toString(16)}`;
  });
}

function id(s: string): string {
  return s;
}
