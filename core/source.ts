// Source positions and ranges. Every AST node carries a Range so that every diagnostic can point at its text.

/** A position in a source file: 0-based offset, 1-based line and column (as editors and compilers print them). */
export interface Pos {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A half-open range [start, end) in one file. */
export interface Range {
  readonly file: string;
  readonly start: Pos;
  readonly end: Pos;
}

export function rangeOf(file: string, start: Pos, end: Pos): Range {
  return { file, start, end };
}

/** The smallest range covering both (same file assumed). */
export function cover(a: Range, b: Range): Range {
  const start = a.start.offset <= b.start.offset ? a.start : b.start;
  const end = a.end.offset >= b.end.offset ? a.end : b.end;
  return { file: a.file, start, end };
}

/**
 * Position of `offset` in `text`, for errors that do not come with a token (e.g. an unterminated comment). Line
 * breaks are \n, \r\n and a lone \r, as Chevrotain's lexer counts them, so both kinds of position agree.
 */
export function posAt(text: string, offset: number): Pos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The text's lines, split where posAt counts a line break. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A spec file's text, kept so that diagnostics can print the source line with a caret. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}
