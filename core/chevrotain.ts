// Chevrotain's runtime, loaded from the single-file ES module build its package ships (the same release) instead of
// the package's entry point, which imports about 190 small modules (its own and lodash-es'): loading those cost Node
// about 0.3 s of CPU, more than most commands' whole work. Every module that needs Chevrotain's values imports them
// from here, never from 'chevrotain' (two copies would not share EOF or token categories); types come from the package.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// The package's entry (lib/src/api.js) and its single-file build (lib/chevrotain.mjs) sit in the same lib/ folder.
const entry = createRequire(import.meta.url).resolve('chevrotain');
const chevrotain = (await import(pathToFileURL(path.join(path.dirname(entry), '..', 'chevrotain.mjs')).href)) as typeof import('chevrotain');

export const { createToken, CstParser, EOF, Lexer } = chevrotain;
