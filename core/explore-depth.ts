// One default explore depth for `ptelab explore`, `report`, `diff --behaviour` and the matrix, so that "clean" means
// the same bound everywhere a user reads it (issue 19: three defaults, 3, 4 and 6, gave one spec three different
// "clean"s). 4 is the matrix's depth (about 2 s for its explore table, which `npm test` computes); deeper runs are
// one flag away (`ptelab explore --depth 6`, where 6.17 is still clean on every bundled world: docs/explore.md).
export const DEFAULT_EXPLORE_DEPTH = 4;
