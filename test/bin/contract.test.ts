// The command line's contract, command by command (issue 17): help and --version; every option explained; unknown
// options rejected before any work; the exit codes of the README (0 ok, 1 findings, 2 usage or I/O, 3 incomplete);
// I/O errors with the OS's reason, never "internal error"; outputs under /proc or onto a file end at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { COMMANDS } from '../../bin/table.js';
import type { CliIo } from '../../bin/io.js';
import { makeDirs } from '../../core/make-dirs.js';
import { X86 } from '../helpers.js';
import { repoRoot } from '../helpers/repo.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

let dir = '';
const file = (name: string) => path.join(dir, name);
const V617 = path.join(repoRoot, 'examples/x86_64-v6.17.pte');
const V510 = path.join(repoRoot, 'examples/x86_64-v5.10.pte');

async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir, ...extra });
  return { code, out, err };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-contract-'));
  fs.writeFileSync(file('x86.pte'), X86);
  fs.writeFileSync(file('bad.pte'), 'spec bad "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
  fs.writeFileSync(file('gap.pte'), X86.replace(/^kind pte_marker .*$/m, ''));
  fs.writeFileSync(file('a-file'), 'not a folder\n');
  fs.mkdirSync(file('empty'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('help and --version', () => {
  it('ptelab help lists every command; --version prints the package version', async () => {
    const h = await run(['help']);
    expect(h.code).toBe(0);
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    for (const c of COMMANDS) expect(h.out).toContain(`  ${c.name.padEnd(width)}  ${c.summary}\n`);
    expect(h.out).toContain('3 incomplete');
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const v = await run(['--version']);
    expect([v.code, v.out]).toEqual([0, `ptelab ${pkg.version}\n`]);
  });

  it.each(COMMANDS.map((c) => [c.name]))('%s --help (and ptelab help CMD) explains every option, exit 0', async (name) => {
    const cmd = COMMANDS.find((c) => c.name === name)!;
    const a = await run([name, '--help']);
    const b = await run(['help', name]);
    const c = await run([name, '-h']);
    expect(a.code).toBe(0);
    expect(a.err).toBe('');
    expect(b.out).toBe(a.out);
    expect(c.out).toBe(a.out);
    expect(a.out.split('\n')[0]).toBe(`usage: ${cmd.usage}`);
    for (const [opt, spec] of Object.entries(cmd.options)) {
      expect(a.out).toMatch(new RegExp(`\\n  ${spec.short ? `-${spec.short}, ` : ''}--${opt}${spec.value ? ` ${spec.value.replace(/\|/g, '\\|')}` : ''} +${spec.help.replace(/[()|.*+?[\]]/g, '\\$&')}\\n`));
    }
  });

  it('help of an unknown command is a usage error', async () => {
    const r = await run(['help', 'frob']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ptelab help: unknown command 'frob'\ncommands: check, build, /);
  });
});

describe('unknown options are rejected before any work', () => {
  it.each(COMMANDS.map((c) => [c.name]))('%s --frob exits 2 naming the option, with nothing on stdout', async (name) => {
    const r = await run([name, '--frob', file('x86.pte')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(`ptelab ${name}: unknown option --frob`);
  });

  it('check -j SPEC rejects -j instead of checking SPEC and then reading -j as a file', async () => {
    const r = await run(['check', '-j', file('x86.pte')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe('ptelab check: unknown option -j');
  });

  it('a switch given a value, and a value option without one, are usage errors', async () => {
    expect((await run(['check', '--json=1', file('x86.pte')])).err.split('\n')[0]).toBe('ptelab check: --json takes no value');
    expect((await run(['build', file('x86.pte'), '--out'])).err.split('\n')[0]).toBe('ptelab build: --out needs a value');
  });
});

describe('exit codes, command by command', () => {
  // [argv, expected exit code]: 0 ok, 1 findings, 2 usage or I/O, 3 incomplete.
  const table: [string, () => string[], number][] = [
    ['check ok', () => ['check', file('x86.pte')], 0],
    ['check errors', () => ['check', file('bad.pte')], 1],
    ['check missing', () => ['check', file('nope.pte')], 2],
    ['decode ok', () => ['decode', V617, '0x4'], 0],
    ['decode no kind', () => ['decode', file('gap.pte'), '0x4', '0xf800000000000000'], 1],
    ['decode spec errors', () => ['decode', file('bad.pte'), '0'], 1],
    ['decode not a number', () => ['decode', V617, 'zz'], 2],
    ['encode ok', () => ['encode', V617, 'pte_marker', 'PTE_MARKER_UFFD_WP=1'], 0],
    ['encode impossible', () => ['encode', file('x86.pte'), 'swap', 'TYPE=31'], 1],
    ['encode unknown kind', () => ['encode', V617, 'nope'], 2],
    ['encode unknown field', () => ['encode', V617, 'swap', 'NOPE=1'], 2],
    ['encode field too wide', () => ['encode', V617, 'swap', 'TYPE=0x100'], 2],
    ['show ok', () => ['show', '--kind', 'swap', V617], 0],
    ['show unknown kind', () => ['show', '--kind', 'nope', V617], 2],
    ['show spec errors', () => ['show', file('bad.pte')], 1],
    ['diff same', () => ['diff', file('x86.pte'), file('x86.pte')], 0],
    ['diff differs', () => ['diff', V510, V617], 1],
    ['diff bad format', () => ['diff', '--format', 'xml', V510, V617], 2],
    ['fmt --check formatted', () => ['fmt', '--check', V617], 0],
    ['fmt missing', () => ['fmt', file('nope.pte')], 2],
    ['build onto a file', () => ['build', '--out', file('a-file'), file('x86.pte')], 2],
    ['build spec errors', () => ['build', '--out', file('gen'), file('bad.pte')], 1],
    ['run missing scenario', () => ['run', V617, file('nope.scn')], 2],
    ['run empty folder', () => ['run', V617, file('empty')], 2],
    ['explore spec errors', () => ['explore', file('bad.pte')], 1],
    ['explore empty world folder', () => ['explore', '--world', file('empty'), V617], 2],
    ['explore incomplete', () => ['explore', '--only', 'shmem shared', '--depth', '6', '--max-states', '20', V617], 3],
    ['report onto a file', () => ['report', '--no-explore', '-o', file('a-file'), V617], 2],
    ['matrix onto a file', () => ['matrix', '--out', file('a-file')], 2],
    ['new without --extends', () => ['new', 'x'], 2],
    ['new with a base that does not exist', () => ['new', '--extends', 'nope-v1', 'x'], 2],
    ['selftest missing scenario', () => ['selftest', '-o', file('st'), file('nope.scn')], 2],
    ['selftest without a scenario', () => ['selftest'], 2],
  ];
  it.each(table)('%s', async (_, argv, code) => {
    const r = await run(argv());
    expect(r.code, r.err).toBe(code);
    expect(r.out + r.err).not.toMatch(/internal error|This is a bug|^\s+at /m);
  });

  it('every command is in the table', () => {
    const covered = new Set(table.map(([, argv]) => argv()[0]));
    // lsp speaks LSP on stdio (test/apps/lsp/lsp.test.ts); kernel-check needs root and a swapfile (test/apps/kernel-check/)
    for (const c of COMMANDS) if (c.name !== 'lsp' && c.name !== 'kernel-check') expect(covered, c.name).toContain(c.name);
  });
});

describe('I/O errors: exit 2 with the OS reason', () => {
  it('a missing spec and a folder given as a spec say ENOENT and EISDIR', async () => {
    const a = await run(['show', file('nope.pte')]);
    expect([a.code, a.err]).toEqual([2, `ptelab: cannot read spec file '${file('nope.pte')}' (ENOENT: no such file or directory)\n`]);
    const b = await run(['decode', dir, '0']);
    expect([b.code, b.err]).toEqual([2, `ptelab: cannot read spec file '${dir}' (EISDIR: illegal operation on a directory)\n`]);
  });

  it('build --out onto a file says ENOTDIR, not "internal error", and writes nothing', async () => {
    const r = await run(['build', '--out', file('a-file'), file('x86.pte')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ptelab build: .*ENOTDIR: not a directory\n$/);
    expect(fs.readFileSync(file('a-file'), 'utf8')).toBe('not a folder\n');
  });

  it('outputs under /proc end at once with ENOENT (Node\'s recursive mkdir spins forever there)', async () => {
    if (!fs.existsSync('/proc/self')) return expect(process.platform).not.toBe('linux');
    expect(() => makeDirs('/proc/ptelab-test/x')).toThrow(/ENOENT/);
    for (const argv of [
      ['build', '--out', '/proc/ptelab-test', file('x86.pte')],
      ['matrix', '--out', '/proc/ptelab-test'],
      ['report', '--no-explore', '-o', '/proc/ptelab-test', file('x86.pte')],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/ENOENT: no such file or directory/);
    }
  });

  it('an unreadable scenario file gives its reason', async () => {
    const r = await run(['run', V617, file('nope.scn')]);
    expect(r.err).toBe(`ptelab: cannot read scenario file '${file('nope.scn')}' (ENOENT: no such file or directory)\n`);
  });

  it('--world EMPTYDIR names the folder', async () => {
    const r = await run(['explore', '--world', file('empty'), V617]);
    expect(r.err).toBe(`ptelab: cannot read scenario file '${file('empty')}' (a folder without .scn files)\n`);
  });
});

describe('decode: many values, stdin, JSON lines', () => {
  it('decodes every value given, in order, one JSON object per line', async () => {
    const r = await run(['decode', '--json', V617, '0x4', '0', '0xfffffffffffffc00']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; value: string });
    expect(lines.map((l) => [l.value, l.kind])).toEqual([['0x4', 'swap'], ['0x0', 'none'], ['0xfffffffffffffc00', 'pte_marker']]);
  });

  it('- reads one value per line from stdin (blank lines and # comments skipped)', async () => {
    const r = await run(['decode', '--json', V617, '-'], { stdin: async () => '0x4\n\n# a comment\n0x0  # none\n' });
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['swap', 'none']);
  });

  it('a bad line on stdin is a usage error naming the line, before any output', async () => {
    const r = await run(['decode', V617, '-'], { stdin: async () => '0x4\nzz\n' });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe("ptelab decode: stdin line 2: VALUE 'zz' is not a number (write 0x..., 0b... or decimal)");
  });

  it('text output for several values: one block per value; exit 1 when one is no kind', async () => {
    const r = await run(['decode', file('gap.pte'), '0x4', '0xf800000000000000']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^0x0000000000000004 is kind 'swap' \(format swp\) in spec x86\n[\s\S]*\n\n0xf800000000000000 classifies as no kind of spec x86\n$/);
  });
});
