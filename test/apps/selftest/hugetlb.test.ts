// A hugetlbfs file (issue #15) in a selftest: the program runs at the huge page's scale (pt_hugetlb: every model
// page one huge page, the files MFD_HUGETLB memfds) and asks for the free huge pages the scenario can hold at once;
// base-page memory beside a hugetlbfs file is left out with a reason rather than run at the wrong scale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SelftestError, emitScenario, hugePagesNeeded } from '../../../apps/selftest/emit-c.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import type { Scenario } from '../../../runtime/scenario/types.js';

function parse(text: string, path = 'test.scn'): Scenario[] {
  const r = parseScenarios({ path, text });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios;
}

function refusal(s: Scenario): SelftestError {
  let err: unknown;
  try {
    emitScenario(s, 'x', 'test.scn');
  } catch (e) {
    err = e;
  }
  expect(err, s.name).toBeInstanceOf(SelftestError);
  return err as SelftestError;
}

describe('selftest: hugetlb scenarios', () => {
  it('every scenario of 15-hugetlb.scn and 16-hugetlb.scn has a program at the huge page scale', () => {
    for (const file of ['15-hugetlb.scn', '16-hugetlb.scn']) {
      for (const s of parse(readFileSync(new URL(`../../../examples/scenarios/${file}`, import.meta.url), 'utf8'), file)) {
        const src = emitScenario(s, 'x', file).source;
        const need = hugePagesNeeded(s);
        expect(need, s.name).toBeGreaterThan(2);
        // the scale is set before the files are made (their size is in huge pages)
        expect(src.indexOf(`pt_hugetlb(&t, ${need})`), s.name).toBeGreaterThan(0);
        expect(src.indexOf(`pt_hugetlb(&t, ${need})`)).toBeLessThan(src.indexOf('\tpt_file(&t, FILE_'));
      }
    }
  });

  it('counts the files, every private copy of every mm (fork children too), and a margin of 2', () => {
    const [shared, priv, plain] = parse(`
scenario "shared" {
  file H pages 3 hugetlb
  mm A { map H shared at 0 pages 3 }
  A fork B
}
scenario "private" {
  file H pages 2 hugetlb
  mm A { map H private at 0 pages 2 }
  A fork B
  A fork C
}
scenario "plain" {
  mm A { map anon at 0 }
}`);
    expect(hugePagesNeeded(shared!)).toBe(3 + 2);
    expect(hugePagesNeeded(priv!)).toBe(2 + 3 * 2 + 2);
    expect(hugePagesNeeded(plain!)).toBe(0);
    expect(emitScenario(plain!, 'x', 'test.scn').source).not.toContain('pt_hugetlb');
  });

  it('anon memory or a shmem file beside a hugetlbfs file is left out, saying why', () => {
    const [anon, shmem] = parse(`
scenario "anon beside" {
  file H pages 1 hugetlb
  mm A { map H shared at 0; map anon at 4 }
}
scenario "shmem beside" {
  file H pages 1 hugetlb
  file F pages 1
  mm A { map H shared at 0; map F shared at 4 }
}`);
    for (const s of [anon!, shmem!]) {
      const e = refusal(s);
      expect(e.skippable).toBe(true);
      expect(e.message).toMatch(/beside a hugetlbfs file: the C driver runs a hugetlb scenario with every page a huge page/);
    }
  });
});
