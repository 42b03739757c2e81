// Shared by the kernel-check tests: may this machine run scenarios on its kernel, and the bundled inputs. Without
// root (swapfile), userfaultfd or gcc the tests are skipped and say why, unless PTELAB_REQUIRE_KERNEL=1 (CI: a skip
// there would hide a machine that lost what the check needs), which makes them fail instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { probeHost, kernelVersion, swapIsOn } from '../../../apps/kernel-check/host.js';
import type { KernelCheckResult, KernelRuns } from '../../../apps/kernel-check/kernel-check.js';
import { nearestSpec } from '../../../apps/kernel-check/nearest-spec.js';
import { bundledKernelSpecs, listBundled, SCENARIO_DIR } from '../../../core/bundled.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import type { Scenario } from '../../../runtime/scenario/types.js';
import { repoRoot } from '../../helpers/repo.js';

export const host = probeHost();
const required = process.env.PTELAB_REQUIRE_KERNEL === '1';

/** Why the kernel tests cannot run here (undefined: they can). */
export const cannotRun: string | undefined =
  host.missing.length > 0 ? host.missing.join('; ') : !host.root ? 'not root: no swapfile can be set up for the eviction scenarios' : undefined;

export const runKernel = cannotRun === undefined || required;

export function title(name: string, file: string): string {
  if (cannotRun === undefined) return name;
  if (!required) console.warn(`${file} skipped: ${cannotRun}`);
  return `${name}: SKIPPED, ${cannotRun}`;
}

export function scenariosOf(rel: string): Scenario[] {
  const text = fs.readFileSync(path.join(repoRoot, rel), 'utf8');
  const r = parseScenarios({ path: rel, text });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios.map((s) => ({ ...s, file: rel }));
}

export function bundledScenarios(): Scenario[] {
  return listBundled(repoRoot, SCENARIO_DIR, '.scn').flatMap(scenariosOf);
}

/** The bundled spec nearest the running kernel (repository-relative). */
export function nearestBundledSpec(): string {
  const v = kernelVersion(host.kernel);
  const near = v ? nearestSpec(bundledKernelSpecs(repoRoot), host.arch, v) : undefined;
  if (!near) throw new Error(`no bundled spec for ${host.arch} near ${host.kernel}`);
  return near.file;
}

/** vm.nr_hugepages now (kernel-check raises it for the hugetlb scenarios and must lower it again). */
export function nrHugepages(): number {
  return Number(fs.readFileSync('/proc/sys/vm/nr_hugepages', 'utf8').trim());
}

/**
 * What every run must leave behind: nothing (no swap on, no swapfile, vm.nr_hugepages as it was before the run,
 * `hugepagesBefore`), and every program built.
 */
export function expectCleanRun(k: KernelRuns, hugepagesBefore: number): void {
  expect(k.hugetlb.problem).toBeUndefined();
  expect(nrHugepages()).toBe(hugepagesBefore);
  expect(k.buildErrors).toEqual([]);
  expect(k.teardownProblems).toEqual([]);
  expect(k.swap.problem).toBeUndefined();
  expect(k.swap.file).toBeDefined();
  expect(swapIsOn(k.swap.file!)).toBe(false);
  expect(fs.existsSync(k.swap.file!)).toBe(false);
}

/** The steps that differ, one line each, for failure messages. */
export function differences(r: KernelCheckResult): string[] {
  return r.scenarios.flatMap((s) => s.steps.filter((st) => st.verdict === 'differ').map((st) => `${s.scenario}: step ${st.index} ${st.text}: spec ${st.spec}, kernel ${st.kernel}`));
}

/**
 * The steps that were not run, and the op of the step that started it (the event that did not happen). On one NUMA
 * node these are the NUMA hinting scans and the migrations compaction did not happen to move.
 */
export function notRunCauses(r: KernelCheckResult, scenarios: readonly Scenario[]): { scenario: string; step: number; cause: string; reason: string }[] {
  return r.scenarios.flatMap((s, i) =>
    s.steps
      .filter((st) => st.verdict === 'not run')
      .map((st) => {
        const m = /^step (\d+) did not happen/.exec(st.reason ?? '');
        const first = m ? Number(m[1]) : st.index;
        return { scenario: s.scenario, step: st.index, cause: scenarios[i]!.steps[first]!.op.op, reason: st.reason ?? '' };
      }),
  );
}
