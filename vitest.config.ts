import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // 2-core CI machines: keep workers to the cores we have.
    maxWorkers: 2,
    testTimeout: 60_000,
    // beforeAll hooks compile bundled specs: on a shared, loaded machine that takes more than the default 10 s
    hookTimeout: 60_000,
  },
});
