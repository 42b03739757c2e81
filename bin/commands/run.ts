// ptelab run SPEC SCENARIO...: each scenario step on the spec's generated module, compared with the oracle and
// checked against the invariants; the first divergence is printed with the path, case and spec line behind it.
import { renderText } from '../../core/diagnostics/render.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { formatOutcome, formatPrediction } from '../../runtime/outcome.js';
import { formatFailure, runScenario, type RunResult } from '../../runtime/runner.js';
import { loadScenarioFiles, type LoadedScenario } from '../../runtime/scenario/load.js';
import { formatSite } from '../../runtime/trace.js';
import { parseSkip } from '../skip-steps.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, colorOn, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';
import { claimCaveat, coverageJson, coverageLine, newCoverage, summarizeCoverage } from '../../apps/coverage.js';
import { baseIr, compileBase } from '../../compiler/backends/base.js';


/** Scenario files or folders through the one loader (runtime/scenario/load.ts), reported for a terminal. */
export function loadScenarios(args: readonly string[], io: CliIo, root?: string): { scenarios: readonly LoadedScenario[]; code: number } {
  const r = loadScenarioFiles(args, root !== undefined ? { root } : {});
  let code = EXIT_OK;
  for (const u of r.unreadable) {
    io.err(`ptelab: cannot read scenario file '${u.file}' (${u.reason})\n`);
    code = EXIT_USAGE;
  }
  if (r.diagnostics.length > 0) io.err(renderText(r.diagnostics, r.sources, { color: colorOn(io, 'err') }));
  if (hasErrors(r.diagnostics)) code = Math.max(code, EXIT_FINDINGS);
  return { scenarios: r.scenarios, code };
}

export async function runCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length < 2) throw new UsageError('run needs a SPEC and at least one SCENARIO (a .scn file or a folder of them)');
  const [specFile, ...scenarioArgs] = positionals as [string, ...string[]];
  const skip = parseSkip(flags.get('skip'));
  const good = await loadGoodSpec(specFile, io);
  if (!good.ok) return good.error;
  const c = good.value;
  const loaded = loadScenarios(scenarioArgs, io);
  if (loaded.code !== EXIT_OK) return loaded.code;
  // Loaded only here: the TypeScript compiler it needs is not something decode or check should pay for.
  const { loadSpecModule } = await import('../../apps/load-module.js');
  const module = (await loadSpecModule(c.ir)).module;
  const coverage = newCoverage(c.ir);
  const results = loaded.scenarios.map((s) => ({ file: s.file, result: runScenario(module, s, coverage, skip) }));
  const failed = results.filter((r) => !r.result.ok).length;
  const cov = summarizeCoverage(coverage, c.ir, baseIr(compileBase(c.ir)));
  const caveat = claimCaveat(cov);
  if (flags.has('json')) {
    io.out(JSON.stringify({ spec: c.spec.name, file: specFile, passed: results.length - failed, failed, coverage: coverageJson(cov), results: results.map(toJson) }, null, 2) + '\n');
  } else {
    for (const { file, result } of results) io.out(formatRun(file, result, flags.has('verbose')));
    io.out(`${results.length - failed} passed, ${failed} failed\n`);
    io.out(`${coverageLine(cov)}\n`);
    if (caveat) io.out(`verdict: ${failed > 0 ? `${failed} failed` : 'clean'}, but ${caveat}\n`);
  }
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function formatRun(file: string | undefined, r: RunResult, verbose: boolean): string {
  const lines = [`${r.ok ? 'PASS' : 'FAIL'}  ${file ? `${file}: ` : ''}${r.scenario}`];
  if (verbose || !r.ok) {
    for (const s of r.steps) {
      const got = s.outcome ? formatOutcome(s.outcome) : '-';
      const want = s.oracle ? formatPrediction(s.oracle) : '-';
      lines.push(`  ${String(s.index).padStart(3)}  ${s.text.padEnd(32)} ${got}${got === want ? '' : `   (oracle: ${want})`}${s.ok ? '' : '   <-- first divergence'}`);
      if (verbose) for (const t of s.trail) lines.push(`         ${formatSite(t.site)}`);
    }
  }
  if (r.firstFailure) lines.push(`  ${formatFailure(r.firstFailure)}`);
  return lines.join('\n') + '\n';
}

function toJson({ file, result }: { file: string | undefined; result: RunResult }): object {
  const f = result.firstFailure;
  return {
    file: file ?? null,
    scenario: result.scenario,
    ok: result.ok,
    steps: result.steps.map((s) => ({
      index: s.index,
      text: s.text,
      outcome: s.outcome ? formatOutcome(s.outcome) : null,
      oracle: s.oracle ? formatPrediction(s.oracle) : null,
      ok: s.ok,
      cases: s.trail.map((t) => formatSite(t.site)),
    })),
    firstFailure: f
      ? { step: f.step, text: f.text, kind: f.kind, message: f.message, path: f.path ?? null, site: f.site ? formatSite(f.site) : null }
      : null,
  };
}
