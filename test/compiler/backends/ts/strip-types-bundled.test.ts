// `npm run test:slow`: strip-types.test.ts's module check on every bundled spec and proposal (levels and all), for the
// module loadSpecModule runs (emitTsPlain, blanked) and for the committed generated/ module loadModuleText runs: the
// same JS as transpileModule makes of them (about 10 s of CPU).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputName } from '../../../../compiler/backends/build.js';
import { emitTsPlain, emitTsText } from '../../../../compiler/backends/ts/emit.js';
import { stripTypes } from '../../../../compiler/backends/ts/strip-types.js';
import { transpileWithTs } from '../../../../compiler/backends/ts/transpile.js';
import { compileClean } from '../../../../compiler/compile.js';
import { bundledKernelSpecs, bundledProposals } from '../../../../core/bundled.js';
import { unwrap } from '../../../../core/result.js';
import { repoRoot } from '../../../helpers/repo.js';
import { normal } from './normal-js.js';

describe('every bundled module, blanked, is the JS transpileModule makes of it', () => {
  for (const spec of [...bundledKernelSpecs(repoRoot), ...bundledProposals(repoRoot)]) {
    it(spec, () => {
      const ir = unwrap(compileClean(path.join(repoRoot, spec))).ir;
      const opts = { runtimeImport: 'ptelab/contract/spec-module.js' };
      const plain = stripTypes(emitTsPlain(ir, opts));
      expect(plain).toBeDefined();
      expect(normal(plain!)).toBe(normal(transpileWithTs(emitTsText(ir, opts))));
      const committed = fs.readFileSync(path.join(repoRoot, 'generated', outputName(path.join(repoRoot, spec)), 'module.ts'), 'utf8');
      const blanked = stripTypes(committed);
      expect(blanked).toBeDefined();
      expect(normal(blanked!)).toBe(normal(transpileWithTs(committed)));
    });
  }
});
