// Where the patch-sketch tests find the kernel source `npm run setup:kernel-source` unpacks (bin/setup-kernel-source.sh):
// $PTELAB_KERNEL_SOURCE, else $XDG_CACHE_HOME/ptelab/kernel-source, else ~/.cache/ptelab/kernel-source, holding one
// linux-source-X.Y folder (Debian's package) with scripts/checkpatch.pl and the mm headers and sources.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const KERNEL_SOURCE_HINT =
  'no kernel source found: run `npm run setup:kernel-source` (as root on Debian it installs the linux-source package ' +
  'and unpacks checkpatch.pl and the mm files into ~/.cache/ptelab/kernel-source), or set PTELAB_KERNEL_SOURCE to a ' +
  'folder holding a linux-source-X.Y tree';

export function kernelSourceCache(): string {
  const env = process.env['PTELAB_KERNEL_SOURCE'];
  if (env) return env;
  const xdg = process.env['XDG_CACHE_HOME'];
  return path.join(xdg || path.join(os.homedir(), '.cache'), 'ptelab', 'kernel-source');
}

export interface KernelSource {
  /** The tree's root (linux-source-X.Y). */
  readonly root: string;
  /** VERSION.PATCHLEVEL.SUBLEVEL from its Makefile. */
  readonly version: string;
  readonly checkpatch: string;
}

export function findKernelSource(): KernelSource | undefined {
  const cache = kernelSourceCache();
  let entries: string[];
  try {
    entries = fs.readdirSync(cache).filter((d) => d.startsWith('linux-source-')).sort();
  } catch {
    return undefined;
  }
  for (const d of entries.reverse()) {
    const root = path.join(cache, d);
    const checkpatch = path.join(root, 'scripts', 'checkpatch.pl');
    if (!fs.existsSync(checkpatch) || !fs.existsSync(path.join(root, '.ptelab-complete'))) continue;
    const mk = fs.readFileSync(path.join(root, 'Makefile'), 'utf8');
    const v = (k: string): string => new RegExp(`^${k} = (\\S*)`, 'm').exec(mk)?.[1] ?? '?';
    return { root, version: `${v('VERSION')}.${v('PATCHLEVEL')}.${v('SUBLEVEL')}`, checkpatch };
  }
  return undefined;
}
