// `ptelab build` of a proposal: the base it extends is compiled too, the patch series holds only the delta, the
// output goes to <out>/proposals/<stem>/ as in generated/, and the module imports the runtime by a path that
// resolves from there. compileBase() and outputName() on their own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../bin/main.js';
import { baseFile, compileBase } from '../../../compiler/backends/base.js';
import { importPath, outputName } from '../../../compiler/backends/build.js';
import { COVER_LETTER, patchSeries } from '../../../compiler/backends/c/patch.js';
import { compileClean } from '../../../compiler/compile.js';
import { repoRoot } from '../../helpers/repo.js';
import { err, unwrap } from '../../../core/result.js';

let out = '';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let o = '';
  let e = '';
  const code = await main(argv, { out: (s) => void (o += s), err: (s) => void (e += s), isTTY: false, cwd: repoRoot });
  return { code, out: o, err: e };
}

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-build-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('outputName and importPath', () => {
  it('a proposal goes under proposals/, a kernel spec at the top', () => {
    expect(outputName('examples/x86_64-v6.17.pte')).toBe('x86_64-v6.17');
    expect(outputName('examples/proposals/hugh-swap-marker.pte')).toBe('proposals/hugh-swap-marker');
    expect(importPath('generated/proposals/hugh-swap-marker', 'contract/spec-module.js')).toBe('../../../contract/spec-module.js');
    expect(importPath('generated/x86_64-v6.17', 'contract/spec-module.js')).toBe('../../contract/spec-module.js');
  });
});

describe('compileBase', () => {
  const entry = path.join(repoRoot, 'examples/proposals/hugh-swap-marker.pte');
  const c = unwrap(compileClean(entry));

  it('compiles the spec the entry extends, by the path the chain names it', () => {
    expect(baseFile(c.ir)).toBe(path.join(repoRoot, 'examples/x86_64-v5.10.pte'));
    const b = unwrap(compileBase(c.ir));
    expect(b?.ir.name).toBe('x86_64_v5_10');
  });

  it('no base for a spec that extends nothing; an error when the base cannot be compiled', () => {
    const k = unwrap(compileClean(path.join(repoRoot, 'examples/x86_64-v5.10.pte')));
    expect(compileBase(k.ir)).toEqual({ ok: true, value: undefined });
    expect(compileBase(c.ir, () => err("cannot read spec file 'x'"))).toEqual({ ok: false, error: { file: baseFile(c.ir), message: "cannot read spec file 'x'" } });
  });
});

describe('ptelab build of a proposal', () => {
  it('writes <out>/proposals/<stem>/ with the series against the base, then finds it unchanged', async () => {
    const spec = 'examples/proposals/hugh-swap-marker.pte';
    const first = await run('build', '--out', out, spec);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('series against examples/x86_64-v5.10.pte');
    const dir = path.join(out, 'proposals', 'hugh-swap-marker');
    expect(fs.readdirSync(dir).sort()).toEqual(['layout.svg', 'module.ts', 'patch']);
    // The delta, as the generator commits it: the same file names and cover letter.
    const committed = fs.readdirSync(path.join(repoRoot, 'generated/proposals/hugh-swap-marker/patch')).sort();
    expect(fs.readdirSync(path.join(dir, 'patch')).sort()).toEqual(committed);
    const cover = fs.readFileSync(path.join(dir, 'patch', COVER_LETTER), 'utf8');
    expect(cover).toContain('against its base x86_64_v5_10');
    expect(cover).toContain(fs.readFileSync(path.join(repoRoot, 'generated/proposals/hugh-swap-marker/patch', COVER_LETTER), 'utf8').split('\n').slice(1).join('\n'));
    // The runtime import resolves from the output directory.
    const imp = /from '([^']*spec-module\.js)'/.exec(fs.readFileSync(path.join(dir, 'module.ts'), 'utf8'))![1]!;
    expect(path.resolve(dir, imp)).toBe(path.join(repoRoot, 'contract', 'spec-module.js'));
    const again = await run('build', '--out', out, spec);
    expect(again.out).toMatch(/: 0 written, \d+ unchanged, 0 removed/);
  });

  it('a kernel spec: the whole series, no base', async () => {
    const r = await run('build', '--out', out, 'examples/x86_64-v5.10.pte');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('series against');
    const cover = fs.readFileSync(path.join(out, 'x86_64-v5.10', 'patch', COVER_LETTER), 'utf8');
    expect(cover).toContain('Paths (no base spec, so every case is new)');
    const c = unwrap(compileClean(path.join(repoRoot, 'examples/x86_64-v5.10.pte')));
    expect(fs.readdirSync(path.join(out, 'x86_64-v5.10', 'patch')).sort()).toEqual([...patchSeries(c.ir).keys()].sort());
  });
});

describe('ptelab build of a spec outside the bundled list (issue 19, point 7)', () => {
  it('without --out it writes <cwd>/<stem>/, never into generated/', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-user-'));
    try {
      const base = path.relative(cwd, path.join(repoRoot, 'examples/x86_64-v6.17.pte'));
      fs.writeFileSync(path.join(cwd, 'mine.pte'), `spec mine extends "${base}" "a user's delta"\noverride format pte {\n  remove SOFTW4\n  override bit 57 UFFD_WP\n}\n`);
      const before = fs.readdirSync(path.join(repoRoot, 'generated')).sort();
      let o = '';
      let e = '';
      const code = await main(['build', path.join(cwd, 'mine.pte')], { out: (s) => void (o += s), err: (s) => void (e += s), isTTY: false, cwd });
      expect(e).toBe('');
      expect(code).toBe(0);
      expect(fs.readdirSync(path.join(cwd, 'mine')).sort()).toEqual(['layout-huge_pte.svg', 'layout-pmd.svg', 'layout.svg', 'module.ts', 'patch']);
      expect(o).toContain('(mine, series against');
      expect(fs.readdirSync(path.join(repoRoot, 'generated')).sort()).toEqual(before);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
