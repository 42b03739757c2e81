// ptelab build SPEC... [--out DIR]: generated/<spec>/ (TS simulation module; more back ends join here).
import * as path from 'node:path';
import { buildFiles, outputName } from '../../compiler/backends/build.js';
import { WriteRefused, writeGenerated } from '../../compiler/backends/write.js';
import { packageRoot } from '../../compiler/package-root.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, type CliIo } from '../io.js';
import { loadGoodSpec } from './common.js';

export const buildUsage = 'ptelab build [--out DIR] SPEC...';

export async function buildCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseArgs(argv, ['out'], []);
  if (positionals.length === 0) throw new UsageError('build needs at least one SPEC');
  const outRoot = path.resolve(io.cwd, (flags.get('out') as string | undefined) ?? 'generated');
  let code = EXIT_OK;
  for (const file of positionals) {
    const c = loadGoodSpec(file, io);
    if (typeof c === 'number') {
      code = Math.max(code, c);
      continue;
    }
    const dir = path.join(outRoot, outputName(file));
    const runtimeImport = importPath(dir, path.join(packageRoot(), 'runtime', 'spec-module.js'));
    const files = await buildFiles(c.ir!, { runtimeImport });
    try {
      const r = writeGenerated(dir, files);
      io.out(`${file}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed (${path.relative(io.cwd, dir) || '.'})\n`);
    } catch (e) {
      if (!(e instanceof WriteRefused)) throw e;
      io.err(`ptelab: ${e.message}\n`);
      code = EXIT_USAGE;
    }
  }
  return code === EXIT_OK ? EXIT_OK : code === EXIT_FINDINGS ? EXIT_FINDINGS : EXIT_USAGE;
}

function importPath(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
