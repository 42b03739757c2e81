// Errors, poison and guard regions (docs/runtime.md, "Errors, poison and guard regions"): the runtime's ops drive
// the spec's paths; the oracle says what the user must see; each bundled kernel does what its history implies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { GARBAGE, Machine } from '../../runtime/machine.js';
import { applyOp } from '../../runtime/ops.js';
import { formatStep } from '../../runtime/format-step.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { runScenario } from '../../runtime/runner.js';
import { createWorld } from '../../runtime/world.js';
import { checkInvariants } from '../../runtime/invariants.js';
import { describeResult, run, scn } from './helpers.js';

const load = (name: string): Promise<SpecModule> =>
  loadModuleText(readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8')).then((l) => l.module);

const bundled = (file: string) => {
  const r = parseScenarios({ path: file, text: readFileSync(new URL(`../../examples/scenarios/${file}`, import.meta.url), 'utf8') });
  expect(r.diagnostics).toEqual([]);
  return r.scenarios;
};

describe('errors, poison and guard regions on the bundled kernels', () => {
  it('6.17 (x86_64 and arm64) passes every guard and poison scenario', async () => {
    for (const name of ['x86_64-v6.17', 'arm64-v6.17']) {
      const m = await load(name);
      for (const s of [...bundled('10-guard-regions.scn'), ...bundled('11-poison.scn')]) {
        expect(`${name}: ${s.name}: ${describeResult(runScenario(m, s))}`).toBe(`${name}: ${s.name}: ok`);
      }
    }
  });

  it('5.10 maps the page whose swap read failed at swapoff (the bug 9f186f9e5fa9 fixed): the read returns garbage', async () => {
    const m = await load('x86_64-v5.10');
    const r = runScenario(m, bundled('11-poison.scn').find((s) => s.name === 'swap read error: swapoff leaves a poisoned entry')!);
    expect(r.firstFailure?.kind).toBe('oracle');
    expect(r.firstFailure?.text).toBe('A read 0');
    expect(r.steps[r.firstFailure!.step]!.outcome).toEqual({ type: 'value', value: GARBAGE });
  });

  it('5.19 gives SIGBUS after swapoff (SWP_SWAPIN_ERROR), 6.17 the hwpoison signal (PTE_MARKER_POISONED)', async () => {
    const text = `scenario "s" {
  mm A { map anon at 0 }
  A write 0 = 1
  swap_error A 0
  A read 0 -> sigbus
  swapoff
  A read 0
}`;
    for (const [name, want] of [['x86_64-v5.19', 'sigbus'], ['x86_64-v6.17', 'hwpoison']] as const) {
      const r = run(await load(name), text);
      expect(describeResult(r)).toBe('ok');
      expect(r.steps.at(-1)!.outcome).toEqual({ type: want });
    }
  });

  it('kernels before 6.6 and 6.13 refuse UFFDIO_POISON and the guard advice with EINVAL', async () => {
    for (const name of ['x86_64-v5.10', 'x86_64-v5.19']) {
      const m = await load(name);
      const r = run(m, `scenario "p" {
  mm A { map anon at 0; uffd; register 0 }
  A poison 0
}`);
      expect(r.steps.at(-1)!.outcome).toEqual({ type: 'error', errno: 'EINVAL' });
      const g = run(m, 'scenario "g" { mm A { map anon at 0 }; A madvise guard_install 0 }');
      expect(g.steps.at(-1)!.outcome).toEqual({ type: 'error', errno: 'EINVAL' });
    }
  });
});

describe('memory failure keeps the poisoned page and drops the rss of its mappings', () => {
  it('the page stays with one reference, the hwpoison entries count no rss, and the invariants hold', async () => {
    const m = new Machine(await load('x86_64-v6.17'), createWorld());
    for (const step of scn(`scenario "h" {
  mm A { map anon at 0 }
  A write 0 = 1
  A fork B
}`).steps) applyOp(m, step.op);
    expect(applyOp(m, { op: 'madv_hwpoison', mm: 'A', addr: 0, pages: 1 })).toEqual({ type: 'ok' });
    const poisoned = m.world.pages.filter((p) => p && p.hwpoison);
    expect(poisoned.map((p) => [p!.refcount, p!.mapcount])).toEqual([[1, 0]]);
    expect(m.world.mms.get('A')!.rss.anon).toBe(0);
    expect(m.world.mms.get('B')!.rss.anon).toBe(0);
    expect(checkInvariants(m)).toEqual([]);
    expect(applyOp(m, { op: 'read', mm: 'B', addr: 0 })).toEqual({ type: 'hwpoison' });
  });
});

describe('the oracle: lost contents and guards', () => {
  it('a guard install that meets a shmem uffd-wp marker never returns (hang), as madvise_guard_install restarts', async () => {
    const r = run(await load('x86_64-v6.17'), `scenario "e" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A protect 0
  A madvise guard_install 0 -> hang
}`);
    expect(describeResult(r)).toBe('ok');
    // the error the kernel never returns is not accepted
    const eagain = run(await load('x86_64-v6.17'), `scenario "e" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A protect 0
  A madvise guard_install 0 -> EAGAIN
}`);
    expect(describeResult(eagain)).not.toBe('ok');
  });

  it('a spec that forgets to install the guard is caught: the access completes where SIGSEGV is due', async () => {
    const m = await load('x86_64-v6.17');
    const forgetful: SpecModule = { ...m, paths: { ...m.paths, guard_install_pte_entry: () => ({ type: 'done' }) } };
    const r = run(forgetful, 'scenario "f" { mm A { map anon at 0 }; A madvise guard_install 0; A read 0 }');
    expect(r.firstFailure?.text).toBe('A read 0');
    expect(r.firstFailure?.message).toContain('the v6.17 contract requires sigsegv');
  });

  it('maybe-lost contents of a forked child are settled by the next access', async () => {
    // the child shares the page; the parent's swap_error loses it for both (the shared slot): the oracle accepts
    // either for the child and learns from its read
    const r = run(await load('x86_64-v6.17'), `scenario "c" {
  mm A { map anon at 0 }
  A write 0 = 1
  A fork B
  swap_error A 0
  B read 0
  B read 0 -> sigbus
}`);
    expect(describeResult(r)).toBe('ok');
    expect(r.steps.at(-2)!.oracle).toEqual({ type: 'either', options: [{ type: 'value', values: [1] }, { type: 'sigbus' }, { type: 'hwpoison' }] });
    expect(r.steps.at(-1)!.oracle).toEqual({ type: 'either', options: [{ type: 'sigbus' }, { type: 'hwpoison' }] });
  });
});

describe('scenario language', () => {
  it('the new ops and outcomes round-trip through formatStep and the parser', () => {
    const text = `scenario "r" {
  file F pages 1
  mm A { map anon at 0 pages 2; map F shared at 2; uffd; register 0 pages 2 }
  A poison 0 pages 2 -> EEXIST
  A madvise hwpoison 1 -> EBUSY
  A madvise guard_install 2
  A madvise guard_remove 2
  swap_error A 1
  A read 0 -> hwpoison
  A pagemap 2 -> guard
  A pagemap 2 -> !guard
}`;
    const s = scn(text);
    const again = scn(`scenario "r" {\n${s.steps.map((st) => formatStep(st.op)).join('\n')}\n}`);
    expect(again.steps.map((st) => st.op)).toEqual(s.steps.map((st) => st.op));
    expect(s.steps.slice(-3).map((st) => st.expect)).toEqual([{ type: 'hwpoison' }, { type: 'guard', guard: true }, { type: 'guard', guard: false }]);
  });

  it('an outcome that does not fit is reported (hwpoison after pagemap)', () => {
    const r = parseScenarios({ path: 't.scn', text: 'scenario "x" { mm A { map anon at 0 }; A pagemap 0 -> hwpoison }' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PTE062']);
    expect(r.diagnostics[0]!.message).toContain("'-> hwpoison' does not fit 'pagemap'");
  });
});
