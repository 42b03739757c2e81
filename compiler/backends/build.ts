// build: everything ptelab generates for one spec, as a map from relative file name to text. Pure: no I/O.
import * as path from 'node:path';
import type { IrSpec } from '../ir/types.js';
import type { PatchIdentity } from './c/identity.js';
import { patchSeries } from './c/patch.js';
import type { KernelTree } from './c/place.js';
import { layoutSvg } from './svg/layout.js';
import { levelDisplayIr } from '../compile.js';
import { emitTs } from './ts/emit.js';

export type GeneratedFiles = ReadonlyMap<string, string>;

/**
 * The directory of a spec's output, relative to the output root: its file name without `.pte` (`x86_64-v6.17`); a
 * spec in a `proposals/` directory goes to `proposals/<name>` (`proposals/hugh-swap-marker`), as in generated/.
 */
export function outputName(specFile: string): string {
  const name = path.basename(specFile).replace(/\.pte$/, '');
  return path.basename(path.dirname(path.resolve(specFile))) === 'proposals' ? `proposals/${name}` : name;
}

/** An ES import path from `fromDir` to `target` (both absolute, or both relative to one directory). */
export function importPath(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export interface BuildOptions {
  /** contract/spec-module.js as an import path from the output directory. */
  readonly runtimeImport: string;
  /**
   * The IR of the spec's base (the spec it `extends`), when it has one: the kernel patch sketch then shows only
   * what differs from the base. Without it the sketch shows everything.
   */
  readonly base?: IrSpec;
  /** Author and date of the patch series (c/identity.ts); without it the fixed fallback. */
  readonly identity?: PatchIdentity;
  /** Make the patch series against this kernel tree (c/place.ts). */
  readonly kernelTree?: KernelTree;
}

export async function buildFiles(ir: IrSpec, opts: BuildOptions): Promise<GeneratedFiles> {
  const files = new Map<string, string>();
  files.set('module.ts', await emitTs(ir, { runtimeImport: opts.runtimeImport }));
  files.set('layout.svg', layoutSvg(ir));
  // Every other level's layout: its own formats (those the PTE level does not have) and the ones its kinds use.
  for (const l of ir.levels ?? []) {
    const own = new Set(l.formats.filter((f) => !ir.formats.some((g) => g.name === f.name)).map((f) => f.name));
    files.set(`layout-${l.level ?? 'pte'}.svg`, layoutSvg(levelDisplayIr(l, own)));
  }
  for (const [name, text] of patchSeries(ir, opts.base, { ...(opts.identity ? { identity: opts.identity } : {}), ...(opts.kernelTree ? { kernelTree: opts.kernelTree } : {}) })) files.set(`patch/${name}`, text);
  return files;
}
