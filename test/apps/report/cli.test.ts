// `ptelab report` on the command line, in-process through main(argv, io): exit codes (0 pages written, 1 a spec has
// errors, 2 usage or I/O error), the usage line on misuse, what it prints, and the files it writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand } from '../../../bin/table.js';

const reportUsage = findCommand('report')!.usage;
import { main } from '../../../bin/main.js';
import { compileSpec } from '../../../compiler/compile.js';
import { X86 } from '../../helpers.js';
import { removeAll, repoRoot, tempDir } from './fixtures.js';
import { unwrap } from '../../../core/result.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

let dir = '';
const file = (name: string) => path.join(dir, name);

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(['report', ...argv], { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir });
  return { code, out, err };
}

beforeAll(() => {
  dir = tempDir('report-cli');
  fs.writeFileSync(file('x86.pte'), X86);
  fs.writeFileSync(file('bad.pte'), 'spec bad "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
});

afterAll(removeAll);

describe('misuse: exit 2 with the usage line', () => {
  const usageLine = `usage: ${reportUsage}\n`;
  it.each([
    ['no arguments', [], 'report needs an output directory: -o DIR'],
    ['no -o', ['x86.pte'], 'report needs an output directory: -o DIR'],
    ['-o without a directory', ['-o'], '--out needs a value'],
    ['no spec', ['-o', 'out'], 'report needs at least one SPEC'],
    ['--depth 0', ['--depth', '0', '-o', 'out', 'x86.pte'], '--depth needs a number from 1 to 64'],
    ['--depth not a number', ['--depth=two', '-o', 'out', 'x86.pte'], '--depth needs a number from 1 to 64'],
    ['an unknown option', ['--json', '-o', 'out', 'x86.pte'], 'unknown option --json'],
    ['--no-explore with a value', ['--no-explore=1', '-o', 'out', 'x86.pte'], '--no-explore takes no value'],
  ])('%s', async (_, argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`ptelab report: ${message}\n${usageLine}(ptelab report --help explains every option)\n`);
    expect(fs.existsSync(file('out'))).toBe(false);
  });

  it('the usage line is in ptelab\'s usage', async () => {
    let err = '';
    await main([], { out: () => undefined, err: (s) => void (err += s), isTTY: false, cwd: dir });
    expect(err).toContain(`  ${reportUsage}\n`);
  });
});

describe('exit codes', () => {
  it('0: a clean spec; -o is relative to the working directory; one line per spec', async () => {
    const r = await run('--no-explore', '-o', 'clean', file('x86.pte'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${file('x86.pte').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: spec x86: 0 errors, 0 warnings; scenarios \\d+ pass, \\d+ fail\\n`));
    expect(r.out).not.toContain('explore');
    expect(r.out.endsWith(`wrote 2 pages: ${path.join('clean', 'index.html')}\n`)).toBe(true);
    expect(fs.readdirSync(file('clean')).sort()).toEqual(['index.html', 'x86.html']);
    expect(fs.readFileSync(file('clean/x86.html'), 'utf8')).toMatch(/^<!DOCTYPE html>\n/);
  });

  it('an output directory outside the working directory is printed as given, absolute', async () => {
    const elsewhere = tempDir('report-cli-out');
    const r = await run('--no-explore', '-o', elsewhere, file('x86.pte'));
    expect(r.code).toBe(0);
    expect(r.out.endsWith(`wrote 2 pages: ${path.join(elsewhere, 'index.html')}\n`)).toBe(true);
  });

  it('0 with exploration: the line counts the explore verdicts', async () => {
    const r = await run('--depth', '1', '-o', 'explored', path.join(repoRoot, 'examples/x86_64-v6.17.pte'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: spec x86_64_v6_17: 0 errors, 0 warnings; scenarios \d+ pass, 0 fail; explore \d+ clean, \d+ incomplete, 0 counterexamples\n/);
    expect(fs.readFileSync(file('explored/x86_64-v6.17.html'), 'utf8')).toContain('<section id="explore">');
  }, 60_000);

  it('1: a spec with errors still gets its page, with the diagnostics', async () => {
    const r = await run('--no-explore', '-o', 'bad', file('x86.pte'), file('bad.pte'));
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const c = unwrap(compileSpec(file('bad.pte')));
    const errors = c.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBe(1);
    expect(r.out).toContain(`${file('bad.pte')}: spec bad: 1 error, 0 warnings\n`);
    const html = fs.readFileSync(file('bad/bad.html'), 'utf8');
    expect(html).toContain(`<td class="mono">${errors[0]!.code}</td>`);
    expect(html).toContain('not run: the spec has errors');
  });

  it('2: an unreadable spec is named on stderr; the others are still reported', async () => {
    const r = await run('--no-explore', '-o', 'io', file('missing.pte'), file('x86.pte'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ptelab: .*missing\.pte/);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.out).toContain(`${file('x86.pte')}: spec x86:`);
    expect(fs.readdirSync(file('io')).sort()).toEqual(['index.html', 'missing.html', 'x86.html']);
    expect(fs.readFileSync(file('io/missing.html'), 'utf8')).toContain('<p class="unavailable">spec: ');
  });

  it('2: an output directory that cannot be written, without a stack trace', async () => {
    fs.writeFileSync(file('a-file'), '');
    const r = await run('--no-explore', '-o', 'a-file', file('x86.pte'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ptelab report: cannot write the report to a-file: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('same command twice, same bytes', async () => {
    await run('--no-explore', '-o', 'again-1', file('x86.pte'));
    await run('--no-explore', '-o', 'again-2', file('x86.pte'));
    for (const f of ['index.html', 'x86.html']) expect(fs.readFileSync(file(`again-1/${f}`)).equals(fs.readFileSync(file(`again-2/${f}`))), f).toBe(true);
  });
});
