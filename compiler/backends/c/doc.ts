// A small pretty-printer for the C back end: expressions as documents that render flat when they fit in 100
// columns and break kernel-style when they do not (call arguments aligned after the open parenthesis, `&&` / `||`
// chains broken after the operator and aligned with the first operand). Columns count a tab as 8.

export const MAX_COLUMNS = 100;
export const TAB = 8;

export type Doc =
  | { readonly t: 'text'; readonly s: string }
  /** `head(a, b)`; `open`/`close` default to parentheses (a compound literal uses `{ ` / ` }`). */
  | { readonly t: 'call'; readonly head: string; readonly args: readonly Doc[]; readonly open: string; readonly close: string }
  /** `a op b op c`, broken after an operator (op '': adjacent string literals). */
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
      return d.items.map(flat).join(d.op ? ` ${d.op} ` : ' ');
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
 * returned string continues the current line; every later one is a whole line with its own indentation. `base` is
 * the column of the statement (a call whose aligned arguments cannot fit hangs them two tabs in from there).
 */
export function render(d: Doc, col: number, reserve: number, base = 0): string[] {
  const f = flat(d);
  if (col + f.length + reserve <= MAX_COLUMNS) return [f];
  switch (d.t) {
    case 'text':
      return [f];
    case 'wrap': {
      const inner = render(d.inner, col + d.open.length, reserve + d.close.length, base);
      return appendLast(prependFirst(inner, d.open), d.close);
    }
    case 'call': {
      // Arguments aligned after the open parenthesis.
      const start = col + d.head.length + d.open.length;
      const a = fill(d.args, start, reserve + d.close.length, base);
      const aligned = appendLast(prependFirst(a.lines, d.head + d.open), d.close);
      // Aligned whenever it fits (checkpatch.pl --strict wants continuation lines aligned with the open
      // parenthesis, and no line ending in one); hung only when it cannot fit.
      if (fits(aligned, col)) return aligned;
      const hang = base + 2 * TAB;
      if (hang >= start) return aligned;
      const h = fill(d.args, hang, reserve + d.close.length, base);
      return appendLast([d.head + d.open.trimEnd(), indentTo(hang) + h.lines[0]!, ...h.lines.slice(1)], d.close);
    }
    case 'chain': {
      const out: string[] = [];
      d.items.forEach((item, i) => {
        const last = i === d.items.length - 1;
        const lines = render(item, col, last ? reserve : d.op ? d.op.length + 1 : 0, base);
        const withOp = last || !d.op ? lines : appendLast(lines, ` ${d.op}`);
        if (i === 0) out.push(...withOp);
        else out.push(indentTo(col) + withOp[0]!, ...withOp.slice(1));
      });
      return out;
    }
  }
}

/** Whether every line fits (the first starts at `col`). */
function fits(lines: readonly string[], col: number): boolean {
  return lines.every((l, i) => (i === 0 ? columns(l, col) : columns(l)) <= MAX_COLUMNS);
}

/** Call arguments packed into lines at column `col`, a comma after each but the last; `broken`: one did not fit whole. */
function fill(items: readonly Doc[], col: number, reserve: number, base: number): { lines: string[]; broken: boolean } {
  const lines: string[] = [];
  let broken = false;
  let cur: string | undefined;
  const flush = (): void => {
    if (cur === undefined) return;
    lines.push(lines.length === 0 ? cur : indentTo(col) + cur);
    cur = undefined;
  };
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    const tail = last ? reserve : 1;
    const f = flat(item) + (last ? '' : ',');
    if (cur !== undefined && col + cur.length + 1 + f.length + (last ? reserve : 0) <= MAX_COLUMNS) {
      cur += ` ${f}`;
      return;
    }
    flush();
    if (col + f.length + (last ? reserve : 0) <= MAX_COLUMNS) {
      cur = f;
      return;
    }
    const r = render(item, col, tail, base);
    if (r.length > 1) broken = true;
    const rr = last ? r : appendLast(r, ',');
    lines.push(lines.length === 0 ? rr[0]! : indentTo(col) + rr[0]!, ...rr.slice(1));
  });
  flush();
  return { lines: lines.length ? lines : [''], broken };
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
  const lines = render(d, columns(lead), suffix.length, indent * TAB);
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

/** A line that ends in an open parenthesis (checkpatch.pl --strict: OPEN_ENDED_LINE). */
export function openEnded(line: string): boolean {
  return /\(\s*$/.test(line);
}

/**
 * A function's head, `type name(params)` then `end`. When the name leaves no room for its first parameter, the type
 * goes on a line of its own, as the kernel does (`static unsigned long` above `copy_nonpresent_pte(`), rather than a
 * line ending in `(` (checkpatch.pl --strict).
 */
export function functionHead(type: string, name: string, params: readonly Doc[], end: string): string[] {
  const one = statement(0, '', call(`${type}${type.endsWith('*') ? '' : ' '}${name}`, params), end);
  if (!one.some(openEnded)) return one;
  return [type, ...statement(0, '', call(name, params), end)];
}
