// `npm run test:slow` (test/slow-suites.ts): two whole matrix runs in one process give the same bytes. npm test runs
// the matrix once (test/apps/matrix/matrix.test.ts) and compares it with the committed docs/matrix.*, written by an
// earlier process: determinism across runs, at a third of the cost.
import { describe, expect, it } from 'vitest';
import { MATRIX_JSON, MATRIX_MD, matrixFiles } from '../../../apps/matrix/files.js';
import { repoRoot } from '../../helpers/repo.js';

describe('matrixFiles', () => {
  it('is deterministic: two runs give the same bytes', async () => {
    const first = await matrixFiles(repoRoot);
    const second = await matrixFiles(repoRoot);
    expect([...second.keys()]).toEqual([MATRIX_MD, MATRIX_JSON]);
    expect(second.get(MATRIX_MD) === first.get(MATRIX_MD)).toBe(true);
    expect(second.get(MATRIX_JSON) === first.get(MATRIX_JSON)).toBe(true);
  });
});
