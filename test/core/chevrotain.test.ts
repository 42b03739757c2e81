import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { CstParser, EOF, Lexer } from '../../core/chevrotain.js';
import { layerFiles } from '../architecture/layers.js';

const root = packageRoot();

/** Imports of Chevrotain's values (not type-only) straight from the package, which would load a second copy. */
function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)([^;]*?)\s+from\s+['"]chevrotain['"]/gm)) out.push(m[0].trim());
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]chevrotain['"]\s*\)/g)) out.push(m[0]);
  return out;
}

describe('chevrotain: one copy, the single-file build', () => {
  it('no module but core/chevrotain.ts takes values from the chevrotain package', () => {
    const files = layerFiles(root).filter((f) => f !== 'core/chevrotain.ts');
    expect(files.length).toBeGreaterThan(100);
    const bad = files.flatMap((f) => valueImports(fs.readFileSync(path.join(root, f), 'utf8')).map((i) => `${f}: ${i}`));
    expect(bad).toEqual([]);
  });

  it('tells value imports from type-only ones', () => {
    expect(valueImports("import { createToken, Lexer, type TokenType } from 'chevrotain';\n")).toHaveLength(1);
    expect(valueImports("export { EOF } from \"chevrotain\";\nconst c = await import('chevrotain');\n")).toHaveLength(2);
    expect(valueImports("import type { IToken } from 'chevrotain';\nimport { x } from './chevrotain.js';\n")).toEqual([]);
  });

  it('gives a working lexer and parser base', () => {
    expect(typeof CstParser).toBe('function');
    expect(EOF.name).toBe('EOF');
    expect(Lexer.SKIPPED).toBeDefined();
  });
});
