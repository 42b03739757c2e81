// A kernel tree on disk for `ptelab build --kernel-tree DIR` (place.ts): its files read on demand, named by the
// version its top-level Makefile states.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KernelTree } from './place.js';

export class NotAKernelTree extends Error {}

export function openKernelTree(dir: string): KernelTree {
  let mk: string;
  try {
    mk = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
  } catch {
    throw new NotAKernelTree(`--kernel-tree ${dir}: no Makefile there; give the top of a kernel source tree`);
  }
  const v = (k: string): string | undefined => new RegExp(`^${k} = (\\S+)`, 'm').exec(mk)?.[1];
  if (!v('VERSION') || !v('PATCHLEVEL')) throw new NotAKernelTree(`--kernel-tree ${dir}: its Makefile states no VERSION/PATCHLEVEL; give the top of a kernel source tree`);
  const version = [v('VERSION'), v('PATCHLEVEL'), v('SUBLEVEL')].filter(Boolean).join('.');
  return {
    name: `${path.basename(dir)} (${version})`,
    read: (file) => {
      try {
        return fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
