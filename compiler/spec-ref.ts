// Where an `extends "..."` or `import "..."` string points. An absolute path is taken as it is; a bare name with no
// folder and no .pte (`extends "x86_64-v6.17"`) is a spec bundled with ptelab, found from anywhere; anything else
// is relative to the file that names it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KERNEL_SPEC_DIR, PROPOSAL_DIR } from '../core/bundled.js';
import { packageRoot } from '../core/package-root.js';

/** A name that stands for a bundled spec rather than a path. */
export function isBundledName(ref: string): boolean {
  return ref !== '' && !ref.includes('/') && !ref.includes('\\') && !ref.endsWith('.pte') && ref !== '.' && ref !== '..';
}

/** The file of bundled spec `name` (examples/NAME.pte, then examples/proposals/NAME.pte), or undefined. */
export function bundledSpecFile(name: string): string | undefined {
  for (const dir of [KERNEL_SPEC_DIR, PROPOSAL_DIR]) {
    const file = path.join(packageRoot(), dir, `${name}.pte`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** The names of the bundled specs, for a hint. */
export function bundledSpecNames(): string[] {
  const names: string[] = [];
  for (const dir of [KERNEL_SPEC_DIR, PROPOSAL_DIR]) {
    const abs = path.join(packageRoot(), dir);
    if (!fs.existsSync(abs)) continue;
    names.push(...fs.readdirSync(abs).filter((f) => f.endsWith('.pte')).map((f) => f.slice(0, -4)).sort());
  }
  return names;
}

/** The path `ref`, written in `fromFile`, names (an unknown bundled name stays as written, to be reported). */
export function resolveSpecRef(fromFile: string, ref: string): string {
  if (path.isAbsolute(ref)) return path.normalize(ref);
  if (isBundledName(ref)) return bundledSpecFile(ref) ?? ref;
  return path.join(path.dirname(fromFile), ref);
}
