// A small kernel coding-style checker for the C ptelab generates (our own rules, in the spirit of
// Documentation/process/coding-style.rst and checkpatch): tabs for indentation, lines of at most 100 columns,
// no C99 `//` comments, kernel naming (no camelCase), kernel brace and keyword spacing, no line ending in `(`, no
// else after a return. It reads C lines, or the added lines of the C hunks of a patch (plus the mail form: the
// generated-by first line, a sign-off, a `---`).
import { columns, MAX_COLUMNS } from '../../../../compiler/backends/c/doc.js';
import { GENERATED_MARK } from '../../../../compiler/backends/generated-header.js';

export interface StyleIssue {
  /** 1-based line in the text checked (for a patch: the line of the patch file). */
  readonly line: number;
  readonly rule: string;
  readonly message: string;
  readonly text: string;
}

const KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    'typeof __typeof__ __attribute__ _Static_assert _Bool bool').split(' '),
);

/** The kernel's own CamelCase names (page flag helpers), which checkpatch lets through too. */
const CAMEL_OK = /^(?:__)?(?:Page|SetPage|ClearPage|TestSetPage|TestClearPage|Folio)[A-Z]\w*$/;

interface LexState {
  inComment: boolean;
}

/** The line with string/char literals and comments blanked out, and whether it has a `//` comment. */
function lex(line: string, st: LexState): { code: string; c99: boolean } {
  let code = '';
  let c99 = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    const next = line[i + 1];
    if (st.inComment) {
      if (ch === '*' && next === '/') {
        st.inComment = false;
        code += '  ';
        i += 2;
      } else {
        code += ' ';
        i++;
      }
      continue;
    }
    if (ch === '/' && next === '*') {
      st.inComment = true;
      code += '  ';
      i += 2;
      continue;
    }
    if (ch === '/' && next === '/') {
      c99 = true;
      break;
    }
    if (ch === '"' || ch === "'") {
      const quote = ch;
      code += quote;
      i++;
      while (i < line.length && line[i] !== quote) {
        if (line[i] === '\\') {
          code += ' ';
          i++;
        }
        code += ' ';
        i++;
      }
      code += quote;
      i++;
      continue;
    }
    code += ch;
    i++;
  }
  return { code, c99 };
}

/** Style issues of C lines; `firstLine` numbers them (a patch passes the line of each added line). */
export function checkCStyle(lines: readonly string[], lineNumbers?: readonly number[]): StyleIssue[] {
  const out: StyleIssue[] = [];
  const st: LexState = { inComment: false };
  let prevCode = '';
  lines.forEach((text, i) => {
    const line = lineNumbers?.[i] ?? i + 1;
    const issue = (rule: string, message: string): void => {
      out.push({ line, rule, message, text });
    };
    const startedInComment = st.inComment;
    // As checkpatch.pl: a line that is one string literal may run long (a message split for width cannot be grepped).
    const oneString = /^\s*"(?:[^"\\]|\\.)*"\s*(?:,|\);|\))?\s*$/.test(text);
    if (columns(text) > MAX_COLUMNS && !oneString) issue('line-length', `line is ${columns(text)} columns (at most ${MAX_COLUMNS}, tabs count 8)`);
    if (/[ \t]+$/.test(text)) issue('trailing-whitespace', 'trailing whitespace');
    const lead = /^[ \t]*/.exec(text)![0];
    if (/ \t/.test(lead)) issue('space-before-tab', 'space before tab in the indentation');
    else if (!/^\t* {0,7}$/.test(lead) || (lead.length > 0 && !lead.startsWith('\t') && !/^ \*/.test(text) && !startedInComment)) {
      issue('indent-tabs', 'indent with tabs (at most 7 spaces after them, to align)');
    }
    const { code, c99 } = lex(text, st);
    // The one // comment the kernel wants: a .c file's SPDX line (Documentation/process/license-rules.rst).
    if (c99 && !/^\/\/ SPDX-License-Identifier: /.test(text)) issue('c99-comment', 'C99 // comment: use /* ... */');
    if (!startedInComment && /\/\*\s*\S/.test(text) && !text.includes('*/') && !/^\s*\/\*\s*$/.test(text)) {
      issue('comment-style', 'a multi-line comment starts with /* on a line of its own');
    }
    for (const m of code.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)) {
      const id = m[0];
      if (/[a-z][A-Z]/.test(id) && !CAMEL_OK.test(id) && !KEYWORDS.has(id)) issue('camel-case', `'${id}': kernel names are lower_case (or UPPER_CASE macros)`);
    }
    for (const m of code.matchAll(/\b(if|for|while|switch)\(/g)) issue('keyword-space', `space required after '${m[1]}'`);
    for (const m of code.matchAll(/\b([A-Za-z_]\w*) \(/g)) {
      const name = m[1]!;
      if (!KEYWORDS.has(name) && !['return', 'sizeof'].includes(name) && !/^\s*#\s*define\b/.test(code)) {
        issue('function-space', `no space between '${name}' and '('`);
      }
    }
    if (/\b(struct \w+|\w+_t|int|char|void|long|bool|u8|u16|u32|u64)\* +\w/.test(code)) issue('pointer-star', "'*' goes with the name, not the type ('type *name')");
    const trimmed = code.trim();
    if (/^else\b/.test(trimmed) && prevCode.trim() === '}') issue('else-brace', "'else' goes on the line of the closing brace: '} else'");
    if (/^[A-Za-z_].*\)\s*\{\s*$/.test(code) && !/^(if|for|while|switch|do)\b/.test(trimmed) && !/=/.test(code)) {
      issue('function-brace', "a function's opening brace goes on a line of its own");
    }
    if (trimmed === '{' && /^\t+\{/.test(code)) issue('open-brace', "an opening brace goes at the end of the statement's line");
    // checkpatch.pl --strict: OPEN_ENDED_LINE and UNNECESSARY_ELSE (a plain else after a branch that returns).
    if (/\(\s*$/.test(code)) issue('open-ended', "a line does not end in '(': move the first argument up, or hoist it");
    const tabs = (x: string): number => /^\t*/.exec(x)![0].length;
    if (/^(?:\}\s*)?else\b(?!\s+if\b)/.test(trimmed) && /^\s*(?:return\b.*|break);\s*$/.test(prevCode) && tabs(prevCode) === tabs(code) + 1) {
      issue('unnecessary-else', 'no else after a branch that returns: the rest follows the if');
    }
    if (trimmed.length) prevCode = code;
  });
  return out;
}

/** Style issues of a patch: its C hunks' added lines, the width of the commit message, and the mail form. */
export function checkPatchStyle(text: string): StyleIssue[] {
  const lines = text.split('\n');
  const out: StyleIssue[] = [];
  const issue = (line: number, rule: string, message: string): void => {
    out.push({ line, rule, message, text: lines[line - 1] ?? '' });
  };
  if (!lines[0]?.includes(GENERATED_MARK)) issue(1, 'generated-by', `the first line must carry '${GENERATED_MARK}'`);
  const sep = lines.indexOf('---');
  const blank = lines.indexOf('');
  const isCover = /^Subject: \[PATCH 0\//m.test(text);
  if (!isCover) {
    if (sep < 0) issue(1, 'mail-form', "no '---' line between the commit message and the diff");
    if (!lines.some((l) => /^Signed-off-by: .+ <.+>$/.test(l))) issue(1, 'mail-form', 'no Signed-off-by: line');
  }
  const msgEnd = isCover ? lines.indexOf('-- ') : sep;
  for (let i = blank + 1; i >= 1 && i < (msgEnd < 0 ? lines.length : msgEnd); i++) {
    const l = lines[i]!;
    if (/^ \S.* \| +\d+/.test(l) || /^ \d+ files? changed/.test(l)) continue; // a diffstat
    // A tag line (Signed-off-by:, Reported-by:, ...) is never wrapped, however long the address.
    if (l.length > 75 && !/^[A-Z][A-Za-z-]+-by: /.test(l)) issue(i + 1, 'message-width', `commit message line is ${l.length} characters (at most 75)`);
  }
  // C hunks: added lines, checked as one block per hunk.
  let file = '';
  let hunk: { text: string[]; at: number[] } | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  const flush = (): void => {
    if (hunk && /\.[ch]$/.test(file)) out.push(...checkCStyle(hunk.text, hunk.at));
    hunk = undefined;
  };
  lines.forEach((l, i) => {
    if (oldLeft > 0 || newLeft > 0) {
      if (l.startsWith('+')) {
        hunk!.text.push(l.slice(1));
        hunk!.at.push(i + 1);
        newLeft--;
      } else if (l.startsWith('-')) {
        oldLeft--;
      } else {
        oldLeft--;
        newLeft--;
      }
      if (oldLeft <= 0 && newLeft <= 0) flush();
      return;
    }
    const d = /^diff --git a\/(\S+) b\//.exec(l);
    if (d) file = d[1]!;
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(l);
    if (h) {
      oldLeft = h[1] === undefined ? 1 : Number(h[1]);
      newLeft = h[2] === undefined ? 1 : Number(h[2]);
      hunk = { text: [], at: [] };
      if (oldLeft === 0 && newLeft === 0) flush();
    }
  });
  flush();
  return out;
}

export function formatIssues(name: string, issues: readonly StyleIssue[]): string {
  return issues.map((x) => `${name}:${x.line}: ${x.rule}: ${x.message}\n\t${x.text}`).join('\n');
}
