// ptelab build SPEC... [--out DIR]: generated/<spec>/ (TS simulation module, layout SVG, kernel patch series). A
// spec that `extends` another gets a series against that base (only what it changes); the base is compiled too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { compileBase } from '../../compiler/backends/base.js';
import { buildFiles, importPath, outputName } from '../../compiler/backends/build.js';
import { WriteRefused, writeGenerated } from '../../compiler/backends/write.js';
import { packageRoot } from '../../core/package-root.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';


export async function buildCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError('build needs at least one SPEC');
  const outRoot = path.resolve(io.cwd, (flags.get('out') as string | undefined) ?? 'generated');
  // The output folder must be usable before any spec is compiled.
  makeDirs(outRoot);
  fs.accessSync(outRoot, fs.constants.W_OK);
  let code = EXIT_OK;
  for (const file of positionals) {
    const c = await loadGoodSpec(file, io);
    if (typeof c === 'number') {
      code = Math.max(code, c);
      continue;
    }
    const base = compileBase(c.ir!);
    if (base.kind === 'error') {
      io.err(`${base.message.trimEnd()}\nptelab: ${file}: cannot build its patch series against its base ${base.file}; fix the base first\n`);
      code = Math.max(code, EXIT_FINDINGS);
      continue;
    }
    const dir = path.join(outRoot, outputName(file));
    const runtimeImport = importPath(dir, path.join(packageRoot(), 'contract', 'spec-module.js'));
    const files = await buildFiles(c.ir!, { runtimeImport, ...(base.kind === 'base' ? { base: base.ir } : {}) });
    try {
      const r = writeGenerated(dir, files);
      const against = base.kind === 'base' ? `, series against ${base.file}` : '';
      io.out(`${file}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed (${path.relative(io.cwd, dir) || '.'}${against})\n`);
    } catch (e) {
      if (!(e instanceof WriteRefused)) throw e;
      io.err(`ptelab: ${e.message}\n`);
      code = EXIT_USAGE;
    }
  }
  return code === EXIT_OK ? EXIT_OK : code === EXIT_FINDINGS ? EXIT_FINDINGS : EXIT_USAGE;
}
