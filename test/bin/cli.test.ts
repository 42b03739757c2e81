// The ptelab command line, driven in-process through main(argv, io): exit codes (0 ok, 1 findings, 2 usage/IO),
// the JSON shapes of decode and encode, one-line errors, and never a stack trace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { replaceLine, X86 } from '../helpers.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

const outputs: string[] = [];

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    isTTY: false,
    cwd: dir,
  });
  outputs.push(out, err);
  return { code, out, err };
}

let dir = '';
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-cli-'));
  fs.writeFileSync(file('x86.pte'), X86);
  fs.writeFileSync(file('gap.pte'), replaceLine(X86, 'kind pte_marker', ''));
  fs.writeFileSync(file('bad.pte'), 'spec bad "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('usage', () => {
  it('no arguments prints the usage on stderr and exits 2', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^usage:\n {2}ptelab check \[--json\] SPEC\.\.\.\n/);
    expect(r.err).toContain('  ptelab decode [--json] [--level LEVEL] SPEC VALUE...|-\n');
    expect(r.err).toContain('  ptelab encode [--json] [--level LEVEL] SPEC KIND [FIELD=VALUE...]\n');
  });

  it('--help prints the overview on stdout and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: ptelab COMMAND \[OPTIONS\] ARGS\.\.\.\n/);
    expect(r.err).toBe('');
  });

  it('an unknown command names it, prints a usage line and exits 2', async () => {
    const r = await run('frobnicate', 'x.pte');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe("ptelab: unknown command 'frobnicate'");
    expect(r.err).toContain('usage:');
  });

  it("an unknown option names it, prints the command's usage line and exits 2", async () => {
    const r = await run('check', '--frob', file('x86.pte'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('ptelab check: unknown option --frob\nusage: ptelab check [--json] SPEC...\n(ptelab check --help explains every option)\n');
  });

  it('a flag that takes no value rejects one', async () => {
    const r = await run('decode', '--json=yes', file('x86.pte'), '0');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('ptelab decode: --json takes no value');
  });

  it('a missing operand is a usage error', async () => {
    for (const argv of [['check'], ['decode', file('x86.pte')], ['encode', file('x86.pte')]]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^ptelab \w+: .+\nusage: ptelab \w+ /);
    }
  });
});

describe('check', () => {
  it('a clean spec exits 0 and prints its summary and swap budget', async () => {
    const r = await run('check', file('x86.pte'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${file('x86.pte')}: spec x86: 9 kinds, 0 errors, 0 warnings\n` +
        '  swap budget: MAX_SWAPFILES = 27 (2^5 types - 5 reserved: SWP_HWPOISON=27, SWP_MIGRATION_READ=28, SWP_MIGRATION_READ_EXCLUSIVE=29, SWP_MIGRATION_WRITE=30, SWP_PTE_MARKER=31)\n',
    );
  });

  it('a spec with errors exits 1 and renders file:line:col, the source line and a caret', async () => {
    const r = await run('check', file('bad.pte'));
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`${file('bad.pte')}:5:3: error PTE010: fields 'PRESENT' and 'OTHER' of format 'pte' overlap at bit 0`);
    expect(lines.slice(1, 4)).toEqual(['  |', '5 |   bit 0 OTHER', '  |   ^^^^^^^^^^^']);
  });

  it('warnings alone exit 0', async () => {
    const r = await run('check', file('gap.pte'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning PTE033');
    expect(r.out).toContain('0 errors, 1 warning\n');
  });

  it('one bad spec among several exits 1; an unreadable one exits 2', async () => {
    expect((await run('check', file('x86.pte'), file('bad.pte'))).code).toBe(1);
    const r = await run('check', file('x86.pte'), file('missing.pte'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`ptelab: cannot read spec file '${file('missing.pte')}' (ENOENT: no such file or directory)\n`);
  });

  it('a directory given as SPEC is an I/O error (exit 2), not a crash', async () => {
    const r = await run('check', dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`ptelab: cannot read spec file '${dir}' (EISDIR: illegal operation on a directory)\n`);
  });

  it('--json reports the spec, ok, the swap table, the kinds and each diagnostic with line and column', async () => {
    const r = await run('check', '--json', file('x86.pte'), file('bad.pte'));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { results: Record<string, unknown>[] };
    expect(json.results).toHaveLength(2);
    expect(json.results[0]).toMatchObject({
      file: file('x86.pte'),
      spec: 'x86',
      ok: true,
      swap: { MAX_SWAPFILES_SHIFT: 5, MAX_SWAPFILES: 27, types: { SWP_HWPOISON: 27, SWP_PTE_MARKER: 31 } },
      diagnostics: [],
    });
    expect((json.results[0]!.kinds as string[]).slice(0, 4)).toEqual(['none', 'present', 'protnone', 'swap']);
    expect(json.results[1]).toMatchObject({ spec: 'bad', ok: false });
    expect(json.results[1]!.diagnostics).toEqual([
      expect.objectContaining({ code: 'PTE010', severity: 'error', file: file('bad.pte'), line: 5, column: 3 }),
    ]);
  });
});

describe('decode', () => {
  it('--json prints {spec, value, kind, fields} with lowercase hex field values', async () => {
    const r = await run('decode', '--json', file('x86.pte'), '0xFFFF_FFFF_FFFF_FC00');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['spec', 'value', 'kind', 'fields']);
    expect(json).toEqual({
      spec: 'x86',
      value: '0xfffffffffffffc00',
      kind: 'pte_marker',
      fields: { PRESENT: '0x0', PROTNONE: '0x0', OFFSET: '0x1', TYPE: '0x1f', PTE_MARKER_UFFD_WP: '0x1', PTE_MARKER_POISONED: '0x0' },
    });
  });

  it('--json decodes a present PTE with its PFN', async () => {
    const r = await run('decode', '--json', file('x86.pte'), String(0x12345003n));
    expect(JSON.parse(r.out)).toMatchObject({ kind: 'present', value: '0x12345003', fields: { PRESENT: '0x1', RW: '0x1', PFN: '0x12345' } });
  });

  it('a value in a gap is kind null with no fields and exits 1', async () => {
    const r = await run('decode', '--json', file('gap.pte'), '0xf800000000000000');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({ spec: 'x86', value: '0xf800000000000000', kind: null, fields: {} });
  });

  it('text output names the kind and draws the bits', async () => {
    const r = await run('decode', file('x86.pte'), '0b1_0000_0000');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe("0x0000000000000100 is kind 'protnone' (format protnone_pte) in spec x86");
    expect(r.out).toMatch(/\n {2}PFN +12\.\.51 +0xffffffffff {2}\(inverted\)\n/);
  });

  it('a VALUE that is not a number is a one-line error naming it, exit 2', async () => {
    for (const bad of ['zz', '0x', '12abc', '']) {
      const r = await run('decode', file('x86.pte'), bad);
      expect(r.code, bad).toBe(2);
      expect(r.out).toBe('');
      const [first, ...rest] = r.err.trimEnd().split('\n');
      expect(first).toBe(`ptelab decode: VALUE '${bad}' is not a number (write 0x..., 0b... or decimal)`);
      expect(rest).toEqual(['usage: ptelab decode [--json] [--level LEVEL] SPEC VALUE...|-', '(ptelab decode --help explains every option)']);
    }
  });

  it('a VALUE wider than the word is a one-line error, exit 2', async () => {
    const r = await run('decode', file('x86.pte'), '0x1_0000_0000_0000_0000');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('ptelab decode: VALUE 0x1_0000_0000_0000_0000 does not fit in the 64-bit word of spec x86');
  });

  it('a spec with errors is refused with its diagnostics, exit 1', async () => {
    const r = await run('decode', file('bad.pte'), '0');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error PTE010');
    expect(r.err.trimEnd().split('\n').pop()).toBe(`ptelab: ${file('bad.pte')} has errors; fix them first (ptelab check ${file('bad.pte')})`);
  });

  it('a missing spec file exits 2', async () => {
    const r = await run('decode', file('missing.pte'), '0');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`ptelab: cannot read spec file '${file('missing.pte')}' (ENOENT: no such file or directory)\n`);
  });
});

describe('encode', () => {
  it('--json prints {"value": "0x.."}: the uffd-wp marker is 0xfffffffffffffc00', async () => {
    const r = await run('encode', '--json', file('x86.pte'), 'pte_marker', 'PTE_MARKER_UFFD_WP=1');
    expect(r.code).toBe(0);
    expect(r.out).toBe('{"value":"0xfffffffffffffc00"}\n');
  });

  it('field values may be hex, binary or decimal with separators', async () => {
    const r = await run('encode', '--json', file('x86.pte'), 'swap', 'TYPE=0b11', 'OFFSET=0x12_34');
    // TYPE 3 in bits 59..63, OFFSET 0x1234 stored inverted in bits 9..58.
    const expected = (3n << 59n) | ((~0x1234n & ((1n << 50n) - 1n)) << 9n);
    expect(JSON.parse(r.out)).toEqual({ value: '0x1fffffffffdb9600' });
    expect(BigInt('0x1fffffffffdb9600')).toBe(expected);
    const back = await run('decode', '--json', file('x86.pte'), '0x1fffffffffdb9600');
    expect(JSON.parse(back.out)).toMatchObject({ kind: 'swap', fields: { TYPE: '0x3', OFFSET: '0x1234' } });
  });

  it('text output prints the padded value and the kind', async () => {
    const r = await run('encode', file('x86.pte'), 'none');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe("0x0000000000000000  kind 'none' (format pte)");
  });

  it("an argument that is not FIELD=VALUE, or a VALUE that is not a number, is a usage error (exit 2)", async () => {
    const a = await run('encode', file('x86.pte'), 'swap', 'TYPE');
    expect(a.code).toBe(2);
    expect(a.err.split('\n')[0]).toBe("ptelab encode: 'TYPE' is not FIELD=VALUE");
    const b = await run('encode', file('x86.pte'), 'swap', 'TYPE=three');
    expect(b.code).toBe(2);
    expect(b.err.split('\n')[0]).toBe("ptelab encode: TYPE 'three' is not a number (write 0x..., 0b... or decimal)");
  });

  it('an impossible combination is a one-line error and a non-zero exit', async () => {
    const r = await run('encode', '--json', file('x86.pte'), 'swap', 'TYPE=31');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe("ptelab: no value of kind 'swap' has TYPE=0x1f\n");
  });

  it('an unknown kind is a one-line error listing the known kinds, non-zero exit', async () => {
    const r = await run('encode', file('x86.pte'), 'nope');
    expect(r.code).toBeGreaterThan(0);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^ptelab: spec x86 has no kind 'nope' \(known kinds: hwpoison, migration_read, /);
  });
});

describe('robustness', () => {
  it('odd argument lists never print a stack trace and always exit 0, 1 or 2', async () => {
    const odd: string[][] = [
      ['check', '--'],
      ['check', '--', '--json'],
      ['decode', '--json'],
      ['decode', file('x86.pte'), '0x', 'extra'],
      ['encode', file('x86.pte'), 'swap', '=1'],
      ['encode', file('x86.pte'), 'swap', 'TYPE=1=2'],
      ['encode', file('x86.pte'), 'swap', 'NOFIELD=1'],
      ['encode', file('x86.pte'), 'swap', 'OFFSET=0x4_0000_0000_0000'],
      ['check', file('x86.pte') + '/'],
      ['-h'],
      ['help'],
    ];
    for (const argv of odd) {
      const r = await run(...argv);
      expect([0, 1, 2], argv.join(' ')).toContain(r.code);
      expect(r.out + r.err, argv.join(' ')).not.toContain('    at ');
    }
  });

  it('no output of this file contained a stack trace', () => {
    expect(outputs.length).toBeGreaterThan(40);
    for (const o of outputs) expect(o).not.toMatch(/^\s+at /m);
  });
});
