// The scenario suite (examples/scenarios/*.scn, ported from the kernel's userfaultfd selftests and the Dec 2020
// thread): every file parses cleanly, every scenario names its source, and every scenario passes on the bundled 6.17
// specs. A failure here means the scenario, the oracle or the baseline handler is wrong: find out which, do not bend
// the scenario.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matrixScenarioFiles } from '../../../apps/matrix/inputs.js';
import { formatFailure, runScenario } from '../../../runtime/runner.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import { repoRoot } from '../../helpers/repo.js';
import { repoScenarios, specModule } from './repo-scenarios.js';

const files = matrixScenarioFiles(repoRoot);
const scenarios = repoScenarios();

describe('examples/scenarios parse', () => {
  it('has at least 25 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
  });
  for (const file of files) {
    it(`${file} parses without diagnostics`, () => {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const r = parseScenarios({ path: file, text });
      expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`)).toEqual([]);
      expect(r.scenarios.length).toBeGreaterThan(0);
    });
  }
  it('every scenario says where it comes from (a selftest, a mail or a fix)', () => {
    expect(scenarios.filter((s) => !s.source).map((s) => s.name)).toEqual([]);
  });
  it('scenario names are unique across files (they are the matrix rows)', () => {
    const names = scenarios.map((s) => s.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

for (const spec of ['examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte']) {
  describe(`every scenario passes on ${spec}`, () => {
    for (const s of scenarios) {
      it(s.name, async () => {
        const r = runScenario(await specModule(spec), s);
        expect(r.ok, r.firstFailure ? formatFailure(r.firstFailure) : '').toBe(true);
      });
    }
  });
}
