// The slow `$ ptelab ...` samples (the whole matrix), run by `npm run test:slow`.
import { describe } from 'vitest';
import { repoRoot } from '../helpers/repo.js';
import { runSamples } from './run-samples.js';
import { docFiles, findSamples, isSlowSample } from './samples.js';

describe('slow docs samples', () => {
  runSamples(findSamples(repoRoot, docFiles(repoRoot)).filter(isSlowSample));
});
