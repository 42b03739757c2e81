// Which lines of a C unit are comment only. A series that changes nothing but comments changes no kernel code, so
// the patch footprint (`ptelab diff`) counts those lines apart from code. Units start outside any comment (emit.ts
// writes each unit whole), so a scan from a unit's first line knows the state of every line.
import type { CUnit } from './emit.js';

/** For each line: true when it holds only comment text and blanks (and is not itself blank). */
export function commentOnlyLines(lines: readonly string[]): boolean[] {
  let inBlock = false;
  return lines.map((line) => {
    let code = false;
    let comment = inBlock;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (inBlock) {
        if (ch === '*' && line[i + 1] === '/') {
          inBlock = false;
          i++;
        }
        continue;
      }
      if (ch === '/' && line[i + 1] === '*') {
        inBlock = true;
        comment = true;
        i++;
      } else if (ch === '/' && line[i + 1] === '/') {
        comment = true;
        break;
      } else if (ch === '"' || ch === "'") {
        // a literal: skip to its closing quote so a "/*" inside it opens nothing
        code = true;
        for (i++; i < line.length && line[i] !== ch; i++) if (line[i] === '\\') i++;
      } else if (ch !== ' ' && ch !== '\t') {
        code = true;
      }
    }
    return comment && !code;
  });
}

const cache = new WeakMap<CUnit, ReadonlySet<string>>();

/** The texts of a unit's comment-only lines. */
function commentTexts(u: CUnit): ReadonlySet<string> {
  let s = cache.get(u);
  if (!s) {
    const flags = commentOnlyLines(u.lines);
    s = new Set(u.lines.filter((_, i) => flags[i]));
    cache.set(u, s);
  }
  return s;
}

/**
 * Whether a line of a unit is comment only. By text: a unit whose comment repeats one of its own code lines
 * verbatim, indentation included, does not occur in what emit.ts writes.
 */
export function isCommentLine(unit: CUnit | undefined, text: string): boolean {
  return unit !== undefined && commentTexts(unit).has(text);
}
