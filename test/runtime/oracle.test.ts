// The oracle alone: the v6.17 userfaultfd-wp contract without any PTE (docs/sources.md S11-S18, S29).
import { describe, expect, it } from 'vitest';
import { createOracle, observe, oracleKey, predict, type OracleState } from '../../runtime/oracle.js';
import type { Prediction } from '../../runtime/outcome.js';
import { scn } from './helpers.js';

/** Run the scenario's steps on a fresh oracle; returns the predictions by step text (last one wins). */
function oracle(text: string): { s: OracleState; p: Prediction[] } {
  const s = createOracle();
  const p = scn(text).steps.map((st) => {
    const pr = predict(s, st.op);
    if (pr.type === 'value' && pr.values.length === 1) observe(s, st.op, { type: 'value', value: pr.values[0]! });
    return pr;
  });
  return { s, p };
}

const last = (text: string): Prediction => {
  const { p } = oracle(text);
  return p[p.length - 1]!;
};

describe('oracle (v6.17 contract)', () => {
  it('anon: protect on a never-populated address protects nothing without WP_UNPOPULATED', () => {
    expect(last(`scenario "o" { mm A { map anon at 0; uffd; register 0 } A protect 0 A write 0 = 1 }`)).toEqual({ type: 'ok' });
    expect(last(`scenario "o" { mm A { map anon at 0; uffd features wp_unpopulated; register 0 } A protect 0 A write 0 = 1 }`))
      .toMatchObject({ type: 'userfault', mode: 'wp' });
    expect(last(`scenario "o" { mm A { map anon at 0; uffd; register 0 } A read 0 A protect 0 A write 0 = 1 }`))
      .toMatchObject({ type: 'userfault', mode: 'wp' });
  });

  it('shmem: protect covers unpopulated addresses; DONTNEED, punch and eviction keep it', () => {
    expect(last(`scenario "o" { file F pages 1 mm A { map F shared at 0; uffd; register 0 } A protect 0 A pagemap 0 }`))
      .toEqual({ type: 'pagemap', uffd_wp: true, guard: false });
    expect(last(`scenario "o" { file F pages 1 mm A { map F shared at 0; uffd; register 0 } A protect 0 A madvise dontneed 0 punch F 0 evict F 0 A write 0 = 1 }`))
      .toMatchObject({ type: 'userfault', mode: 'wp' });
  });

  it('anon: DONTNEED clears contents and protection', () => {
    const { p } = oracle(`scenario "o" { mm A { map anon at 0; uffd features wp_unpopulated; register 0 } A write 0 = 4 A protect 0 A madvise dontneed 0 A pagemap 0 A read 0 A write 0 = 1 }`);
    expect(p.slice(-3)).toEqual([{ type: 'pagemap', uffd_wp: false, guard: false }, { type: 'value', values: [0] }, { type: 'ok' }]);
  });

  it('fork: the child keeps registration and protection only with EVENT_FORK', () => {
    const base = (features: string) =>
      `scenario "o" { mm A { map anon at 0; uffd${features}; register 0 } A write 0 = 1 A protect 0 A fork B B pagemap 0 B write 0 = 2 B read 0 A read 0 }`;
    expect(oracle(base('')).p.slice(-4)).toEqual([
      { type: 'pagemap', uffd_wp: false, guard: false }, { type: 'ok' }, { type: 'value', values: [2] }, { type: 'value', values: [1] },
    ]);
    expect(oracle(base(' features event_fork')).p.slice(-4)).toEqual([
      { type: 'pagemap', uffd_wp: true, guard: false }, { type: 'userfault', mode: 'wp', addr: 0 }, { type: 'value', values: [1] }, { type: 'value', values: [1] },
    ]);
    // without EVENT_FORK the child has no uffd at all
    expect(last(`scenario "o" { mm A { map anon at 0; uffd; register 0 } A fork B B register 0 }`)).toEqual({ type: 'error', errno: 'EBADF' });
  });

  it('fork: a zero-page-only anon VMA has no anon_vma, so the child starts unpopulated', () => {
    const text = (w: string) =>
      `scenario "o" { mm A { map anon at 0 pages 2 } ${w} A read 0 A fork B B uffd B register 0 B protect 0 B write 0 = 1 }`;
    expect(last(text(''))).toEqual({ type: 'ok' });
    expect(last(text('A write 1 = 5'))).toMatchObject({ type: 'userfault', mode: 'wp' });
  });

  it('a write userfault does not change memory; unregister and close clear protection', () => {
    const { p } = oracle(`scenario "o" { file F pages 1 mm A { map F shared at 0; uffd; register 0 } A write 0 = 1 A protect 0 A write 0 = 2 A read 0 A unregister 0 A register 0 A write 0 = 3 A protect 0 A close uffd A write 0 = 4 A read 0 }`);
    expect(p.map((x) => x.type === 'value' ? x.values : x.type)).toEqual([
      'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'userfault', [1], 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', [4],
    ]);
  });

  it('MAP_PRIVATE: a write-protect fault copies over a marker (nothing mapped), not over a mapped page-cache page', () => {
    const base = `file F pages 1 mm A { map F private at 0; uffd; register 0 } mm B { map F shared at 0 } B write 0 = 1`;
    // do_cow_fault() over the uffd-wp marker makes the copy before the retry reports: it keeps the old data
    const { s, p } = oracle(`scenario "o" { ${base} A protect 0 A write 0 = 5 B write 0 = 2 A read 0 }`);
    expect(p[p.length - 1]).toEqual({ type: 'value', values: [1] });
    observe(s, { op: 'read', mm: 'A', addr: 0 }, { type: 'value', value: 1 });
    expect(predict(s, { op: 'read', mm: 'A', addr: 0 })).toEqual({ type: 'value', values: [1] });
    // do_wp_page() over the mapped page-cache page reports at once: no copy, the file's data shows through
    expect(last(`scenario "o" { ${base} A read 0 A protect 0 A write 0 = 5 B write 0 = 2 A read 0 }`)).toEqual({ type: 'value', values: [2] });
  });

  it('kernel events change nothing visible', () => {
    const base = `file F pages 1 mm A { map anon at 0; map F shared at 4; uffd; register 0; register 4 } A write 0 = 1 A write 4 = 2 A protect 0 A protect 4`;
    const probe = 'A read 0 A read 4 A write 0 A write 4 A pagemap 0 A pagemap 4';
    const before = oracle(`scenario "o" { ${base} ${probe} }`).p.slice(-6);
    const after = oracle(`scenario "o" { ${base} reclaim A 0 evict F 0 migrate A 4 numa A 0 pages 5 swapoff A madvise pageout 0 ${probe} }`).p.slice(-6);
    expect(after).toEqual(before);
    // what they do change is only whether a shmem page is still mapped here (seen by MINOR mode, below)
    const key = (s: string): string => oracleKey(oracle(`scenario "o" { ${base} ${s} }`).s).replace(/m(?=\||$)/g, '');
    expect(key('reclaim A 0 migrate A 4 numa A 0 pages 5 A madvise pageout 0')).toBe(key(''));
  });

  it('MINOR mode: eviction unmaps the shmem page, so the next access is a minor fault', () => {
    const base = `file F pages 1 mm A { map F shared at 0; map F shared at 4; uffd; register 4 mode minor } A write 0 = 1`;
    expect(last(`scenario "o" { ${base} A read 4 }`)).toEqual({ type: 'userfault', mode: 'minor', addr: 4 });
    expect(last(`scenario "o" { ${base} A unregister 4 A read 4 A register 4 mode minor A read 4 }`)).toEqual({ type: 'value', values: [1] });
    expect(last(`scenario "o" { ${base} A unregister 4 A read 4 A register 4 mode minor evict F 0 A read 4 }`)).toEqual({ type: 'userfault', mode: 'minor', addr: 4 });
    expect(last(`scenario "o" { ${base} A unregister 4 A read 4 A register 4 mode minor migrate A 4 A read 4 }`)).toEqual({ type: 'value', values: [1] });
  });

  it('MISSING mode: anon until populated, shmem only on a hole; SIGBUS with the feature', () => {
    expect(last(`scenario "o" { mm A { map anon at 0; uffd; register 0 mode missing } A read 0 }`)).toEqual({ type: 'userfault', mode: 'missing', addr: 0 });
    expect(last(`scenario "o" { mm A { map anon at 0; uffd features sigbus; register 0 mode missing } A read 0 }`)).toEqual({ type: 'sigbus' });
    const shm = `file F pages 1 mm A { map F shared at 0; map F private at 4; uffd; register 0 mode missing; register 4 mode missing }`;
    expect(last(`scenario "o" { ${shm} A write 4 }`)).toEqual({ type: 'userfault', mode: 'missing', addr: 4 });
    expect(last(`scenario "o" { ${shm} A unregister 0 A read 0 A read 4 }`)).toEqual({ type: 'value', values: [0] });
    expect(last(`scenario "o" { ${shm} A unregister 0 A read 0 punch F 0 A read 4 }`)).toEqual({ type: 'userfault', mode: 'missing', addr: 4 });
  });

  it('register: MINOR refused on anon; the reply lists WRITEPROTECT and CONTINUE only for their modes', () => {
    const base = `file F pages 1 mm A { map anon at 0; map F shared at 4; uffd }`;
    expect(last(`scenario "o" { ${base} A register 0 mode minor }`)).toEqual({ type: 'error', errno: 'EINVAL' });
    expect(last(`scenario "o" { ${base} A register 0 mode missing }`)).toEqual({ type: 'ok', ioctls: ['wake', 'copy', 'zeropage', 'move'] });
    expect(last(`scenario "o" { ${base} A register 4 mode minor, wp }`)).toEqual({ type: 'ok', ioctls: ['wake', 'copy', 'zeropage', 'move', 'writeprotect', 'continue'] });
  });

  it('writes to read-only VMAs are SIGSEGV, beyond EOF SIGBUS, outside VMAs SIGSEGV', () => {
    const { p } = oracle(`scenario "o" { file F pages 1 mm A { map F shared at 0 pages 2; map anon at 4 } A mprotect 4 ro A write 4 = 1 A write 1 = 1 A read 7 }`);
    expect(p.slice(-3)).toEqual([{ type: 'sigsegv' }, { type: 'sigbus' }, { type: 'sigsegv' }]);
  });

  it('mremap without EVENT_REMAP moves contents and drops registration and protection', () => {
    const { p } = oracle(`scenario "o" { mm A { map anon at 0 pages 2; uffd; register 0 pages 2 } A write 0 = 6 A protect 0 A mremap 0 to 8 A pagemap 8 A read 8 A protect 8 }`);
    expect(p.slice(-3)).toEqual([{ type: 'pagemap', uffd_wp: false, guard: false }, { type: 'value', values: [6] }, { type: 'error', errno: 'ENOENT' }]);
  });
});
