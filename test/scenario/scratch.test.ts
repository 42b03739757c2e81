import { it } from 'vitest';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { renderText } from '../../compiler/diagnostics/render.js';
it('x', () => {
const text = `scenario "x" {
  file F pages
  mm A { map F shared at 0 pages 2; uffd features event_fork, wp_unpop; register 0 pages 3; write 0 = 1 }
  A write 0 1
  A frob 3
  A read 0 -> 1
  evict 0
  A pagemap 0 -> !wp
  B read 0
  A write 0 = 1 -> 1
  A fork read
  A exit
  A read 0 -> EINVLA
}
scenario "y" { A read 0 -> }
scenario "x" { file F pages 2 mm A { map F at 0 pgoff 2 } }
`;
const r = parseScenarios({ path: 'x.scn', text });
console.log(renderText(r.diagnostics, new Map([['x.scn', { path: 'x.scn', text }]])));
console.log(JSON.stringify(r.scenarios, null, 0));
});
