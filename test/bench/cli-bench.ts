// The CLI start-up part of `npm run bench`: decode, encode, check and show of a bundled spec as a user runs them (a
// new `node dist/bin/ptelab.js` process each time), against `node -e 0` on the same machine, run in turn so a busy
// machine slows both alike. Goal: the median ratio of wall times at most 4 with a warm compile cache
// (bin/compile-cache.ts); the first, cold run is printed too. Also: 1,000 values decoded from stdin in one process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../core/package-root.js';

const GOAL_RATIO = 4;
const RUNS = 9;

function wall(cmd: readonly string[], env: NodeJS.ProcessEnv, input?: string): { ms: number; status: number | null } {
  const t = performance.now();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd: packageRoot(), env, input: input ?? '', stdio: ['pipe', 'ignore', 'ignore'] });
  return { ms: performance.now() - t, status: r.status };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function cliBench(): boolean {
  const root = packageRoot();
  const cli = path.join(root, 'dist', 'bin', 'ptelab.js');
  if (!fs.existsSync(path.join(root, 'dist', 'build-id'))) {
    console.log('cli start-up: dist/build-id missing (run npm run build); skipped');
    return false;
  }
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-bench-cache-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PTELAB_CACHE_DIR: cache };
  delete env['PTELAB_NO_CACHE'];
  const spec = 'examples/x86_64-v6.17.pte';
  const commands: [string, string[]][] = [
    ['decode', ['decode', spec, '0x4']],
    ['encode', ['encode', spec, 'pte_marker', 'PTE_MARKER_UFFD_WP=1']],
    ['check', ['check', spec]],
    ['show', ['show', spec]],
  ];
  console.log(`cli start-up: each command as a new process vs node -e 0, ${RUNS} pairs after a cold run, median wall; goal ratio <= ${GOAL_RATIO}`);
  let ok = true;
  try {
    for (const [name, args] of commands) {
      const cold = wall(['node', cli, ...args], env);
      const ratios: number[] = [];
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const x = wall(['node', cli, ...args], env);
        const y = wall(['node', '-e', '0'], env);
        if (x.status !== 0) throw new Error(`ptelab ${args.join(' ')} exited ${x.status}`);
        a.push(x.ms);
        b.push(y.ms);
        ratios.push(x.ms / y.ms);
      }
      const r = median(ratios);
      const pass = r <= GOAL_RATIO;
      ok &&= pass;
      console.log(`  ${name.padEnd(7)} ${median(a).toFixed(0).padStart(5)} ms (cold ${cold.ms.toFixed(0)} ms), node -e 0 ${median(b).toFixed(0)} ms: ratio ${r.toFixed(2)}  ${pass ? 'PASS' : 'MISS'}`);
    }
    const values = Array.from({ length: 1000 }, (_, i) => `0x${(BigInt(i) << 12n | 0x63n).toString(16)}`).join('\n');
    const many = wall(['node', cli, 'decode', '--json', spec, '-'], env, values);
    console.log(`  decode of 1,000 values from stdin in one process: ${many.ms.toFixed(0)} ms (exit ${many.status})`);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  return ok;
}
