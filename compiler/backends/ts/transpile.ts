// The emitted module as JavaScript, with type imports erased, so the JS has no imports at all and can be loaded from
// text (apps/load-module.ts) or handed to worker threads. The types are blanked out (strip-types.ts); TypeScript's
// own transpiler, five times the CPU, is for TS that uses syntax the blanking does not handle.
import { ts } from 'ts-morph';
import { stripTypes } from './strip-types.js';

export function transpile(tsText: string): string {
  return stripTypes(tsText) ?? transpileWithTs(tsText);
}

/** TypeScript's transpileModule: any TS. */
export function transpileWithTs(tsText: string): string {
  const out = ts.transpileModule(tsText, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: false },
    reportDiagnostics: false,
  });
  return out.outputText;
}
