import { it } from 'vitest';
import { parseSpec } from '../grammar/parse.js';
import { specLexer } from '../grammar/lexer.js';
import { specParser } from '../grammar/parser.js';
import { buildSpecFile } from '../grammar/cst-to-ast.js';
import * as fs from 'node:fs';
it('scratch', () => {
  for (const f of ['examples/mm/linux-v6.17.pte', 'examples/x86_64-v6.17.pte']) {
    const text = fs.readFileSync(f, 'utf8');
    for (let i = 0; i < 5; i++) parseSpec({ path: 'spec.pte', text });
    const c0 = process.cpuUsage();
    const N = 10;
    let lx = 0, ps = 0, ast = 0;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now(); const l = specLexer.tokenize(text); const t1 = performance.now();
      const p = specParser(); p.input = l.tokens; const cst = p.specFile(); const t2 = performance.now();
      buildSpecFile(cst, 'x', text.length); const t3 = performance.now();
      lx += t1 - t0; ps += t2 - t1; ast += t3 - t2;
    }
    const u = process.cpuUsage(c0);
    console.log(f, text.length, 'lex', (lx / N).toFixed(2), 'parse', (ps / N).toFixed(2), 'ast', (ast / N).toFixed(2), 'cpu/iter', ((u.user + u.system) / 1000 / N).toFixed(2), 'MB/s', (text.length / 1e6 / ((u.user + u.system) / 1e6 / N)).toFixed(2));
  }
});
