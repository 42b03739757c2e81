// Issue #14 items 3 and 5: UFFD_FEATURE_WP_ASYNC, PAGEMAP_SCAN and long-term pins. The language (scan, pin, unpin,
// `-> written ...`), the runtime on the bundled specs (6.17 resolves and scans; 5.10 and 5.19 refuse with the kernel's
// errno), the early COW of a pinned page at fork, and that a spec without the async resolution or the early COW is
// caught.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModuleText } from '../../apps/load-module.js';
import { formatStep } from '../../runtime/format-step.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { describeResult, run, scn } from './helpers.js';

const moduleText = (name: string): string => readFileSync(new URL(`../../generated/${name}/module.ts`, import.meta.url), 'utf8');
const load = (name: string, edit: (t: string) => string = (t) => t): Promise<SpecModule> =>
  loadModuleText(edit(moduleText(name))).then((l) => l.module);

const ASYNC = `scenario "a" {
  mm A { map anon at 0 pages 2; uffd features wp_unpopulated, wp_async; register 0 pages 2 }
  A protect 0 pages 2
  A write 0 = 1 -> ok
  A scan 0 pages 2 mode wp, check -> written 0
  A scan 0 pages 2 -> written none
  A read 1 -> 0
  A scan 0 pages 2 -> written none
  A write 1 = 2 -> ok
  A scan 0 pages 2 -> written 1
  A pagemap 0 -> wp
}`;

describe('the scenario language', () => {
  it('parses scan with its modes and the written report, and prints it back', () => {
    const s = scn(`scenario "s" {
  mm A { map anon at 0 pages 3 }
  A scan 0 pages 3 mode wp, check -> written 2, 0
  A scan 1 -> written none
  A pin 0 -> ok
  A unpin 0
}`);
    const ops = s.steps.slice(2).map((x) => x.op);
    expect(ops).toEqual([
      { op: 'pagemap_scan', mm: 'A', addr: 0, pages: 3, wp: true, check: true },
      { op: 'pagemap_scan', mm: 'A', addr: 1, pages: 1, wp: false, check: false },
      { op: 'pin', mm: 'A', addr: 0 },
      { op: 'unpin', mm: 'A', addr: 0 },
    ]);
    expect(s.steps[2]!.expect).toEqual({ type: 'written', pages: [0, 2] });
    expect(s.steps[3]!.expect).toEqual({ type: 'written', pages: [] });
    expect(ops.map(formatStep)).toEqual(['A scan 0 pages 3 mode wp, check', 'A scan 1', 'A pin 0', 'A unpin 0']);
  });

  it('reports an unknown scan mode and a written report after another op', () => {
    const r = parseScenarios({ path: 't.scn', text: 'scenario "s" {\n  mm A { map anon at 0 }\n  A scan 0 mode dontwake\n  A read 0 -> written 0\n}\n' });
    expect(r.diagnostics.map((d) => `${d.range.start.line}: ${d.message}`)).toEqual([
      "3: 'dontwake' is not a mode of scan",
      "4: '-> written 0' does not fit 'read'",
    ]);
  });
});

describe('WP_ASYNC and PAGEMAP_SCAN on the bundled specs', () => {
  it('6.17 resolves the write itself and the scan reports and re-protects it', async () => {
    for (const name of ['x86_64-v6.17', 'arm64-v6.17']) {
      const r = run(await load(name), ASYNC);
      expect(describeResult(r), name).toBe('ok');
    }
  });

  it('5.19 and 5.10 refuse UFFD_FEATURE_WP_ASYNC (EINVAL) and PAGEMAP_SCAN (ENOTTY)', async () => {
    for (const name of ['x86_64-v5.19', 'x86_64-v5.10']) {
      const m = await load(name);
      expect(m.uffdFeatures?.offered, name).not.toContain('wp_async');
      const r = run(m, ASYNC);
      expect(r.steps[2]!.outcome, name).toEqual({ type: 'error', errno: 'EINVAL' });
      const plain = run(m, 'scenario "p" {\n  mm A { map anon at 0 }\n  A scan 0 -> written 0\n}');
      expect(plain.steps.at(-1)!.outcome, name).toEqual({ type: 'error', errno: 'ENOTTY' });
    }
  });

  it('a 6.17 whose do_wp_page ignores WP_ASYNC fails at the first write (a userfault the contract does not allow)', async () => {
    const text = moduleText('x86_64-v6.17');
    expect(text).toContain('$ctx.vma.uffd_wp_async');
    const r = run(await load('x86_64-v6.17', (t) => t.replaceAll('$ctx.vma.uffd_wp_async', 'false')), ASYNC);
    expect(r.ok).toBe(false);
    expect(r.firstFailure?.text).toBe('A write 0 = 1');
  });
});

describe('long-term pins and fork', () => {
  const PIN = `scenario "p" {
  mm A { map anon at 0; uffd features event_fork; register 0 }
  A write 0 = 1
  A protect 0
  A pin 0
  A fork B
  B write 0 -> userfault wp
}`;
  it('6.17 copies the pinned page for the child at fork and keeps the child protected with EVENT_FORK', async () => {
    const m = await load('x86_64-v6.17');
    const r = run(m, PIN);
    expect(describeResult(r)).toBe('ok');
    // the child has its own exclusive page: it can be pinned without unsharing
    const r2 = run(m, PIN.replace('  B write 0 -> userfault wp', '  B pin 0 -> ok\n  A unpin 0\n  B unpin 0'));
    expect(describeResult(r2)).toBe('ok');
  });

  it('5.10 copies it without the uffd-wp bit (fixed in v5.14): the child write completes', async () => {
    const r = run(await load('x86_64-v5.10'), PIN);
    expect(r.ok).toBe(false);
    expect(r.firstFailure?.text).toBe('B write 0 = 2');
    expect(r.steps.at(-1)!.outcome).toEqual({ type: 'ok' });
  });

  it('a 6.17 without the early COW is caught: the child shares the pinned page, which GUP in the child must unshare', async () => {
    const text = moduleText('x86_64-v6.17');
    expect(text).toContain('$env.prim.page_maybe_dma_pinned(');
    const m = await load('x86_64-v6.17', (t) => t.replaceAll('$env.prim.page_maybe_dma_pinned(', '((..._a: unknown[]) => false)('));
    const r = run(m, PIN.replace('  B write 0 -> userfault wp', '  B pin 0 -> ok'));
    expect(r.ok).toBe(false);
    expect(r.firstFailure?.text).toBe('B pin 0');
  });

  it('a pin holds a reference: the page outlives munmap until unpin, and the accounting stays exact', async () => {
    const m = await load('x86_64-v6.17');
    const r = run(m, `scenario "u" {
  mm A { map anon at 0 pages 2 }
  A write 0 = 1
  A pin 0
  A munmap 0
  A unpin 0
  A write 1 = 2
  A exit
}`);
    expect(describeResult(r)).toBe('ok');
  });

  it('refuses a pin GUP would first unshare (the zero page) as a scenario error', async () => {
    const r = run(await load('x86_64-v6.17'), 'scenario "z" {\n  mm A { map anon at 0 }\n  A pin 0\n}');
    expect(r.firstFailure?.kind).toBe('scenario');
    expect(r.firstFailure?.message).toMatch(/unshare/);
  });
});
