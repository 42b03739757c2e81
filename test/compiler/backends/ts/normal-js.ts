// JS as TypeScript's printer lays it out without comments: two texts with the same tokens print the same.
import { ts } from 'ts-morph';
import { expect } from 'vitest';

export function normal(js: string): string {
  const sf = ts.createSourceFile('m.js', js, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  expect((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  // transpileModule marks a script (no import or export) strict; a module, as a spec's is, is strict anyway
  return ts.createPrinter({ removeComments: true }).printFile(sf).replace(/^"use strict";\n/, '');
}
