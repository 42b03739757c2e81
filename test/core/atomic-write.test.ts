import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../core/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-atomic-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new file, text or bytes, and leaves nothing else in the directory', () => {
    writeFileAtomic(path.join(dir, 'a.txt'), 'hello\n');
    writeFileAtomic(path.join(dir, 'b.bin'), Buffer.from([0, 1, 2, 255]));
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('hello\n');
    expect([...fs.readFileSync(path.join(dir, 'b.bin'))]).toEqual([0, 1, 2, 255]);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin']);
  });

  it('replaces an existing file whole (a longer old text leaves no tail)', () => {
    const file = path.join(dir, 'spec.pte');
    fs.writeFileSync(file, 'the old text, longer than the new one\n');
    writeFileAtomic(file, 'new\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    writeFileAtomic(file, 'newer\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('newer\n');
    expect(fs.readdirSync(dir)).toEqual(['spec.pte']);
  });

  it('gives the new file the mode asked for', () => {
    const file = path.join(dir, 'private');
    writeFileAtomic(file, 'x', { mode: 0o600 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('throws when the directory does not exist, creating nothing', () => {
    const file = path.join(dir, 'missing', 'a.txt');
    expect(() => writeFileAtomic(file, 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('throws when the target is a directory, and removes the temporary file it had written', () => {
    const target = path.join(dir, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'k');
    // The temporary file is written; the rename over a directory then fails.
    expect(() => writeFileAtomic(target, 'x')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) }));
    expect(fs.readdirSync(dir)).toEqual(['out']);
    expect(fs.readdirSync(target)).toEqual(['keep']);
  });
});
