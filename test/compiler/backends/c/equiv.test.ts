// C = TS: the layout C of each spec's patch sketch (classify, decode, encode, the arch helpers, the predicates),
// compiled by gcc into a harness, against the generated TS module and the compiler's exact sets, bit for bit, at
// every page-table level (equiv-run.ts). classify/decode/encode run on every kind's boundary values and on 100k
// seeded random words per bundled spec and per level (10k per proposal and its levels: their layout code is their
// base's plus a little); the arch helpers and predicates on the boundary values and the first 3k random words. A
// level runs from its spec's sketch, every level's C compiled together, and is also compared with the level module
// the runtime runs. (npm test holds every level's conditions to their exact sets in cond.test.ts; this C = TS per level
// costs ~3 s of gcc a sketch, so it is the slow suite's.)
import { describe, it } from 'vitest';
import { checkEquivalence } from './equiv-run.js';
import { allCases, HAVE_GCC, levelCases } from './helpers.js';

const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';
const RANDOM_WORDS = 100_000;
const PROPOSAL_WORDS = 10_000;
const FULL_CHECK = 3_000;

describe('C = TS: classify, decode, encode, arch helpers and predicates, bit for bit', () => {
  for (const s of [...allCases(), ...levelCases()]) {
    const proposal = s.base !== undefined || s.file.includes('/proposals/');
    const count = proposal ? PROPOSAL_WORDS : RANDOM_WORDS;
    const full = Math.min(count, FULL_CHECK);
    it.skipIf(!HAVE_GCC)(`${s.file}: boundary values of every kind and ${count} seeded random words (${full} with helpers and predicates)${NO_GCC}`, async () => {
      await checkEquivalence(s, { words: count, full, top: s.top ?? s.ir, ...(s.level ? { level: s.level } : {}) });
    });
  }
});
