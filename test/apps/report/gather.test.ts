// The report's data (compiler/report/gather.ts): which sections a kernel spec's page has and which a proposal's, each
// checked against what the rest of ptelab says about the same spec (the compiler, the scenario files, the bundled
// explore worlds), never against numbers copied from a run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetSummary } from '../../../compiler/checks/swap-budget.js';
import { compileClean, type CleanCompiled } from '../../../compiler/compile.js';
import { sortDiagnostics } from '../../../core/diagnostics/diagnostic.js';
import { loadMatrixScenarios } from '../../../apps/matrix/run.js';
import type { ReportRun, SpecReport } from '../../../apps/report/model.js';
import { buildReport, pageNames } from '../../../apps/report/report.js';
import { bundledWorlds } from '../../../runtime/explore/worlds.js';
import { KERNEL, PROPOSAL, PROPOSAL_BASE, removeAll, repoRoot, tempDir } from './fixtures.js';
import { unwrap } from '../../../core/result.js';

function compiled(file: string): CleanCompiled {
  return unwrap(compileClean(file));
}

/** A failing run's failure names a step of the run, and that step (and only the steps from it on) may fail. */
function expectConsistentRun(run: ReportRun): void {
  expect(run.steps.length).toBeGreaterThan(0);
  if (run.ok) {
    expect(run.failure).toBeUndefined();
    expect(run.steps.every((s) => s.ok)).toBe(true);
    return;
  }
  const f = run.failure!;
  expect(f).toBeDefined();
  const step = run.steps.find((s) => s.index === f.step);
  expect(step, `failure at step ${f.step} is one of the run's steps`).toBeDefined();
  expect(step!.text).toBe(f.text);
  expect(step!.ok).toBe(false);
  expect(run.steps.filter((s) => s.index < f.step).every((s) => s.ok)).toBe(true);
}

let kernel: SpecReport;
let proposal: SpecReport;
let broken: SpecReport;
let missing: SpecReport;
let brokenFile = '';

beforeAll(async () => {
  const dir = tempDir('report-gather');
  brokenFile = path.join(dir, 'broken.pte');
  // Two fields on bit 0: PTE001, and no IR for the back ends.
  fs.writeFileSync(brokenFile, 'spec broken "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
  // Depth 2 is enough for the proposal's shortest counterexamples (the section is what is tested, not the explorer).
  const r = await buildReport([KERNEL, PROPOSAL, brokenFile, path.join(dir, 'no-such.pte')], { exploreDepth: 2 });
  [kernel, proposal, broken, missing] = r.specs as [SpecReport, SpecReport, SpecReport, SpecReport];
}, 120_000);

afterAll(removeAll);

describe('a kernel spec', () => {
  it('names the spec as its header does, with no base and no diff section', () => {
    const c = compiled(KERNEL);
    expect(kernel.name).toBe(c.spec.name);
    expect(kernel.description).toBe(c.spec.description);
    expect(kernel.page).toBe('x86_64-v6.17');
    expect(kernel.ok).toBe(true);
    expect(kernel.base).toBeUndefined();
    expect(kernel.diff).toBeUndefined();
    expect(kernel.chain[kernel.chain.length - 1]).toBe(KERNEL);
  });

  it('carries the diagnostics of check, in order, none of them errors', () => {
    const c = compiled(KERNEL);
    expect(kernel.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(
      sortDiagnostics(c.diagnostics).map((d) => `${d.range.file}:${d.range.start.line}:${d.range.start.column} ${d.code}`),
    );
    expect(kernel.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('has the layout diagram of every format and kind', () => {
    const c = compiled(KERNEL);
    expect(kernel.svg).toMatch(/^<svg[\s>]/);
    expect(kernel.svg).toMatch(/<\/svg>$/);
    expect(kernel.svg).not.toContain('<!--');
    for (const f of c.ir.formats) expect(kernel.svg, `format ${f.name}`).toContain(`format ${f.name}`);
    for (const k of c.ir.kinds) expect(kernel.svg, `kind ${k.name}`).toContain(`kind ${k.name} `);
  });

  it('has the swap budget as check computes it', () => {
    const c = compiled(KERNEL);
    expect(kernel.budget).toBeDefined();
    expect(kernel.budget!.summary).toBe(budgetSummary(c.spec));
    expect(kernel.budget!.maxSwapfiles).toBe(c.spec.swap!.maxSwapfiles);
    expect(kernel.budget!.shift).toBe(c.spec.swap!.shift);
    expect(kernel.budget!.groups.map((g) => g.name)).toEqual(c.spec.swap!.groups.map((g) => g.name));
    // Reserved types are counted off the top of 2^shift: MAX_SWAPFILES + every reserved type = 2^shift.
    expect(kernel.budget!.maxSwapfiles + kernel.budget!.groups.reduce((n, g) => n + g.count, 0)).toBe(2 ** kernel.budget!.shift);
  });

  it('lists the handlers of every path, each case with the spec line that declares it', () => {
    const c = compiled(KERNEL);
    // The PTE level's paths, then every other level's (issue #15: the report shows every level), each marked
    const levels = c.levels.filter((l) => l.ir && l.ir.paths.length > 0);
    expect(levels.length, 'the kernel spec has levels with paths').toBeGreaterThan(0);
    expect(kernel.paths!.map((p) => `${p.level ?? 'pte'}:${p.name}`)).toEqual([
      ...c.ir.paths.map((p) => `pte:${p.name}`),
      ...levels.flatMap((l) => l.ir!.paths.map((p) => `${l.level}:${p.name}`)),
    ]);
    for (const l of levels) {
      const cases = l.ir!.paths.reduce((n, p) => n + p.cases.length, 0);
      expect(kernel.paths!.filter((p) => p.level === l.level).reduce((n, p) => n + p.cases.length, 0), l.level).toBe(cases);
    }
    const lines = new Map<string, string[]>();
    let cases = 0;
    for (const p of kernel.paths!) {
      expect(p.cases.map((x) => x.index)).toEqual(p.cases.map((_, i) => i));
      for (const x of p.cases) {
        cases++;
        if (!lines.has(x.file)) lines.set(x.file, fs.readFileSync(path.resolve(x.file), 'utf8').split('\n'));
        const all = lines.get(x.file)!;
        let line = all[x.line - 1] ?? '';
        for (let k = x.line; line.trimEnd().endsWith(','); k++) line += ` ${all[k] ?? ''}`; // a list of kinds wraps
        // The line holds the case head: `case KIND`, `before case KIND`, `override case KIND` or `default`.
        // (a case for several kinds, `case a, b, ...`, may name this one anywhere in its list)
        if (x.kind !== undefined) expect(line, `${p.name} #${x.index} at ${x.file}:${x.line}`).toMatch(new RegExp(`\\bcase\\s+(?:\\w+,\\s*)*${x.kind}\\b`));
        else expect(line, `${p.name} #${x.index} at ${x.file}:${x.line}`).toMatch(/\bdefault\b/);
      }
    }
    expect(cases).toBeGreaterThan(0);
  });

  it('runs every bundled scenario, file by file, in order', () => {
    const loaded = loadMatrixScenarios(repoRoot).scenarios;
    expect(kernel.scenarios.available).toBe(true);
    if (!kernel.scenarios.available) return;
    const got = kernel.scenarios.files.flatMap((f) => f.scenarios.map((s) => `${f.file}:${s.line} ${s.name}`));
    expect(got).toEqual(loaded.map((s) => `${s.file}:${s.line} ${s.name}`));
    for (const f of kernel.scenarios.files) for (const s of f.scenarios) expectConsistentRun(s);
    // The kernel whose contract the oracle states passes its own suite (docs/matrix.md, column x86_64-v6.17).
    expect(kernel.scenarios.files.flatMap((f) => f.scenarios).filter((s) => !s.ok).map((s) => s.name)).toEqual([]);
  });

  it('explores every bundled world at the depth asked for, without a counterexample', () => {
    expect(kernel.explore.available).toBe(true);
    if (!kernel.explore.available) return;
    expect(kernel.explore.depth).toBe(2);
    expect(kernel.explore.worlds.map((w) => w.name)).toEqual(bundledWorlds().map((w) => w.name));
    for (const w of kernel.explore.worlds) {
      expect(['complete', 'incomplete'], `${w.name}: ${w.error ?? ''}`).toContain(w.verdict);
      expect(w.states).toBeGreaterThan(0);
      expect(w.levels.length).toBeLessThanOrEqual(3);
      expect(w.levels.reduce((a, b) => a + b, 0)).toBe(w.states);
    }
  });
});

describe('a proposal that extends a kernel spec', () => {
  it('names its base and the chain down to its own file', () => {
    expect(proposal.ok).toBe(true);
    expect(proposal.base).toBe(compiled(PROPOSAL_BASE).spec.name);
    expect(proposal.chain.map((f) => path.resolve(f))).toContain(path.resolve(PROPOSAL_BASE));
    expect(proposal.chain[proposal.chain.length - 1]).toBe(PROPOSAL);
  });

  it('has the diff against its base, naming what the proposal adds', () => {
    const d = proposal.diff;
    expect(d).toBeDefined();
    expect(d!.available).toBe(true);
    if (!d!.available) return;
    expect(path.resolve(d!.baseFile)).toBe(path.resolve(PROPOSAL_BASE));
    expect(d!.baseName).toBe(proposal.base);
    expect(d!.differs).toBe(true);
    // Every kind the proposal declares that its base does not have is in the diff.
    const added = compiled(PROPOSAL).ir.kinds.map((k) => k.name).filter((k) => !compiled(PROPOSAL_BASE).ir.kinds.some((b) => b.name === k));
    expect(added.length).toBeGreaterThan(0);
    for (const k of added) expect(d!.markdown).toContain(k);
  });

  it('marks the handler cases the proposal wrote, with lines in its own file', () => {
    const own = proposal.paths!.flatMap((p) => p.cases).filter((x) => x.origin === proposal.name);
    expect(own.length).toBeGreaterThan(0);
    const text = fs.readFileSync(PROPOSAL, 'utf8').split('\n');
    for (const x of own) {
      expect(x.file).toBe(PROPOSAL);
      expect(text[x.line - 1]).toMatch(x.kind !== undefined ? new RegExp(`\\bcase\\s+${x.kind}\\b`) : /\bdefault\b/);
    }
    // And the inherited ones point into the base chain, not into the proposal.
    const inherited = proposal.paths!.flatMap((p) => p.cases).filter((x) => x.origin !== proposal.name);
    expect(inherited.length).toBeGreaterThan(0);
    for (const x of inherited) expect(x.file).not.toBe(PROPOSAL);
  });

  it('shows failing scenarios with their first divergence', () => {
    expect(proposal.scenarios.available).toBe(true);
    if (!proposal.scenarios.available) return;
    const all = proposal.scenarios.files.flatMap((f) => f.scenarios);
    for (const s of all) expectConsistentRun(s);
    expect(all.some((s) => !s.ok)).toBe(true);
  });

  it('shows explore counterexamples with the scenario that replays them and their trace', () => {
    expect(proposal.explore.available).toBe(true);
    if (!proposal.explore.available) return;
    expect(proposal.explore.worlds.map((w) => w.name)).toEqual(bundledWorlds().map((w) => w.name));
    // A world the proposal's (5.10) kernel cannot run is not explored, and says why.
    for (const w of proposal.explore.worlds.filter((x) => x.verdict === 'n/a')) {
      expect(w.reason, w.name).toMatch(/^the world asks for UFFD_FEATURE_/);
      expect(w.states).toBe(0);
      expect(w.counterexample).toBeUndefined();
    }
    const cxs = proposal.explore.worlds.filter((w) => w.verdict === 'counterexample');
    expect(cxs.filter((w) => w.counterexample!.ops > 0).length).toBeGreaterThan(0);
    for (const w of cxs) {
      const cx = w.counterexample!;
      expect(cx, w.name).toBeDefined();
      // 0 ops: the world's own setup fails on the proposal's (5.10) kernel (MINOR registration, say)
      expect(cx.ops).toBeGreaterThanOrEqual(0);
      expect(cx.ops).toBeLessThanOrEqual(2);
      expect(cx.text).toMatch(/scenario /);
      expect(cx.summary.length).toBeGreaterThan(0);
      expect(cx.run.ok).toBe(false);
      expectConsistentRun(cx.run);
      // The failing step is the last one: a counterexample stops where it fails.
      expect(cx.run.failure!.step).toBe(cx.run.steps[cx.run.steps.length - 1]!.index);
    }
  });
});

describe('a spec that does not check or cannot be read', () => {
  it('with errors: diagnostics, and why scenarios and explore did not run', () => {
    expect(broken.ok).toBe(false);
    expect(broken.diagnostics.some((d) => d.severity === 'error' && d.file === brokenFile)).toBe(true);
    const d = broken.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.source).toBe(fs.readFileSync(brokenFile, 'utf8').split('\n')[d.line - 1]);
    expect(broken.scenarios).toEqual({ available: false, reason: `not run: the spec has errors (ptelab check ${brokenFile})` });
    expect(broken.explore.available).toBe(false);
  });

  it('unreadable: the I/O error and nothing else', () => {
    expect(missing.ioError).toMatch(/no-such\.pte/);
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics).toEqual([]);
    expect(missing.svg).toBeUndefined();
    expect(missing.scenarios.available).toBe(false);
  });
});

describe('options', () => {
  it('exploreDepth 0 leaves exploration out and says so', async () => {
    const r = await buildReport([KERNEL], { exploreDepth: 0 });
    expect(r.specs[0]!.explore).toEqual({ available: false, reason: 'not run (--no-explore)' });
  });

  it('page names are file stems, made unique', () => {
    expect(pageNames(['a/x.pte', 'b/x.pte', 'index.pte', 'c/y'])).toEqual(['x', 'x-2', 'index-2', 'y']);
  });
});
