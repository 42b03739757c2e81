// `ptelab fmt` on scenario files through the command line (in-process, as test/bin/cli.test.ts runs it): a .scn file
// is formatted in place (it used to be parsed as a spec and refused with a syntax error), `--check` lists it, a
// directory takes its .scn files too, and a scenario file with a syntax error is refused with its diagnostic.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../bin/main.js';

let dir = '';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir });
  return { code, out, err };
}

const MESSY = 'scenario "s" {\n file F pages 1; mm A { map F shared at 0;uffd;register 0 }\n  A write 0=1 // set\n}\n';
const CLEAN = `scenario "s" {\n  file F pages 1\n  mm A { map F shared at 0; uffd; register 0 }\n${'  A write 0 = 1'.padEnd(30)}// set\n}\n`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-fmt-scn-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ptelab fmt on .scn files', () => {
  it('--check lists an unformatted scenario file and exits 1; fmt then formats it in place', async () => {
    fs.writeFileSync(path.join(dir, 'a.scn'), MESSY);
    const check = await run('fmt', '--check', 'a.scn');
    expect(check).toMatchObject({ code: 1, out: 'a.scn\n', err: '' });
    const r = await run('fmt', 'a.scn');
    expect(r).toMatchObject({ code: 0, out: 'formatted a.scn\n1 formatted, 0 unchanged\n', err: '' });
    expect(fs.readFileSync(path.join(dir, 'a.scn'), 'utf8')).toBe(CLEAN);
    expect((await run('fmt', '--check', 'a.scn')).code).toBe(0);
  });

  it('a directory stands for its .pte and .scn files', async () => {
    fs.mkdirSync(path.join(dir, 'd'));
    fs.writeFileSync(path.join(dir, 'd', 'b.scn'), MESSY);
    fs.writeFileSync(path.join(dir, 'd', 'notes.txt'), 'not a scenario');
    const r = await run('fmt', 'd');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`formatted ${path.join('d', 'b.scn')}\n1 formatted, 0 unchanged\n`);
  });

  it('a scenario file with a syntax error is refused with its diagnostic (exit 1), and left as it is', async () => {
    fs.writeFileSync(path.join(dir, 'bad.scn'), 'scenario "s" {\n  A frob 3\n}\n');
    const r = await run('fmt', 'bad.scn');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.scn:2:\d+/);
    expect(r.err).toContain('PTE001');
    expect(r.err).toContain('bad.scn has syntax errors; not formatted');
    expect(fs.readFileSync(path.join(dir, 'bad.scn'), 'utf8')).toBe('scenario "s" {\n  A frob 3\n}\n');
  });
});
