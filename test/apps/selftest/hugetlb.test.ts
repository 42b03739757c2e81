// The C driver's files are shmem memfds: a hugetlbfs file (issue #15) is left out of a selftest run, with a reason,
// rather than run as shmem (a reproducer that tests the wrong memory type).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SelftestError, emitScenario } from '../../../apps/selftest/emit-c.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';

describe('selftest: hugetlb scenarios', () => {
  it('every scenario of 15-hugetlb.scn and 16-hugetlb.scn is skippable, naming the hugetlbfs file', () => {
    for (const file of ['15-hugetlb.scn', '16-hugetlb.scn']) {
      const r = parseScenarios({ path: file, text: readFileSync(new URL(`../../../examples/scenarios/${file}`, import.meta.url), 'utf8') });
      expect(r.diagnostics).toEqual([]);
      for (const s of r.scenarios) {
        let err: unknown;
        try {
          emitScenario(s, 'x', file);
        } catch (e) {
          err = e;
        }
        expect(err, s.name).toBeInstanceOf(SelftestError);
        expect((err as SelftestError).skippable).toBe(true);
        expect((err as SelftestError).message).toMatch(/hugetlbfs file \('file H pages \d+ hugetlb'\) has no step in the C driver/);
      }
    }
  });
});
