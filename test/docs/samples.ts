// The `$ ptelab ...` samples of README.md and docs/*.md, run and compared with what they show, so a sample cannot
// go stale. A sample is a line `$ ptelab ARGS` inside a fenced block; the lines after it, up to the next `$ ` line
// or the end of the block, are its output (stdout, then stderr). In the shown output, a line that is only `...`
// stands for any number of lines, and a line ending in `...` for any line that starts with what comes before.
// Arguments are split as a shell would (quotes, and `*` globs expanded against the repository).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Sample {
  readonly file: string;
  readonly line: number;
  readonly argv: readonly string[];
  readonly expected: readonly string[];
}

/** Every sample of `files` (repository-relative), in order. */
export function findSamples(root: string, files: readonly string[]): Sample[] {
  const out: Sample[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    let inBlock = false;
    let current: { line: number; argv: string[]; expected: string[] } | undefined;
    const flush = () => {
      if (current) out.push({ file, ...current });
      current = undefined;
    };
    lines.forEach((l, i) => {
      if (/^\s*```/.test(l)) {
        flush();
        inBlock = !inBlock;
        return;
      }
      if (!inBlock) return;
      const m = /^\$ (.*)$/.exec(l);
      if (m) {
        flush();
        const words = shellWords(m[1]!, root);
        if (words[0] === 'ptelab') current = { line: i + 1, argv: words.slice(1), expected: [] };
        return;
      }
      current?.expected.push(l);
    });
    flush();
  }
  return out.map((s) => ({ ...s, expected: trimTrailingBlank(s.expected) }));
}

function trimTrailingBlank(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}

/** Words of a command line: double and single quotes, and `dir/*.ext` globs expanded (sorted) against `root`. */
export function shellWords(line: string, root: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      words.push(m[1] ?? m[2]!);
      continue;
    }
    const w = m[3]!;
    const g = /^(.*\/)?([^/]*)\*([^/]*)$/.exec(w);
    if (!g) {
      words.push(w);
      continue;
    }
    const dir = g[1] ?? '';
    const matches = fs
      .readdirSync(path.join(root, dir || '.'))
      .filter((f) => f.startsWith(g[2]!) && f.endsWith(g[3]!))
      .sort()
      .map((f) => dir + f);
    words.push(...(matches.length > 0 ? matches : [w]));
  }
  return words;
}

/** Whether `actual` lines match the shown lines, with the `...` rules above; the first mismatch otherwise. */
export function matchOutput(expected: readonly string[], actual: readonly string[]): string | undefined {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === expected.length) r = j === actual.length;
    else {
      const e = expected[i]!;
      if (e.trim() === '...') r = go(i + 1, j) || (j < actual.length && go(i, j + 1));
      else if (j === actual.length) r = false;
      else if (e.endsWith('...')) r = actual[j]!.startsWith(e.slice(0, -3)) && go(i + 1, j + 1);
      else r = actual[j] === e && go(i + 1, j + 1);
    }
    memo.set(key, r);
    return r;
  };
  if (go(0, 0)) return undefined;
  // The first line that differs, for the failure message.
  let k = 0;
  while (k < expected.length && k < actual.length && (expected[k] === actual[k] || expected[k]!.endsWith('...'))) k++;
  return `first difference near output line ${k + 1}:\n  shown:  ${JSON.stringify(expected[k] ?? '(end)')}\n  actual: ${JSON.stringify(actual[k] ?? '(end)')}`;
}

/** The docs with samples: README.md and every docs/*.md. */
export function docFiles(root: string): string[] {
  return ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/**
 * Samples that record what one machine's kernel gave (`kernel-check`: kernel version, PFNs, how often compaction
 * moved a page): not compared here; `npm run test:kernel` runs the command itself and judges its table.
 */
export function isMachineSample(s: Sample): boolean {
  return s.argv[0] === 'kernel-check';
}

/** Samples too slow for `npm test` (they run in `npm run test:slow`): the whole matrix, and reports that explore. */
export function isSlowSample(s: Sample): boolean {
  return s.argv[0] === 'matrix' || (s.argv[0] === 'report' && !s.argv.includes('--no-explore'));
}
