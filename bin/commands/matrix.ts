// ptelab matrix [--json] [--out DIR]: every scenario of examples/scenarios/ on every bundled spec and proposal, and
// explore on every bundled world (examples/worlds/); writes
// matrix.md and matrix.json (generated files) to DIR (default: the working directory, never the install folder;
// the repository's copies are docs/: `ptelab matrix --out docs`) and prints the totals, or with
// --json the matrix as data. Exit 0 when the files are written: failing cells are the matrix's findings, not errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { writeGeneratedFile } from '../../compiler/backends/write.js';
import { MATRIX_JSON, renderMatrixFiles } from '../../apps/matrix/files.js';
import { matrixSummary } from '../../apps/matrix/summary.js';
import { runMatrix } from '../../apps/matrix/run.js';
import { packageRoot } from '../../core/package-root.js';
import { EXIT_OK, UsageError, type CliIo, type CommandArgs } from '../io.js';


export async function matrixCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new UsageError('matrix takes no positional arguments (it runs examples/scenarios/ on every spec)');
  const root = packageRoot();
  const out = flags.get('out');
  const dir = typeof out === 'string' ? path.resolve(io.cwd, out) : io.cwd;
  // The folder must be there and writable before a minute of running, not after.
  makeDirs(dir);
  fs.accessSync(dir, fs.constants.W_OK);
  const m = await runMatrix(root);
  const files = renderMatrixFiles(m);
  const written: string[] = [];
  for (const [rel, text] of files) {
    const target = path.join(dir, path.basename(rel));
    written.push(`${path.relative(io.cwd, target) || target}: ${writeGeneratedFile(target, text)}`);
  }
  if (flags.has('json')) {
    io.out(files.get(MATRIX_JSON)!);
    return EXIT_OK;
  }
  io.out(matrixSummary(m));
  for (const w of written) io.out(`${w}\n`);
  return EXIT_OK;
}
