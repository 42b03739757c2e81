// flatWidth (apps/fmt/print.ts) tells the printer a row's width without printing it, and flatText gives the row's
// text, which the printer hands prettier in place of the doc. Whenever flatWidth answers, printing the doc at any
// width at least that large must give one line of exactly that many characters, and that line must be flatText's;
// checked on random docs built from prettier's builders (groups, indents, lines, fills, if-breaks, hard lines, line
// suffixes). flatLine, the printer's one-walk form of the two, must give flatText's line exactly when flatWidth answers.
import { builders, printer } from 'prettier/doc';
import { describe, expect, it } from 'vitest';
import { flatLine, flatText, flatWidth } from '../../../apps/fmt/print.js';
import { chance, int, mulberry32, pick, type Rng } from './helpers.js';

type Doc = builders.Doc;
const { group, indent, align, line, softline, hardline, fill, ifBreak, lineSuffix, breakParent } = builders;

function randomDoc(r: Rng, depth: number): Doc {
  if (depth === 0 || chance(r, 0.3)) return pick(r, ['a', 'bc', 'def', ' ', '', 'x y', 'é', line, softline]);
  const kids = Array.from({ length: 1 + int(r, 4) }, () => randomDoc(r, depth - 1));
  switch (int(r, 10)) {
    case 0:
      return indent(kids);
    case 1:
      return align(2, kids);
    case 2:
      return fill(kids.flatMap((k, i) => (i > 0 ? [line, k] : [k])));
    case 3:
      return ifBreak(kids, 'flat');
    case 4:
      return chance(r, 0.3) ? [kids, hardline] : chance(r, 0.5) ? [kids, lineSuffix(' // c')] : [kids, breakParent];
    case 5:
      return kids;
    default:
      return group(kids);
  }
}

describe('flatWidth and flatText', () => {
  it('agree with prettier whenever flatWidth answers', () => {
    let answered = 0;
    for (let seed = 1; seed <= 10_000; seed++) {
      const r = mulberry32(seed);
      const doc = randomDoc(r, 4);
      const w = flatWidth(doc);
      // flatLine is the one-walk form of both: flatText's line exactly when flatWidth answers.
      expect(flatLine(doc), `seed ${seed}`).toBe(w === undefined ? undefined : flatText(doc));
      if (w === undefined) continue;
      answered++;
      for (const width of [w, w + 7, 1000]) {
        const out = printer.printDocToString(doc, { printWidth: Math.max(1, width), tabWidth: 2, useTabs: false }).formatted;
        expect(out, `seed ${seed}, width ${width}`).toBe(out.split('\n')[0]);
        expect(out.length, `seed ${seed}, width ${width}`).toBe(w);
        expect(flatText(doc), `seed ${seed}, width ${width}`).toBe(out);
      }
    }
    expect(answered).toBeGreaterThan(1000);
  });

  it('does not answer for hard lines, line suffixes, lines outside a group or wide characters', () => {
    expect(flatWidth(group(['a', line, 'b']))).toBe(3);
    expect(flatWidth(group(['a', softline, 'b']))).toBe(2);
    expect(flatWidth(['a', line, 'b'])).toBeUndefined();
    expect(flatWidth(group(['a', hardline, 'b']))).toBeUndefined();
    expect(flatWidth(group(['a', lineSuffix(' // c')]))).toBeUndefined();
    expect(flatWidth('é')).toBeUndefined();
  });
});
