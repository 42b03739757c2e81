// `npm run bench -- depth5` and `npm run bench -- mutation13`: the two checkable goals of issue #13 that are too slow
// for `npm test`. depth5: both 6.17 specs, every bundled world, the default alphabet, depth 5: per world the verdict,
// the depth it completed and its states (the goal: every world complete and clean). mutation13: the mutation test
// (apps/mutation/mutation.ts) restricted to the handler cases of the paths issue #13 added or made drivable
// (mprotect's change_pte_range, mremap's move_ptes, guard regions, UFFDIO_POISON, swap errors and memory failure),
// at depth 4 on every bundled world; the goal is 100%, with every equivalent mutant's reason printed.
import * as path from 'node:path';
import { compileSpec } from '../../compiler/compile.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import { packageRoot } from '../../core/package-root.js';
import { unwrap } from '../../core/result.js';
import { loadSpecModule } from '../../apps/load-module.js';
import { runMutationTest } from '../../apps/mutation/mutation.js';
import { DEFAULT_OPS } from '../../runtime/explore/alphabet.js';
import { exploreWorlds } from '../../runtime/explore/explore-worlds.js';
import { bundledWorlds } from '../../runtime/explore/worlds.js';
import { printMutationReport } from './explore-bench.js';

export const DEPTH5_SPECS = ['examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte'] as const;
export const DEPTH5 = 5;
/** The paths issue #13 made drivable; every case of these, and every case of the kinds below in any path. */
export const ISSUE13_PATHS = [
  'change_pte_range',
  'move_ptes',
  'guard_install_pte_entry',
  'guard_remove_pte_entry',
  'mfill_atomic_pte_poison',
  'mfill_atomic_install',
  'unuse_pte',
  'try_to_unmap_pte',
] as const;
export const ISSUE13_KINDS = ['hwpoison', 'pte_marker'] as const;
export const MUTATION13_DEPTH = 4;
export const MUTATION13_MAX_STATES = 300_000;

const fmt = (n: number): string => n.toLocaleString('en-US');

function compiled(spec: string): IrSpec {
  const c = unwrap(compileSpec(path.join(packageRoot(), spec)));
  if (!c.ok) throw new Error(`${spec} does not compile`);
  return c.ir;
}

export async function depth5Bench(): Promise<boolean> {
  let allClean = true;
  const worlds = bundledWorlds();
  console.log(`depth 5: ${DEPTH5_SPECS.join(', ')} on ${worlds.length} bundled worlds, default ops (${DEFAULT_OPS.length}: ${DEFAULT_OPS.join(', ')}), one worker`);
  for (const spec of DEPTH5_SPECS) {
    const loaded = await loadSpecModule(compiled(spec));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const results = await exploreWorlds(loaded.module, worlds, { depth: DEPTH5, moduleJs: loaded.js });
    const cpu = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    let states = 0;
    let transitions = 0;
    for (const [i, r] of results.entries()) {
      const name = worlds[i]!.name.padEnd(48);
      if (!('stats' in r)) {
        if (r.verdict !== 'n/a') allClean = false;
        console.log(`    ${name} ${r.verdict}: ${'reason' in r ? r.reason : r.message}`);
        continue;
      }
      states += r.stats.states;
      transitions += r.stats.transitions;
      if (r.verdict !== 'complete') allClean = false;
      // levels[0] is the root: a world that completed its last level reached that depth
      console.log(`    ${name} ${r.verdict.padEnd(14)} depth ${r.stats.levels.length - 1} ${fmt(r.stats.states).padStart(8)} states  levels ${r.stats.levels.join('/')}`);
    }
    const clean = results.filter((r) => r.verdict === 'complete').length;
    console.log(`  ${spec}: ${clean} of ${results.length} worlds complete and clean to depth ${DEPTH5}, ${fmt(states)} states, ${fmt(transitions)} transitions, ` +
      `${(ms / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`);
  }
  return allClean;
}

export async function mutation13Bench(): Promise<boolean> {
  const spec = DEPTH5_SPECS[0];
  const ir = compiled(spec);
  const only = ir.paths.flatMap((p) =>
    p.cases.flatMap((c, i) => ((ISSUE13_PATHS as readonly string[]).includes(p.name) || (ISSUE13_KINDS as readonly (string | undefined)[]).includes(c.kind) ? [`${p.name}#${i}`] : [])),
  );
  console.log(`mutation13: ${spec}, the ${only.length} handler cases of ${ISSUE13_PATHS.join(', ')} and of kinds ${ISSUE13_KINDS.join(', ')}, depth ${MUTATION13_DEPTH}`);
  const r = await runMutationTest({ ir, depth: MUTATION13_DEPTH, maxStates: MUTATION13_MAX_STATES, only });
  printMutationReport(r);
  return r.survived === 0 && r.staleReasons.length === 0;
}
