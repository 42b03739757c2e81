// generated/ and the generated docs are the golden set: exactly what `npm run generate` writes today. docs/matrix.md
// and docs/matrix.json are checked by test/apps/matrix/matrix-run.test.ts (`npm run test:slow`: the matrix explores
// every bundled world on every spec).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocsButMatrix, generatedTree } from '../../../bin/generate.js';
import { repoRoot } from '../../helpers/repo.js';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => String(f).split(path.sep).join('/'))
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

describe('generated output is fresh (regenerate with `npm run generate`)', async () => {
  const tree = await generatedTree(repoRoot);
  const docs = generatedDocsButMatrix(repoRoot);
  it('generated/ holds exactly one directory per bundled spec, and generated/proposals/ one per proposal', () => {
    const top = fs.readdirSync(path.join(repoRoot, 'generated')).filter((d) => d !== 'proposals');
    const proposals = fs.existsSync(path.join(repoRoot, 'generated', 'proposals')) ? fs.readdirSync(path.join(repoRoot, 'generated', 'proposals')) : [];
    const dirs = [...top.map((d) => `generated/${d}`), ...proposals.map((d) => `generated/proposals/${d}`)].sort();
    expect(dirs).toEqual([...tree.keys()].sort());
    expect(dirs.filter((d) => d.startsWith('generated/proposals/')).length).toBe(fs.readdirSync(path.join(repoRoot, 'examples', 'proposals')).filter((f) => f.endsWith('.pte')).length);
  });
  for (const [dir, files] of tree) {
    it(`${dir} is what ptelab build writes`, () => {
      expect(filesUnder(path.join(repoRoot, dir))).toEqual([...files.keys()].sort());
      for (const [name, text] of files) {
        const onDisk = fs.readFileSync(path.join(repoRoot, dir, name), 'utf8');
        expect(onDisk === text, `${dir}/${name} is stale`).toBe(true);
      }
    });
  }
  it('docs/diffs holds exactly the generated reports', () => {
    const want = [...docs.keys()].filter((f) => f.startsWith('docs/diffs/')).map((f) => f.slice('docs/diffs/'.length));
    expect(filesUnder(path.join(repoRoot, 'docs/diffs'))).toEqual(want.sort());
  });
  for (const [file, text] of docs) {
    it(`${file} is fresh`, () => {
      expect(fs.readFileSync(path.join(repoRoot, file), 'utf8') === text, `${file} is stale`).toBe(true);
    });
  }
});
