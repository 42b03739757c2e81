// Every `$ ptelab ...` sample of README.md and docs/*.md but the slow ones (samples-slow.test.ts) and the records of
// one machine's kernel (isMachineSample), run and compared.
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo.js';
import { runSamples } from './run-samples.js';
import { docFiles, findSamples, isMachineSample, isSlowSample, matchOutput } from './samples.js';

const all = findSamples(repoRoot, docFiles(repoRoot));

describe('the sample matcher', () => {
  it('matches exact lines, `...` lines and `prefix...` lines, and nothing else', () => {
    expect(matchOutput(['a', '...', 'd'], ['a', 'b', 'c', 'd'])).toBeUndefined();
    expect(matchOutput(['a', '...'], ['a'])).toBeUndefined();
    expect(matchOutput(['x 1.0 s, ...'], ['x 1.0 s, 5 states'])).toBeUndefined();
    expect(matchOutput(['a', 'b'], ['a', 'c'])).toMatch(/shown: {2}"b"\n {2}actual: "c"/);
    expect(matchOutput(['a'], ['a', 'b'])).toBeDefined();
  });

  it('finds the samples of README.md and docs/ (every doc that shows a command)', () => {
    const files = new Set(all.map((s) => s.file));
    for (const f of ['README.md', 'docs/explore.md', 'docs/report.md']) expect(files).toContain(f);
    expect(all.length).toBeGreaterThanOrEqual(10);
  });
});

describe('docs samples', () => {
  runSamples(all.filter((s) => !isSlowSample(s) && !isMachineSample(s)));
});
