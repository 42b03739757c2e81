// docs/matrix.json: the matrix as data. The first line carries the generated-by field (the writer refuses to
// overwrite a file whose first line lacks it).
import type { MatrixCell } from './cell.js';
import type { ExploreCell } from './explore.js';
import type { MatrixResult } from './run.js';

function cellJson(c: MatrixCell): object {
  if (c.ok) return { ok: true };
  return {
    ok: false,
    step: c.step,
    text: c.text,
    kind: c.kind,
    got: c.got ?? null,
    want: c.want ?? null,
    message: c.message,
    site: c.site ?? null,
  };
}

function exploreCellJson(c: ExploreCell): object {
  switch (c.verdict) {
    case 'complete':
      return { verdict: 'clean', states: c.states, transitions: c.transitions, exhausted: c.exhausted };
    case 'incomplete':
      return { verdict: 'incomplete', states: c.states, transitions: c.transitions };
    case 'n/a':
      return { verdict: 'n/a', reason: c.reason };
    case 'counterexample':
      return {
        verdict: 'counterexample',
        length: c.length,
        ops: c.ops,
        failing_op: c.failing,
        kind: c.kind,
        got: c.got ?? null,
        want: c.want ?? null,
        message: c.message,
        site: c.site ?? null,
      };
  }
}

export function renderMatrixJson(m: MatrixResult, generatedBy: string): string {
  const body = {
    contract: 'userfaultfd write-protect contract of v6.17 (runtime/oracle.ts)',
    specs: m.specs.map((s, i) => ({
      column: s.column,
      spec: s.name,
      file: s.file,
      group: s.group,
      extends: s.base ?? null,
      description: s.description,
      passed: m.rows.filter((r) => r.cells[i]!.contract.ok).length,
      failed: m.rows.filter((r) => !r.cells[i]!.contract.ok).length,
      passed_without_pagemap: m.rows.filter((r) => r.cells[i]!.behaviour.ok).length,
      explore: Object.fromEntries(m.worlds.map((w, j) => [w.name, exploreCellJson(s.explore[j]!)])),
      coverage: { never_created: s.coverage.never, cases_ran: s.coverage.casesRan, cases: s.coverage.casesTotal, caveat: s.coverage.caveat ?? null },
    })),
    explore: {
      depth: m.exploreDepth,
      max_states: m.exploreMaxStates,
      worlds: m.worlds.map((w) => ({ name: w.name, file: w.file })),
    },
    scenario_files: m.scenarioFiles,
    rows: m.rows.map((r) => ({
      scenario: r.scenario.name,
      file: r.scenario.file,
      line: r.scenario.line,
      from: r.scenario.from ?? null,
      results: Object.fromEntries(
        m.specs.map((s, i) => [s.column, { ...cellJson(r.cells[i]!.contract), without_pagemap: cellJson(r.cells[i]!.behaviour) }]),
      ),
    })),
  };
  // `{ "generated_by": ..., ` on the first line, the rest as JSON.stringify indents it.
  const rest = JSON.stringify(body, null, 2).slice(1); // drop the opening brace
  return `{ "generated_by": ${JSON.stringify(generatedBy)},${rest}\n`;
}
