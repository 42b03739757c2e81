// `npm run bench`: front-end throughput and the warm time of `check` on the bundled specs, against the goals of
// the layout half (≥ 1 MB/s of spec text through parse + resolve + check; < 50 ms per bundled spec); `ptelab fmt`
// on large specs with comments (fmt-bench.ts: a 1 MB spec in < 2 s, time growing linearly with size); the CLI's
// start-up against `node -e 0` (cli-bench.ts); then the explorer's figures and the whole mutation run
// (explore-bench.ts). It prints figures and PASS/MISS and always exits 0: speed is measured here, never asserted in
// unit tests. `npm run bench -- explore` (or front, fmt, cli, mutation) runs one part; `depth5` and `mutation13`
// (issue13-bench.ts: #13's depth-5 and mutation goals) and `mutation14` (issue14-bench.ts: the mutation test of #14's
// paths) run only when named.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { layoutChecks } from '../../compiler/checks/index.js';
import { compileSpec } from '../../compiler/compile.js';
import { renderText } from '../../core/diagnostics/render.js';
import { loadChain, memoryHost, nodeHost } from '../../compiler/load.js';
import { packageRoot } from '../../core/package-root.js';
import { resolve } from '../../compiler/resolve.js';
import { compileSets } from '../../compiler/sets.js';
import { cliBench } from './cli-bench.js';
import { exploreBench, mutationBench } from './explore-bench.js';
import { hugetlbMutationBench } from './hugetlb-mutation-bench.js';
import { fmtBench } from './fmt-bench.js';
import { depth5Bench, mutation13Bench } from './issue13-bench.js';
import { mutation14Bench } from './issue14-bench.js';

const GOAL_MB_PER_S = 1;
const GOAL_MS_PER_SPEC = 50;
const TARGET_BYTES = 1_100_000;

// ---------------------------------------------------------------------------------------------------------------
// The large spec: thousands of formats, fields, constants, predicates and kinds, check-clean. Every format starts
// with the same 12-bit TAG field; kind k<i> is TAG == i on one of the formats (so no two kinds share a value), the
// kind `rest` takes every other TAG, and each kind has a predicate stating it two ways with a `means` clause. About
// a quarter of the text is comments, as in the bundled specs (which are mostly comments).

interface Generated {
  readonly text: string;
  readonly counts: Record<string, number>;
}

export function generateLargeSpec(targetBytes = TARGET_BYTES): Generated {
  const out: string[] = [
    '// A generated spec for the front-end benchmark (test/bench/bench.ts). Check-clean by construction.',
    'spec bench_large "generated: formats, fields, constants, predicates and kinds"',
    'word 64',
    '',
    'swap {',
    '  MAX_SWAPFILES_SHIFT = 5',
    '  SWP_HWPOISON_NUM = 1 { SWP_HWPOISON }',
    '  SWP_MIGRATION_NUM = 3 { SWP_MIGRATION_READ, SWP_MIGRATION_READ_EXCLUSIVE, SWP_MIGRATION_WRITE }',
    '  SWP_PTE_MARKER_NUM = 1 { SWP_PTE_MARKER }',
    '}',
    '',
  ];
  let bytes = out.join('\n').length;
  const counts = { formats: 0, fields: 0, constants: 0, predicates: 0, kinds: 0 };
  const push = (line: string) => {
    out.push(line);
    bytes += line.length + 1;
  };
  const MAX_KINDS = 1500;
  let i = 0;
  while (bytes < targetBytes) {
    const f = `fmt_${i}`;
    const extendsBase = i > 0 && i % 4 !== 0;
    push(`// format ${i}: a TAG, flags and ranges, ${extendsBase ? 'extending the previous format' : 'standalone'}`);
    if (extendsBase) {
      push(`format ${f} extends fmt_${i - 1} {`);
      push(`  bit ${40 + (i % 4)} EXTRA_${i % 4}                // one more flag per level`);
      counts.fields += 1;
    } else {
      push(`format ${f} {`);
      push('  bits 0..11 TAG                  // which kind the value is');
      push('  bit 12 VALID');
      push('  bit 13 DIRTY                    // set by hardware');
      push('  bits 14..15 MODE');
      push('  bits 16..39 PAYLOAD inverted    // stored bit-inverted, read as the logical value');
      push('  in PAYLOAD { bit 0 P_LOW; bits 1..3 P_KIND }');
      push('  alias ALT_VALID = VALID');
      push('  bits 44..51 PKEY');
      push('  bits 52..63 HIGH');
      counts.fields += 10;
    }
    push('}');
    counts.formats++;
    for (let c = 0; c < 3; c++) {
      const n = i * 3 + c;
      push(`const C_${n} = ((1 << ${n % 40}) | 0x${(n * 2654435761 % 0xffff).toString(16)}) & ~0x60 // constant ${n}`);
      counts.constants++;
    }
    if (counts.kinds < MAX_KINDS) {
      const k = counts.kinds;
      push(`kind k${k} : ${f} when TAG == ${k} && (VALID || !VALID)${k % 3 === 0 ? ' refs page(PAYLOAD)' : ''}`);
      push(`predicate is_k${k} on ${f} = (TAG == ${k} && DIRTY) || (TAG == ${k} && !DIRTY) means k${k}`);
      counts.kinds++;
      counts.predicates++;
    } else {
      push(`predicate p${i} on ${f} = TAG & 0xf00 == 0x100 && MODE != 2 && PAYLOAD < C_${i * 3}`);
      counts.predicates++;
    }
    push('');
    i++;
  }
  push(`kind rest : fmt_0 when TAG >= ${counts.kinds}`);
  counts.kinds++;
  return { text: out.join('\n') + '\n', counts };
}

// ---------------------------------------------------------------------------------------------------------------
// Timing helpers.

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Wall time and this process's CPU time: on a loaded machine the two differ, and both are worth seeing. */
function time<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');

// ---------------------------------------------------------------------------------------------------------------

function throughput(): boolean {
  const gen = generateLargeSpec();
  const bytes = Buffer.byteLength(gen.text);
  const comments = (gen.text.match(/\/\/[^\n]*/g) ?? []).reduce((s, c) => s + c.length, 0);
  const file = 'bench-large.pte';
  const host = memoryHost({ [file]: gen.text });
  console.log(`large spec: ${(bytes / 1e6).toFixed(2)} MB, ${gen.text.split('\n').length} lines (${Math.round((100 * comments) / bytes)}% comments): ${Object.entries(gen.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);

  const runs: { parse: number; resolve: number; sets: number; checks: number; cpu: number }[] = [];
  let diagnostics = 0;
  for (let run = 0; run < 4; run++) {
    const p = time(() => loadChain(file, host));
    if (!p.value.ok) throw new Error(p.value.error);
    const chain = p.value.value;
    const r = time(() => resolve(chain.files));
    const s = time(() => compileSets(r.value.spec));
    const c = time(() => layoutChecks.flatMap((check) => check({ spec: r.value.spec, sets: s.value })));
    diagnostics = chain.diagnostics.length + r.value.diagnostics.length + s.value.diagnostics.length + c.value.length;
    if (run > 0) runs.push({ parse: p.ms, resolve: r.ms, sets: s.ms, checks: c.ms, cpu: p.cpuMs + r.cpuMs + s.cpuMs + c.cpuMs }); // run 0 warms up
  }
  const phase = (k: keyof (typeof runs)[number]) => median(runs.map((x) => x[k]));
  const total = median(runs.map((x) => x.parse + x.resolve + x.sets + x.checks));
  const mbps = bytes / 1e6 / (total / 1000);
  const cpuMbps = bytes / 1e6 / (median(runs.map((x) => x.cpu)) / 1000);
  console.log(
    `  parse ${phase('parse').toFixed(0)} ms, resolve ${phase('resolve').toFixed(0)} ms, sets ${phase('sets').toFixed(0)} ms, checks ${phase('checks').toFixed(0)} ms` +
      ` = ${total.toFixed(0)} ms wall, ${median(runs.map((x) => x.cpu)).toFixed(0)} ms CPU (median of ${runs.length} warm runs)`,
  );
  const whole = time(() => compileSpec(file, host));
  const wholeDiags = whole.value.ok ? whole.value.value.diagnostics.length : -1;
  console.log(`  compileSpec end to end (with lowering): ${whole.ms.toFixed(0)} ms`);
  if (diagnostics !== 0 || wholeDiags !== 0) {
    const c = whole.value;
    const shown = c.ok ? renderText(c.value.diagnostics.slice(0, 5), c.value.sources) : c.error;
    console.log(`  NOTE: the generated spec is not check-clean (${diagnostics} diagnostics); the figure is not comparable:\n${shown}`);
  }
  const ok = mbps >= GOAL_MB_PER_S;
  console.log(`throughput: ${mbps.toFixed(2)} MB/s of spec text through parse + resolve + check (${cpuMbps.toFixed(2)} MB/s by CPU time; goal ≥ ${GOAL_MB_PER_S} MB/s): ${pass(ok)}`);
  return ok;
}

function bundledSpecs(): boolean {
  const root = packageRoot();
  const dir = path.join(root, 'examples');
  const specs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pte')).sort() : [];
  if (specs.length === 0) {
    console.log('bundled specs: none found under examples/');
    return true;
  }
  console.log(`bundled specs: warm compileSpec (what 'ptelab check' runs), median of 20 runs after 3 warm-ups, goal < ${GOAL_MS_PER_SPEC} ms`);
  let allOk = true;
  for (const name of specs) {
    const file = path.join(dir, name);
    const times: number[] = [];
    const cpu: number[] = [];
    let status = '';
    let bytes = 0;
    for (let run = 0; run < 23; run++) {
      const t = time(() => compileSpec(file, nodeHost));
      if (!t.value.ok) {
        status = t.value.error;
        break;
      }
      const r = { ...t, value: t.value.value };
      if (run === 0) {
        status = r.value.ok ? 'ok' : `${r.value.diagnostics.filter((d) => d.severity === 'error').length} errors`;
        bytes = [...r.value.sources.values()].reduce((s, src) => s + Buffer.byteLength(src.text), 0);
      }
      if (run >= 3) {
        times.push(r.ms);
        cpu.push(r.cpuMs);
      }
    }
    if (times.length === 0) {
      console.log(`  ${name.padEnd(24)} ${status}`);
      allOk = false;
      continue;
    }
    const ms = median(times);
    const ok = ms < GOAL_MS_PER_SPEC;
    allOk &&= ok;
    console.log(`  ${name.padEnd(24)} ${ms.toFixed(1).padStart(6)} ms  (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}, CPU ${median(cpu).toFixed(1)}; ${(bytes / 1024).toFixed(1)} KB with imports, ${status})  ${pass(ok)}`);
  }
  return allOk;
}

const PARTS = ['front', 'fmt', 'cli', 'explore', 'mutation', 'depth5', 'mutation13', 'mutation14', 'mutation-hugetlb'] as const;
/** Parts a bare `npm run bench` leaves out (long; asked for by name). */
const ON_REQUEST: readonly string[] = ['depth5', 'mutation13', 'mutation14'];

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    console.log(`usage: node dist/test/bench/bench.js [${PARTS.join('|')}]... (unknown: ${unknown.join(', ')})`);
    return;
  }
  const parts = argv.length > 0 ? new Set(argv) : new Set<string>(PARTS.filter((p) => !ON_REQUEST.includes(p)));
  const load = os.loadavg()[0]!;
  console.log(`ptelab bench (node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)})`);
  if (load > os.cpus().length) {
    console.log('  NOTE: the machine is busy (load above the CPU count): wall times are inflated; compare the CPU figures (this process, GC threads included)');
  }
  const summary: string[] = [];
  if (parts.has('front')) {
    summary.push(`throughput ${pass(throughput())}`);
    summary.push(`bundled specs ${pass(bundledSpecs())}`);
  }
  if (parts.has('fmt')) summary.push(`fmt ${pass(await fmtBench(generateLargeSpec))}`);
  if (parts.has('cli')) summary.push(`cli start-up ${pass(cliBench())}`);
  if (parts.has('explore')) summary.push(`explore ${pass(await exploreBench())}`);
  if (parts.has('mutation')) summary.push(`mutation ${pass(await mutationBench())}`);
  if (parts.has('depth5')) summary.push(`depth5 ${pass(await depth5Bench())}`);
  if (parts.has('mutation13')) summary.push(`mutation13 ${pass(await mutation13Bench())}`);
  if (parts.has('mutation14')) summary.push(`mutation14 ${pass(await mutation14Bench())}`);
  if (parts.has('mutation-hugetlb')) summary.push(`mutation (huge_pte) ${pass(await hugetlbMutationBench())}`);
  console.log(`summary: ${summary.join(', ')}`);
}

// Run when executed (node dist/test/bench/bench.js), not when imported for its generator.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main(process.argv.slice(2));
