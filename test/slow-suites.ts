// The suites too slow for `npm test` (under 2 minutes on 2 cores), run by `npm run test:slow` (README, .ci/run):
// the C equivalence of every bundled spec (each page-table level) on 100,000 values with the arch helpers (npm test
// has the quick one: equiv-generated.test.ts, in SCALED below; every level's conditions are cond.test.ts's), the real checkpatch.pl
// over every series, the diff command's whole-output tests (each runs every scenario and world on two specs) and its
// PMD-only delta (a whole diff with both series' footprints), the
// docs samples that run the whole matrix or explore every world, the npm pack + install test, and the fuzzers at
// full size (npm test runs a tenth of their cases), the explorer's equality with the reference BFS (depth 2 here;
// depth 5 with two workers everywhere in `npm run test:explore-equality`), and the report opened in headless
// Chromium (a browser's start-up and rendering cost more CPU than the rest of the report's tests together), and the
// whole matrix (every world explored on every spec: deterministic, fresh in docs/matrix.*, its verdicts), and the
// modules of every bundled spec, types blanked, against transpileModule (npm test: strip-types.test.ts, on 5.10).
export const SLOW_ONLY = [
  'test/compiler/backends/c/equiv.test.ts',
  'test/compiler/backends/c/checkpatch.test.ts',
  'test/apps/diff/cli.test.ts',
  'test/apps/diff/levels.test.ts',
  'test/docs/samples-slow.test.ts',
  'test/pack/pack.test.ts',
  'test/runtime/explore/explore-equality.test.ts',
  'test/apps/report/browser.test.ts',
  'test/apps/matrix/determinism.test.ts',
  'test/apps/mutation/wp-async-mutation.test.ts',
  'test/apps/matrix/matrix-run.test.ts',
  'test/runtime/hugetlb-fills.test.ts',
  'test/runtime/thp-shmem-invariants.test.ts',
  'test/compiler/backends/ts/strip-types-bundled.test.ts',
];
export const FUZZERS = ['test/compiler/fuzz/front-end.fuzz.test.ts', 'test/apps/fmt/fuzz.test.ts', 'test/apps/fmt/scenario-fuzz.test.ts'];
/**
 * Files with randomized tests sized by PTELAB_FUZZ_SCALE (test/helpers/scale.ts): a tenth of the cases in npm test,
 * all of them again in npm run test:slow (mutated scenario files, fmt's token edits, explorer state round trips, random cube sets,
 * generated proposals in C: their conditions, and C = the spec = TS on the 200 of them with 150 random words each
 * here, 30 in npm test); the explorer's equality with the reference BFS on a slice, depth 4 in npm test and 5 here.
 */
export const SCALED = [
  'test/runtime/explore/explore-equality-quick.test.ts',
  'test/apps/fmt/same-items.test.ts',
  'test/runtime/scenario/parse.test.ts',
  'test/runtime/explore/codec.test.ts',
  'test/compiler/bits/cube-set.test.ts',
  'test/compiler/backends/c/cond.test.ts',
  'test/compiler/backends/c/equiv-generated.test.ts',
];
/** npm test's fuzzer size (PTELAB_FUZZ_SCALE, PTELAB_FMT_FUZZ_SCALE), unless the environment sets one. */
export const QUICK_FUZZ_SCALE = '0.1';
