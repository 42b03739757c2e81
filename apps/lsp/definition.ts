// Go to definition: a kind, format, predicate, decision, fn, path, constant, field or case binding to where it is
// declared (in a base spec when it comes from one: the resolved spec spans the extends chain); an `extends` or
// `import` string to the file it names; in a scenario file, an mm or file name to the statement declaring it.
import * as fs from 'node:fs';
import type { Location } from 'vscode-languageserver';
import type { Compiled } from '../../compiler/compile.js';
import { location, pathToUri } from './convert.js';
import { declarationOf, fileNamedAt } from './names.js';
import { scenarioDeclaration } from './scenario-names.js';
import { isWord, tokenAt } from './tokens.js';
import type { Analysis } from './workspace.js';

export function definition(a: Analysis, compiled: Compiled | undefined, offset: number): Location | null {
  const at = tokenAt(a.text, a.lang, offset);
  if (!at) return null;
  const t = at.token;
  if (a.lang === 'scn') {
    const d = isWord(t) ? scenarioDeclaration(at.tokens, at.index) : undefined;
    if (!d) return null;
    const line = (d.token.startLine ?? 1) - 1;
    const ch = (d.token.startColumn ?? 1) - 1;
    return { uri: pathToUri(a.file), range: { start: { line, character: ch }, end: { line, character: ch + d.token.image.length } } };
  }
  if (t.tokenType.name === 'StringLiteral') {
    const file = fileNamedAt(a.parsed.ast, offset);
    if (!file || !fs.existsSync(file)) return null;
    return { uri: pathToUri(file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  }
  if (!isWord(t)) return null;
  const d = declarationOf(compiled?.spec, a.parsed.ast, t.image, offset);
  return d ? location(d.range) : null;
}
