// Scenarios from the uffd-wp contract (docs/sources.md S11-S18, S29) on the v6.17 stand-in, and on broken variants
// that must fail at the right step with the right kind of failure.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../runtime/runner.js';
import { makeToyModule, toyV617 } from '../fixtures/toy-v617-module.js';
import { describeResult, run, scn, stepIndex } from './helpers.js';

const SHMEM_WP_SURVIVES_DONTNEED = `
scenario "shmem wp survives MADV_DONTNEED" from "uffd-unit-tests wp-fork" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A write 0 = 1
  A protect 0
  A madvise dontneed 0
  A pagemap 0 -> wp
  A write 0 = 2 -> userfault wp
  A read 0 -> 1
  A resolve 0
  A write 0 = 2
  A read 0 -> 2
}`;

const FORK_DROPS_MARKER = `
scenario "fork without EVENT_FORK drops the marker" {
  mm A { map anon at 0 pages 2; uffd features wp_unpopulated; register 0 pages 2 }
  A write 0 = 1
  A protect 0 pages 2
  A pagemap 1 -> wp
  A fork B
  B pagemap 1 -> !wp
  B pagemap 0 -> !wp
  B write 0 = 5
  B write 1 = 6
  A write 0 = 3 -> userfault wp
  A write 1 = 3 -> userfault wp
  A read 0 -> 1
  B read 0 -> 5
}`;

describe('runScenario on the v6.17 stand-in', () => {
  it('passes "shmem wp survives MADV_DONTNEED"', () => {
    const r = run(toyV617, SHMEM_WP_SURVIVES_DONTNEED);
    expect(describeResult(r)).toBe('ok');
    expect(r.ok).toBe(true);
    expect(r.steps.every((s) => s.ok)).toBe(true);
  });

  it('passes "fork without EVENT_FORK drops the marker"', () => {
    expect(describeResult(run(toyV617, FORK_DROPS_MARKER))).toBe('ok');
  });

  it('keeps protection in the child with EVENT_FORK (wp-fork-with-event)', () => {
    const r = run(toyV617, `
scenario "fork with EVENT_FORK keeps the marker" {
  file F pages 2
  mm A { map F shared at 0 pages 2; uffd features event_fork; register 0 pages 2 }
  A write 0 = 1
  A protect 0 pages 2
  A fork B
  B pagemap 0 -> wp
  B pagemap 1 -> wp
  B write 1 = 4 -> userfault wp
  B resolve 1
  B write 1 = 4
  A read 1 -> 4
  A write 1 = 5 -> userfault wp
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('keeps uffd-wp across anon swap-out and swap-in', () => {
    const r = run(toyV617, `
scenario "anon swap-out/swap-in keeps uffd-wp" {
  mm A { map anon at 0; uffd; register 0 }
  A write 0 = 7
  A protect 0
  reclaim A 0
  A pagemap 0 -> wp
  A read 0 -> 7
  A pagemap 0 -> wp
  A write 0 = 8 -> userfault wp
  A madvise pageout 0
  swapoff
  A write 0 = 8 -> userfault wp
  A resolve 0
  A write 0 = 8
  A read 0 -> 8
}`);
    expect(describeResult(r)).toBe('ok');
    const after = r.steps[stepIndex(r, 'reclaim A 0') + 1]!;
    expect(after.outcome).toEqual({ type: 'pagemap', uffd_wp: true, flags: ['PM_SWAP', 'PM_UFFD_WP'] });
  });

  it('keeps shmem protection across eviction, migration and swapoff', () => {
    const r = run(toyV617, `
scenario "shmem wp survives eviction" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A write 0 = 1
  A protect 0
  evict F 0
  A write 0 -> userfault wp
  A read 0 -> 1
  migrate A 0
  A write 0 = 2 -> userfault wp
  evict F 0
  swapoff
  A pagemap 0 -> wp
  A read 0 -> 1
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('protects only populated anon pages without WP_UNPOPULATED (wp-unpopulated)', () => {
    const r = run(toyV617, `
scenario "anon protect needs a page" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A read 0 -> 0
  A protect 0 pages 2
  A pagemap 0 -> wp
  A pagemap 1 -> !wp
  A write 1 = 1
  A write 0 = 1 -> userfault wp
  A madvise dontneed 0
  A pagemap 0 -> !wp
  A write 0 = 2
  A read 0 -> 2
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('accepts the COW snapshot a write-protect fault may leave in a MAP_PRIVATE mapping', () => {
    const r = run(toyV617, `
scenario "private snapshot" {
  file F pages 1
  mm A { map F private at 0; uffd; register 0 }
  mm B { map F shared at 0 }
  B write 0 = 1
  A protect 0
  A write 0 = 9 -> userfault wp
  B write 0 = 2
  A read 0 -> 1
  punch F 0
  A read 0 -> 1
  B read 0 -> 0
}`);
    expect(describeResult(r)).toBe('ok');
    // do_cow_fault() over the marker made the copy (nothing was mapped: the oracle knows, so the copy is certain)
    const read = r.steps[stepIndex(r, 'A read 0')]!;
    expect(read.oracle).toEqual({ type: 'value', values: [1] });
    expect(read.outcome).toEqual({ type: 'value', value: 1 });
  });

  it('moves contents with mremap and drops the moved range from the uffd (no EVENT_REMAP)', () => {
    const r = run(toyV617, `
scenario "mremap" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 1 = 3
  A protect 1
  A mremap 1 to 8
  A read 8 -> 3
  A pagemap 8 -> !wp
  A write 8 = 4
  A read 1 -> sigsegv
  A exit
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('gives SIGSEGV for writes to read-only VMAs and SIGBUS beyond the end of the file', () => {
    const r = run(toyV617, `
scenario "signals" {
  file F pages 1
  mm A { map F shared at 0 pages 2; map anon at 4 }
  A write 4 = 1
  A mprotect 4 ro
  A write 4 = 2 -> sigsegv
  A read 4 -> 1
  A read 1 -> sigbus
  A read 9 -> sigsegv
  A mprotect 4 rw
  A write 4 = 2
}`);
    expect(describeResult(r)).toBe('ok');
  });
});

describe('broken variants fail at the right step', () => {
  it('a zap that forgets the shmem uffd-wp marker fails "shmem wp survives MADV_DONTNEED" at the write', () => {
    const r = run(makeToyModule('zap_forgets_marker'), SHMEM_WP_SURVIVES_DONTNEED);
    const f = r.firstFailure!;
    expect(f).toBeDefined();
    expect(f.kind).toBe('oracle');
    // the pagemap right after the zap already shows the lost protection
    expect(f.step).toBe(stepIndex(r, 'A pagemap 0'));
    expect(f.message).toContain('the spec gives !wp');
    expect(f.site).toMatchObject({ path: 'zap_pte_range', kind: 'present' });
    expect(f.message).toContain(`in step ${stepIndex(r, 'A madvise dontneed 0')}`);
  });

  it('without the pagemap step the lost marker surfaces as a write that completes', () => {
    const text = SHMEM_WP_SURVIVES_DONTNEED.replace('  A pagemap 0 -> wp\n', '');
    const r = run(makeToyModule('zap_forgets_marker'), text);
    expect(r.firstFailure).toMatchObject({ kind: 'oracle', step: stepIndex(r, 'A write 0 = 2'), path: 'zap_pte_range' });
    expect(r.firstFailure!.message).toMatch(/^the spec gives ok, the v6.17 contract requires userfault wp/);
  });

  it('a fork that copies the marker into a child without VM_UFFD_WP fails at the fork (uffd-wp state in an unregistered VMA)', () => {
    const r = run(makeToyModule('fork_copies_marker'), FORK_DROPS_MARKER);
    expect(r.firstFailure).toMatchObject({ kind: 'invariant', step: stepIndex(r, 'A fork B') });
    expect(r.firstFailure!.message).toMatch(/^uffd-wp state left in a VMA not registered for WP: pte_marker .* at B:1/);
    expect(r.firstFailure!.site).toMatchObject({ path: 'copy_page_range', kind: 'pte_marker' });
  });

  it('a spec refusing shmem registration (v5.10-like) diverges from 6.17 at register', () => {
    const r = run(makeToyModule('register_anon_only'), SHMEM_WP_SURVIVES_DONTNEED);
    expect(r.firstFailure).toMatchObject({ kind: 'oracle', step: stepIndex(r, 'A register 0') });
    expect(r.firstFailure!.message).toContain('the spec gives EINVAL, the v6.17 contract requires ok');
  });
});

describe('expectations and ill-formed steps', () => {
  it('reports an expectation that contradicts the oracle as a scenario error, not a spec failure', () => {
    const r = run(toyV617, `
scenario "wrong expectation" {
  mm A { map anon at 0; uffd; register 0 }
  A write 0 = 1
  A read 0 -> 2
}`);
    const read = stepIndex(r, 'A read 0');
    expect(r.firstFailure).toMatchObject({ kind: 'expect', step: read });
    expect(r.firstFailure!.message).toContain('the scenario expects 2, but the v6.17 contract gives 1');
    expect(r.steps[read]!.outcome).toEqual({ type: 'value', value: 1 });
  });

  it('reports steps on unknown mms as scenario failures', () => {
    const r = runScenario(toyV617, {
      name: 'unknown mm',
      steps: [{ op: { op: 'mm', name: 'A' } }, { op: { op: 'read', mm: 'Z', addr: 0 } }],
    });
    expect(r.firstFailure).toMatchObject({ kind: 'scenario', step: 1, text: 'Z read 0' });
  });

  it('returns errnos for userfaultfd misuse, as the kernel does', () => {
    const r = run(toyV617, `
scenario "errnos" {
  file F pages 1
  mm A { map anon at 0; map F shared at 4 }
  A register 0 -> EBADF
  A uffd
  A register 2 -> EINVAL
  A protect 0 -> ENOENT
  A register 4
  A protect 4
  A unregister 4
  A write 4 = 1
  A mremap 0 to 4 -> ok
  A madvise dontneed 0 pages 5 -> ENOMEM
  A close uffd
  A close uffd -> EBADF
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('records every step with its text, outcome and prediction', () => {
    const r = runScenario(toyV617, scn(`
scenario "records" {
  mm A { map anon at 0 }
  A write 0 = 3
  A read 0 -> 3
}`));
    expect(r.steps.map((s) => [s.text, s.ok])).toEqual([
      ['mm A', true],
      ['A map anon at 0 pages 1', true],
      ['A write 0 = 3', true],
      ['A read 0', true],
    ]);
    expect(r.steps[3]).toMatchObject({ outcome: { type: 'value', value: 3 }, oracle: { type: 'value', values: [3] }, expect: { type: 'value', value: 3 } });
    expect(r.steps[2]!.trail.map((t) => t.path)).toEqual(['handle_pte_fault', 'do_pte_missing']);
  });
});
