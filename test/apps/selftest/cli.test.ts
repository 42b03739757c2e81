// `ptelab selftest` and `ptelab kernel-check` on the command line: files written, usage errors, scenario errors as
// diagnostics; and kernel-check's report (rendered from a result, so it needs no kernel).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelCheckResult } from '../../../apps/kernel-check/kernel-check.js';
import { kernelCheckJson, renderKernelCheck } from '../../../apps/kernel-check/render.js';
import { main } from '../../../bin/main.js';
import { repoRoot } from '../../helpers/repo.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: repoRoot });
  return { code, out, err };
}

describe('ptelab selftest', () => {
  it('writes one program per scenario, the header and a Makefile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-selftest-cli-'));
    try {
      const r = await cli('selftest', '-o', dir, 'examples/scenarios/5-anon.scn');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^6 selftests written to /);
      const files = fs.readdirSync(dir).sort();
      expect(files.filter((f) => f.endsWith('.c'))).toHaveLength(6);
      expect(files).toContain('Makefile');
      expect(files).toContain('ptelab_selftest.h');
      expect(fs.readFileSync(path.join(dir, '02-swap-out-and-swap-in-of-protected-anon.c'), 'utf8')).toContain('step_reclaim(&t, 6, "reclaim A 0", MM_A, 0, EXPECT_NONE);');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2; a bad scenario file is a diagnostic (exit 1)', async () => {
    expect((await cli('selftest')).code).toBe(2);
    expect((await cli('selftest', '-o')).code).toBe(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-selftest-cli-'));
    try {
      const bad = path.join(dir, 'bad.scn');
      fs.writeFileSync(bad, 'scenario "x" {\n  A frob 3\n}\n');
      const r = await cli('selftest', '-o', path.join(dir, 'out'), bad);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/bad\.scn:2:\d+/);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ptelab kernel-check', () => {
  it('usage errors exit 2', async () => {
    expect((await cli('kernel-check', '--spec')).code).toBe(2);
    expect((await cli('kernel-check', '--frob')).code).toBe(2);
  });

  const result: KernelCheckResult = {
    kernel: '6.18.1-test',
    spec: { file: 'examples/x86_64-v6.17.pte', name: 'x86_64_v6_17' },
    swap: { file: 'SWAP_DIR/ptelab-swap-X/swapfile' },
    hugetlb: { need: 5, added: 3 },
    buildErrors: [],
    teardownProblems: [],
    totals: { agree: 2, differ: 1, 'not run': 2 },
    scenarios: [
      {
        scenario: 'numa',
        steps: [
          { index: 0, text: 'mm A', spec: 'ok', kernel: 'ok', verdict: 'agree' },
          { index: 1, text: 'A write 0 = 1', spec: 'ok', kernel: 'ok', verdict: 'agree' },
          { index: 2, text: 'numa A 0', spec: 'ok', kernel: '-', verdict: 'not run', reason: 'a NUMA hinting scan cannot be forced' },
          { index: 3, text: 'A read 0', spec: '1', kernel: '-', verdict: 'not run', reason: 'step 2 did not happen: a NUMA hinting scan cannot be forced; the kernel gave 1' },
          { index: 4, text: 'A pagemap 0', spec: '!wp', kernel: 'wp', verdict: 'differ' },
        ],
      },
    ],
  };

  it('the report names kernel and spec, one row per step, the verdicts and the totals', () => {
    const text = renderKernelCheck(result);
    expect(text).toMatch(/^kernel-check: running kernel 6\.18\.1-test judged against spec x86_64_v6_17 \(examples\/x86_64-v6\.17\.pte\)/);
    expect(text).not.toMatch(/0 mm A/); // declarations only with --all
    expect(renderKernelCheck(result, { all: true })).toMatch(/0 mm A/);
    expect(text).toMatch(/numa +1 A write 0 = 1 +ok +ok +agree/);
    expect(text).toMatch(/2 numa A 0 +ok +- +not run: a NUMA hinting scan cannot be forced/);
    expect(text).toMatch(/3 A read 0 +1 +- +not run: step 2 did not happen\n/);
    expect(text).toMatch(/4 A pagemap 0 +!wp +wp +DIFFER/);
    expect(text).toMatch(/2 agree, 1 differ, 2 not run \(1 scenario; kernel 6\.18\.1-test, spec x86_64_v6_17\)/);
    expect(text).toMatch(/hugetlb: 5 free huge pages for the run \(vm\.nr_hugepages raised by 3, lowered again after it\)/);
    expect(renderKernelCheck({ ...result, hugetlb: { need: 5, problem: 'the kernel gave 1 free huge pages of the 5 asked for' } })).toMatch(/hugetlb: the kernel gave 1 free huge pages of the 5 asked for: scenarios that need more/);
    expect(renderKernelCheck({ ...result, hugetlb: { need: 0 } })).not.toMatch(/hugetlb:/);
    expect(text).toMatch(/a model error in examples\/x86_64-v6\.17\.pte or a change of the kernel/);
    const j = kernelCheckJson(result) as { scenarios: { steps: { reason: string | null }[] }[] };
    expect(j.scenarios[0]!.steps[3]!.reason).toContain('the kernel gave 1');
  });
});
