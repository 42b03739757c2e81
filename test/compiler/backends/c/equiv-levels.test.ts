// npm test's C = TS of every page-table level other than the PTE's (the slow suite, equiv.test.ts, runs all levels on
// 100k words, and the proposals' levels too: a gcc'd sketch costs ~3 s of CPU, and npm test keeps to 2 minutes):
// the PMD and hugetlb C of each bundled kernel spec's sketch, compiled with every level's C as
// the series adds it, on every kind's boundary values and 2k seeded random words (all of them through the arch helpers
// and predicates), against the level's TS module, the level module the runtime runs, and the exact sets.
import { describe, expect, it } from 'vitest';
import { checkEquivalence } from './equiv-run.js';
import { HAVE_GCC, levelCases } from './helpers.js';

const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';
const WORDS = 2_000;

describe('C = TS at the other page-table levels (pmd, huge_pte)', () => {
  it('covers the PMD and hugetlb levels of the bundled 6.17 specs and 5.19', () => {
    const names = levelCases().map((s) => s.file);
    for (const spec of ['x86_64-v6.17', 'arm64-v6.17']) for (const l of ['pmd', 'huge_pte']) expect(names).toContain(`examples/${spec}.pte (${l} level)`);
    expect(names).toContain('examples/x86_64-v5.19.pte (huge_pte level)');
  });
  for (const s of levelCases().filter((c) => !c.file.startsWith('examples/proposals/'))) {
    it.skipIf(!HAVE_GCC)(`${s.file}: boundary values and ${WORDS} seeded random words${NO_GCC}`, async () => {
      expect(await checkEquivalence(s, { words: WORDS, full: WORDS, top: s.top!, level: s.level! })).toBeGreaterThan(WORDS);
    });
  }
});
