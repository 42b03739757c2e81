// The invariants catch a do_set_pmd (the PMD level's path that maps a shmem THP, runtime/thp/file.ts) that forgets
// its bookkeeping. In test:slow (test/slow-suites.ts): each override compiles the whole 6.17 spec again.
import { describe, expect, it } from 'vitest';
import { loadSpecModule } from '../../apps/load-module.js';
import { v617With } from './explore/helpers.js';
import { run } from './helpers.js';

describe('the invariants catch a do_set_pmd that forgets its bookkeeping', () => {
  const setPmdWithout = (drop: string): string => {
    const body = ['let page = pfn_to_page(arg.pfn)', 'get_page(page)', 'page_add_rmap(page)', 'rss_inc(mm_counter(page))', 'set pfn_pmd(arg.pfn, vma.shared && vma.writable && !vma.uffd_wp)'].filter((x) => x !== drop);
    return `level pmd\npath do_set_pmd {\n  override case none {\n    ${body.join('\n    ')}\n  }\n}`;
  };
  const text = `scenario "s" {
  file F pages 2 huge
  mm A { map F shared at 0 }
  A read 0 -> 0
}`;

  it('the override that drops nothing is clean', async () => {
    const { module } = await loadSpecModule(v617With(setPmdWithout('')));
    expect(run(module, text).firstFailure).toBeUndefined();
  });

  it.each([
    ['get_page(page)', /pfn 512: refcount 1, but 1 mapping/],
    ['page_add_rmap(page)', /mapcount 0/],
    ['rss_inc(mm_counter(page))', /shmem/],
  ])('do_set_pmd without %s', async (drop, message) => {
    const { module } = await loadSpecModule(v617With(setPmdWithout(drop)));
    const r = run(module, text);
    expect(r.firstFailure?.kind).toBe('invariant');
    expect(r.firstFailure?.text).toBe('A read 0');
    expect(r.firstFailure?.message).toMatch(message);
  });
});
