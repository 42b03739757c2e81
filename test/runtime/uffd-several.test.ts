// Several userfaultfds per mm (issue #14 item 4, runtime/uffd/contexts.ts): the scenario syntax (`uffd NAME`,
// `via NAME`, `close uffd NAME`), which context owns a VMA (register EBUSY, unregister EINVAL on 6.17 and allowed on
// 5.19, MOVE EINVAL, COPY through any context), each VMA following its own context's features, close of one context
// leaving the others, and the explorer's codec keeping the contexts apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { IntArena } from '../../runtime/explore/arena.js';
import { decodeState, encodeState, Names } from '../../runtime/explore/codec.js';
import { formatStep, Session } from '../../runtime/runner.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { describeResult, run, scn } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

/** Pages 0-1 registered (MISSING + WP) with the first context, 4-5 with U2; `features2`: U2's features. */
const world = (after: string, features2 = ''): string => `scenario "two" {
  mm A {
    map anon at 0 pages 2
    map anon at 4 pages 2
    uffd
    uffd U2${features2}
    register 0 pages 2 mode missing, wp
    register 4 pages 2 mode missing, wp via U2
  }
  ${after}
}`;

describe('several userfaultfds per mm', () => {
  it('parses `uffd NAME`, `via NAME` and `close uffd NAME`, and prints them back the same', () => {
    const s = scn(world('A protect 0 via U2\n  A close uffd U2\n  A close uffd', ' features sigbus'));
    const texts = s.steps.map((x) => formatStep(x.op));
    expect(texts).toContain('A uffd U2 features sigbus');
    expect(texts).toContain('A register 4 pages 2 mode missing, wp via U2');
    expect(texts.slice(-3)).toEqual(['A protect 0 via U2', 'A close uffd U2', 'A close uffd']);
    expect(s.steps.find((x) => x.op.op === 'uffd_close' && x.op.uffd === 'U2')).toBeDefined();
  });

  it('reads a name after `uffd` only where the statement ends with it (one-line scenarios keep their meaning)', () => {
    const one = scn('scenario "o" { mm A { map anon at 0 } A fork B B uffd B register 0 B close uffd B exit }');
    expect(one.steps.map((x) => formatStep(x.op)).slice(-4)).toEqual(['B uffd', 'B register 0', 'B close uffd', 'B exit']);
    const named = scn('scenario "o" { mm A { map anon at 0; uffd U2; register 0 via U2 } A close uffd U2 -> ok }');
    expect(named.steps.map((x) => formatStep(x.op)).slice(-3)).toEqual(['A uffd U2', 'A register 0 via U2', 'A close uffd U2']);
  });

  it("refuses 'via' on a step that uses no userfaultfd", () => {
    const r = parseScenarios({ path: 'x.scn', text: world('A write 0 = 1 via U2') });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["'via U2' names a userfaultfd, and this step uses none"]);
  });

  it('a VMA belongs to the context that registered it (6.17, x86_64 and arm64)', async () => {
    const steps = [
      'A register 0 via U2 -> EBUSY',
      'A register 4 -> EBUSY',
      'A copy 0 = 7 via U2 -> ok',
      'A read 0 -> 7',
      'A read 1 -> userfault missing at 1',
      'A read 4 -> userfault missing at 4',
      'A copy 5 = 3 via U2 -> ok',
      'A move 5 to 1 via U2 -> EINVAL',
      'A move 5 to 1 -> ok',
      'A read 1 -> 3',
      'A unregister 0 via U2 -> EINVAL',
      'A unregister 4 via U2 -> ok',
      'A read 4 -> 0',
    ].join('\n  ');
    for (const name of ['x86_64-v6.17', 'arm64-v6.17']) expect(describeResult(run(await load(name), world(steps))), name).toBe('ok');
  });

  it('5.19 unregisters another context\'s VMA (the check is 2025\'s): its history against the 6.17 contract', async () => {
    const r = run(await load('x86_64-v5.19'), world('A unregister 0 via U2'));
    expect(r.firstFailure?.message).toMatch(/^the spec gives ok, the v6.17 contract requires EINVAL/);
  });

  it("a fault follows its VMA's context's features, and a close leaves the other context's VMAs registered", async () => {
    const m = await load('x86_64-v6.17');
    const steps = ['A read 4 -> sigbus', 'A read 0 -> userfault missing at 0', 'A close uffd', 'A read 0 -> 0', 'A read 5 -> sigbus', 'A close uffd U2', 'A read 5 -> 0'];
    expect(describeResult(run(m, world(steps.join('\n  '), ' features sigbus')))).toBe('ok');
    // and the wrong expectation is caught: after the first context's close, U2 still delivers its fault
    const wrong = run(m, world('A close uffd\n  A read 5 -> 0', ' features sigbus'));
    expect(wrong.firstFailure?.message).toContain('sigbus');
  });

  it('a step through a context that is not open is EBADF, and opening a name twice is a scenario error', async () => {
    const m = await load('x86_64-v6.17');
    expect(describeResult(run(m, world('A close uffd U2\n  A protect 4 via U2 -> EBADF\n  A protect 4 -> ENOENT')))).toBe('ok');
    const twice = run(m, world('A uffd U2'));
    expect(twice.firstFailure?.message).toMatch(/already has a userfaultfd named 'U2' open/);
  });

  it('the explorer encodes a world with a named context without losing it (runtime/explore/codec.ts)', async () => {
    const session = new Session(await load('x86_64-v6.17'));
    const s = scn(world(''));
    s.steps.forEach((st, i) => session.step(st, i));
    const names = new Names(['A', 'U2'], 'Q');
    const arena = new IntArena(64);
    encodeState(session.world, session.oracle, names, arena);
    const back = decodeState(arena.data, 0, names);
    const a = back.world.mms.get('A')!;
    expect([...a.namedUffds.keys()]).toEqual(['U2']);
    expect(a.vmas.map((v) => v.uffd_ctx)).toEqual(session.world.mms.get('A')!.vmas.map((v) => v.uffd_ctx));
    expect(a.vmas.some((v) => v.uffd_ctx === 'U2')).toBe(true);
    expect([...back.oracle.mms.get('A')!.namedUffds.keys()]).toEqual(['U2']);
  });
});
