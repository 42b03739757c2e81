// Issue 19, points 4 and 5: the bundled 6.17 do_swap_page asks the kernel's predicates in v6.17's order, so a
// proposal that leaves the kernel's type-only is_hwpoison_entry() fails by itself; check names the affected paths;
// run counts what it created and says what a proposal's verdict does not cover.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { changedPredicates } from '../../apps/dispatch.js';
import { claimCaveat, newCoverage, summarizeCoverage } from '../../apps/coverage.js';
import { compileBase } from '../../compiler/backends/base.js';
import { loadSpecModule } from '../../apps/load-module.js';
import { compileClean } from '../../compiler/compile.js';
import { nodeHost } from '../../compiler/load.js';
import { predicateCallers } from '../../compiler/ir/predicate-callers.js';
import { runScenario } from '../../runtime/runner.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';
import { repoRoot } from '../helpers/repo.js';
import { unwrap } from '../../core/result.js';

const PROPOSAL = 'examples/proposals/free-swap-type.pte';
const text = fs.readFileSync(path.join(repoRoot, PROPOSAL), 'utf8');
/** The proposal with the kernel's own, type-only is_hwpoison_entry() kept (its `means` widened so check accepts it). */
const kept = text.replace(/override predicate is_hwpoison_entry[^\n]*\n/, 'override predicate is_hwpoison_entry on swp = is_swap_pte && TYPE == SWP_HWPOISON means hwpoison, pte_marker\n');

/** The proposal with `variant` as its text; it checks clean (the kept variant too), so its IR is there. */
function compile(variant: string) {
  const file = path.join(repoRoot, PROPOSAL);
  return unwrap(compileClean(file, { readFile: (f) => (f === file ? variant : nodeHost.readFile(f)) }));
}

function markerScenario() {
  const file = path.join(repoRoot, 'examples/scenarios/3-markers.scn');
  const r = parseScenarios({ path: file, text: fs.readFileSync(file, 'utf8') });
  const s = r.scenarios.find((x) => x.name === 'read over a marker maps the page write-protected');
  if (!s) throw new Error('scenario not found');
  return s;
}

describe('kernel dispatch order in do_swap_page (v6.17)', () => {
  it('the proposal as written passes the marker scenario', async () => {
    const c = compile(text);
    const r = runScenario((await loadSpecModule(c.ir)).module, markerScenario());
    expect(r.ok).toBe(true);
  });

  it("with the kernel's type-only is_hwpoison_entry() kept, the marker faults as hwpoison: the scenario fails", async () => {
    expect(kept).not.toBe(text);
    const c = compile(kept);
    expect(c.ok).toBe(true);
    const r = runScenario((await loadSpecModule(c.ir)).module, markerScenario());
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.firstFailure)).toContain('hwpoison');
  });

  it('the predicates whose meaning changes are asked by do_swap_page and zap_pte_range (hwpoison, pte_marker), is_pte_marker by copy, change and move too', () => {
    const c = compile(text);
    const base = unwrap(compileBase(c.ir));
    if (!base) throw new Error('no base');
    const changed = changedPredicates(base.ir, c.ir, ['is_hwpoison_entry', 'is_pte_marker']);
    expect(changed.map((p) => p.name)).toEqual(['is_hwpoison_entry', 'is_pte_marker']);
    for (const p of changed) {
      const kinds = (path: string) => [...new Set(p.callers.filter((x) => x.path === path).map((x) => x.kind))].sort();
      // zap_pte_range asks only once the entry is neither swap, migration nor device (v6.17 zap_nonpresent_ptes)
      expect(kinds('zap_pte_range'), `${p.name} in zap_pte_range`).toEqual(['hwpoison', 'pte_marker']);
      // do_swap_page asks every non-present entry its chain, in v6.17's order, so every kind it faults on is a caller
      expect(kinds('do_swap_page'), `${p.name} in do_swap_page`).toEqual(
        ['device_private_read', 'device_private_write', 'hwpoison', 'migration_read', 'migration_read_exclusive', 'migration_write', 'pte_marker', 'swap'],
      );
    }
    const marker = changed.find((p) => p.name === 'is_pte_marker')!;
    for (const path of ['copy_page_range', 'change_pte_range', 'move_ptes']) {
      expect(marker.callers.filter((x) => x.path === path).map((x) => x.kind), path).toEqual(expect.arrayContaining(['hwpoison', 'pte_marker']));
    }
  });

  it('ptelab check prints the dispatch line for the proposal, and none for a bundled kernel spec', async () => {
    let out = '';
    const io = { out: (s: string) => void (out += s), err: () => undefined, isTTY: false, cwd: repoRoot };
    expect(await main(['check', PROPOSAL], io)).toBe(0);
    expect(out).toContain('dispatch: predicates whose meaning changes');
    expect(out).toMatch(/is_hwpoison_entry: zap_pte_range \(pte_marker, hwpoison\), do_swap_page \([^)]*hwpoison, pte_marker\)/);
    // is_pte_marker is asked by every path that classifies a non-present entry in the kernel's order
    for (const p of ['copy_page_range', 'zap_pte_range', 'do_swap_page', 'change_pte_range', 'move_ptes']) {
      expect(out).toMatch(new RegExp(`is_pte_marker: [^;]*${p} \\(`));
    }
    expect(out).not.toContain('is_migration_entry:'); // renumbered only
    out = '';
    expect(await main(['check', 'examples/x86_64-v6.17.pte'], io)).toBe(0);
    expect(out).not.toContain('dispatch:');
  });
});

describe('coverage', () => {
  it('a run of the marker scenario creates pte_marker(PTE_MARKER_UFFD_WP), never hwpoison; the verdict says so', async () => {
    const c = compile(text);
    const cov = newCoverage(c.ir);
    runScenario((await loadSpecModule(c.ir)).module, markerScenario(), cov);
    const base = unwrap(compileBase(c.ir));
    if (!base) throw new Error('no base');
    const s = summarizeCoverage(cov, c.ir, base.ir);
    expect(s.created).toContain('pte_marker(PTE_MARKER_UFFD_WP)');
    expect(s.never).toContain('hwpoison');
    expect(s.never).toContain('pte_marker(PTE_MARKER_POISONED)');
    expect(s.casesRan).toBeGreaterThan(0);
    expect(s.casesRan).toBeLessThan(s.casesTotal);
    const caveat = claimCaveat(s)!;
    expect(caveat).toContain('hwpoison');
    expect(caveat).toContain('pte_marker(PTE_MARKER_POISONED)');
    expect(caveat).toContain('this verdict says nothing about them');
  });

  it('a bundled kernel spec has no claim to qualify', async () => {
    const c = unwrap(compileClean(path.join(repoRoot, 'examples/x86_64-v6.17.pte')));
    const cov = newCoverage(c.ir);
    runScenario((await loadSpecModule(c.ir)).module, markerScenario(), cov);
    const s = summarizeCoverage(cov, c.ir);
    expect(s.claim).toBeUndefined();
    expect(claimCaveat(s)).toBeUndefined();
  });
});

// Issue 19's demonstration, both halves: with the kernel's order in every bundled path that classifies a non-present
// entry, a proposal that leaves a kernel predicate as the kernel has it fails by itself, naming the path that asks it;
// the proposal as bundled (both predicates updated) is clean, and its coverage shows what it changes was exercised.
describe('free-swap-type: the kernel order decides', () => {
  /** A variant of the proposal on disk (its `extends` made absolute), for the CLI. */
  function onDisk(variant: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-order-'));
    const file = path.join(dir, 'variant.pte');
    const base = path.join(repoRoot, 'examples/x86_64-v6.17.pte');
    const t = variant.replace('extends "../x86_64-v6.17.pte"', `extends ${JSON.stringify(base)}`);
    if (t === variant) throw new Error('the proposal no longer extends ../x86_64-v6.17.pte');
    fs.writeFileSync(file, t);
    return file;
  }
  function world(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-order-'));
    const file = path.join(dir, 'world.scn');
    fs.writeFileSync(file, text);
    return file;
  }
  async function cli(...argv: string[]) {
    let out = '';
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (out += s), isTTY: false, cwd: repoRoot };
    return { code: await main(argv, io), out };
  }
  const ANON = world('scenario "anon" {\n  mm A { map anon at 0; uffd; register 0 }\n}\n');
  const SHMEM = world('scenario "shmem shared" {\n  file F pages 1\n  mm A { map F shared at 0; uffd; register 0 }\n}\n');
  /** The kernel's own is_pte_marker_entry() (a type test) kept: hwpoison entries are markers to it. */
  const keptMarker = text.replace(/override predicate is_pte_marker [^\n]*\n/, 'override predicate is_pte_marker on swp = is_swap_pte && TYPE == SWP_HWPOISON means hwpoison, pte_marker\n');

  it("type-only is_hwpoison_entry() kept: explore finds do_swap_page taking a uffd-wp marker for hwpoison in 2 ops", async () => {
    const r = await cli('explore', '--world', SHMEM, '--depth', '2', '--ops', 'read,protect', onDisk(kept));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL {2}world "shmem shared".*counterexample, 2 ops/);
    expect(r.out).toContain('the spec gives hwpoison');
    expect(r.out).toMatch(/the step last ran do_swap_page case #\d+ \(pte_marker\)/);
  });

  const paths: [string, string, RegExp][] = [
    ['dontneed', 'zap_pte_range', /warn reached: zap_nonpresent_ptes: the kernel's tests, in its order, take this hwpoison entry/],
    ['fork', 'copy_page_range', /warn reached: copy_nonpresent_pte: the kernel's tests, in its order, take this hwpoison entry/],
    ['protect', 'change_pte_range', /warn reached: change_pte_range: the kernel's tests, in its order, take this hwpoison entry/],
  ];
  for (const [op, p, message] of paths) {
    it(`type-only is_pte_marker_entry() kept: ${op} on a hwpoison entry fails in ${p}`, async () => {
      expect(keptMarker).not.toBe(text);
      const r = await cli('explore', '--world', ANON, '--depth', '3', '--ops', `write,hwpoison,${op}`, onDisk(keptMarker));
      expect(r.code).toBe(1);
      expect(r.out).toMatch(message);
      expect(r.out).toMatch(new RegExp(`bad entry from: ${p} case #\\d+ \\(hwpoison\\)`));
    });
  }

  it('the same explorations of the proposal as bundled are clean', async () => {
    const proposal = path.join(repoRoot, PROPOSAL);
    expect((await cli('explore', '--world', SHMEM, '--depth', '2', '--ops', 'read,protect', proposal)).code).toBe(0);
    for (const [op] of paths) expect((await cli('explore', '--world', ANON, '--depth', '3', '--ops', `write,hwpoison,${op}`, proposal)).code, op).toBe(0);
  });

  it('ptelab run of every bundled scenario on the proposal as bundled passes, and creates hwpoison and every marker bit', async () => {
    const c = compile(text);
    const mod = (await loadSpecModule(c.ir)).module;
    const cov = newCoverage(c.ir);
    const dir = path.join(repoRoot, 'examples/scenarios');
    let failed = 0;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.scn'))) {
      const file = path.join(dir, f);
      for (const s of parseScenarios({ path: file, text: fs.readFileSync(file, 'utf8') }).scenarios) {
        if (!runScenario(mod, s, cov).ok) failed++;
      }
    }
    expect(failed).toBe(0);
    const base = unwrap(compileBase(c.ir));
    if (!base) throw new Error('no base');
    const s = summarizeCoverage(cov, c.ir, base.ir);
    for (const k of ['hwpoison', 'pte_marker(PTE_MARKER_UFFD_WP)', 'pte_marker(PTE_MARKER_POISONED)', 'pte_marker(PTE_MARKER_GUARD)']) {
      expect(s.created, k).toContain(k);
      expect(s.never).not.toContain(k);
    }
  });
});

// Every bundled kernel spec (5.10, 5.19, 6.17 on x86_64, 6.17 on arm64) asks the kernel's predicates in the paths that
// classify a non-present entry: for each non-present kind, some case of each such path asks a predicate.
describe('kernel dispatch order in every bundled kernel spec', () => {
  const specs = ['x86_64-v5.10', 'x86_64-v5.19', 'x86_64-v6.17', 'arm64-v6.17'];
  const paths = ['copy_page_range', 'zap_pte_range', 'do_swap_page', 'change_pte_range'];
  for (const name of specs) {
    it(`${name}: ${paths.join(', ')} ask predicates for every non-present kind`, () => {
      const c = unwrap(compileClean(path.join(repoRoot, `examples/${name}.pte`)));
      const nonPresent = c.ir.predicates.find((p) => p.name === 'is_swap_pte');
      const kinds = c.spec.predicates.get('is_swap_pte')!.means.map((m) => m.name);
      expect(nonPresent && kinds.length).toBeGreaterThan(4);
      const asked = new Map<string, Set<string>>();
      for (const callers of predicateCallers(c.ir).values()) {
        for (const x of callers) if (x.kind) asked.set(x.path, (asked.get(x.path) ?? new Set()).add(x.kind));
      }
      for (const p of paths) expect([...(asked.get(p) ?? [])].sort(), `${name} ${p}`).toEqual(expect.arrayContaining([...kinds].sort()));
    });
  }

  async function cli(...argv: string[]) {
    let out = '';
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (out += s), isTTY: false, cwd: repoRoot };
    return { code: await main(argv, io), out };
  }
  function tmp(name: string, text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-order-')), name);
    fs.writeFileSync(file, text);
    return file;
  }
  const delta = (base: string, body: string) =>
    tmp('variant.pte', `spec variant extends ${JSON.stringify(path.join(repoRoot, `examples/${base}.pte`))} "a predicate widened"\n${body}\n`);

  it('5.19: is_hwpoison_entry widened to the marker type: do_swap_page (its test comes before is_pte_marker_entry) gives hwpoison for a uffd-wp marker', async () => {
    const spec = delta('x86_64-v5.19', 'override predicate is_hwpoison_entry on swp = is_swap_pte && (TYPE == SWP_HWPOISON || TYPE == SWP_PTE_MARKER) means hwpoison, pte_marker');
    const world = tmp('w.scn', 'scenario "shmem shared" {\n  file F pages 1\n  mm A { map F shared at 0; uffd; register 0 }\n}\n');
    const r = await cli('explore', '--world', world, '--depth', '2', '--ops', 'read,protect', spec);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the spec gives hwpoison');
    expect(r.out).toMatch(/the step last ran do_swap_page case #\d+ \(pte_marker\)/);
  });

  it('5.10: is_device_private_entry widened to the hwpoison type: zap_pte_range and copy_page_range take hwpoison for a device entry', async () => {
    const spec = delta('x86_64-v5.10', 'override predicate is_device_private_entry on swp = is_swap_pte && (TYPE == SWP_DEVICE_READ || TYPE == SWP_DEVICE_WRITE || TYPE == SWP_HWPOISON) means device_private_read, device_private_write, hwpoison');
    const world = tmp('w.scn', 'scenario "anon, written" {\n  mm A { map anon at 0 }\n  A write 0 = 1\n}\n');
    for (const [op, p] of [['dontneed', 'zap_pte_range'], ['fork', 'copy_page_range']]) {
      const r = await cli('explore', '--world', world, '--depth', '2', '--ops', `hwpoison,${op}`, spec);
      expect(r.code, op).toBe(1);
      expect(r.out).toMatch(/warn reached: \w+: in the kernel's order this hwpoison entry is .*device-private entry/);
      expect(r.out).toMatch(new RegExp(`bad entry from: ${p} case #\\d+ \\(hwpoison\\)`));
    }
  });
});
