import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // 2-core CI machines: keep workers to the cores we have.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
