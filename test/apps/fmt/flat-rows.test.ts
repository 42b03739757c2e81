// The printer makes the one-line text of a row with no comment inside it directly, without its doc (most rows of a
// large spec). That must print exactly what the doc prints: formatting with that shortcut and without it gives the
// same bytes, on the bundled specs, the fuzz seeds, a generated spec with a note on every line, and specs with every
// kind of row, with comments inside rows and around them, rows too long for one line, kind tables and non-ASCII text.
import { printer } from 'prettier/doc';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../grammar/parse.js';
import { SpecPrinter } from '../../../apps/fmt/print.js';
import { collectTrivia } from '../../../apps/fmt/trivia.js';
import { X86 } from '../../helpers.js';
import { SEEDS } from '../../compiler/fuzz/seeds.js';
import { generateLargeSpec } from '../../bench/bench.js';
import { withTrailingComments } from '../../bench/fmt-bench.js';
import { allBundledPte, readRepo } from './helpers.js';

const EVERY_ROW = `spec every extends "base.pte" "a description, déjà vu"
import "other.pte"
word 64
level pmd
remove kind old_kind
const A = -(1 + 2) * ~3 << 4 | 5 ^ 6 & 7 // trailing
const B = !(A == 1) && (A != 2 || A < 3) && a.b.c == f(x, y = 2).d
const C = (p with { RW = 0, DIRTY = (q.DIRTY | q.SAVED) & !w }).RW
const D = /* inside */ 1 + 2
const E = 1 + /* inside */ 2
const LONG = aaaaaaaaaaaaaaaaaaaa + bbbbbbbbbbbbbbbbbbbbbbbbbbbb + cccccccccccccccccccccccccccc + dddddddddddddddddddddddddddddd + eeeeeeeeee
format f {
  override bits 0..3 T inverted
  bit 4 V // note
  alias W = V
  remove Q
  rename R as S
  in T { bit 0 T0 }
}
swap {
  MAX_SWAPFILES_SHIFT = 5
  override G = 1 { A, B } before H
  E = 2 {}
  remove F
}
kind a : f when T == 0 refs page(PFN)
kind bbb : fmt when T == 1 && V refs slot(TYPE, OFFSET)
kind cc : f when (T == 2)
override kind d : f when T /* c */ == 3
predicate p on f = T == 0 || V means a, bbb, cc
override predicate q on f = (T == 0) means d
fn g(p: pte, w: int) = p with { RW = w }
override fn h() = 1
decision dd = !vma.uffd_wp && (vma.anon || vma.shmem)
override decision ee = f(a, b = (c))
predicate long_one on f = aaaaaaaaaaaaaaaaaaaa && bbbbbbbbbbbbbbbbbbbbbbbbbbbb && cccccccccccccccccccccccccccc || dddddddddddddddddddd means a, bbb
`;

function format(text: string, flatRows: boolean): string {
  const r = parseSpec({ path: 'f.pte', text });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const layout = { printWidth: 132, tabWidth: 2, useTabs: false };
  const doc = new SpecPrinter(collectTrivia(text, r.ast, r), { ...layout, flatRows }).print(r.ast);
  return printer.printDocToString(doc, layout).formatted;
}

describe('rows printed as text without their docs', () => {
  it('print what their docs print', () => {
    const texts = [...allBundledPte().map(readRepo), ...Object.values(SEEDS), X86, EVERY_ROW, withTrailingComments(generateLargeSpec(20_000).text)];
    let parsed = 0;
    for (const text of texts) {
      if (parseSpec({ path: 'f.pte', text }).diagnostics.some((d) => d.severity === 'error')) continue; // a seed with errors
      parsed++;
      expect(format(text, true)).toBe(format(text, false));
    }
    expect(parsed).toBeGreaterThan(15);
  });
});
