// Everything the repository commits as generated output, computed in one place: `npm run generate` writes it and
// test/compiler/backends/generated-fresh.test.ts proves the committed copy is exactly this.
import * as path from 'node:path';
import { cachedCompile, compileBase } from '../compiler/backends/base.js';
import { bundledKernelSpecs, bundledProposals } from '../core/bundled.js';
import { buildFiles, importPath, outputName } from '../compiler/backends/build.js';
import { committedIdentity } from '../compiler/backends/c/identity.js';
import { diagnosticsDoc } from '../core/diagnostics/doc.js';
import { DIFF_REPORTS_DIR, writeDiffReports } from '../apps/diff/reports.js';
import { matrixFiles } from '../apps/matrix/files.js';
import { renderText } from '../core/diagnostics/render.js';
import { writeGenerated, writeGeneratedFile } from '../compiler/backends/write.js';

/**
 * generated/<spec>/... for every bundled spec and generated/proposals/<stem>/... for every proposal, whose patch
 * series is against the spec it extends; paths relative to the repo root. Must run with cwd = root.
 */
export async function generatedTree(root: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  const compile = cachedCompile();
  for (const spec of [...bundledKernelSpecs(root), ...bundledProposals(root)]) {
    const r = compile(spec);
    if (!r.ok) throw new Error(r.error);
    const c = r.value;
    if (!c.ok) throw new Error(`bundled spec ${spec} has errors:\n${renderText(c.diagnostics, c.sources)}`);
    const base = compileBase(c.ir, compile);
    if (!base.ok) throw new Error(`the base of ${spec}: ${base.error.message}`);
    const dir = `generated/${outputName(spec)}`;
    const runtimeImport = importPath(dir, 'contract/spec-module.js');
    out.set(dir, new Map(await buildFiles(c.ir, { runtimeImport, identity: committedIdentity(path.join(root, spec)), ...(base.value ? { base: base.value.ir } : {}) })));
  }
  return out;
}

/** Generated documentation files, repo-relative path -> text. */
export async function generatedDocs(root: string): Promise<Map<string, string>> {
  const docs = generatedDocsButMatrix(root);
  for (const [file, text] of await matrixFiles(root)) docs.set(file, text);
  return docs;
}

/**
 * The generated docs other than docs/matrix.*: the matrix costs more than everything else here (it explores every
 * bundled world on every spec), so it is computed once, in test/apps/matrix/matrix-run.test.ts (`npm run test:slow`),
 * which also checks the committed copy.
 */
export function generatedDocsButMatrix(root: string): Map<string, string> {
  const docs = new Map([['docs/diagnostics.md', diagnosticsDoc()]]);
  for (const [name, text] of writeDiffReports(root)) docs.set(`${DIFF_REPORTS_DIR}/${name}`, text);
  return docs;
}

async function main(): Promise<void> {
  const root = process.cwd();
  for (const [dir, files] of await generatedTree(root)) {
    const r = writeGenerated(path.join(root, dir), files);
    process.stdout.write(`${dir}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed\n`);
  }
  for (const [file, text] of await generatedDocs(root)) {
    process.stdout.write(`${file}: ${writeGeneratedFile(path.join(root, file), text)}\n`);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  await main();
}
