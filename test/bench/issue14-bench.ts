// `npm run bench -- mutation14`: the mutation test (apps/mutation/mutation.ts) restricted to the handler cases of the
// paths issue #14 added or made drivable, on the worlds that reach them, depth 4 (docs/explore.md, "UFFDIO_MOVE").
// Two runs: `move_pages_pte` alone on the world "anon, move into missing + wp" (the oracle's exactness for UFFDIO_MOVE:
// runtime/oracle-move.ts), then every #14 path (the fills, move_pages_pte, PAGEMAP_SCAN and its write-protect, the
// WP_ASYNC fault case of do_wp_page, fork's copy of a present entry with its early COW for pins) on the worlds of
// examples/worlds/uffd-modes.scn and wp-async.scn and the anon world (fork), with `scan` added to the default alphabet.
// The goal is 0 survived.
import * as path from 'node:path';
import { compileSpec } from '../../compiler/compile.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import { packageRoot } from '../../core/package-root.js';
import { unwrap } from '../../core/result.js';
import { runMutationTest } from '../../apps/mutation/mutation.js';
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import { printMutationReport } from './explore-bench.js';

export const ISSUE14_SPEC = 'examples/x86_64-v6.17.pte';
export const MUTATION14_DEPTH = 4;
export const MUTATION14_MAX_STATES = 200_000;
/** Every case of these paths. */
export const ISSUE14_PATHS = ['mfill_atomic_pte', 'mfill_atomic_install', 'move_pages_pte', 'pagemap_scan_pte', 'pagemap_scan_written', 'make_uffd_wp_pte'] as const;
/** Single cases: do_wp_page's present case (its WP_ASYNC branch), fork's present case (its early COW for pins). */
export const ISSUE14_CASES = [
  ['do_wp_page', 'present'],
  ['copy_page_range', 'present'],
  ['copy_page_range', 'protnone'],
] as const;
/** The worlds that reach them: examples/worlds/uffd-modes.scn and wp-async.scn, and "anon" for fork. */
const WORLD_FILES = ['uffd-modes.scn', 'wp-async.scn'];
const MOVE_WORLD = 'anon, move into missing + wp';

function compiled(spec: string): IrSpec {
  const c = unwrap(compileSpec(path.join(packageRoot(), spec)));
  if (!c.ok) throw new Error(`${spec} does not compile`);
  return c.ir;
}

/** "path#index" of every case of `paths`, and of each [path, kind] case. */
function caseIds(ir: IrSpec, paths: readonly string[], cases: readonly (readonly [string, string])[]): string[] {
  return ir.paths.flatMap((p) => p.cases.flatMap((c, i) => (paths.includes(p.name) || cases.some(([n, k]) => n === p.name && c.kind === k) ? [`${p.name}#${i}`] : [])));
}

export async function mutation14Bench(): Promise<boolean> {
  const ir = compiled(ISSUE14_SPEC);
  const all = bundledWorlds();
  const moveWorld = all.filter((w) => w.name === MOVE_WORLD);
  const moveOnly = caseIds(ir, ['move_pages_pte'], []);
  console.log(`mutation14 (move): ${ISSUE14_SPEC}, the ${moveOnly.length} cases of move_pages_pte, world "${MOVE_WORLD}", depth ${MUTATION14_DEPTH}`);
  const r1 = await runMutationTest({ ir, worlds: moveWorld, depth: MUTATION14_DEPTH, maxStates: MUTATION14_MAX_STATES, only: moveOnly });
  printMutationReport(r1);
  const only = caseIds(ir, ISSUE14_PATHS, ISSUE14_CASES);
  const worlds = all.filter((w) => (w.file !== undefined && WORLD_FILES.includes(path.basename(w.file))) || w.name === 'anon');
  console.log(`mutation14 (all): the ${only.length} cases of ${[...ISSUE14_PATHS, ...ISSUE14_CASES.map(([p, k]) => `${p}/${k}`)].join(', ')}; worlds: ${worlds.map((w) => w.name).join('; ')}; depth ${MUTATION14_DEPTH}, the default alphabet and scan`);
  // PAGEMAP_SCAN (`scan`) is not in the default alphabet: added here, or its paths never run
  const r2 = await runMutationTest({ ir, worlds, depth: MUTATION14_DEPTH, maxStates: MUTATION14_MAX_STATES, only, ops: [...DEFAULT_OPS, 'scan'] });
  printMutationReport(r2);
  return r1.survived === 0 && r2.survived === 0 && r2.staleReasons.length === 0;
}
