import { it } from 'vitest';
import { parseSpec } from '../grammar/parse.js';
import { specLexer } from '../grammar/lexer.js';
import { specParser } from '../grammar/parser.js';
const texts = ['kind : f when A', 'format f { bits 3.. B }', 'spec "x"', 'word x', 'format f { bit 0 A }}\nconst = 3\nkind k : f when A == == 1\nword 64\n', 'spec a "d"\nformat f { bit 0 A; bit x B; bit 2 C }\nconst X = (1 + \nkind ok : f when A\npredicate p on f = A means\nkind k2 : f when )\n'];
it('scratch', () => {
  for (const t of texts) {
    const p = specParser(); p.input = specLexer.tokenize(t).tokens; p.specFile();
    console.log(p.errors.map(e => e.name + ': ' + e.message));
    const r = parseSpec({ path: 'a.pte', text: t });
    console.log(r.diagnostics.map(d => `${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column} ${d.code} ${d.message}`), r.ast.items.map(i => i.type));
  }
});
