// Load a spec's generated module into this process: emit, transpile (type imports vanish, so the JS has no imports
// at all), and import it from a data: URL. This is how `ptelab run` and `explore` run a spec: the runtime runs the
// generated code, never an interpreter of the AST.
import { ts } from 'ts-morph';
import type { IrSpec } from '../../ir/types.js';
import type { SpecModule } from '../../../contract/spec-module.js';
import { emitTsText } from './emit.js';

export function transpile(tsText: string): string {
  const out = ts.transpileModule(tsText, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: false },
    reportDiagnostics: false,
  });
  return out.outputText;
}

export async function loadModuleFromText(tsText: string): Promise<SpecModule> {
  const js = transpile(tsText);
  if (/^\s*import\s/m.test(js)) throw new Error('generated module has a value import; it must import types only');
  const url = `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
  const mod = (await import(url)) as { default: SpecModule };
  return mod.default;
}

export async function loadSpecModule(ir: IrSpec): Promise<SpecModule> {
  return loadModuleFromText(emitTsText(ir, { runtimeImport: 'ptelab/contract/spec-module.js' }));
}
