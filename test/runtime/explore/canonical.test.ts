// The canonical fingerprint: equal for states that differ only by data values, fork-child names and (when the
// symmetry is on) pfn and swap-offset numbering; different whenever anything the future depends on differs.
import { beforeAll, describe, expect, it } from 'vitest';
import { Canonicalizer, type SymmetryOptions } from '../../../runtime/explore/canonical.js';
import { Names } from '../../../runtime/explore/codec.js';
import { Session } from '../../../runtime/runner.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import { spec, type TestSpec } from './helpers.js';

const ON: SymmetryOptions = { pfns: true, slots: true };
const OFF: SymmetryOptions = { pfns: false, slots: false };

describe('canonical fingerprint', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  /** Run the body after a fixed setup; the fingerprint of the final state. */
  function fp(body: string, sym: SymmetryOptions = ON): string {
    const text = `scenario "s" {
  file F pages 2
  mm A { map anon at 0 pages 2; map F shared at 4 pages 2; uffd features event_fork; register 0 pages 6 }
${body}
}`;
    const sc = parseScenarios({ path: 's.scn', text }).scenarios[0]!;
    const session = new Session(s617.module);
    sc.steps.forEach((st, i) => {
      const { failure } = session.step(st, i);
      if (failure) throw new Error(failure.message);
    });
    const canon = new Canonicalizer(s617.module, session.machine.entries, new Names(['F', 'A'], 'C'), sym);
    return [...canon.fingerprint(session.world, session.oracle)].join(':');
  }

  it('does not see which values were written, only which are equal', () => {
    expect(fp('A write 0 = 5\nA write 4 = 9')).toBe(fp('A write 0 = 17\nA write 4 = 3'));
    expect(fp('A write 0 = 5\nA write 1 = 5')).not.toBe(fp('A write 0 = 5\nA write 1 = 6'));
    expect(fp('A write 0 = 5')).not.toBe(fp('A write 1 = 5'));
  });

  it('does not see the order pages were allocated in, with the pfn symmetry on', () => {
    const a = 'A write 0 = 1\nA write 1 = 2';
    const b = 'A write 1 = 2\nA write 0 = 1';
    expect(fp(a)).toBe(fp(b));
    expect(fp(a, OFF)).not.toBe(fp(b, OFF));
    // a freed pfn leaves a hole the other history does not have
    expect(fp('A write 0 = 1\nA write 1 = 2\nA madvise dontneed 0')).toBe(fp('A write 1 = 2'));
  });

  it('does not see swap offsets, with the slot symmetry on', () => {
    const a = 'A write 0 = 1\nA write 1 = 2\nreclaim A 0\nreclaim A 1';
    const b = 'A write 0 = 1\nA write 1 = 2\nreclaim A 1\nreclaim A 0';
    expect(fp(a)).toBe(fp(b));
    expect(fp(a, OFF)).not.toBe(fp(b, OFF));
  });

  it('names fork children by rank, not by name', () => {
    expect(fp('A write 0 = 1\nA fork C1')).toBe(fp('A write 0 = 1\nA fork C9'));
  });

  it('sees protection, registration, the oracle and the counts', () => {
    const base = fp('A write 0 = 1');
    expect(fp('A write 0 = 1\nA protect 0')).not.toBe(base);
    expect(fp('A write 0 = 1\nA unregister 0')).not.toBe(base);
    expect(fp('A write 0 = 1\nA fork C1')).not.toBe(base);
    expect(fp('A write 0 = 1\nreclaim A 0')).not.toBe(base);
    expect(fp('A write 4 = 1')).not.toBe(fp('A write 5 = 1'));
    expect(fp('A read 0')).not.toBe(fp('')); // the zero page is mapped (and the oracle knows the page is populated)
  });
});
