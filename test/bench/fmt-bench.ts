// The fmt part of `npm run bench`: formatSpecText (what `ptelab fmt` runs per file: parse, attach comments, print,
// then check the output: lex it, parse again the items whose tokens changed, compare meaning and comments; each run
// does all of it, nothing is kept from the run before) on the large generated spec at 1/4, 1/2 and 1 MB,
// once as generated (about a quarter comments) and once with a trailing comment on every code line (the shape that
// used to make fmt quadratic: 1.18 MB took 91 s). Goals: a 1 MB spec with comments in under 2 s, and time growing
// linearly with size (the 1 MB time per MB within 1.5x of the 1/4 MB time per MB). The 2 s goal holds for the whole
// command too, as a user runs it: a new `node dist/bin/ptelab.js fmt --check` process (the same work as `fmt` but the
// write; module loading and the parser's grammar analysis included) on the 1 MB spec with a note on every line, its
// CPU time read from the kernel (median of 3). Always exits 0 (see bench.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSpecText } from '../../apps/fmt/format.js';
import { packageRoot } from '../../core/package-root.js';

const GOAL_MS_PER_MB = 2000;
const GOAL_LINEARITY = 1.5;

/** Every code line that has no comment gets one at its end. */
export function withTrailingComments(text: string): string {
  let n = 0;
  return text
    .split('\n')
    .map((l) => (l.trim() === '' || l.includes('//') ? l : `${l}  // note ${n++} on this line`))
    .join('\n');
}

interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

async function timeFormat(text: string, runs: number): Promise<Timing> {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await formatSpecText(text, 'bench-fmt.pte');
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (!r.ok) throw new Error(`the generated spec does not parse: ${r.diagnostics[0]?.message}`);
    if (i > 0) {
      ms.push(t);
      cpu.push((c.user + c.system) / 1000);
    } // run 0 warms up
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return { ms: median(ms), cpuMs: median(cpu) };
}

export async function fmtBench(generate: (targetBytes: number) => { text: string }): Promise<boolean> {
  console.log(`fmt: formatSpecText on generated specs (median of 3 warm runs), goal < ${GOAL_MS_PER_MB} ms for 1 MB, linear in size`);
  let ok = true;
  for (const [label, shape] of [
    ['as generated', (t: string) => t],
    ['a trailing comment on every line', withTrailingComments],
  ] as const) {
    const rows: { mb: number; t: Timing }[] = [];
    let lastText = '';
    for (const target of [250_000, 500_000, 1_000_000]) {
      // Generate a little under the target so that the commented variant lands near it too.
      let text = shape(generate(target).text);
      if (label !== 'as generated') text = shape(generate(Math.round(target * (target / text.length))).text);
      const mb = Buffer.byteLength(text) / 1e6;
      const comments = (text.match(/\/\/[^\n]*/g) ?? []).length;
      const t = await timeFormat(text, 3);
      lastText = text;
      rows.push({ mb, t });
      console.log(`  ${label.padEnd(34)} ${mb.toFixed(2)} MB, ${comments} comments: ${t.ms.toFixed(0).padStart(5)} ms wall, ${t.cpuMs.toFixed(0).padStart(5)} ms CPU (${(t.ms / mb).toFixed(0)} ms/MB)`);
    }
    const small = rows[0]!;
    const large = rows[rows.length - 1]!;
    const perMbLarge = large.t.cpuMs / large.mb;
    const ratio = perMbLarge / (small.t.cpuMs / small.mb);
    const fast = large.t.ms / large.mb <= GOAL_MS_PER_MB;
    const linear = ratio <= GOAL_LINEARITY;
    ok &&= fast && linear;
    console.log(
      `  ${label}: ${(large.t.ms / large.mb).toFixed(0)} ms per MB at 1 MB (goal < ${GOAL_MS_PER_MB}): ${fast ? 'PASS' : 'MISS'};` +
        ` CPU per MB at 1 MB / at 1/4 MB = ${ratio.toFixed(2)} (goal ≤ ${GOAL_LINEARITY}): ${linear ? 'PASS' : 'MISS'}`,
    );
    if (label !== 'as generated') ok = wholeCommand(lastText) && ok;
  }
  return ok;
}

/** The CPU milliseconds of this process's finished children so far (Linux: /proc/self/stat), if the system says. */
function childrenCpuMs(ticksPerSecond: number): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // The fields after "pid (comm) ": the 3rd of the line first; cutime and cstime are the 16th and 17th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function wholeCommand(text: string): boolean {
  const cli = path.join(packageRoot(), 'dist', 'bin', 'ptelab.js');
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  if (childrenCpuMs(ticks) === undefined) {
    console.log('  the whole command: no CPU time of child processes on this system; skipped');
    return true;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-fmt-bench-'));
  const file = path.join(dir, 'large.pte');
  fs.writeFileSync(file, text);
  const cpu: number[] = [];
  const wall: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const c0 = childrenCpuMs(ticks)!;
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'fmt', '--check', file], { stdio: 'ignore' });
      wall.push(performance.now() - t0);
      cpu.push(childrenCpuMs(ticks)! - c0);
      // --check exits 1 on a file that is not formatted (this one is not), 0 on one that is.
      if (r.status !== 0 && r.status !== 1) throw new Error(`ptelab fmt --check exited ${r.status}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const pass = median(cpu) < GOAL_MS_PER_MB * (Buffer.byteLength(text) / 1e6);
  console.log(
    `  the whole command, a new process (ptelab fmt --check, ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB): ${median(cpu).toFixed(0)} ms CPU,` +
      ` ${median(wall).toFixed(0)} ms wall (median of 3; goal < ${GOAL_MS_PER_MB} ms CPU per MB): ${pass ? 'PASS' : 'MISS'}`,
  );
  return pass;
}
