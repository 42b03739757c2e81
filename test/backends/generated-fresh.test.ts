// generated/ is the golden set: exactly what `ptelab build` writes for every bundled spec today.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFiles, outputName } from '../../compiler/backends/build.js';
import { compileSpec } from '../../compiler/compile.js';
import { bundledSpecs, repoRoot } from '../helpers/repo.js';

describe('generated/ is fresh', () => {
  for (const spec of bundledSpecs()) {
    it(`generated/${outputName(spec)} is what ptelab build writes for ${spec}`, async () => {
      const c = compileSpec(spec);
      if ('ioError' in c) throw new Error(c.ioError);
      expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const files = await buildFiles(c.ir!, { runtimeImport: '../../runtime/spec-module.js' });
      const dir = path.join(repoRoot, 'generated', outputName(spec));
      const onDisk = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort() : [];
      expect(onDisk, 'run `npm run generate` and commit generated/').toEqual([...files.keys()].sort());
      for (const [name, text] of files) {
        expect(fs.readFileSync(path.join(dir, name), 'utf8') === text, `generated/${outputName(spec)}/${name} is stale: run \`npm run generate\``).toBe(true);
      }
    });
  }
});
