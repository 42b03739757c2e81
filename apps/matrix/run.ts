// Run the matrix: every scenario of examples/scenarios/ on every bundled spec and proposal, each scenario twice: as
// written (the contract cell) and with its pagemap steps left out (the behaviour cell), so that a spec without
// PM_UFFD_WP (5.10 and everything built on it) still shows whether the protection itself behaves; then `explore` on
// every bundled world (explore.ts). Pure apart from reading the inputs under `root`.
import { claimCaveat, newCoverage, summarizeCoverage } from '../coverage.js';
import { baseIr, compileBase } from '../../compiler/backends/base.js';
import { loadSpecModule } from '../load-module.js';
import { compileSpec } from '../../compiler/compile.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { renderText } from '../../core/diagnostics/render.js';
import { nodeHost, type SpecHost } from '../../compiler/load.js';
import { runScenario } from '../../runtime/runner.js';
import { loadScenarioFiles, type LoadedScenario } from '../../runtime/scenario/load.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { rootedHost } from '../../core/host.js';
import { cellOf, type MatrixCell } from './cell.js';
import { exploreColumn, matrixWorlds, MATRIX_EXPLORE_DEPTH, MATRIX_EXPLORE_MAX_STATES, type ExploreCell, type MatrixWorld } from './explore.js';
import { MATRIX_SCENARIO_DIR, matrixSpecs, type MatrixSpecInput } from './inputs.js';

export interface MatrixSpec extends MatrixSpecInput {
  /** The spec's name (its header). */
  readonly name: string;
  readonly description: string;
  /** The spec it extends, by name, if any. */
  readonly base?: string;
  /** `ptelab explore` on every bundled world, in the order of MatrixResult.worlds. */
  readonly explore: readonly ExploreCell[];
  /** What the scenarios exercised on this spec (apps/coverage.ts); `caveat` for what a proposal adds or changes. */
  readonly coverage: { readonly never: readonly string[]; readonly casesRan: number; readonly casesTotal: number; readonly caveat?: string };
}

export interface MatrixScenario {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly from?: string;
}

export interface MatrixRow {
  readonly scenario: MatrixScenario;
  /** By spec column, in the order of MatrixResult.specs. */
  readonly cells: readonly { readonly contract: MatrixCell; readonly behaviour: MatrixCell }[];
}

export interface MatrixResult {
  readonly specs: readonly MatrixSpec[];
  readonly scenarioFiles: readonly string[];
  readonly rows: readonly MatrixRow[];
  /** The bundled worlds the explore table runs (examples/worlds/). */
  readonly worlds: readonly MatrixWorld[];
  readonly exploreDepth: number;
  readonly exploreMaxStates: number;
}

/** Read repository-relative paths under `root`. */
/** Every scenario of examples/scenarios/, parsed; a file that does not parse is an error (with its diagnostics). */
export function loadMatrixScenarios(root: string, host: SpecHost = nodeHost): { files: readonly string[]; scenarios: readonly LoadedScenario[] } {
  const r = loadScenarioFiles([MATRIX_SCENARIO_DIR], { root, host });
  if (r.unreadable.length > 0) throw new Error(`matrix: cannot read ${r.unreadable.map((u) => `${u.file} (${u.reason})`).join(', ')}`);
  if (hasErrors(r.diagnostics)) throw new Error(`matrix: scenario files do not parse:\n${renderText(r.diagnostics, r.sources)}`);
  return { files: r.files, scenarios: r.scenarios };
}

/** The scenario without its pagemap steps, and the map from the new step numbers back to the scenario's own. */
function withoutPagemap(s: Scenario): { scenario: Scenario; index: (i: number) => number } {
  const kept: number[] = [];
  s.steps.forEach((st, i) => {
    if (st.op.op !== 'pagemap') kept.push(i);
  });
  return { scenario: { ...s, steps: kept.map((i) => s.steps[i]!) }, index: (i) => kept[i] ?? i };
}

export async function runMatrix(root: string, host: SpecHost = nodeHost): Promise<MatrixResult> {
  const { files, scenarios } = loadMatrixScenarios(root, host);
  const { worlds, list: worldList } = matrixWorlds(root);
  const rooted = rootedHost(root, host);
  const specs: MatrixSpec[] = [];
  const columns: MatrixCell[][][] = []; // [spec][scenario] -> [contract, behaviour]
  for (const input of matrixSpecs(root)) {
    const r = compileSpec(input.file, rooted);
    if (!r.ok) throw new Error(`matrix: ${r.error}`);
    const c = r.value;
    if (!c.ok) throw new Error(`matrix: ${input.file} has errors (ptelab check ${input.file}):\n${renderText(c.diagnostics, c.sources)}`);
    const module = (await loadSpecModule(c.ir)).module;
    const exploreCells = await exploreColumn(module, worlds);
    const coverage = newCoverage(c.ir);
    columns.push(
      scenarios.map((s) => {
        const contract = cellOf(runScenario(module, s, coverage));
        const w = withoutPagemap(s);
        const behaviour = cellOf(runScenario(module, w.scenario), w.index);
        return [contract, behaviour];
      }),
    );
    const base = compileBase(c.ir, (f) => compileSpec(f, rooted));
    const cov = summarizeCoverage(coverage, c.ir, baseIr(base));
    const caveat = claimCaveat(cov);
    specs.push({
      ...input,
      name: c.spec.name,
      description: c.spec.description,
      ...(c.spec.base ? { base: c.spec.base } : {}),
      explore: exploreCells,
      coverage: { never: cov.never, casesRan: cov.casesRan, casesTotal: cov.casesTotal, ...(caveat ? { caveat } : {}) },
    });
  }
  const rows: MatrixRow[] = scenarios.map((s, i) => ({
    scenario: {
      name: s.name,
      file: s.file,
      line: s.line,
      ...(s.source !== undefined ? { from: s.source } : {}),
    },
    cells: columns.map((col) => ({ contract: col[i]![0]!, behaviour: col[i]![1]! })),
  }));
  return { specs, scenarioFiles: files, rows, worlds: worldList, exploreDepth: MATRIX_EXPLORE_DEPTH, exploreMaxStates: MATRIX_EXPLORE_MAX_STATES };
}
