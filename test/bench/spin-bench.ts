// The yardstick of `npm run bench`'s explore half (issue #16): SPIN's exact breadth-first search on a comparable
// uffd-wp model, run in the same bench run as ptelab's explorer so that the ratio of transitions per CPU-second is
// meaningful on a shared, noisy machine. The model is not part of this repository: it is found through
// PTELAB_SPIN_MODEL, or as <folder>/bench/spin/uffdwp.pml in a folder beside the repository or beside one of its
// parents. Without spin, gcc or the model, the bench says what is missing and how to get it, and goes on without the
// ratio.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SPIN_DEPTH = 6;
export const SPIN_MODEL_ENV = 'PTELAB_SPIN_MODEL';
const MODEL_TAIL = path.join('bench', 'spin', 'uffdwp.pml');

export interface SpinFigures {
  readonly model: string;
  readonly states: number;
  readonly transitions: number;
  /** pan's user + system CPU time. */
  readonly cpuS: number;
  readonly transitionsPerCpuS: number;
  readonly version: string;
}

export type SpinOutcome = { readonly ok: true; readonly figures: SpinFigures } | { readonly ok: false; readonly why: string };

/** The model: $PTELAB_SPIN_MODEL, else bench/spin/uffdwp.pml in a folder beside `root` or beside one of its parents. */
export function findSpinModel(root: string): string | undefined {
  const env = process.env[SPIN_MODEL_ENV];
  if (env) return fs.existsSync(env) ? path.resolve(env) : undefined;
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      entries = [];
    }
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(dir, e.name, MODEL_TAIL);
      if (fs.existsSync(f)) return f;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** spin -a, gcc -O2 -DBFS, then one run of pan under bash's `time` (the child's own CPU time). */
export function runSpin(root: string, depth = SPIN_DEPTH): SpinOutcome {
  const missing = ['spin', 'gcc', 'bash'].filter((c) => !has(c));
  if (missing.length > 0) {
    return { ok: false, why: `${missing.join(' and ')} not installed (Debian/Ubuntu: apt-get install -y spin gcc); no SPIN figure, no ratio` };
  }
  const model = findSpinModel(root);
  if (!model) {
    return {
      ok: false,
      why: `the SPIN model uffdwp.pml was not found: set ${SPIN_MODEL_ENV}=/path/to/uffdwp.pml (it is looked for as ` +
        `${MODEL_TAIL} above the repository root); no SPIN figure, no ratio`,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-spin-'));
  try {
    fs.copyFileSync(model, path.join(dir, 'uffdwp.pml'));
    const step = (cmd: string, args: string[]): string | undefined => {
      const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
      return r.status === 0 ? undefined : `${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
    };
    const e1 = step('spin', [`-DDEPTH=${depth}`, '-a', 'uffdwp.pml']) ?? step('gcc', ['-O2', '-DSAFETY', '-DBFS', '-DNOREDUCE', '-o', 'pan', 'pan.c']);
    if (e1) return { ok: false, why: e1 };
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="cpu %U %S"; time ./pan -w22 -m100000'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const out = `${r.stdout}\n${r.stderr}`;
    const states = /(\d+) states, stored/.exec(out);
    const transitions = /(\d+) transitions \(= stored\+matched\)/.exec(out);
    const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(out);
    const version = /Spin Version ([\d.]+)/.exec(out)?.[1] ?? '?';
    if (r.status !== 0 || !states || !transitions || !cpu) return { ok: false, why: `pan did not run as expected: ${out.trim().split('\n').slice(-3).join(' | ')}` };
    const cpuS = Number(cpu[1]) + Number(cpu[2]);
    return {
      ok: true,
      figures: {
        model: path.basename(model),
        states: Number(states[1]),
        transitions: Number(transitions[1]),
        cpuS,
        transitionsPerCpuS: Number(transitions[1]) / Math.max(cpuS, 1e-3),
        version,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
