// The project stands on its own: no tracked file may point outside the repository at something only one machine
// has. Three kinds of reference are refused: an absolute path of a user's or a build machine's file system (home
// and work directories, named temporary folders, Windows drive paths), the session's shared background folder, and
// the background file of kernel facts that was never part of the repository (cite docs/sources.md instead).
// Kernel interfaces such as /proc/self/pagemap, /dev/null or /sys/kernel/mm/... are absolute paths too, but the same
// on every Linux machine, so they are allowed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Rule {
  readonly id: string;
  readonly pattern: RegExp; // global; matched line by line
  readonly fix: string;
}

// The patterns are written so that their own source text does not match them (this file is scanned too).
export const RULES: readonly Rule[] = [
  {
    id: 'machine-path',
    // the start of an absolute path (not the tail of a relative one or of a URL host) into a home, work or root
    // directory, or a named folder under /tmp
    pattern: /(?<![\w.~-])\/(?:(?:work|home|root|Users)\/|tmp\/(?=[\w.-]))/g,
    fix: 'use a path relative to the repository (or a placeholder such as OUT_DIR) instead of one machine\'s path',
  },
  {
    id: 'machine-path',
    // a Windows drive path: drive letter, colon, one backslash (two inside a JSON or code string)
    pattern: /(?<![\w\\])[A-Za-z]:\\{1,2}(?=[\w.$-])/g,
    fix: 'use a path relative to the repository instead of one machine\'s path',
  },
  {
    id: 'shared-folder',
    // the shared folder as a relative path (dot-dot slash shared), or as the first folder of a file's path
    pattern: /(?:\.\.\/)+shared\b|(?<![\w.-])shared\/[\w.-]*[./]/g,
    fix: 'the shared background folder is not part of the repository: cite docs/sources.md or the kernel source',
  },
  {
    id: 'facts-file',
    pattern: /kernel[-_]facts/gi,
    fix: 'that file is not in the repository: cite a fact of docs/sources.md ("sources S7", docs/sources.md#s7)',
  },
];

export interface Finding {
  readonly file: string;
  readonly line: number; // 1-based
  readonly col: number; // 1-based
  readonly rule: string;
  readonly match: string;
  readonly fix: string;
}

/** Every reference the rules refuse in one file's text. */
export function scanText(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const rule of RULES) {
      for (const m of line.matchAll(rule.pattern)) {
        out.push({ file, line: i + 1, col: (m.index ?? 0) + 1, rule: rule.id, match: line.slice(m.index, (m.index ?? 0) + 40), fix: rule.fix });
      }
    }
  }
  return out;
}

// what .gitignore leaves out, for the walk without git
const WALK_SKIP = new Set(['.git', 'node_modules', 'dist']);

/**
 * The repository's tracked files (repository-relative, '/' separators): `git ls-files`, or, where git or the
 * repository metadata is missing (an unpacked tarball), every file under `root` except build output and dependencies.
 */
export function trackedFiles(root: string): { files: string[]; source: 'git' | 'walk' } {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = out.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(root, f)));
    if (files.length > 0) return { files, source: 'git' };
  } catch {
    // no git, or not a repository: walk instead
  }
  return { files: walkFiles(root), source: 'walk' };
}

export function walkFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!WALK_SKIP.has(e.name) && r !== 'test/artifacts') walk(r);
      } else if (e.isFile() && !/\.tmp$/.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Scan files of `root`; binary files (a NUL byte) are skipped. */
export function scanFiles(root: string, files: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const buf = fs.readFileSync(path.join(root, f));
    if (buf.includes(0)) continue;
    out.push(...scanText(f, buf.toString('utf8')));
  }
  return out;
}
