// The fmt part of `npm run bench`: formatSpecText (what `ptelab fmt` runs per file: parse, attach comments, print,
// then check the output: lex it, parse again the items whose tokens changed, compare meaning and comments; each run
// does all of it, nothing is kept from the run before) on the large generated spec at 1/4, 1/2 and 1 MB,
// once as generated (about a quarter comments) and once with a trailing comment on every code line (the shape that
// used to make fmt quadratic: 1.18 MB took 91 s). Goals: a 1 MB spec with comments in under 2 s, and time growing
// linearly with size (the 1 MB time per MB within 1.5x of the 1/4 MB time per MB). Always exits 0 (see bench.ts).
import { formatSpecText } from '../../apps/fmt/format.js';

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
    for (const target of [250_000, 500_000, 1_000_000]) {
      // Generate a little under the target so that the commented variant lands near it too.
      let text = shape(generate(target).text);
      if (label !== 'as generated') text = shape(generate(Math.round(target * (target / text.length))).text);
      const mb = Buffer.byteLength(text) / 1e6;
      const comments = (text.match(/\/\/[^\n]*/g) ?? []).length;
      const t = await timeFormat(text, 3);
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
  }
  return ok;
}
