// The inputs ptelab bundles, found under a repository root and named by repository-relative paths (so generated
// output is the same on every machine): the kernel specs, the proposals, the scenario files, the explorer's worlds.
// The generator, the matrix and the tests all list them through here.
import { compareFileNames } from './file-order.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KERNEL_SPEC_DIR = 'examples';
export const PROPOSAL_DIR = 'examples/proposals';
export const SCENARIO_DIR = 'examples/scenarios';
export const WORLD_DIR = 'examples/worlds';

/** The files of `dir` (repository-relative) whose names end in `ext`, sorted; none when the directory is missing. */
export function listBundled(root: string, dir: string, ext: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => e.name)
    .sort(compareFileNames)
    .map((name) => `${dir}/${name}`);
}

/** examples/*.pte: the bundled kernel specs. */
export function bundledKernelSpecs(root: string): string[] {
  return listBundled(root, KERNEL_SPEC_DIR, '.pte');
}

/** examples/proposals/*.pte. */
export function bundledProposals(root: string): string[] {
  return listBundled(root, PROPOSAL_DIR, '.pte');
}
