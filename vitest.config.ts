import { defineConfig } from 'vitest/config';
import { QUICK_FUZZ_SCALE, SLOW_ONLY } from './test/slow-suites.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The slow suites are `npm run test:slow` (vitest.slow.config.ts).
    exclude: ['**/node_modules/**', ...SLOW_ONLY],
    env: {
      PTELAB_FUZZ_SCALE: process.env['PTELAB_FUZZ_SCALE'] ?? QUICK_FUZZ_SCALE,
      PTELAB_FMT_FUZZ_SCALE: process.env['PTELAB_FMT_FUZZ_SCALE'] ?? QUICK_FUZZ_SCALE,
    },
    // 2-core CI machines: keep workers to the cores we have.
    maxWorkers: 2,
    testTimeout: 60_000,
    // Loading a spec module in a beforeAll takes more than the default 10 s on a busy 2-core machine.
    hookTimeout: 120_000,
    // Test files share a worker's module cache: transforming and importing the compiler, ts-morph and the runtime
    // once per worker instead of once per file was more than half of npm test's time.
    isolate: false,
  },
});
