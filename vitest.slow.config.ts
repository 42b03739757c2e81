// `npm run test:slow`: the suites npm test leaves out (test/slow-suites.ts), and the fuzzers and randomized tests at
// full size.
import { defineConfig } from 'vitest/config';
import { FUZZERS, SCALED, SLOW_ONLY } from './test/slow-suites.js';

export default defineConfig({
  test: {
    include: [...SLOW_ONLY, ...FUZZERS, ...SCALED],
    maxWorkers: 2,
    testTimeout: 600_000,
  },
});
