// A spec's module for exploration: the generated TS, transpiled to JS once; the JS text is what worker threads
// load (the generated module has no value imports), and this thread imports the same text.
import { emitTsText } from '../compiler/backends/ts/emit.js';
import { transpile } from '../compiler/backends/ts/load-module.js';
import type { IrSpec } from '../compiler/ir/types.js';
import type { SpecModule } from '../contract/spec-module.js';

export interface LoadedSpec {
  readonly module: SpecModule;
  /** The module as JS text (for ExploreOptions.moduleJs). */
  readonly js: string;
}

export async function moduleFromJs(js: string): Promise<SpecModule> {
  if (/^\s*import\s/m.test(js)) throw new Error('generated module has a value import; it must import types only');
  const url = `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
  return ((await import(url)) as { default: SpecModule }).default;
}

export async function loadExploreSpec(ir: IrSpec): Promise<LoadedSpec> {
  const js = transpile(emitTsText(ir, { runtimeImport: 'ptelab/contract/spec-module.js' }));
  return { module: await moduleFromJs(js), js };
}
