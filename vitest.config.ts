import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // 2-core CI machines: keep workers to the cores we have.
    maxWorkers: 2,
    testTimeout: 60_000,
    // beforeAll hooks compile specs and load modules: seconds on a loaded 2-core machine
    hookTimeout: 120_000,
  },
});
