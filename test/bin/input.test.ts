// Input honesty (issue 17): a file that is not text gets one diagnostic and nothing else; at most 50 diagnostics per
// file, then how many more; control characters from a file never reach the terminal raw; colour per stream, only
// on a terminal, NO_COLOR and FORCE_COLOR respected.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorFor } from '../../bin/color.js';
import { main } from '../../bin/main.js';
import { processIo } from '../../bin/process-io.js';
import type { CliIo } from '../../bin/io.js';
import { X86 } from '../helpers.js';

let dir = '';
const file = (name: string) => path.join(dir, name);

async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir, ...extra });
  return { code, out, err };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-input-'));
  // 20 KB of bytes 0..255, as a compiled binary or an image would be.
  fs.writeFileSync(file('binary.pte'), Buffer.from(Array.from({ length: 20480 }, (_, i) => (i * 7 + 3) % 256)));
  fs.writeFileSync(file('latin1.pte'), Buffer.concat([Buffer.from('spec x "caf'), Buffer.from([0xe9]), Buffer.from('"\nword 64\n')]));
  fs.writeFileSync(file('base-binary.pte'), 'spec b extends "binary.pte" "x"\n');
  fs.writeFileSync(file('binary.scn'), Buffer.from([0x73, 0x63, 0, 1, 2, 0x1b, 0x5b]));
  fs.writeFileSync(file('x86.pte'), X86);
  fs.writeFileSync(file('bad.pte'), 'spec bad "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
  // 120 kinds of a format that does not exist: 120 errors of one file.
  fs.writeFileSync(file('many.pte'), X86 + Array.from({ length: 120 }, (_, i) => `kind k${i} : nofmt when PRESENT`).join('\n') + '\n');
  // An ESC sequence and a BEL inside a string and a comment the diagnostics echo.
  fs.writeFileSync(file('ctrl.pte'), X86 + 'kind evil\x1b[2J\x07 : pte when PRESENT\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('not a text file', () => {
  it('a 20 KB binary gets one PTE014 diagnostic, no echo of its bytes, exit 1', async () => {
    const r = await run(['check', file('binary.pte')]);
    expect(r.code).toBe(1);
    const diags = r.out.split('\n').filter((l) => / error PTE\d+/.test(l));
    expect(diags).toEqual([`${file('binary.pte')}:2:17: error PTE014: not a text file: bytes that are not UTF-8 at line 2, column 17`]);
    expect(r.out.length).toBeLessThan(1000);
    expect(r.out + r.err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('a NUL byte makes a file not text', async () => {
    fs.writeFileSync(file('nul.pte'), 'spec x "x"\nword 64\0\n');
    const r = await run(['check', file('nul.pte')]);
    expect(r.out.split('\n')[0]).toBe(`${file('nul.pte')}:2:8: error PTE014: not a text file: a NUL byte at line 2, column 8`);
  });

  it('invalid UTF-8 is not text either', async () => {
    const r = await run(['check', '--json', file('latin1.pte')]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { results: { diagnostics: { code: string; message: string }[] }[] };
    expect(json.results[0]!.diagnostics.map((d) => d.code)).toEqual(['PTE014']);
    expect(json.results[0]!.diagnostics[0]!.message).toBe('not a text file: bytes that are not UTF-8 at line 1, column 12');
  });

  it('a binary base of an extends chain stops there with the one diagnostic', async () => {
    const r = await run(['check', '--json', file('base-binary.pte')]);
    const json = JSON.parse(r.out) as { results: { diagnostics: { code: string }[] }[] };
    expect(json.results[0]!.diagnostics.map((d) => d.code)).toEqual(['PTE014']);
  });

  it('a binary scenario file and a binary file given to fmt: one diagnostic each', async () => {
    const a = await run(['run', file('x86.pte'), file('binary.scn')]);
    expect(a.code).toBe(1);
    expect(a.err.split('\n').filter((l) => l.includes('PTE014'))).toHaveLength(1);
    expect(a.err).not.toMatch(/[\x00-\x08\x1b]/);
    const b = await run(['fmt', '--check', file('binary.pte')]);
    expect(b.code).toBe(1);
    expect(b.err.split('\n').filter((l) => / error PTE/.test(l))).toHaveLength(1);
  });
});

describe('at most 50 diagnostics per file', () => {
  it('120 errors print 50, then one line with how many more', async () => {
    const r = await run(['check', file('many.pte')]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').filter((l) => / error PTE002/.test(l))).toHaveLength(50);
    expect(r.out).toContain(`${file('many.pte')}: 70 more diagnostics not shown (the first 50 are above; --json lists all)\n`);
    const j = await run(['check', '--json', file('many.pte')]);
    expect((JSON.parse(j.out) as { results: { diagnostics: unknown[] }[] }).results[0]!.diagnostics).toHaveLength(120);
  });
});

describe('control characters', () => {
  it('an ESC sequence and a BEL in the source are shown as control pictures, the caret still lined up', async () => {
    const r = await run(['check', file('ctrl.pte')]);
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/[\x07\x1b]/);
    expect(r.out).toContain('kind evil\u241b[2J\u2407 : pte when PRESENT');
  });
});

describe('colour', () => {
  it('is decided per stream: stdout a terminal does not colour stderr', async () => {
    const a = await run(['decode', file('bad.pte'), '0'], { isTTY: true, errTTY: false });
    expect(a.err).toContain('error PTE010');
    expect(a.err).not.toContain('\x1b[');
    const b = await run(['decode', file('bad.pte'), '0'], { isTTY: false, errTTY: true });
    expect(b.err).toContain('\x1b[31merror\x1b[0m');
    const c = await run(['check', file('bad.pte')], { isTTY: false, errTTY: true });
    expect(c.out).not.toContain('\x1b[');
  });

  it('NO_COLOR turns it off on a terminal; FORCE_COLOR turns it on on a pipe (0 or false: off)', () => {
    expect(colorFor(true, {})).toBe(true);
    expect(colorFor(false, {})).toBe(false);
    expect(colorFor(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorFor(true, { NO_COLOR: '' })).toBe(true);
    expect(colorFor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorFor(false, { FORCE_COLOR: '' })).toBe(true);
    expect(colorFor(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorFor(true, { NO_COLOR: 'x', FORCE_COLOR: '1' })).toBe(false);
  });

  it('the process io reads each stream\'s terminal status and the environment', async () => {
    const fake = (outTTY: boolean, errTTY: boolean, env: Record<string, string>) =>
      processIo({
        stdout: { isTTY: outTTY, write: () => true },
        stderr: { isTTY: errTTY, write: () => true },
        stdin: Readable.from(['0x4\n', '0x0\n']),
        env,
        cwd: () => dir,
      });
    expect(fake(true, false, {}).color).toEqual({ out: true, err: false });
    expect(fake(false, true, {}).color).toEqual({ out: false, err: true });
    expect(fake(true, true, { NO_COLOR: '1' }).color).toEqual({ out: false, err: false });
    expect(fake(false, false, { FORCE_COLOR: '1' }).color).toEqual({ out: true, err: true });
    expect(await fake(false, false, {}).stdin!()).toBe('0x4\n0x0\n');
  });
});
