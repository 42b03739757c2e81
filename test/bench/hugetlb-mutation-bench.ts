// `npm run bench -- mutation-hugetlb` (issue #15): the mutation test on the huge_pte level of both 6.17 specs (every
// handler case of mm/hugetlb.c's paths, apps/mutation/levels.ts) over the hugetlb worlds, at the mutation run's depth.
// Prints the score and every equivalent or surviving mutant; never fails on speed.
import * as path from 'node:path';
import { compileSpec } from '../../compiler/compile.js';
import { packageRoot } from '../../core/package-root.js';
import { unwrap } from '../../core/result.js';
import { runMutationTest } from '../../apps/mutation/mutation.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import { DEFAULT_OPS, type OpName } from '../../runtime/explore/alphabet.js';
import { MUTATION_DEPTH, printMutationReport } from './explore-bench.js';

/** The default alphabet and the VMA ops that reach the protnone entry and the munmap/mprotect paths of hugetlb. */
export const HUGETLB_MUTATION_OPS: readonly OpName[] = [...DEFAULT_OPS, 'mprotect', 'munmap', 'protnone'];

export const HUGETLB_MUTATION_SPECS = ['examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte'];

/** The bundled worlds on hugetlb VMAs (examples/worlds/hugetlb-*.scn). */
export function hugetlbWorlds(): ReturnType<typeof bundledWorlds> {
  return bundledWorlds().filter((w) => w.file !== undefined && path.basename(w.file).startsWith('hugetlb-'));
}

export async function hugetlbMutationBench(): Promise<boolean> {
  let ok = true;
  for (const file of HUGETLB_MUTATION_SPECS) {
    const c = unwrap(compileSpec(path.join(packageRoot(), file)));
    if (!c.ok) throw new Error(`${file} does not compile`);
    const r = await runMutationTest({ ir: c.ir, level: 'huge_pte', worlds: hugetlbWorlds(), depth: MUTATION_DEPTH, ops: HUGETLB_MUTATION_OPS });
    printMutationReport(r);
    ok &&= r.survived === 0 && r.staleReasons.length === 0;
  }
  return ok;
}
