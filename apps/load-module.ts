// Running a spec: its generated module (the TS back end's output) transpiled to JS and imported from a data: URL.
// This is how `ptelab run`, `explore`, the matrix, diff, report and the mutation test run a spec: the runtime runs
// the generated code, never an interpreter of the AST. The JS text is kept too: explore's worker threads load it.
import { createHash } from 'node:crypto';
import { emitTsPlain } from '../compiler/backends/ts/emit.js';
import { transpile } from '../compiler/backends/ts/transpile.js';
import { irKey } from '../compiler/ir/key.js';
import { lastResults } from '../core/last-results.js';
import type { IrSpec } from '../compiler/ir/types.js';
import type { SpecModule } from '../contract/spec-module.js';

export interface LoadedSpec {
  readonly module: SpecModule;
  /** The module as JS text (for ExploreOptions.moduleJs). */
  readonly js: string;
}

/** Import a module from its JS text. It must import nothing: generated modules import only types. */
export async function moduleFromJs(js: string): Promise<SpecModule> {
  if (/^\s*import\s/m.test(js)) throw new Error('generated module has a value import; it must import types only');
  const url = `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
  return ((await import(url)) as { default: SpecModule }).default;
}

/**
 * The last modules loaded, by the content of their IR or of their text: the module is a pure function of its source,
 * and the loaded module holds no state.
 */
const remember = lastResults<LoadedSpec>(16); // more than the bundled specs and proposals (11): the matrix loads them all

/** Load a module from its TypeScript text (e.g. a file of generated/). */
export function loadModuleText(tsText: string): Promise<LoadedSpec> {
  const key = `text:${createHash('sha256').update(tsText).digest('hex')}`;
  return remember(key, async () => {
    const js = transpile(tsText);
    return { module: await moduleFromJs(js), js };
  });
}

/** Emit, transpile and load the module of a compiled spec. */
export function loadSpecModule(ir: IrSpec): Promise<LoadedSpec> {
  return remember(`ir:${irKey(ir)}`, () => loadModuleText(emitTsPlain(ir, { runtimeImport: 'ptelab/contract/spec-module.js' })));
}
