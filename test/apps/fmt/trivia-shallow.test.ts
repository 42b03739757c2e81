// collectTrivia keeps no facts about the parts of a row with no comment inside it (a shallow row): nothing asks
// about them. That must change nothing: with and without that shortcut, every node it keeps facts about has the same
// ones, every comment lands in the same place, and the printed text is the same, on the bundled specs, a generated
// spec with a note on every line, and specs with comments in awkward places.
import { printer } from 'prettier/doc';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../grammar/parse.js';
import { SpecPrinter } from '../../../apps/fmt/print.js';
import { collectTrivia, type Trivia } from '../../../apps/fmt/trivia.js';
import { X86 } from '../../helpers.js';
import { generateLargeSpec } from '../../bench/bench.js';
import { withTrailingComments } from '../../bench/fmt-bench.js';
import { allBundledPte, readRepo } from './helpers.js';

const AWKWARD = `spec h "handlers" // header
fn mk(pfn: int) = present(PFN = (pfn), USER = 1, /* x */ NX = 1)
decision d = !vma.uffd_wp && ((vma.anon) || vma.shmem) // d
path zap {
  case present as p {
    clear
    if page { rss_dec(mm_counter(page)) } else if p.RW { warn "x" } // odd
    else { keep }
  }
  case none when (x) { keep }
}
kind k : f when (A /* in */ == 1)   refs page(PFN)
`;

function printed(text: string, t: Trivia, ast: ReturnType<typeof parseSpec>['ast']): string {
  return printer.printDocToString(new SpecPrinter(t, { printWidth: 132, tabWidth: 2, useTabs: false }).print(ast), { printWidth: 132, tabWidth: 2, useTabs: false }).formatted;
}

function facts(t: Trivia, n: object) {
  const m = t.meta.get(n)!;
  return { ext: m.ext, startLine: m.startLine, startColumn: m.startColumn, endLine: m.endLine, kind: m.kind, parent: m.parent, blocks: m.blocks.map((b) => ({ ...b })) };
}

describe('trivia: shallow rows', () => {
  it('change no fact, no attachment and no printed byte', () => {
    const texts = [...allBundledPte().map(readRepo), X86, AWKWARD, withTrailingComments(generateLargeSpec(20_000).text)];
    let shallow = 0;
    for (const text of texts) {
      const r = parseSpec({ path: 'f.pte', text });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const full = collectTrivia(text, r.ast, r, { everyNode: true });
      const fast = collectTrivia(text, r.ast, r);
      shallow += full.meta.size - fast.meta.size;
      for (const [n, m] of fast.meta) {
        expect(facts(fast, n)).toEqual(facts(full, n));
        // A shallow row keeps no parts; any other node keeps them all.
        if (m.kids.length > 0 || m.parent !== undefined) expect(m.kids).toEqual(full.meta.get(n)!.kids);
      }
      for (const key of ['leading', 'trailing', 'dangling', 'elseComments', 'rowLeading', 'rowTrailing', 'rowCont'] as const) {
        expect([...fast[key]], key).toEqual([...full[key]]);
      }
      expect([...fast.blockHead.values()]).toEqual([...full.blockHead.values()]);
      expect([...fast.blockEnd.values()]).toEqual([...full.blockEnd.values()]);
      expect(printed(text, fast, r.ast)).toBe(printed(text, full, r.ast));
    }
    // The shortcut was taken: many nodes had no facts kept.
    expect(shallow).toBeGreaterThan(1000);
  });
});
