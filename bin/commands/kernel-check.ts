// ptelab kernel-check [--spec SPEC] [--json] [--keep DIR] [SCENARIO_FILE...]: the scenarios (default: the bundled
// ones) as selftests on the running kernel, each step judged against the spec nearest the kernel's version (or
// SPEC). Exit 0: no difference; 1: a difference (or a program that did not build); 4: the machine cannot run the
// check (the reason is printed). See docs/kernel-check.md.
import * as path from 'node:path';
import { bundledKernelSpecs, SCENARIO_DIR, listBundled } from '../../core/bundled.js';
import { loadSpecModule } from '../../apps/load-module.js';
import { packageRoot } from '../../core/package-root.js';
import { probeHost, kernelVersion } from '../../apps/kernel-check/host.js';
import { judgeRuns, runOnKernel } from '../../apps/kernel-check/kernel-check.js';
import { nearestSpec } from '../../apps/kernel-check/nearest-spec.js';
import { kernelCheckJson, renderKernelCheck } from '../../apps/kernel-check/render.js';
import { SelftestError } from '../../apps/selftest/emit-c.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';
import { loadScenarios } from './run.js';

export const EXIT_CANNOT_RUN = 4;

export async function kernelCheckCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  const host = probeHost();
  if (host.missing.length > 0) {
    io.err(`ptelab kernel-check: this machine cannot run the check:\n${host.missing.map((m) => `  - ${m}\n`).join('')}`);
    return EXIT_CANNOT_RUN;
  }
  const root = packageRoot();
  let specFile = flags.get('spec');
  if (specFile === true) throw new UsageError('--spec needs a file');
  if (specFile === undefined) {
    const version = kernelVersion(host.kernel);
    const near = version ? nearestSpec(bundledKernelSpecs(root).map((f) => path.join(root, f)), host.arch, version) : undefined;
    if (!near) throw new UsageError(`no bundled spec for ${host.arch} near kernel ${host.kernel}: name one with --spec`);
    specFile = path.relative(io.cwd, near.file) || near.file;
  }
  const good = await loadGoodSpec(specFile, io);
  if (!good.ok) return good.error;
  const c = good.value;
  const files = positionals.length > 0 ? positionals : listBundled(root, SCENARIO_DIR, '.scn').map((f) => path.relative(io.cwd, path.join(root, f)));
  const loaded = loadScenarios(files, io);
  if (loaded.code !== EXIT_OK) return loaded.code;
  const keep = flags.get('keep');
  const module = (await loadSpecModule(c.ir)).module;
  let runs;
  try {
    runs = await runOnKernel(loaded.scenarios, { host, ...(typeof keep === 'string' ? { keepDir: keep } : {}) });
  } catch (e) {
    if (!(e instanceof SelftestError)) throw e;
    io.err(`ptelab kernel-check: ${e.message}\n`);
    return EXIT_FINDINGS;
  }
  const r = judgeRuns(runs, module, specFile);
  if (flags.has('json')) io.out(JSON.stringify(kernelCheckJson(r), null, 2) + '\n');
  else io.out(renderKernelCheck(r, { all: flags.has('all') }));
  return r.totals.differ > 0 || r.buildErrors.length > 0 || r.teardownProblems.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
