import { defineConfig } from 'vitest/config';

// `npm run test:kernel`: the bundled scenarios on the running kernel (test/apps/kernel-check/*.kernel-test.ts). Slow (gcc, one
// process per mm, a swapfile), so not part of `npm test`, which runs only test/apps/kernel-check/subset.test.ts.
export default defineConfig({
  test: {
    include: ['test/apps/kernel-check/**/*.kernel-test.ts'],
    maxWorkers: 1,
    testTimeout: 15 * 60_000,
  },
});
