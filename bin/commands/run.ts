// ptelab run SPEC SCENARIO...: each scenario step on the spec's generated module, compared with the oracle and
// checked against the invariants; the first divergence is printed with the path, case and spec line behind it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notTextDiagnostic } from '../../compiler/text-check.js';
import { renderText } from '../../core/diagnostics/render.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { formatOutcome, formatPrediction } from '../../runtime/outcome.js';
import { formatFailure, type RunResult } from '../../runtime/runner.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { formatSite } from '../../runtime/trace.js';
import { parseSkip, runWithout } from '../skip-steps.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, osReason, UsageError, colorOn, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';


/** The .scn files named: a folder stands for the .scn files directly in it (sorted); an empty folder is an error. */
export function expandScenarioArgs(names: readonly string[], io: CliIo): { files: string[]; code: number } {
  const files: string[] = [];
  let code = EXIT_OK;
  for (const name of names) {
    const st = fs.statSync(path.resolve(io.cwd, name), { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      files.push(name);
      continue;
    }
    const inside = fs.readdirSync(path.resolve(io.cwd, name)).filter((f) => f.endsWith('.scn')).sort().map((f) => path.join(name, f));
    if (inside.length === 0) {
      io.err(`ptelab: no scenario file (.scn) in folder '${name}'\n`);
      code = EXIT_USAGE;
    }
    files.push(...inside);
  }
  return { files, code };
}

/** Parse scenario files; diagnostics are printed and set the exit code (1; 2 for a file that cannot be read). */
export function loadScenarios(files: readonly string[], io: CliIo): { scenarios: Scenario[]; code: number } {
  const scenarios: Scenario[] = [];
  let code = EXIT_OK;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.err(`ptelab: cannot read scenario file '${file}' (${osReason(e)})\n`);
      code = EXIT_USAGE;
      continue;
    }
    const notText = notTextDiagnostic({ path: file, text });
    if (notText) {
      io.err(renderText([notText], new Map(), { color: colorOn(io, 'err') }));
      code = Math.max(code, EXIT_FINDINGS);
      continue;
    }
    const r = parseScenarios({ path: file, text });
    if (hasErrors(r.diagnostics)) {
      io.err(renderText(r.diagnostics, new Map([[file, { path: file, text }]]), { color: colorOn(io, 'err') }));
      code = Math.max(code, EXIT_FINDINGS);
      continue;
    }
    scenarios.push(...r.scenarios.map((s) => ({ ...s, file })));
  }
  return { scenarios, code };
}

export async function runCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length < 2) throw new UsageError('run needs a SPEC and at least one SCENARIO (a .scn file or a folder of them)');
  const [specFile, ...scenarioArgs] = positionals as [string, ...string[]];
  const skip = parseSkip(flags.get('skip'));
  const c = await loadGoodSpec(specFile, io);
  if (typeof c === 'number') return c;
  const expanded = expandScenarioArgs(scenarioArgs, io);
  if (expanded.code !== EXIT_OK) return expanded.code;
  const loaded = loadScenarios(expanded.files, io);
  if (loaded.code !== EXIT_OK) return loaded.code;
  const { loadSpecModule } = await import('../../compiler/backends/ts/load-module.js');
  const module = await loadSpecModule(c.ir!);
  const results = loaded.scenarios.map((s) => ({ file: s.file, result: runWithout(module, s, skip) }));
  const failed = results.filter((r) => !r.result.ok).length;
  if (flags.has('json')) {
    io.out(JSON.stringify({ spec: c.spec.name, file: specFile, passed: results.length - failed, failed, results: results.map(toJson) }, null, 2) + '\n');
  } else {
    for (const { file, result } of results) io.out(formatRun(file, result, flags.has('verbose')));
    io.out(`${results.length - failed} passed, ${failed} failed\n`);
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
