// What the matrix runs: the bundled kernel specs, the proposals and the scenario files, found under a repository root
// and named by repository-relative paths (so generated output is the same on every machine).
import * as path from 'node:path';
import { KERNEL_SPEC_DIR, listBundled, PROPOSAL_DIR, SCENARIO_DIR } from '../../core/bundled.js';

/** Where each input lives, relative to the repository root. */
export const MATRIX_SPEC_DIRS = [KERNEL_SPEC_DIR, PROPOSAL_DIR] as const;
export const MATRIX_SCENARIO_DIR = SCENARIO_DIR;

/** One column of the matrix. */
export interface MatrixSpecInput {
  /** Repository-relative path, e.g. `examples/proposals/hugh-swap-marker.pte`. */
  readonly file: string;
  /** The column name: the file name without `.pte`. */
  readonly column: string;
  /** A bundled kernel spec (examples/) or a proposal (examples/proposals/). */
  readonly group: 'kernel' | 'proposal';
}

/** Bundled specs first (sorted), then the proposals (sorted). */
export function matrixSpecs(root: string): MatrixSpecInput[] {
  return MATRIX_SPEC_DIRS.flatMap((dir, i) =>
    listBundled(root, dir, '.pte').map((file) => ({
      file,
      column: path.basename(file, '.pte'),
      group: i === 0 ? ('kernel' as const) : ('proposal' as const),
    })),
  );
}

/** Scenario files, sorted; the scenarios of a file keep their order. */
export function matrixScenarioFiles(root: string): string[] {
  return listBundled(root, MATRIX_SCENARIO_DIR, '.scn');
}
