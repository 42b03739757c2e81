// ptelab build SPEC... [--out DIR] [--author 'Name <email>'] [--kernel-tree DIR]: <out>/<spec>/ (TS simulation
// module, layout SVG, kernel patch series). A spec that `extends` another gets a series against that base (only what
// it changes); the base is compiled too. The series' author is --author or git's user, its date SOURCE_DATE_EPOCH or
// the spec's last commit. --kernel-tree DIR makes the series against that kernel tree (docs/patch.md,
// compiler/backends/c/place.ts). Without --out, a bundled spec (examples/, examples/proposals/) goes to ./generated/<spec>/
// (in the repository: the golden copy; never the install folder); any other spec goes to <cwd>/<stem>/, never into generated/ (a user's spec
// is not ours to commit).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { compileBase } from '../../compiler/backends/base.js';
import { buildFiles, importPath, outputName } from '../../compiler/backends/build.js';
import { buildIdentity, validAuthor } from '../../compiler/backends/c/identity.js';
import { NotAKernelTree, openKernelTree } from '../../compiler/backends/c/tree.js';
import { WriteRefused, writeGenerated } from '../../compiler/backends/write.js';
import { bundledKernelSpecs, bundledProposals } from '../../core/bundled.js';
import { packageRoot } from '../../core/package-root.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';

export async function buildCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError('build needs at least one SPEC');
  const author = flags.get('author') as string | undefined;
  if (author !== undefined && !validAuthor(author)) throw new UsageError(`--author wants 'Name <email>', not '${author}'`);
  const treeDir = flags.get('kernel-tree') as string | undefined;
  let kernelTree;
  try {
    kernelTree = treeDir === undefined ? undefined : openKernelTree(path.resolve(io.cwd, treeDir));
  } catch (e) {
    if (e instanceof NotAKernelTree) throw new UsageError(e.message);
    throw e;
  }
  const outFlag = flags.get('out') as string | undefined;
  if (outFlag !== undefined) {
    // The output folder must be usable before any spec is compiled.
    const outRoot = path.resolve(io.cwd, outFlag);
    makeDirs(outRoot);
    fs.accessSync(outRoot, fs.constants.W_OK);
  }
  const root = packageRoot();
  const bundled = new Set([...bundledKernelSpecs(root), ...bundledProposals(root)].map((f) => path.join(root, f)));
  let code = EXIT_OK;
  for (const file of positionals) {
    const good = await loadGoodSpec(file, io);
    if (!good.ok) {
      code = Math.max(code, good.error);
      continue;
    }
    const c = good.value;
    const based = compileBase(c.ir);
    if (!based.ok) {
      io.err(`${based.error.message.trimEnd()}\nptelab: ${file}: cannot build its patch series against its base ${based.error.file}; fix the base first\n`);
      code = Math.max(code, EXIT_FINDINGS);
      continue;
    }
    const isBundled = bundled.has(path.resolve(io.cwd, file));
    const dir = outFlag !== undefined
      ? path.join(path.resolve(io.cwd, outFlag), outputName(file))
      : isBundled
        ? path.join(io.cwd, 'generated', outputName(file))
        : path.join(io.cwd, path.basename(file).replace(/\.pte$/, ''));
    const runtimeImport = importPath(dir, path.join(packageRoot(), 'contract', 'spec-module.js'));
    const identity = buildIdentity(path.resolve(io.cwd, file), { ...(author !== undefined ? { author: author.trim() } : {}), env: process.env });
    const base = based.value;
    const files = await buildFiles(c.ir, { runtimeImport, identity, ...(kernelTree ? { kernelTree } : {}), ...(base ? { base: base.ir } : {}) });
    try {
      const r = writeGenerated(dir, files);
      const against = base ? `, series against ${base.file}` : '';
      io.out(`${file}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed (${path.relative(io.cwd, dir) || '.'}${against})\n`);
    } catch (e) {
      if (!(e instanceof WriteRefused)) throw e;
      io.err(`ptelab: ${e.message}\n`);
      code = EXIT_USAGE;
    }
  }
  return code === EXIT_OK ? EXIT_OK : code === EXIT_FINDINGS ? EXIT_FINDINGS : EXIT_USAGE;
}
