// Everything a report page shows about one spec, gathered as plain data: compile it (diagnostics, layout, swap
// budget, handlers), run every bundled scenario on its generated module, explore the bundled worlds at a small
// depth, and diff it against the spec it extends. Rendering is render.ts's job; this file escapes nothing.
import { layoutSvg } from '../../compiler/backends/svg/layout.js';
import { loadSpecModule } from '../load-module.js';
import { budgetSummary } from '../../compiler/checks/swap-budget.js';
import { compileSpec, levelView, type Compiled } from '../../compiler/compile.js';
import { sortDiagnostics } from '../../core/diagnostics/diagnostic.js';
import { diffSpecs } from '../diff/diff.js';
import { exprText, stmtLines } from '../../compiler/ir/print.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import { renderDiffMarkdown } from '../diff/render-markdown.js';
import { diffSide } from '../diff/side.js';
import { nodeHost, type SpecHost } from '../../compiler/load.js';
import type { LoadedScenario } from '../../runtime/scenario/load.js';
import { runScenario } from '../../runtime/runner.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { splitLines } from '../../core/source.js';
import { exploreSection, type ExploreSettings } from './explore.js';
import type { ReportDiagnostic, ReportDiff, ReportExplore, ReportPath, ReportScenarioFile, ReportScenarios, ReportSwapBudget, SpecReport } from './model.js';
import { reportRun } from './runs.js';

export interface GatherOptions {
  readonly host?: SpecHost;
  /** The bundled scenarios (loaded once for every spec of a report), or why there are none. */
  readonly scenarios: readonly LoadedScenario[] | string;
  /** undefined: leave exploration out (the section says why: `exploreOff`). */
  readonly explore?: ExploreSettings;
  readonly exploreOff?: string;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

function diagnostics(c: Compiled): ReportDiagnostic[] {
  const lines = new Map<string, string[]>();
  const sourceLine = (file: string, line: number): string | undefined => {
    let ls = lines.get(file);
    if (!ls) {
      const src = c.sources.get(file);
      if (!src) return undefined;
      ls = splitLines(src.text);
      lines.set(file, ls);
    }
    const l = ls[line - 1];
    return l === undefined ? undefined : l.replace(/\t/g, ' ').replace(/\r$/, '');
  };
  return sortDiagnostics(c.diagnostics).map((d) => {
    const source = sourceLine(d.range.file, d.range.start.line);
    return {
      file: d.range.file,
      line: d.range.start.line,
      column: d.range.start.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
      ...(source !== undefined ? { source } : {}),
      related: (d.related ?? []).map((r) => ({ file: r.range.file, line: r.range.start.line, column: r.range.start.column, message: r.message })),
    };
  });
}

function budget(c: Compiled): ReportSwapBudget | undefined {
  const swap = c.spec.swap;
  const summary = budgetSummary(c.spec);
  if (!swap || summary === undefined) return undefined;
  return {
    summary,
    shift: swap.shift,
    maxSwapfiles: swap.maxSwapfiles,
    groups: swap.groups.map((g) => ({ name: g.name, count: g.count, addedBy: g.addedBy, types: g.types.map((t) => ({ name: t.name, value: t.value })) })),
  };
}

/** The PTE level's paths, then each other level's that has IR (a level is a page-table level like the PTE one). */
function paths(c: Compiled): ReportPath[] | undefined {
  if (!c.ir) return undefined;
  return [c.ir, ...c.levels.flatMap((l) => (l.ir ? [l.ir] : []))].flatMap((ir) => levelPaths(ir));
}

function levelPaths(ir: IrSpec): ReportPath[] {
  const level = ir.level !== undefined && ir.level !== 'pte' ? { level: ir.level } : {};
  return ir.paths.map((p) => ({
    name: p.name,
    ...level,
    cases: p.cases.map((x) => ({
      index: x.index,
      ...(x.kind !== undefined ? { kind: x.kind } : {}),
      ...(x.binding !== undefined ? { binding: x.binding } : {}),
      ...(x.guard !== undefined ? { guard: exprText(x.guard) } : {}),
      file: x.site.file,
      line: x.site.line,
      origin: x.origin,
      body: stmtLines(x.body),
    })),
  }));
}

function scenarioSection(module: SpecModule, scenarios: readonly LoadedScenario[]): ReportScenarios {
  const files: { file: string; scenarios: ReportScenarioFile['scenarios'][number][] }[] = [];
  for (const s of scenarios) {
    let f = files[files.length - 1];
    if (!f || f.file !== s.file) files.push((f = { file: s.file, scenarios: [] }));
    f.scenarios.push({ name: s.name, ...(s.source !== undefined ? { from: s.source } : {}), line: s.line, ...reportRun(runScenario(module, s)) });
  }
  return { available: true, files };
}

function diffSection(c: Compiled, host: SpecHost): ReportDiff | undefined {
  if (c.spec.base === undefined) return undefined;
  const baseFile = c.spec.chain[c.spec.chain.length - 2];
  if (baseFile === undefined) return { available: false, reason: `not available: the extends chain does not name the file of ${c.spec.base}` };
  if (!c.ir) return { available: false, reason: 'not available: the spec has errors that stop the front end' };
  const r = compileSpec(baseFile, host);
  if (!r.ok) return { available: false, reason: `not available: ${r.error}` };
  const base = r.value;
  if (!base.ok) return { available: false, reason: `not available: the base ${baseFile} has errors (ptelab check ${baseFile})` };
  try {
    const d = diffSpecs(diffSide(base), diffSide(c));
    return { available: true, baseFile, baseName: base.spec.name, differs: d.differs, markdown: renderDiffMarkdown(d) };
  } catch (e) {
    return { available: false, reason: `not available: ${message(e)}` };
  }
}

/** The report data of one spec file; `page` is its page name (see report.ts). Never throws for a bad spec. */
export async function gatherSpecReport(file: string, page: string, opts: GatherOptions): Promise<SpecReport> {
  const host = opts.host ?? nodeHost;
  const r = compileSpec(file, host);
  if (!r.ok) {
    const none = { available: false as const, reason: 'not run: the spec could not be read' };
    return { file, page, ioError: r.error, name: page, description: '', chain: [], ok: false, diagnostics: [], scenarios: none, explore: none };
  }
  const c = r.value;
  const ir = c.ir;
  let module: SpecModule | undefined;
  let noModule = !c.ok ? `not run: the spec has errors (ptelab check ${file})` : !ir ? 'not run: the front end stopped early' : '';
  if (!noModule && ir) {
    try {
      module = (await loadSpecModule(ir)).module;
    } catch (e) {
      noModule = `not run: the generated module does not load: ${message(e)}`;
    }
  }
  let scenarios: ReportScenarios;
  if (typeof opts.scenarios === 'string') scenarios = { available: false, reason: opts.scenarios };
  else if (!module) scenarios = { available: false, reason: noModule };
  else scenarios = scenarioSection(module, opts.scenarios);

  let explore: ReportExplore;
  if (!opts.explore) explore = { available: false, reason: opts.exploreOff ?? 'not run' };
  else if (!module || !ir) explore = { available: false, reason: noModule };
  else explore = await exploreSection(module, opts.explore);

  const b = budget(c);
  const ps = paths(c);
  const diff = diffSection(c, host);
  let svg: string | undefined;
  if (ir) {
    try {
      svg = layoutSvg(ir).replace(/^<!--[^\n]*-->\n/, '').trimEnd();
    } catch {
      svg = undefined;
    }
  }
  const levels = c.levels.flatMap((l) => {
    const v = levelView(c, l.level)?.displayIr;
    if (!v) return [];
    try {
      return [{ level: l.level, svg: layoutSvg(v).replace(/^<!--[^\n]*-->\n/, '').trimEnd(), formats: v.formats.length, kinds: v.kinds.length }];
    } catch {
      return [];
    }
  });
  return {
    file,
    page,
    name: c.spec.name,
    description: c.spec.description,
    chain: c.spec.chain,
    ...(c.spec.base !== undefined ? { base: c.spec.base } : {}),
    ok: c.ok,
    diagnostics: diagnostics(c),
    ...(svg !== undefined && ir ? { svg, layout: { formats: ir.formats.length, kinds: ir.kinds.length } } : {}),
    ...(levels.length > 0 ? { levels } : {}),
    ...(b ? { budget: b } : {}),
    ...(ps ? { paths: ps } : {}),
    scenarios,
    explore,
    ...(diff ? { diff } : {}),
  };
}
