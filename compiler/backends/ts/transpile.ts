// The emitted module as JavaScript: TypeScript's own transpiler with type imports erased, so the JS has no imports
// at all and can be loaded from text (apps/load-module.ts) or handed to worker threads.
import { ts } from 'ts-morph';

export function transpile(tsText: string): string {
  const out = ts.transpileModule(tsText, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: false },
    reportDiagnostics: false,
  });
  return out.outputText;
}
