// Shared by test/scenarios and test/apps/matrix: the scenario files of examples/scenarios/ and the compiled module of a
// repository spec, both named by repository-relative paths.
import * as path from 'node:path';
import { loadSpecModule } from '../../../apps/load-module.js';
import { compileSpec, type Compiled } from '../../../compiler/compile.js';
import { renderText } from '../../../core/diagnostics/render.js';
import { nodeHost, type SpecHost } from '../../../compiler/load.js';
import { loadMatrixScenarios } from '../../../apps/matrix/run.js';
import type { LoadedScenario } from '../../../runtime/scenario/load.js';
import type { SpecModule } from '../../../contract/spec-module.js';
import { repoRoot } from '../../helpers/repo.js';
import { unwrap } from '../../../core/result.js';

/** Reads repository-relative paths; `overrides` (path -> text) stand in for files that do not exist on disk. */
export function repoHost(overrides: Record<string, string> = {}): SpecHost {
  return { readFile: (f) => overrides[f] ?? nodeHost.readFile(path.isAbsolute(f) ? f : path.join(repoRoot, f)) };
}

export function compileRepoSpec(file: string, overrides: Record<string, string> = {}): Compiled {
  const c = unwrap(compileSpec(file, repoHost(overrides)));
  return c;
}

const modules = new Map<string, Promise<SpecModule>>();

/** The generated module of a repository spec (compiled once per test file). Fails on spec errors. */
export function specModule(file: string): Promise<SpecModule> {
  let m = modules.get(file);
  if (!m) {
    const c = compileRepoSpec(file);
    if (!c.ok) throw new Error(`${file} has errors:\n${renderText(c.diagnostics, c.sources)}`);
    m = loadSpecModule(c.ir).then((l) => l.module);
    modules.set(file, m);
  }
  return m;
}

/** Every scenario of examples/scenarios/, in file order. */
export function repoScenarios(): readonly LoadedScenario[] {
  return loadMatrixScenarios(repoRoot).scenarios;
}

export function scenarioNamed(name: string): LoadedScenario {
  const s = repoScenarios().find((x) => x.name === name);
  if (!s) throw new Error(`no scenario named ${JSON.stringify(name)} in examples/scenarios/`);
  return s;
}
