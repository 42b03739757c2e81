// Where specs and outputs are found (issue 17): absolute `extends "/..."`, bundled specs extended by name from
// anywhere, `ptelab new` (a skeleton that checks, builds and runs as written), `run` on a scenario folder, and
// `run --skip pagemap` (the matrix's "without pagemap steps" column for one spec).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { compileClean, compileSpec } from '../../compiler/compile.js';
import { X86 } from '../helpers.js';
import { repoRoot } from '../helpers/repo.js';
import { unwrap } from '../../core/result.js';

let dir = '';
const file = (name: string) => path.join(dir, name);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir });
  return { code, out, err };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-paths-'));
  fs.mkdirSync(file('base'));
  fs.writeFileSync(file('base/x86.pte'), X86);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('extends', () => {
  it('an absolute path keeps its leading /', () => {
    fs.writeFileSync(file('abs.pte'), `spec abs extends "${file('base/x86.pte')}" "x"\n`);
    const r = unwrap(compileClean(file('abs.pte')));
    expect(r.diagnostics).toEqual([]);
    expect(r.ir.chain).toEqual([file('base/x86.pte'), file('abs.pte')]);
  });

  it('a bundled spec by name, from a folder far from the repository', () => {
    fs.writeFileSync(file('byname.pte'), 'spec byname extends "x86_64-v6.17" "x"\n');
    const r = unwrap(compileClean(file('byname.pte')));
    expect(r.ir.chain[0]).toBe(path.join(repoRoot, 'examples/x86_64-v6.17.pte'));
  });

  it('an unknown bundled name is PTE007 listing the bundled specs', () => {
    fs.writeFileSync(file('noname.pte'), 'spec noname extends "x86_64-v9.99" "x"\n');
    const r = unwrap(compileSpec(file('noname.pte')));
    const d = r.diagnostics.find((x) => x.code === 'PTE007')!;
    expect(d.message).toBe("no bundled spec is named 'x86_64-v9.99'");
    expect(d.hint).toMatch(/^a name without a folder or \.pte is a bundled spec: arm64-v6\.17, x86_64-v5\.10, /);
  });

  it('a bundled spec can be named on the command line too', async () => {
    const r = await run('decode', '--json', 'x86_64-v6.17', '0x4');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ spec: 'x86_64_v6_17', kind: 'swap' });
  });
});

describe('ptelab new', () => {
  it('writes a skeleton that checks, builds and runs as written, and never overwrites', async () => {
    const made = await run('new', '--extends', 'x86_64-v6.17', 'my-idea');
    expect(made.code, made.err).toBe(0);
    expect(made.out).toBe('wrote my-idea.pte (extends x86_64-v6.17); next: ptelab check my-idea.pte\n');
    const text = fs.readFileSync(file('my-idea.pte'), 'utf8');
    expect(text).toMatch(/^\/\/ my-idea: /);
    expect(text).toContain('\nspec my_idea extends "x86_64-v6.17"\n');
    for (const part of ['Whose, when:', 'Claim:', 'Verdict:', 'override kind', 'path zap_pte_range']) expect(text).toContain(part);

    const check = await run('check', file('my-idea.pte'));
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain('0 errors, 0 warnings');
    const build = await run('build', '--out', file('gen'), file('my-idea.pte'));
    expect(build.code, build.err).toBe(0);
    expect(fs.existsSync(file('gen/my-idea/module.ts'))).toBe(true);
    const scn = await run('run', file('my-idea.pte'), path.join(repoRoot, 'examples/scenarios/2-wp-fork.scn'));
    expect(scn.code, scn.out).toBe(0);

    const again = await run('new', '--extends', 'x86_64-v6.17', 'my-idea');
    expect(again.code).toBe(2);
    expect(again.err).toBe("ptelab new: cannot write 'my-idea.pte': EEXIST: file already exists (new never overwrites a file)\n");
    expect(fs.readFileSync(file('my-idea.pte'), 'utf8')).toBe(text);
  }, 240_000);

  it('a path base is written relative to the new file', async () => {
    const r = await run('new', '--extends', 'base/x86.pte', 'sub/p2');
    expect(r.code, r.err).toBe(0);
    expect(fs.readFileSync(file('sub/p2.pte'), 'utf8')).toContain('\nspec p2 extends "../base/x86.pte"\n');
    expect((await run('check', file('sub/p2.pte'))).code).toBe(0);
  });
});

describe('run', () => {
  const V510 = path.join(repoRoot, 'examples/x86_64-v5.10.pte');
  const scenarios = path.join(repoRoot, 'examples/scenarios');

  it('takes a scenario folder as explore and fmt do; --skip pagemap gives the matrix\'s "without pagemap" cells', async () => {
    // Two scenario files whose verdicts on 5.10 change without their pagemap steps (docs/matrix.json).
    fs.mkdirSync(file('scn'));
    for (const f of ['2-wp-fork.scn', '5-anon.scn']) fs.copyFileSync(path.join(scenarios, f), file(`scn/${f}`));
    const all = await run('run', '--json', V510, file('scn'));
    const skip = await run('run', '--json', '--skip', 'pagemap', V510, file('scn'));
    type R = { results: { scenario: string; ok: boolean; steps: { index: number; text: string }[]; firstFailure: { step: number } | null }[] };
    const a = JSON.parse(all.out) as R;
    const b = JSON.parse(skip.out) as R;
    type Cell = { ok: boolean; step?: number; without_pagemap: { ok: boolean; step?: number } };
    const matrix = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/matrix.json'), 'utf8')) as {
      rows: { scenario: string; file: string; results: Record<string, Cell> }[];
    };
    const rows = matrix.rows.filter((r) => /\/(2-wp-fork|5-anon)\.scn$/.test(r.file));
    expect(a.results.map((r) => r.scenario)).toEqual(rows.map((r) => r.scenario));
    rows.forEach((row, i) => {
      const cell = row.results['x86_64-v5.10']!;
      expect([a.results[i]!.ok, a.results[i]!.firstFailure?.step], row.scenario).toEqual([cell.ok, cell.step]);
      expect([b.results[i]!.ok, b.results[i]!.firstFailure?.step], row.scenario).toEqual([cell.without_pagemap.ok, cell.without_pagemap.step]);
    });
    expect(a.results.filter((r) => r.ok).length).toBeLessThan(b.results.filter((r) => r.ok).length);
    for (const r of b.results) for (const s of r.steps) expect(s.text).not.toMatch(/^\S+ pagemap /);
  }, 180_000);

  it('--skip with an op that does not exist is a usage error', async () => {
    const r = await run('run', '--skip', 'pagemapp', V510, scenarios);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(/^ptelab run: --skip: unknown op 'pagemapp' \(ops: file, mm, /);
  });
});
