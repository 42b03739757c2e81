// Loading a spec's module blanks its types (strip-types.ts) instead of running TypeScript's transpiler: the JS must
// be what transpileModule makes of the same TS, token for token (comments and layout aside), for every construct a
// generated module writes, and anything else must be left to transpileModule.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitTsPlain, emitTsText } from '../../../../compiler/backends/ts/emit.js';
import { stripTypes } from '../../../../compiler/backends/ts/strip-types.js';
import { transpile, transpileWithTs } from '../../../../compiler/backends/ts/transpile.js';
import { compileClean } from '../../../../compiler/compile.js';
import { unwrap } from '../../../../core/result.js';
import { repoRoot } from '../../../helpers/repo.js';
import { normal } from './normal-js.js';

describe('stripTypes', () => {
  // [name, TS, its JS with the runs of white space collapsed]
  const cases: [string, string, string][] = [
    ['type-only import', "import type { A, B } from './x.js';\nexport const a = 1;", ' export const a = 1;'],
    ['annotations', 'function f(w: Word, v?: bigint): Word { const x: bigint = w; return x; }', 'function f(w , v ) { const x = w; return x; }'],
    ['arrow return type', 'const d = { a: ($ctx: HandlerContext): boolean => $ctx.x };', 'const d = { a: ($ctx ) => $ctx.x };'],
    ['type arguments', 'const m = new Map<Word, string | null>(); f<A>(1);', 'const m = new Map (); f (1);'],
    ['as const satisfies', "const o = { a: { type: 'x' } } as const satisfies Record<string, Outcome>;", "const o = { a: { type: 'x' } } ;"],
    ['non-null', 'const s = $SITES["p"]![3]!;', 'const s = $SITES["p"] [3] ;'],
    ['typed export', 'export const module: SpecModule = { k: KINDS };\nexport default module;', 'export const module = { k: KINDS }; export default module;'],
    ['type parameters', 'function g<T>(x: T): T { return x; }', 'function g (x ) { return x; }'],
    ['interface and alias', 'interface I { a: number }\ntype T = I;\nconst z = 0;', ' const z = 0;'],
    ['strings stay', 'const s: string = "a: b as c" + `x!: ${y as number}`;', 'const s = "a: b as c" + `x!: ${y }`;'],
  ];
  for (const [name, input, want] of cases) {
    it(`${name}: blanked in place, the same JS as transpileModule`, () => {
      const got = stripTypes(input)!;
      expect(got.replace(/\s+/g, ' ')).toBe(want);
      // only blanked: every other character, line breaks included, where it was
      expect(got.length).toBe(input.length);
      for (let i = 0; i < got.length; i++) if (got[i] !== input[i]) expect(got[i], `at ${i}`).toBe(' ');
      expect(normal(got)).toBe(normal(transpileWithTs(input)));
    });
  }

  const unsupported: [string, string][] = [
    ['enum', 'enum E { A }'],
    ['namespace', 'namespace N { export const a = 1; }'],
    ['class', 'class C { constructor(private x: number) {} }'],
    ['angle assertion', 'const a = <number>b;'],
    ['value import', "import { a } from './a.js';"],
    ['overload', 'function f(a: number): void;\nfunction f(a: any) {}'],
    ['arrow return type over two lines', 'const f = (a: number): {\n x: number } => ({ x: a });'],
    ['declare', 'declare const x: number;'],
    ['syntax error', 'const = ;'],
  ];
  for (const [name, input] of unsupported) {
    it(`${name}: left to transpileModule`, () => {
      expect(stripTypes(input)).toBeUndefined();
      expect(transpile(input)).toBe(transpileWithTs(input));
    });
  }
});

describe("a spec's module", () => {
  // The smallest kernel spec (about 1 s of CPU here); every bundled spec and proposal, levels and all, and their
  // committed generated/ modules are strip-types-bundled.test.ts (`npm run test:slow`).
  const c = unwrap(compileClean(path.join(repoRoot, 'examples/x86_64-v5.10.pte')));

  it('emitTsPlain has the statements of emitTsText: blanked, it is the JS transpileModule makes of the laid-out module', () => {
    const opts = { runtimeImport: 'ptelab/contract/spec-module.js' };
    const plain = stripTypes(emitTsPlain(c.ir, opts));
    expect(plain).toBeDefined();
    expect(normal(plain!)).toBe(normal(transpileWithTs(emitTsText(c.ir, opts))));
  });
});
