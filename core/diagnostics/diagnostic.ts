// Diagnostics are data: a stable code, a severity, the range they point at, a message in kernel terms and a hint
// saying what to do. They are rendered in one place (render.ts); tests and docs refer to the code, not the wording.
import type { Range } from '../source.js';
import { CODES, type DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInfo {
  readonly range: Range;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly range: Range;
  readonly message: string;
  readonly hint?: string;
  readonly related?: readonly RelatedInfo[];
}

/** Build a diagnostic with the code's default severity. */
export function diag(
  code: DiagnosticCode,
  range: Range,
  message: string,
  hint?: string,
  related?: readonly RelatedInfo[],
): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, range, message };
  return {
    ...d,
    ...(hint !== undefined ? { hint } : {}),
    ...(related !== undefined && related.length > 0 ? { related } : {}),
  };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Stable order: file, position, code, message — so output is byte-for-byte deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      cmp(a.range.file, b.range.file) ||
      a.range.start.offset - b.range.start.offset ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
