// ptelab explore SPEC [--world FILE|DIR] ...: exhaustive bounded exploration (docs/explore.md). For every world, every
// sequence of up to --depth ops of the alphabet, breadth-first; the first counterexample (a shortest one) is printed
// as a scenario file that `ptelab run SPEC FILE` replays, with the handler case behind the bad entry.
//
// Exit: 1 a counterexample; 3 no counterexample but some world incomplete (--max-states hit: the search did not
// cover everything within the depth); 0 every world complete and clean (or not applicable: a world that needs a
// userfaultfd feature the spec's kernel lacks, runtime/explore/applicable.ts); 2 usage or I/O error.
import { claimCaveat, coverageFlags, coverageJson, coverageLine, newCoverage, summarizeCoverage } from '../../apps/coverage.js';
import { baseIr, compileBase } from '../../compiler/backends/base.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { formatSite } from '../../runtime/trace.js';
import { OP_NAMES, DEFAULT_OPS, parseOpList, type OpName } from '../../runtime/explore/alphabet.js';
import { describeCounterexample } from '../../runtime/explore/counterexample.js';
import { DEFAULT_MAX_MMS, DEFAULT_MAX_STATES, type ExploreProgress, type ExploreResult } from '../../runtime/explore/explore.js';
import { exploreWorlds, runSymmetry, type WorldOutcome } from '../../runtime/explore/explore-worlds.js';
import { featureName, unsupportedBy } from '../../runtime/explore/applicable.js';
import { loadSpecModule } from '../../apps/load-module.js';
import { prepareWorld, type PreparedWorld } from '../../runtime/explore/world.js';
import { WORLD_DIR } from '../../core/bundled.js';
import { packageRoot } from '../../core/package-root.js';
import { writeCounterexampleC } from '../../apps/selftest/counterexample-c.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';
import { DEFAULT_EXPLORE_DEPTH } from '../../core/explore-depth.js';
import { loadScenarios } from './run.js';

/** The one default depth (core/explore-depth.ts). */
export const DEFAULT_DEPTH = DEFAULT_EXPLORE_DEPTH;

/** --max-memory: bytes, or a number with K, M, G (powers of 1024). */
export function parseSize(v: string | true | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = v === true ? null : /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(v);
  if (!m) throw new UsageError('--max-memory needs a size: bytes, or a number with K, M or G (e.g. 2G, 512M)');
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * unit);
  if (n < 64 * 1024 ** 2) throw new UsageError('--max-memory must be at least 64M (node itself needs about that)');
  return n;
}

function positiveInt(v: string | true | undefined, name: string, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (v === true || !/^\d[\d_]*$/.test(v)) throw new UsageError(`--${name} needs a number`);
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be at least ${min}`);
  return n;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'world';
}

export async function exploreCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('explore needs exactly one SPEC');
  const specFile = positionals[0]!;
  const depth = positiveInt(flags.get('depth'), 'depth', DEFAULT_DEPTH);
  const maxStates = positiveInt(flags.get('max-states'), 'max-states', DEFAULT_MAX_STATES);
  const maxMms = positiveInt(flags.get('max-mms'), 'max-mms', DEFAULT_MAX_MMS);
  const workers = positiveInt(flags.get('workers'), 'workers', 1);
  const maxMemory = parseSize(flags.get('max-memory'));
  let ops: readonly OpName[] = DEFAULT_OPS;
  const opsFlag = flags.get('ops');
  if (opsFlag !== undefined) {
    if (opsFlag === true) throw new UsageError('--ops needs a list');
    try {
      ops = parseOpList(opsFlag);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    if (ops.length === 0) throw new UsageError(`--ops needs at least one of ${OP_NAMES.join(', ')}`);
  }
  const json = flags.has('json');

  const good = await loadGoodSpec(specFile, io);
  if (!good.ok) return good.error;
  const c = good.value;

  // worlds
  const worldFlag = flags.get('world');
  if (worldFlag === true) throw new UsageError('--world needs a file or folder');
  const loaded = worldFlag === undefined ? loadScenarios([WORLD_DIR], io, packageRoot()) : loadScenarios([worldFlag], io);
  if (loaded.code !== EXIT_OK) return loaded.code;
  const files = worldFlag === undefined ? [WORLD_DIR] : [worldFlag];
  let worlds: PreparedWorld[] = loaded.scenarios.map((s) => prepareWorld(s));
  const only = flags.get('only');
  if (typeof only === 'string') {
    worlds = worlds.filter((w) => w.name === only);
    if (worlds.length === 0) throw new UsageError(`no world named '${only}' in ${files.join(', ')}`);
  }
  if (worlds.length === 0) throw new UsageError(`no world (scenario) in ${files.join(', ')}`);

  const { module, js } = await loadSpecModule(c.ir);
  const symmetryWanted = !flags.has('no-symmetry');
  const sym = runSymmetry(module, { symmetry: symmetryWanted });
  const features = module.uffdFeatures ?? { offered: [], missing: [] };
  const showProgress = !json && (io.errTTY === true || flags.has('progress'));
  const outDir = flags.get('out');
  if (outDir === true) throw new UsageError('--out needs a directory');
  if (typeof outDir === 'string') {
    // Usable before the search, not after it.
    makeDirs(path.resolve(io.cwd, outDir));
    fs.accessSync(path.resolve(io.cwd, outDir), fs.constants.W_OK);
  }

  if (!json) {
    io.out(`explore ${c.spec.name} (${specFile}): depth ${depth}, max ${fmt(maxStates)} states, ${worlds.length} world${worlds.length === 1 ? '' : 's'}, ${workers} worker${workers === 1 ? '' : 's'}\n`);
    io.out(`  ops: ${ops.join(', ')}\n`);
    io.out(`  symmetry: data values, fork children${sym.pfns ? ', pfns' : ''}${sym.slots ? ', swap offsets' : ''}` +
      `${!sym.pfns || !sym.slots ? ` (pfn/offset renumbering off: ${sym.reasons[0] ?? ''}${sym.reasons.length > 1 ? `, +${sym.reasons.length - 1} more` : ''})` : ''}\n`);
    io.out(`  uffd features: ${features.offered.map(featureName).join(', ')}` +
      `${features.missing.length > 0 ? ` (not ${features.missing.map((m) => featureName(m.feature)).join(', ')}: worlds that need it are not applicable)` : ''}\n`);
  }

  let lastLine = 0;
  const applicable = worlds.filter((w) => unsupportedBy(module.uffdFeatures, w.setup) === undefined).length;
  let worldNo = 0;
  const progress = (p: ExploreProgress): void => {
    const rate = p.elapsedMs > 0 ? (p.states / p.elapsedMs) * 1000 : 0;
    const line = `  world ${worldNo} of ${applicable} "${p.world}": depth ${p.depth}/${depth}, ${fmt(p.states)} states, ` +
      `${fmt(rate)} states/s, ${fmt(p.transitions)} transitions, ${mb(p.rss)}`;
    io.err(`\r${line.padEnd(lastLine)}`);
    lastLine = line.length;
  };
  const clearProgress = (): void => {
    if (showProgress && lastLine > 0) {
      io.err(`\r${' '.repeat(lastLine)}\r`);
      lastLine = 0;
    }
  };
  // Ctrl-C: the world being explored stops at its next chunk and is reported as incomplete, with its figures; the
  // worlds after it are not started. A second Ctrl-C exits at once.
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    clearProgress();
    io.err('explore: interrupted; finishing the current chunk (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  let results: WorldOutcome[];
  try {
    results = await exploreWorlds(module, worlds, {
    depth,
    maxStates,
    ops,
    maxMms,
    workers,
    moduleJs: js,
    symmetry: symmetryWanted,
    signal: abort.signal,
    coverage: true,
    coverageFlags: [...coverageFlags(c.ir)],
    ...(maxMemory !== undefined ? { maxMemory } : {}),
    ...(showProgress ? { onProgress: progress, progressIntervalMs: 250 } : {}),
    onWorldStart: () => {
      worldNo++;
    },
    onWorld: (w, r) => {
      if (r.verdict === 'n/a') {
        if (!json) io.out(`n/a   ${worldName(w)}: not applicable, not explored: ${r.reason}\n`);
        return;
      }
      if (r.verdict === 'error') return; // not asked to keep going: exploreWorlds throws instead
      clearProgress();
      if (r.counterexample && typeof outDir === 'string') {
        const file = path.join(outDir, `${slug(c.spec.name)}--${slug(w.name)}.scn`);
        writeFileAtomic(file, r.counterexample.text);
        const repro = writeCounterexampleC(outDir, path.basename(file, '.scn'), r.counterexample.scenario, `ptelab explore ${specFile}, world "${w.name}"`);
        if (!json) {
          const reproducer = 'file' in repro ? `its C reproducer to ${repro.file}, docs/kernel-check.md` : `no C reproducer: ${repro.reason}`;
          io.out(`  (counterexample written to ${file}; ${reproducer})\n`);
        }
      }
      if (!json) io.out(formatResult(w, r, depth, maxStates));
    },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const notRun = worlds.length - results.length;

  const cex = results.filter((r) => r.verdict === 'counterexample').length;
  const incomplete = results.filter((r) => r.verdict === 'incomplete').length;
  const unsupported = results.filter((r) => r.verdict === 'n/a').length;
  const code = cex > 0 ? EXIT_FINDINGS : incomplete > 0 || notRun > 0 ? EXIT_INCOMPLETE : EXIT_OK;
  // What the explored steps exercised, over every world: a clean verdict says nothing about a kind never created.
  const coverage = newCoverage(c.ir);
  for (const r of results) {
    if (r.verdict === 'n/a' || r.verdict === 'error') continue;
    for (const l of r.created ?? []) coverage.created.set(l, 1);
    for (const s of r.sites ?? []) coverage.ran.add(s);
  }
  const cov = summarizeCoverage(coverage, c.ir, baseIr(compileBase(c.ir)));
  const caveat = claimCaveat(cov);
  if (json) {
    io.out(JSON.stringify({
      spec: c.spec.name,
      file: specFile,
      depth,
      maxStates,
      ops,
      maxMms,
      workers,
      symmetry: sym,
      features,
      results: results.map((r, i) => (r.verdict === 'n/a' || r.verdict === 'error' ? { world: worlds[i]!.name, file: worlds[i]!.file ?? null, verdict: r.verdict, reason: r.verdict === 'n/a' ? r.reason : r.message } : resultJson(worlds[i]!, r))),
      counterexamples: cex,
      incomplete,
      unsupported,
      coverage: coverageJson(cov),
      exitCode: code,
    }, null, 2) + '\n');
  } else {
    const complete = results.length - cex - incomplete - unsupported;
    io.out(`${results.length} world${results.length === 1 ? '' : 's'}: ${complete} complete and clean, ${incomplete} incomplete, ${cex} with a counterexample` +
      `${unsupported > 0 ? `, ${unsupported} not applicable` : ''}${notRun > 0 ? `, ${notRun} not started` : ''}\n`);
    io.out(`${coverageLine(cov)} (by the explored steps)\n`);
    if (caveat) io.out(`verdict: ${cex > 0 ? `${cex} with a counterexample` : incomplete > 0 || notRun > 0 ? 'incomplete' : 'clean'}, but ${caveat}\n`);
    if ((incomplete > 0 || notRun > 0) && cex === 0) {
      const memory = results.some((r) => r.verdict === 'incomplete' && r.stopped === 'memory');
      const why = abort.signal.aborted ? 'incomplete (the run was interrupted)' : memory ? 'incomplete (--max-memory stopped it)' : `hit --max-states before depth ${depth}`;
      io.out(`INCOMPLETE: ${incomplete} world${incomplete === 1 ? '' : 's'} ${why}${notRun > 0 ? `, ${notRun} not started` : ''}; ` +
        `no counterexample was found, but that is not a proof of none (exit ${EXIT_INCOMPLETE})\n`);
    }
  }
  return code;
}


function worldName(w: PreparedWorld): string {
  return `world "${w.name}"${w.file ? ` (${w.file})` : ''}`;
}

function formatResult(w: PreparedWorld, r: ExploreResult, depth: number, maxStates: number): string {
  const s = r.stats;
  const where = worldName(w);
  const nums = `${fmt(s.states)} states, ${fmt(s.transitions)} transitions, levels ${s.levels.join('/')}, ${(s.elapsedMs / 1000).toFixed(1)} s, ` +
    `${fmt(s.statesPerSecond)} states/s, ${fmt(s.transitionsPerSecond)} transitions/s, visited set ${s.bytesPerState.toFixed(1)} B/state, ` +
    `peak rss ${mb(s.peakRss)}, heap ${mb(s.peakHeapUsed)}`;
  const lines: string[] = [];
  if (r.verdict === 'complete') {
    lines.push(`ok    ${where}: complete to depth ${depth}${r.exhausted ? ` (every reachable state: the frontier ran dry at depth ${s.maxDepth})` : ''}, no counterexample`);
  } else if (r.verdict === 'incomplete' && r.stopped) {
    lines.push(`INCOMPLETE ${where}: ${r.stopped === 'interrupted' ? 'interrupted (Ctrl-C)' : `stopped by --max-memory: ${r.note ?? ''}`} at depth ${s.maxDepth + 1} of ${depth}; ` +
      'no counterexample among the states explored, NOT a proof of none');
  } else if (r.verdict === 'incomplete') {
    lines.push(`INCOMPLETE ${where}: --max-states ${fmt(maxStates)} reached at depth ${s.maxDepth} of ${depth}; no counterexample among the states stored, NOT a proof of none`);
  } else {
    const cx = r.counterexample!;
    lines.push(`FAIL  ${where}: counterexample, ${cx.ops.length} op${cx.ops.length === 1 ? '' : 's'} after the setup (a shortest one)`);
    for (const l of describeCounterexample(cx)) lines.push(`      ${l}`);
    lines.push('      the scenario (ptelab run SPEC FILE replays it):');
    for (const l of cx.text.trimEnd().split('\n')) lines.push(`        ${l}`);
  }
  lines.push(`      ${nums}`);
  return lines.join('\n') + '\n';
}

function resultJson(w: PreparedWorld, r: ExploreResult): object {
  const cx = r.counterexample;
  const f = cx?.failure;
  return {
    world: w.name,
    file: w.file ?? null,
    verdict: r.verdict,
    exhausted: r.exhausted,
    stats: r.stats,
    counterexample: cx
      ? {
          ops: cx.ops.length,
          scenario: cx.text,
          failure: {
            step: f!.step,
            text: f!.text,
            kind: f!.kind,
            message: f!.message,
            path: f!.path ?? null,
            site: f!.site ? { ...f!.site, text: formatSite(f!.site) } : null,
          },
        }
      : null,
  };
}
