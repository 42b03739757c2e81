import { it } from "vitest";
import { scenarioLexer } from '../../runtime/scenario/lexer.js';
import { scenarioParser } from '../../runtime/scenario/parser.js';
it("x", () => {
const text = `scenario "x" {
  file F pages
  mm A { map F shared at 0 pages 2; uffd features event_fork; register 0 pages 2 }
  A write 0 1
  A frob 3
  A read 0 -> 1
  evict 0
  A pagemap 0 -> !wp
}
scenario "y" { A read 0 -> }
`;
const lx = scenarioLexer.tokenize(text);
const p = scenarioParser();
p.input = lx.tokens;
const cst = p.scenarioFile();
for (const e of p.errors) console.log(e.name, e.token.startLine, e.token.startColumn, JSON.stringify(e.message), e.context.ruleStack);
console.log(JSON.stringify(cst.children.scenarioDecl?.map((s:any)=>s.children.statement?.length)));
});
