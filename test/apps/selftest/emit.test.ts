// The scenario-to-C translation (apps/selftest/emit-c.ts): golden programs for some scenarios (every op once; the
// wp-fork-with-event test on anon and on hugetlb-private), and every bundled scenario's program accepted by gcc -Wall
// -Wextra -Werror. Update the golden files with UPDATE_GOLDEN=1 after a deliberate change of the emitter, and read
// the diff.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBundled, SCENARIO_DIR } from '../../../core/bundled.js';
import { cString, emitScenario, expectC, programName, SelftestError } from '../../../apps/selftest/emit-c.js';
import { buildSelftests, writeSelftests } from '../../../apps/selftest/selftest-dir.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import type { Scenario } from '../../../runtime/scenario/types.js';
import { repoRoot } from '../../helpers/repo.js';

const here = path.join(repoRoot, 'test', 'apps', 'selftest');

function scenariosOf(rel: string): Scenario[] {
  const text = fs.readFileSync(path.join(repoRoot, rel), 'utf8');
  const r = parseScenarios({ path: rel, text });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios.map((s) => ({ ...s, file: rel }));
}

function golden(name: string, actual: string): void {
  const file = path.join(here, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

const bundled = listBundled(repoRoot, SCENARIO_DIR, '.scn').flatMap(scenariosOf);
const hasGcc = !spawnSync('gcc', ['--version']).error;
if (!hasGcc) console.warn('test/apps/selftest/emit.test.ts: the gcc checks are skipped: no gcc on PATH');

describe('scenario -> C', () => {
  it('PAGEMAP_SCAN, long-term pins and named userfaultfds: golden', () => {
    const [s] = scenariosOf('test/apps/selftest/fixtures/scan-pin-via.scn');
    golden('scan-pin-via.c', emitScenario(s!, programName(0, s!), 'test/apps/selftest/fixtures/scan-pin-via.scn').source);
  });

  it('every op: golden', () => {
    const [s] = scenariosOf('test/apps/selftest/fixtures/every-op.scn');
    golden('every-op.c', emitScenario(s!, programName(0, s!), 'test/apps/selftest/fixtures/every-op.scn').source);
  });

  it('wp-fork-with-event: anon: golden', () => {
    const s = bundled.find((x) => x.name === 'wp-fork-with-event: anon')!;
    expect(s).toBeDefined();
    golden('wp-fork-with-event-anon.c', emitScenario(s, 'wp-fork-with-event-anon', 'examples/scenarios/2-wp-fork.scn').source);
  });

  it('wp-fork-with-event: hugetlb-private: golden (every model page a huge page)', () => {
    const s = bundled.find((x) => x.name === 'wp-fork-with-event: hugetlb-private')!;
    expect(s).toBeDefined();
    golden('wp-fork-with-event-hugetlb-private.c', emitScenario(s, 'wp-fork-with-event-hugetlb-private', 'examples/scenarios/15-hugetlb.scn').source);
  });

  it('expectations and strings', () => {
    expect(expectC(undefined)).toBe('EXPECT_NONE');
    expect(expectC({ type: 'error', errno: 'EINVAL' })).toBe('EXPECT_ERRNO(EINVAL)');
    expect(expectC({ type: 'pagemap', uffd_wp: false })).toBe('EXPECT_PAGEMAP(0)');
    expect(expectC({ type: 'value', value: 7 })).toBe('EXPECT_VALUE(7)');
    expect(cString('a "b" \\ c?')).toBe('"a \\"b\\" \\\\ c\\077"');
    expect(cString('–')).toBe('"\\342\\200\\223"');
    expect(expectC({ type: 'written', pages: [0, 2] })).toBe('EXPECT_WRITTEN("0, 2")');
    expect(expectC({ type: 'written', pages: [] })).toBe('EXPECT_WRITTEN("none")');
  });

  it('refuses more mms than the driver runs', () => {
    const steps = Array.from({ length: 17 }, (_, i) => ({ op: { op: 'mm' as const, name: `M${i}` } }));
    expect(() => emitScenario({ name: 'many', steps }, 'many', 'test')).toThrow(SelftestError);
  });

  it('one program per bundled scenario, named uniquely, with the header and a Makefile', () => {
    const set = buildSelftests(bundled.map((s) => ({ scenario: s, origin: s.file! })));
    // scenarios the C driver cannot express (a swap read error cannot be forced from user space) are listed with
    // their reason, not written, and so are huge shmem files (issue #15: a real PMD-size folio is not the model's
    // 2 pages), THP collapse and MADV_HUGEPAGE mappings (a model block is a 2 MiB THP); PAGEMAP_SCAN, long-term pins,
    // named userfaultfds and hugetlbfs files (every model page a huge page) have programs
    const noStep: Readonly<Record<string, RegExp>> = { swap_error: /swap read error/, collapse: /THP collapse/ };
    const huge = (s: Scenario): boolean => s.steps.some((st) => st.op.op === 'file' && st.op.huge === true);
    const hugetlb = (s: Scenario): boolean => s.steps.some((st) => st.op.op === 'file' && st.op.hugetlb === true);
    const thpMap = (s: Scenario): boolean => s.steps.some((st) => st.op.op === 'mmap' && st.op.vma.type === 'anon' && st.op.vma.hugepage === true);
    const lacking = (s: Scenario): boolean => s.steps.some((st) => st.op.op in noStep) || thpMap(s);
    const later = bundled.filter((s) => lacking(s) || huge(s));
    expect(later.filter(huge).length).toBeGreaterThan(0);
    expect(later.filter(thpMap).length).toBeGreaterThan(0);
    expect(set.skipped.map((k) => k.scenario.name).sort()).toEqual(later.map((s) => s.name).sort());
    for (const x of set.skipped) expect(x.reason).toMatch(/swap read error|THP collapse|MADV_HUGEPAGE|huge shmem file/);
    for (const x of set.skipped.filter((k) => huge(k.scenario) && !lacking(k.scenario))) expect(x.reason).toMatch(/huge shmem file/);
    // every hugetlb scenario has a program, at the huge page's scale
    const hugetlbPrograms = set.programs.filter((p) => hugetlb(p.scenario));
    expect(hugetlbPrograms.length).toBe(bundled.filter(hugetlb).length);
    for (const p of hugetlbPrograms) expect(p.source).toMatch(/\tif \(!pt_hugetlb\(&t, \d+\)\)\n\t\treturn KSFT_SKIP;\n\tpt_file\(/);
    // the ops that used to have no program now have one in the set
    for (const op of ['pagemap_scan', 'pin', 'unpin'] as const) {
      expect(set.programs.some((p) => p.scenario.steps.some((st) => st.op.op === op)), op).toBe(true);
    }
    expect(set.programs.some((p) => p.source.includes('PT_VIA('))).toBe(true);
    expect(set.programs.length).toBe(bundled.length - later.length);
    expect(new Set(set.programs.map((p) => p.name)).size).toBe(set.programs.length);
    expect(set.files.get('Makefile')).toContain(`\t${set.programs[0]!.name} \\`);
    expect(set.files.get('ptelab_selftest.h')).toContain('UFFD_FEATURE_SIGBUS');
    // each step of each scenario is one driver call, numbered in order
    for (const p of set.programs) {
      const calls = p.source.match(/^\tstep_\w+\(&t, (\d+),/gm) ?? [];
      expect(calls.length).toBe(p.scenario.steps.length);
    }
  });

  // Every program of every bundled scenario is built with gcc -O2 -Wall -Wextra -Werror by `npm run test:kernel` (a program
  // that does not build fails it); here, the one that calls every step_* function, and one scenario file's worth.
  it.skipIf(!hasGcc)('gcc -O2 -Wall -Wextra -Werror accepts the every-op program, the seed-thread and the hugetlb scenarios', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-selftest-gcc-'));
    try {
      const every = [...scenariosOf('test/apps/selftest/fixtures/every-op.scn'), ...scenariosOf('test/apps/selftest/fixtures/scan-pin-via.scn')];
      const seed = bundled.filter((s) => s.file === 'examples/scenarios/1-seed-thread.scn' || s.file === 'examples/scenarios/16-hugetlb.scn');
      expect(seed.length).toBeGreaterThan(0);
      const set = buildSelftests([...every, ...seed].map((s) => ({ scenario: s, origin: s.file! })));
      writeSelftests(dir, set);
      const names = set.programs.map((p) => p.name);
      const syntax = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', ...names.slice(1).map((n) => `${n}.c`)], { cwd: dir, encoding: 'utf8' });
      expect(syntax.stderr).toBe('');
      expect(syntax.status).toBe(0);
      // the optimiser's warnings (format truncation, ...) need a real build
      const full = spawnSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', names[0]!, `${names[0]}.c`, '-pthread'], { cwd: dir, encoding: 'utf8' });
      expect(full.stderr).toBe('');
      expect(full.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
