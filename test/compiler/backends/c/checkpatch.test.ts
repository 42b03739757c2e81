// The kernel's own scripts/checkpatch.pl --strict --no-tree over every generated series (each bundled spec and
// proposal): 0 errors, 0 warnings, 0 checks, as a real `git format-patch` patch scores. checkpatch.pl comes from the
// distribution's kernel source (`npm run setup:kernel-source`); without it the suite is skipped and says how to get it.
// The series are copied into a folder outside any git repository: run inside one, checkpatch.pl reads a tracked
// file as a source file instead of a patch (`git ls-files` decides), which is not how a maintainer runs it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchSeries } from '../../../../compiler/backends/c/patch.js';
import { allCases, run, tempDir } from './helpers.js';
import { findKernelSource, KERNEL_SOURCE_HINT } from './kernel-source.js';

const source = findKernelSource();
if (!source) console.warn(`test/compiler/backends/c/checkpatch.test.ts skipped: ${KERNEL_SOURCE_HINT}`);
const HAVE_PERL = run('perl', ['-e', '1']).status === 0;

function perl(args: readonly string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('perl', args, { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!source || !HAVE_PERL)(source ? `checkpatch.pl --strict of linux-source ${source.version}` : `checkpatch.pl: SKIPPED, ${KERNEL_SOURCE_HINT}`, () => {
  it('every patch of every generated series: 0 errors, 0 warnings, 0 checks', async () => {
    const dir = tempDir('checkpatch');
    const files: string[] = [];
    for (const s of allCases()) {
      const tag = path.basename(s.file, '.pte');
      for (const [name, text] of patchSeries(s.ir, s.base)) {
        const f = `${tag}--${name}`;
        fs.writeFileSync(path.join(dir, f), text);
        files.push(f);
        // No trailing white space anywhere: the file stays clean even when checkpatch.pl reads it as a source file.
        expect(text.split('\n').filter((l) => /[ \t]$/.test(l)), `${s.file} ${name}`).toEqual([]);
      }
    }
    // Two checkpatch.pl processes (the machine has two cores), each over half of the files.
    const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
    const runs = await Promise.all(halves.map((part) => perl([source!.checkpatch, '--strict', '--no-tree', '--show-types', '--color=never', ...part], dir)));
    const stdout = runs.map((x) => x.stdout).join('\n');
    const totals = [...stdout.matchAll(/^total: (\d+) errors, (\d+) warnings, (\d+) checks, \d+ lines checked$/gm)];
    expect(totals.length, stdout.slice(0, 2000)).toBe(files.length);
    const dirty = stdout.split(/\n(?=\S+\.patch\n|-{10,})/).filter((b) => /^(ERROR|WARNING|CHECK):/m.test(b));
    expect(dirty.join('\n').slice(0, 4000)).toBe('');
    for (const t of totals) expect(`${t[1]}/${t[2]}/${t[3]}`).toBe('0/0/0');
    for (const x of runs) expect(x.status, x.stderr).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
