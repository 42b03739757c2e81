// Between ptelab's data and the protocol's: source ranges (1-based line and column, the file as a path) to LSP
// ranges (0-based) and locations (URIs), ptelab diagnostics to LSP diagnostics with their stable codes.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic, Location, Position, Range as LspRange } from 'vscode-languageserver';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Pos, Range } from '../../core/source.js';

/** A document's file path (what the compiler's host reads and its ranges name); other schemes keep the URI. */
export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function pathToUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : file;
}

export function lspPosition(p: Pos): Position {
  return { line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1) };
}

export function lspRange(r: Range): LspRange {
  return { start: lspPosition(r.start), end: lspPosition(r.end) };
}

export function location(r: Range): Location {
  return { uri: pathToUri(r.file), range: lspRange(r) };
}

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

export function lspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: lspRange(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'ptelab',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(d.related && d.related.length > 0
      ? { relatedInformation: d.related.map((r) => ({ location: { uri: pathToUri(r.range.file), range: lspRange(r.range) }, message: r.message })) }
      : {}),
  };
}
