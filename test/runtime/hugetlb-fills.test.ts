// The hugetlb fills' bookkeeping (issue #15, runtime/hugetlb/fills.ts): UFFDIO_COPY into a shared hugetlb VMA is
// clean on 6.17, and a hugetlb_mfill_atomic_pte install that forgets hugetlb_count_add is caught at its step. In
// test:slow (test/slow-suites.ts): compiling the spec variant costs seconds of CPU, over npm test's budget.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText, loadSpecModule } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import type { RunResult } from '../../runtime/runner.js';
import { v617With } from './explore/helpers.js';
import { run } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

function divergence(r: RunResult): string {
  const f = r.firstFailure;
  if (!f) return 'ok';
  return `${f.text}: ${f.kind}${f.path ? ` [${f.path}]` : ''}`;
}

describe('hugetlb fills and migration: the bookkeeping of the spec\'s paths is checked', () => {
  const fill = `scenario "s" {
  file H pages 1 hugetlb
  mm A { map H shared at 0; uffd; register 0 mode missing }
  A copy 0 = 3 -> ok
  A read 0 -> 3
}`;
  const installWithout = (drop: string): string => {
    const body = [
      'let page = pfn_to_page(arg.pfn)',
      'if mfill.continue || vma.shared { page_add_rmap(page) } else { page_add_new_anon_rmap(page) }',
      'hugetlb_count_add()',
      'set huge_pte_mkdirty(make_huge_pte(page_pfn(page), vma.writable && !mfill.wp))',
    ].filter((x) => x !== drop);
    return `level huge_pte\npath hugetlb_mfill_install {\n  override default {\n    ${body.join('\n    ')}\n  }\n}`;
  };

  it('UFFDIO_COPY into a shared hugetlb VMA is clean on 6.17, and one that forgets hugetlb_count_add is caught at its step', async () => {
    expect(divergence(run(await load('x86_64-v6.17'), fill))).toBe('ok');
    const { module } = await loadSpecModule(v617With(installWithout('hugetlb_count_add()')));
    const r = run(module, fill);
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.text).toBe('A copy 0 = 3');
    expect(r.firstFailure?.message).toMatch(/hugetlb_usage of mm A is 0, but its hugetlb entries map 1 huge page/);
  });
});

