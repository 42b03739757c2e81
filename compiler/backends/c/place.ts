// `ptelab build --kernel-tree DIR`: a series made against a real kernel tree instead of ptelab's own sketch text.
// What a series adds is placed in the tree's files, with the tree's lines as context (so `git apply --check` passes
// there): a handler case's helper right above the kernel function it extends (found by name in its file, above that
// function's comment), a header's new definitions and helpers just before its closing `#endif` (the include guard).
// What cannot be placed stays a sketch and the cover letter lists it: a change of a unit the tree does not have
// (ptelab's dispatchers, classifier and kind tests exist only in the sketch), a file the tree lacks, a function not
// found. Nothing is placed *inside* a kernel function: calling the helper from there is the author's edit.
import type { CUnit } from './emit.js';

/** The files of a kernel tree, read on demand (undefined: the tree has no such file). */
export interface KernelTree {
  /** How the cover letter names the tree (e.g. `linux-source-6.1 (6.1.176)`). */
  readonly name: string;
  read(file: string): string | undefined;
}

export interface Placed {
  readonly unit: CUnit;
  /** Where: `above copy_nonpresent_pte()`, `before the closing #endif`. */
  readonly where: string;
}

export interface NotPlaced {
  readonly unit: CUnit;
  readonly file: string;
  readonly why: string;
}

/** The line (0-based) a unit goes before in `lines`, or why there is none. */
export function anchor(file: string, lines: readonly string[], u: CUnit): { at: number; where: string } | { why: string } {
  const fn = /(\w+)\(/.exec(u.context)?.[1];
  if (fn && u.concern === 'path') {
    const def = lines.findIndex((l, i) => new RegExp(`^(?:[A-Za-z_].*[^\\w])?${fn}\\(`).test(l) && !/;\s*$/.test(l) && opensBody(lines, i));
    if (def < 0) return { why: `${file} has no function ${fn}()` };
    let at = def;
    // The return type on a line of its own (`static unsigned long` above `copy_nonpresent_pte(...)`).
    if (at > 0 && /^[A-Za-z_][\w\s*]*$/.test(lines[at - 1]!) && !/^(#|\s)/.test(lines[at - 1]!)) at--;
    // Above the function's own comment block, if it has one.
    if (at > 0 && /\*\/\s*$/.test(lines[at - 1]!)) {
      let k = at - 1;
      while (k > 0 && !/^\s*\/\*/.test(lines[k]!)) k--;
      at = k;
    }
    return { at, where: `above ${fn}()` };
  }
  if (file.endsWith('.h')) {
    const end = lines.map((l) => /^#endif\b/.test(l)).lastIndexOf(true);
    if (end < 0) return { why: `${file} has no closing #endif` };
    return { at: end, where: 'before the closing #endif' };
  }
  return { why: `no kernel function named for it in ${file}` };
}

/** A definition line whose body opens within the next few lines (not a prototype, not a call). */
function opensBody(lines: readonly string[], i: number): boolean {
  for (let k = i; k < Math.min(lines.length, i + 8); k++) {
    if (/^\{\s*$/.test(lines[k]!)) return true;
    if (/;\s*$/.test(lines[k]!)) return false;
  }
  return false;
}
