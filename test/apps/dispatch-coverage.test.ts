// Issue 19, points 4 and 5: the bundled 6.17 do_swap_page asks the kernel's predicates in v6.17's order, so a
// proposal that leaves the kernel's type-only is_hwpoison_entry() fails by itself; check names the affected paths;
// run counts what it created and says what a proposal's verdict does not cover.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { changedPredicates } from '../../apps/dispatch.js';
import { claimCaveat, newCoverage, summarizeCoverage } from '../../apps/coverage.js';
import { compileBase } from '../../compiler/backends/base.js';
import { loadSpecModule } from '../../apps/load-module.js';
import { compileClean } from '../../compiler/compile.js';
import { nodeHost } from '../../compiler/load.js';
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

  it('the predicates whose meaning changes are asked by do_swap_page (hwpoison, pte_marker)', () => {
    const c = compile(text);
    const base = unwrap(compileBase(c.ir));
    if (!base) throw new Error('no base');
    const changed = changedPredicates(base.ir, c.ir, ['is_hwpoison_entry', 'is_pte_marker']);
    expect(changed.map((p) => p.name)).toEqual(['is_hwpoison_entry', 'is_pte_marker']);
    for (const p of changed) expect(p.callers.filter((x) => x.path === 'do_swap_page').map((x) => x.kind).sort()).toEqual(['hwpoison', 'pte_marker']);
  });

  it('ptelab check prints the dispatch line for the proposal, and none for a bundled kernel spec', async () => {
    let out = '';
    const io = { out: (s: string) => void (out += s), err: () => undefined, isTTY: false, cwd: repoRoot };
    expect(await main(['check', PROPOSAL], io)).toBe(0);
    expect(out).toContain('dispatch: predicates whose meaning changes');
    expect(out).toContain('is_hwpoison_entry: do_swap_page (hwpoison, pte_marker)');
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
