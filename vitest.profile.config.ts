// `PTELAB_CPU_LOG=FILE npx vitest run --config vitest.profile.config.ts`: npm test's vitest run with one line per test
// file appended to FILE (CPU seconds, test/helpers/cpu-per-file.ts), to find which files cost npm test its time; with
// PTELAB_CPU_PROFILE=DIR also a V8 CPU profile per file in DIR (test/helpers/cpu-profile-per-file.ts), to see why.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({ test: { setupFiles: ['test/helpers/cpu-per-file.ts', 'test/helpers/cpu-profile-per-file.ts'] } }));
