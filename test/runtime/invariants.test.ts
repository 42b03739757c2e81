// The kernel's bookkeeping checked after every step: leaks and double frees name the handler case responsible.
import { describe, expect, it } from 'vitest';
import { Session } from '../../runtime/runner.js';
import type { HandlerEnv, PathFn, Primitives, SpecModule } from '../../contract/spec-module.js';
import { ZERO_PFN } from '../../runtime/world.js';
import { makeToyModule, toyV617 } from '../fixtures/toy-v617-module.js';
import { describeResult, run, scn, stepIndex } from './helpers.js';

/** toyV617 with one path wrapped: `wrap` gets the original path and the env. */
function withPath(path: string, wrap: (orig: PathFn, env: HandlerEnv) => ReturnType<PathFn>): SpecModule {
  const orig = toyV617.paths[path]!;
  return { ...toyV617, name: `toy+${path}`, paths: { ...toyV617.paths, [path]: (env) => wrap(orig, env) } };
}

/** An env whose primitives are overridden (the rest delegates to the real one). */
function patchPrim(env: HandlerEnv, over: Partial<Primitives>): HandlerEnv {
  const prim = Object.create(env.prim, Object.fromEntries(Object.entries(over).map(([k, v]) => [k, { value: v }]))) as Primitives;
  return Object.create(env, { prim: { value: prim } }) as HandlerEnv;
}

describe('invariants', () => {
  it('reports a leaked page reference, naming the zap case that dropped the mapping', () => {
    const r = run(makeToyModule('zap_leaks_page'), `
scenario "leak" {
  mm A { map anon at 0 pages 2 }
  A write 0 = 1
  A munmap 0 pages 2
}`);
    const f = r.firstFailure!;
    expect(f).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A munmap 0 pages 2'), path: 'zap_pte_range' });
    expect(f.site).toMatchObject({ path: 'zap_pte_range', index: 1, kind: 'present', file: 'test/fixtures/toy-v617-module.ts' });
    expect(f.message).toMatch(/anon page pfn \d+: refcount 1, but 0 mappings \+ 0 page-cache reference \(a leaked reference\)/);
  });

  it('reports the leak at the first step that loses a reference (a shmem page-cache page)', () => {
    const r = run(makeToyModule('zap_leaks_page'), `
scenario "shmem leak" {
  file F pages 1
  mm A { map F shared at 0 }
  A write 0 = 1
  A madvise dontneed 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A madvise dontneed 0') });
    expect(r.firstFailure!.message).toContain('refcount 2, but 0 mappings + 1 page-cache reference (a leaked reference)');
  });

  it('reports Bad rss-counter state at exit when zap forgets rss_dec', () => {
    const m = withPath('zap_pte_range', (orig, env) => orig(patchPrim(env, { rss_dec: () => {} })));
    const r = run(m, `
scenario "rss" {
  mm A { map anon at 0 }
  A write 0 = 1
  A exit
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A exit') });
    expect(r.firstFailure!.message).toBe('Bad rss-counter state mm:A type:MM_ANONPAGES val:1');
    expect(r.firstFailure!.site).toMatchObject({ path: 'zap_pte_range', kind: 'present' });
  });

  it('reports an rss counter that disagrees with the page table after any step', () => {
    const m = withPath('do_pte_missing', (orig, env) => orig(patchPrim(env, { rss_inc: () => {} })));
    const r = run(m, `
scenario "rss" {
  mm A { map anon at 0 }
  A write 0 = 1
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A write 0 = 1') });
    expect(r.firstFailure!.message).toBe('rss counter anon of mm A is 0, but its page table holds 1');
  });

  it('reports a warn reached, with the case', () => {
    const r = run(makeToyModule('zap_marker_warns'), `
scenario "warn" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A protect 0
  A munmap 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A munmap 0') });
    expect(r.firstFailure!.message).toBe('warn reached: zap_pte_range: unexpected entry');
    expect(r.firstFailure!.site).toMatchObject({ path: 'zap_pte_range', kind: 'default' });
  });

  it('reports a value no kind classifies, naming the case that wrote it', () => {
    const r = run(makeToyModule('wp_makes_gap'), `
scenario "gap" {
  mm A { map anon at 0; uffd; register 0 }
  A write 0 = 1
  A protect 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A protect 0') });
    expect(r.firstFailure!.message).toMatch(/^entry 0x[0-9a-f]+ at A:0 classifies to no kind$/);
    expect(r.firstFailure!.site).toMatchObject({ path: 'change_pte_range', kind: 'present' });
  });

  it('reports a fault loop after four faults that change nothing', () => {
    const r = run(makeToyModule('fault_loops'), `
scenario "loop" {
  mm A { map anon at 0 }
  A write 0 = 1
  A mprotect 0 ro
  A mprotect 0 rw
  A write 0 = 2
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A write 0 = 2') });
    expect(r.firstFailure!.message).toMatch(/^fault loop: the write at A:0 still faults after 4 handle_pte_fault calls/);
    expect(r.firstFailure!.site).toMatchObject({ path: 'handle_pte_fault', kind: 'present' });
  });

  it('reports a page still mapped after truncate, naming the zap case that kept it', () => {
    const r = run(makeToyModule('truncate_keeps_page'), `
scenario "truncate" {
  file F pages 1
  mm A { map F shared at 0 }
  A write 0 = 1
  punch F 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'punch F 0') });
    expect(r.firstFailure!.message).toMatch(/^page still mapped after truncate: pfn \d+ at A:0 \(present 0x[0-9a-f]+\)$/);
    expect(r.firstFailure!.site).toMatchObject({ path: 'zap_pte_range', kind: 'present' });
  });

  it('reports the zero page mapped writable', () => {
    const m = withPath('do_pte_missing', (orig, env) => {
      const o = orig(env);
      if (!env.ctx.fault.write) env.set(env.pte | 2n); // RW on the zero-page PTE
      return o;
    });
    const r = run(m, `
scenario "zero" {
  mm A { map anon at 0 }
  A read 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A read 0') });
    expect(r.firstFailure!.message).toMatch(/^the zero page is mapped writable at A:0/);
  });

  it('reports a use after free when a page is put twice', () => {
    const m = withPath('zap_pte_range', (orig, env) =>
      orig(patchPrim(env, { put_page: (p) => { env.prim.put_page(p); env.prim.put_page(p); } })));
    const r = run(m, `
scenario "double put" {
  mm A { map anon at 0 }
  A write 0 = 1
  A madvise dontneed 0
}`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A madvise dontneed 0'), path: 'zap_pte_range' });
    expect(r.firstFailure!.message).toMatch(/^put_page: pfn \d+ was already freed \(use after free\)$/);
  });

  it('never counts the zero page', () => {
    const m = withPath('do_pte_missing', (orig, env) => {
      if (!env.ctx.fault.write && env.ctx.vma.anon) env.prim.get_page(BigInt(ZERO_PFN));
      return orig(env);
    });
    const r = run(m, `scenario "zero count" { mm A { map anon at 0 } A read 0 }`);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', message: 'get_page: the zero page is never counted' });
  });
});

describe('exit leaves every count zero', () => {
  it('frees every anon page and swap slot once every mm has exited, leaving only the page cache', () => {
    const s = new Session(toyV617);
    const steps = scn(`
scenario "exit leaves every count zero" {
  file F pages 2
  mm A { map anon at 0 pages 2; map F shared at 4 pages 2; map F private at 8 pages 2; uffd features event_fork; register 0 pages 2; register 4 pages 2; register 8 pages 2 }
  A write 0 = 1
  A write 1 = 2
  A write 4 = 3
  A write 8 = 4
  A read 9
  A protect 0 pages 10
  reclaim A 1
  evict F 1
  A fork B
  B write 0 = 5 -> userfault wp
  B resolve 0
  B write 0 = 5
  migrate A 4
  A exit
  B exit
}`).steps;
    steps.forEach((step, i) => {
      const { failure } = s.step(step, i);
      expect(failure).toBeUndefined();
    });
    const w = s.world;
    expect(w.mms.size).toBe(0);
    const live = w.pages.filter((p) => p !== undefined);
    expect(live.every((p) => !p!.anon && p!.mapcount === 0 && p!.refcount === 1)).toBe(true);
    expect(live).toHaveLength(1); // F[0]; F[1] was evicted to swap
    const slots = w.swap.slots.filter((x) => x !== null);
    expect(slots).toEqual([{ count: 1, contents: 0, cache: false, error: false }]); // F[1]'s shmem swap slot, held by the file
    expect(w.files.get('F')!.slots[1]).toMatchObject({ type: 'swap' });
  });

  it('passes the same scenario as a run, with the child inheriting the protection (EVENT_FORK)', () => {
    const r = run(toyV617, `
scenario "fork then exit" {
  mm A { map anon at 0; uffd features event_fork; register 0 }
  A write 0 = 1
  A protect 0
  reclaim A 0
  A fork B
  B pagemap 0 -> wp
  A exit
  B read 0 -> 1
  B exit
}`);
    expect(describeResult(r)).toBe('ok');
  });
});
