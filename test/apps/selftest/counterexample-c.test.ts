// `ptelab explore --out DIR` writes a C reproducer next to each counterexample; a counterexample with a step the C
// driver cannot do (a THP collapse) gets the scenario file alone and the reason, not an internal error (it was exit
// 70 before: the exploration's results were lost with it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCounterexampleC } from '../../../apps/selftest/counterexample-c.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';

function scenario(text: string) {
  const r = parseScenarios({ path: 'cx.scn', text });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios[0]!;
}

describe('writeCounterexampleC', () => {
  it('writes the program, the driver header and a Makefile for a scenario the driver can run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-cxc-'));
    const r = writeCounterexampleC(dir, 'cx', scenario('scenario "s" {\n  mm A { map anon at 0 }\n  A write 0 = 1\n  A read 0 -> 1\n}\n'), 'test');
    expect(r).toEqual({ file: path.join(dir, 'cx.c') });
    expect(fs.readdirSync(dir).sort()).toEqual(['Makefile', 'cx.c', 'ptelab_selftest.h']);
  });

  it('writes nothing and says why for a step the C driver cannot do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-cxc-'));
    const r = writeCounterexampleC(dir, 'cx', scenario('scenario "s" {\n  mm A { map anon at 0 pages 2 }\n  A write 0 = 1\n  collapse A 0\n}\n'), 'test');
    expect(r).toMatchObject({ reason: expect.stringMatching(/collapse.*has no step in the C driver/) });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
