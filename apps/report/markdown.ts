// The markdown that renderDiffMarkdown() writes, as HTML: headings, GitHub tables (with `\|` in cells), fenced code
// blocks (```diff lines coloured), paragraphs, `code` spans (any backtick run length) and **bold**. That subset
// only — it is the diff's own output, not arbitrary markdown — and every piece of text is escaped.
import { esc } from './html.js';

export interface MarkdownOptions {
  /** Added to every heading level (`#` with offset 2 is <h3>); capped at <h6>. */
  readonly headingOffset?: number;
}

/** Inline markup: code spans first (their content is literal), then **bold**; everything else is text. */
export function inline(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '`') {
      let n = 0;
      while (s[i + n] === '`') n++;
      const close = findRun(s, i + n, n);
      if (close < 0) {
        out += esc(s.slice(i, i + n));
        i += n;
        continue;
      }
      let content = s.slice(i + n, close);
      if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      out += `<code>${esc(content)}</code>`;
      i = close + n;
      continue;
    }
    if (c === '*' && s[i + 1] === '*') {
      const close = findBoldEnd(s, i + 2);
      if (close > i + 2) {
        out += `<strong>${inline(s.slice(i + 2, close))}</strong>`;
        i = close + 2;
        continue;
      }
    }
    let j = i + 1;
    while (j < s.length && s[j] !== '`' && !(s[j] === '*' && s[j + 1] === '*')) j++;
    out += esc(s.slice(i, j));
    i = j;
  }
  return out;
}

/** The start of the next run of exactly `n` backticks at or after `from`, or -1. */
function findRun(s: string, from: number, n: number): number {
  for (let i = from; i < s.length; ) {
    if (s[i] !== '`') {
      i++;
      continue;
    }
    let m = 0;
    while (s[i + m] === '`') m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/** The closing `**` after `from`, skipping code spans; -1 if none. */
function findBoldEnd(s: string, from: number): number {
  for (let i = from; i < s.length; ) {
    if (s[i] === '`') {
      let n = 0;
      while (s[i + n] === '`') n++;
      const close = findRun(s, i + n, n);
      i = close < 0 ? i + n : close + n;
      continue;
    }
    if (s[i] === '*' && s[i + 1] === '*') return i;
    i++;
  }
  return -1;
}

/** A table row's cells: split on `|` not preceded by a backslash; `\|` is a literal pipe (in code spans too). */
export function cells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

const SEPARATOR = /^\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?$/;

function table(lines: readonly string[]): string {
  const head = cells(lines[0]!);
  const hasSep = lines.length > 1 && SEPARATOR.test(lines[1]!.trim());
  const align = hasSep ? cells(lines[1]!).map((c) => (c.endsWith(':') ? ' class="num"' : '')) : [];
  const body = lines.slice(hasSep ? 2 : 1).map(cells);
  const row = (cs: readonly string[], tag: 'th' | 'td') => `<tr>${cs.map((c, i) => `<${tag}${align[i] ?? ''}>${inline(c)}</${tag}>`).join('')}</tr>`;
  return ['<table>', `<thead>${row(head, 'th')}</thead>`, '<tbody>', ...body.map((r) => row(r, 'td')), '</tbody>', '</table>'].join('\n');
}

function codeBlock(lang: string, lines: readonly string[]): string {
  if (lang === 'diff') {
    // One block per line (no newlines between them, or the <pre> would show empty lines).
    const cls = (l: string) => (l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx');
    return `<pre class="diff"><code>${lines.map((l) => `<span class="${cls(l)}">${esc(l) || ' '}</span>`).join('')}</code></pre>`;
  }
  return `<pre${lang ? ` class="${esc(`lang-${lang}`)}"` : ''}><code>${lines.map(esc).join('\n')}</code></pre>`;
}

export function markdownToHtml(md: string, opts: MarkdownOptions = {}): string {
  const offset = opts.headingOffset ?? 0;
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const fence = /^```([A-Za-z0-9_-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== '```') body.push(lines[i++]!);
      i++; // the closing fence (or the end)
      out.push(codeBlock(fence[1]!, body));
      continue;
    }
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1]!.length + offset);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      flush();
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(lines[i++]!);
      out.push(table(rows));
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line.trim());
    i++;
  }
  flush();
  return out.join('\n');
}
