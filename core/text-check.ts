// A spec or scenario file must be text: a NUL byte or bytes that are not UTF-8 (read as U+FFFD) mean the file is
// something else (a binary, an image, a compressed file), and parsing it would only echo thousands of errors and its
// raw bytes to the terminal. One diagnostic says so instead.
import { posAt, type SourceFile } from './source.js';
import { diag, type Diagnostic } from './diagnostics/diagnostic.js';

export function notTextDiagnostic(src: SourceFile): Diagnostic | undefined {
  const nul = src.text.indexOf('\0');
  const bad = src.text.indexOf('\uFFFD');
  const at = nul >= 0 && (bad < 0 || nul < bad) ? nul : bad;
  if (at < 0) return undefined;
  // Lines as the lexers count them (\n, \r\n, a lone \r), so the position agrees with every other diagnostic's.
  const { line, column } = posAt(src.text, at);
  const what = at === nul ? 'a NUL byte' : 'bytes that are not UTF-8';
  const pos = { line, column, offset: at };
  return diag(
    'PTE014',
    { file: src.path, start: pos, end: { line, column: column + 1, offset: at + 1 } },
    `not a text file: ${what} at line ${line}, column ${column}`,
    'specs and scenarios are UTF-8 text; check that this is the file you meant',
  );
}
