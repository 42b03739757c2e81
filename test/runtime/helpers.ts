// Test helpers: scenarios written in the scenario language (runtime/scenario/parse.ts), run on a spec module.
import { expect } from 'vitest';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { runScenario, type RunResult, formatFailure } from '../../runtime/runner.js';
import type { SpecModule } from '../../contract/spec-module.js';

/** Parse one scenario; a syntax or naming error fails the test with the diagnostics. */
export function scn(text: string): Scenario {
  const r = parseScenarios({ path: 'test.scn', text });
  expect(r.diagnostics.map((d) => `${d.range.start.line}: ${d.message}`)).toEqual([]);
  expect(r.scenarios).toHaveLength(1);
  return r.scenarios[0]!;
}

export function run(module: SpecModule, text: string): RunResult {
  return runScenario(module, scn(text));
}

/** The index of the first step whose text is `text` (step indices count the block's setup steps too). */
export function stepIndex(result: RunResult, text: string): number {
  const i = result.steps.findIndex((s) => s.text === text);
  if (i < 0) throw new Error(`no step '${text}' in ${result.steps.map((s) => s.text).join(' | ')}`);
  return i;
}

export function describeResult(r: RunResult): string {
  return r.firstFailure ? formatFailure(r.firstFailure) : 'ok';
}
