// Runs the samples of samples.ts through the CLI's main(), reading from the repository and writing into a fresh
// folder per doc (the working directory of its samples, so one sample may read what an earlier one wrote), and
// compares their output.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { repoRoot } from '../helpers/repo.js';
import { matchOutput, type Sample } from './samples.js';

export function runSamples(samples: readonly Sample[]): void {
  const dirs = new Map<string, string>();
  afterAll(() => {
    for (const d of dirs.values()) fs.rmSync(d, { recursive: true, force: true });
  });
  const dirOf = (doc: string): string => {
    let cwd = dirs.get(doc);
    if (!cwd) {
      cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-sample-'));
      // Specs are named relative to the repository: link its inputs into the samples' working directory.
      fs.symlinkSync(path.join(repoRoot, 'examples'), path.join(cwd, 'examples'));
      dirs.set(doc, cwd);
    }
    return cwd;
  };
  it.each(samples.map((s) => [`${s.file}:${s.line}: ptelab ${s.argv.join(' ')}`, s] as const))('%s', async (_, s) => {
    const cwd = dirOf(s.file);
    const prev = process.cwd();
    let out = '';
    let err = '';
    try {
      process.chdir(cwd);
      await main(s.argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd });
    } finally {
      process.chdir(prev);
    }
    const actual = (out + err).replace(/\n$/, '').split('\n');
    const why = matchOutput(s.expected, actual);
    expect(why, `${s.file}:${s.line}\n${why}\n--- actual output:\n${actual.join('\n')}`).toBeUndefined();
  }, 300_000);
}
