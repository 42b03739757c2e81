// `npm pack`, then a global install into a temporary prefix, as a user would (npm run test:slow): the tarball holds
// what the package needs and none of the repository's tests or CI, and the installed `ptelab` works from a folder far
// from the repository: --version, decode and check of bundled specs by name, `new` + check, and outputs (build,
// matrix) in the working directory, never the install folder.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo.js';

let tmp = '';
let tarball = '';
let bin = '';
let installed = '';

function ptelab(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, PTELAB_CACHE_DIR: path.join(tmp, 'cache') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-pack-'));
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const start = json.indexOf('[');
  const info = JSON.parse(json.slice(start)) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info[0]!.filename);
  (globalThis as { packFiles?: string[] }).packFiles = info[0]!.files.map((f) => f.path);
  const prefix = path.join(tmp, 'prefix');
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { stdio: 'ignore' });
  bin = path.join(prefix, 'bin', 'ptelab');
  installed = path.join(prefix, 'lib', 'node_modules', 'ptelab');
}, 600_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack + global install', () => {
  it('the tarball has the CLI, the bundled specs, the docs and the LICENSE, and no tests or CI', () => {
    const files = (globalThis as { packFiles?: string[] }).packFiles!;
    for (const f of ['dist/bin/ptelab.js', 'dist/build-id', 'examples/x86_64-v6.17.pte', 'examples/worlds/anon.scn', 'LICENSE', 'README.md', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(test|\.ci|dist\/test)\//.test(f))).toEqual([]);
  });

  it('the installed ptelab runs from anywhere, and bundled specs are found by name', () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'work-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(ptelab(cwd, '--version').out).toBe(`ptelab ${pkg.version}\n`);
    const d = ptelab(cwd, 'decode', '--json', 'x86_64-v6.17', '0x4');
    expect(d.code, d.err).toBe(0);
    expect(JSON.parse(d.out)).toMatchObject({ kind: 'swap' });
    const n = ptelab(cwd, 'new', '--extends', 'x86_64-v6.17', 'idea');
    expect(n.code, n.err).toBe(0);
    const c = ptelab(cwd, 'check', 'idea.pte');
    expect(c.code, c.out + c.err).toBe(0);
  });

  it('outputs go to the working directory, never the install folder', () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'out-'));
    const before = fs.readFileSync(path.join(installed, 'docs', 'matrix.md'), 'utf8');
    const b = ptelab(cwd, 'build', path.join(installed, 'examples', 'x86_64-v6.17.pte'));
    expect(b.code, b.err).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'generated', 'x86_64-v6.17', 'module.ts'))).toBe(true);
    const m = ptelab(cwd, 'matrix');
    expect(m.code, m.err).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'matrix.md'))).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'matrix.json'))).toBe(true);
    expect(fs.readFileSync(path.join(installed, 'docs', 'matrix.md'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(installed, 'generated'))).toBe(false);
  });
});
