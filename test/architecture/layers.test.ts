import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { importsOf, layerFiles, violations, type ImportEdge } from './layers.js';

const root = packageRoot();

describe('layers: imports only go down', () => {
  it('no file of a layer imports a layer above it or across (compiler <-> runtime)', () => {
    const edges: ImportEdge[] = [];
    for (const f of layerFiles(root)) edges.push(...importsOf(f, fs.readFileSync(path.join(root, f), 'utf8')));
    expect(edges.length).toBeGreaterThan(300);
    const bad = violations(edges).map((v) => `${v.file}:${v.line}: ${v.from} imports ${v.to} (${v.specifier})`);
    expect(bad).toEqual([]);
  });

  it('fails on a planted compiler -> runtime import, and on runtime -> compiler, grammar -> compiler, core -> anything', () => {
    const planted = [
      ...importsOf('compiler/checks/planted.ts', "import { runScenario } from '../../runtime/runner.js';\n"),
      ...importsOf('runtime/explore/planted.ts', "import type { IrSpec } from '../../compiler/ir/types.js';\n"),
      ...importsOf('grammar/planted.ts', "export { diag } from '../compiler/x.js';\n"),
      ...importsOf('core/planted.ts', "const m = await import('../contract/spec-module.js');\n"),
      ...importsOf('compiler/ok.ts', "import { ENTRY_PATHS } from '../contract/spec-module.js';\n"),
    ];
    expect(violations(planted).map((v) => `${v.from}->${v.to}`)).toEqual(['compiler->runtime', 'runtime->compiler', 'grammar->compiler', 'core->contract']);
  });
});
