// A small pretty-printer for the C back end: expressions as documents that render flat when they fit in 100
// columns and break kernel-style when they do not (call arguments aligned after the open parenthesis, `&&` / `||`
// chains broken after the operator and aligned with the first operand). Columns count a tab as 8.

export const MAX_COLUMNS = 100;
export const TAB = 8;

export type Doc =
  | { readonly t: 'text'; readonly s: string }
  /** `head(a, b)`; `open`/`close` default to parentheses (a compound literal uses `{ ` / ` }`). */
  | { readonly t: 'call'; readonly head: string; readonly args: readonly Doc[]; readonly open: string; readonly close: string }
  /** `a op b op c`, broken after an operator. */
  | { readonly t: 'chain'; readonly op: string; readonly items: readonly Doc[] }
  /** `open inner close` (parentheses, a unary prefix, a cast). */
  | { readonly t: 'wrap'; readonly open: string; readonly inner: Doc; readonly close: string };

export function text(s: string): Doc {
  return { t: 'text', s };
}

export function call(head: string, args: readonly Doc[], open = '(', close = ')'): Doc {
  return { t: 'call', head, args, open, close };
}

export function chain(op: string, items: readonly Doc[]): Doc {
  return items.length === 1 ? items[0]! : { t: 'chain', op, items };
}

export function wrap(open: string, inner: Doc, close: string): Doc {
  return { t: 'wrap', open, inner, close };
}

export function flat(d: Doc): string {
  switch (d.t) {
    case 'text':
      return d.s;
    case 'call':
      return `${d.head}${d.open}${d.args.map(flat).join(', ')}${d.close}`;
    case 'chain':
      return d.items.map(flat).join(` ${d.op} `);
    case 'wrap':
      return `${d.open}${flat(d.inner)}${d.close}`;
  }
}

/** Visual width of a line that starts at column `col` (tabs advance to the next multiple of 8). */
export function columns(line: string, col = 0): number {
  let c = col;
  for (const ch of line) c = ch === '\t' ? (Math.floor(c / TAB) + 1) * TAB : c + 1;
  return c;
}

/** Leading whitespace that reaches column `col`: tabs, then fewer than 8 spaces. */
export function indentTo(col: number): string {
  return '\t'.repeat(Math.floor(col / TAB)) + ' '.repeat(col % TAB);
}

/**
 * Render `d` starting at column `col`, with `reserve` more characters to follow on its last line. The first
 * returned string continues the current line; every later one is a whole line with its own indentation.
 */
export function render(d: Doc, col: number, reserve: number): string[] {
  const f = flat(d);
  if (col + f.length + reserve <= MAX_COLUMNS) return [f];
  switch (d.t) {
    case 'text':
      return [f];
    case 'wrap': {
      const inner = render(d.inner, col + d.open.length, reserve + d.close.length);
      return appendLast(prependFirst(inner, d.open), d.close);
    }
    case 'call': {
      const start = col + d.head.length + d.open.length;
      const out = renderList(d.args, start, ',', reserve + d.close.length);
      return appendLast(prependFirst(out, d.head + d.open), d.close);
    }
    case 'chain':
      return renderList(d.items, col, ` ${d.op}`, reserve);
  }
}

/** Items one after another, each on its own line aligned at `col`, `sep` after every item but the last. */
function renderList(items: readonly Doc[], col: number, sep: string, reserve: number): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    const lines = render(item, col, last ? reserve : sep.length);
    const withSep = last ? lines : appendLast(lines, sep);
    if (i === 0) out.push(...withSep);
    else out.push(indentTo(col) + withSep[0]!, ...withSep.slice(1));
  });
  return out.length ? out : [''];
}

function prependFirst(lines: string[], s: string): string[] {
  return [s + lines[0]!, ...lines.slice(1)];
}

function appendLast(lines: string[], s: string): string[] {
  return [...lines.slice(0, -1), lines[lines.length - 1]! + s];
}

/** A statement `prefix doc suffix` at `indent` tabs, as whole lines. */
export function statement(indent: number, prefix: string, d: Doc, suffix: string): string[] {
  const lead = '\t'.repeat(indent) + prefix;
  const lines = render(d, columns(lead), suffix.length);
  return appendLast(prependFirst(lines, lead), suffix);
}

/** A block comment (`/* ... *\/`), one line if it fits, else the kernel's multi-line form, words wrapped. */
export function comment(indent: number, body: string): string[] {
  const lead = '\t'.repeat(indent);
  const one = `${lead}/* ${body} */`;
  if (columns(one) <= MAX_COLUMNS) return [one];
  const out = [`${lead}/*`];
  for (const line of wrapWords(body, MAX_COLUMNS - columns(`${lead} * `))) out.push(`${lead} * ${line}`.trimEnd());
  out.push(`${lead} */`);
  return out;
}

/** Words packed into lines of at most `width` characters (a longer word stands alone). */
export function wrapWords(s: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of s.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else {
      cur = cur ? `${cur} ${w}` : w;
    }
  }
  if (cur) out.push(cur);
  return out.length ? out : [''];
}

/**
 * A `#define` whose value is a list of terms joined by `op`, continued with backslashes when it does not fit.
 */
export function macro(name: string, terms: readonly string[], op: string, open = '(', close = ')'): string[] {
  const one = `#define ${name}\t${open}${terms.join(` ${op} `)}${close}`;
  if (columns(one) <= MAX_COLUMNS) return [one];
  const lines: string[] = [`#define ${name} \\`];
  let cur = `\t${open}`;
  terms.forEach((t, i) => {
    const piece = i === terms.length - 1 ? `${t}${close}` : `${t} ${op}`;
    if (cur.trim() !== open.trim() && columns(`${cur} ${piece} \\`) > MAX_COLUMNS) {
      lines.push(`${cur} \\`);
      cur = `\t ${piece}`;
    } else {
      cur = cur.endsWith(open) ? `${cur}${piece}` : `${cur} ${piece}`;
    }
  });
  lines.push(cur);
  return lines;
}
