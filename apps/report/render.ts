// Report data (model.ts) as HTML pages: one per spec and an index. Pure and deterministic (same data, same bytes: no
// dates, no absolute paths beyond what the data holds). Every string from the data goes through esc(); the layout
// SVG is inserted as layoutSvg() wrote it (that back end escapes its own text).
import type { CaseSite } from '../../contract/spec-module.js';
import { anchor, esc, page, pageHref } from './html.js';
import { markdownToHtml } from './markdown.js';
import type { ReportCase, ReportDiagnostic, ReportFailure, ReportPath, ReportRun, ReportScenario, ReportWorld, SpecReport } from './model.js';

type BadgeClass = 'ok' | 'bad' | 'warn' | 'info' | 'muted';

function badge(text: string, cls: BadgeClass): string {
  return `<span class="badge b-${cls}">${esc(text)}</span>`;
}

function code(s: string): string {
  return `<code>${esc(s)}</code>`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function section(id: string, title: string, body: string): string {
  return [`<section id="${esc(id)}">`, '<details open>', `<summary><h2>${esc(title)}</h2></summary>`, body, '</details>', '</section>'].join('\n');
}

function unavailable(what: string, reason: string): string {
  return `<p class="unavailable">${esc(`${what}: ${reason}`)}</p>`;
}

/** A case's row: the PTE level's keep their old anchors (`case-PATH-N`); another level's carry it (`case-pmd-PATH-N`). */
function caseAnchor(path: string, index: number, level?: string): string {
  return level === undefined ? anchor('case', path, index) : anchor('case', level, path, index);
}

function pathAnchor(p: ReportPath): string {
  return p.level === undefined ? anchor('path', p.name) : anchor('path', p.level, p.name);
}

/** The PTE level's paths: the runtime runs only those, so a step's case (CaseSite) is one of them and linked. */
let tabled: ReadonlySet<string> = new Set();

/** "zap_pte_range case #3 (present)" linked to the handlers table, then its spec line. */
function siteHtml(s: CaseSite): string {
  const name = esc(`${s.path} case #${s.index} (${s.kind})`);
  const head = tabled.has(s.path) ? `<a href="#${esc(caseAnchor(s.path, s.index))}">${name}</a>` : name;
  return `${head} <span class="muted">${esc(`${s.file}:${s.line}`)}</span>`;
}

// ------------------------------------------------------------------------------------------------------------ summary

export interface ReportSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** undefined: scenarios not run. */
  readonly scenarios?: { readonly passed: number; readonly failed: number };
  /** undefined: explore not run / not available. */
  readonly explore?: {
    readonly complete: number;
    readonly incomplete: number;
    readonly counterexample: number;
    readonly error: number;
    /** Worlds the spec's kernel cannot run (a userfaultfd feature it lacks): not explored. */
    readonly notApplicable: number;
  };
}

export function summarize(r: SpecReport): ReportSummary {
  const count = (sev: string) => r.diagnostics.filter((d) => d.severity === sev).length;
  const all = r.scenarios.available ? r.scenarios.files.flatMap((f) => f.scenarios) : undefined;
  const worlds = r.explore.available ? r.explore.worlds : undefined;
  const verdicts = (v: ReportWorld['verdict']) => worlds!.filter((w) => w.verdict === v).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    ...(all ? { scenarios: { passed: all.filter((s) => s.ok).length, failed: all.filter((s) => !s.ok).length } } : {}),
    ...(worlds
      ? {
          explore: {
            complete: verdicts('complete'),
            incomplete: verdicts('incomplete'),
            counterexample: verdicts('counterexample'),
            error: verdicts('error'),
            notApplicable: verdicts('n/a'),
          },
        }
      : {}),
  };
}

/** Why a spec has no explore results, in two words: it was not asked for or could not run, or the explorer is missing. */
function exploreOff(r: SpecReport): string {
  return !r.explore.available && r.explore.reason.startsWith('not run') ? 'explore not run' : 'explore not available';
}

function badges(r: SpecReport, s: ReportSummary): string[] {
  const out: string[] = [];
  if (r.ioError !== undefined) return [badge('unreadable', 'bad')];
  out.push(s.errors > 0 ? badge(plural(s.errors, 'error'), 'bad') : badge('0 errors', 'ok'));
  out.push(badge(plural(s.warnings, 'warning'), s.warnings > 0 ? 'warn' : 'muted'));
  if (s.scenarios) {
    out.push(badge(`${s.scenarios.passed} scenarios pass`, s.scenarios.passed > 0 ? 'ok' : 'muted'));
    out.push(badge(`${s.scenarios.failed} fail`, s.scenarios.failed > 0 ? 'bad' : 'muted'));
  } else out.push(badge('scenarios not run', 'muted'));
  if (s.explore) {
    const e = s.explore;
    if (e.counterexample > 0) out.push(badge(`explore: ${plural(e.counterexample, 'counterexample')}`, 'bad'));
    if (e.error > 0) out.push(badge(`explore: ${plural(e.error, 'world')} failed to run`, 'bad'));
    if (e.incomplete > 0) out.push(badge(`explore: ${e.incomplete} incomplete`, 'warn'));
    if (e.complete > 0) out.push(badge(`explore: ${e.complete} clean`, 'ok'));
    if (e.notApplicable > 0) out.push(badge(`explore: ${e.notApplicable} not applicable`, 'muted'));
  } else out.push(badge(exploreOff(r), 'muted'));
  if (r.diff) out.push(!r.diff.available ? badge('diff not available', 'muted') : badge(r.diff.differs ? `differs from ${r.diff.baseName}` : `same as ${r.diff.baseName}`, 'info'));
  return out;
}

// -------------------------------------------------------------------------------------------------------- diagnostics

function diagnosticRow(d: ReportDiagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const body = [
    `<div>${esc(d.message)}</div>`,
    d.source !== undefined ? `<pre><code>${esc(`${d.line} | ${d.source}`)}</code></pre>` : '',
    d.hint !== undefined ? `<div class="hint"><span class="muted">hint:</span> ${esc(d.hint)}</div>` : '',
    ...d.related.map((x) => `<div class="small"><span class="muted">note:</span> <span class="mono">${esc(`${x.file}:${x.line}:${x.column}`)}</span> ${esc(x.message)}</div>`),
  ].filter((x) => x !== '');
  return `<tr><td class="mono">${esc(where)}</td><td class="sev-${esc(d.severity)}">${esc(d.severity)}</td><td class="mono">${esc(d.code)}</td><td>${body.join('\n')}</td></tr>`;
}

function diagnosticsSection(r: SpecReport, s: ReportSummary): string {
  const title = `Diagnostics (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.infos > 0 ? `, ${plural(s.infos, 'note')}` : ''})`;
  if (r.diagnostics.length === 0) return section('diagnostics', title, '<p>No findings: the spec checks clean.</p>');
  const rows = r.diagnostics.map(diagnosticRow);
  return section(
    'diagnostics',
    title,
    ['<table>', '<thead><tr><th>where</th><th>severity</th><th>code</th><th>message, source, hint</th></tr></thead>', '<tbody>', ...rows, '</tbody>', '</table>'].join('\n'),
  );
}

// ------------------------------------------------------------------------------------------------------ layout, swap

function layoutSection(r: SpecReport): string {
  if (r.svg === undefined) return section('layout', 'Layout', unavailable('layout', 'not available: the front end stopped early (see the diagnostics)'));
  const title = r.layout ? `Layout (${plural(r.layout.formats, 'format')}, ${plural(r.layout.kinds, 'kind')})` : 'Layout';
  return section(
    'layout',
    title,
    '<p class="small muted">The picture <code>ptelab build</code> writes to <code>generated/SPEC/layout.svg</code>: one row per format and ' +
      'per kind, bit 63 on the left, the legend at the bottom. <code>ptelab show SPEC</code> prints the same as text.</p>\n' +
      `<div class="svg">\n${r.svg}\n</div>` +
      (r.levels ?? [])
        .map(
          (l) =>
            `\n<h3>${esc(l.level)} level (${plural(l.formats, 'format')}, ${plural(l.kinds, 'kind')})</h3>\n` +
            `<p class="small muted"><code>generated/SPEC/layout-${esc(l.level)}.svg</code>; <code>ptelab show --level ${esc(l.level)} SPEC</code> prints the same as text.</p>\n` +
            `<div class="svg">\n${l.svg}\n</div>`,
        )
        .join(''),
  );
}

function swapSection(r: SpecReport): string {
  const b = r.budget;
  if (!b) return section('swap', 'Swap budget', '<p>The spec has no swap table.</p>');
  const title = `Swap budget (MAX_SWAPFILES = ${b.maxSwapfiles})`;
  const rows = b.groups.map(
    (g) =>
      `<tr${r.base !== undefined && g.addedBy === r.name ? ' class="delta"' : ''}><td class="mono">${esc(g.name)}</td><td class="num">${esc(g.count)}</td>` +
      `<td>${g.types.map((t) => code(`${t.name}=${t.value}`)).join(' ') || '<span class="muted">—</span>'}</td><td>${esc(g.addedBy)}</td></tr>`,
  );
  return section(
    'swap',
    title,
    [
      `<p><strong>${esc(b.summary)}</strong></p>`,
      `<p>${code(`MAX_SWAPFILES_SHIFT = ${b.shift}`)}: ${esc(2 ** b.shift)} swap types; ${code(`MAX_SWAPFILES = ${b.maxSwapfiles}`)} ${b.maxSwapfiles < 1 ? badge('exhausted', 'bad') : ''}</p>`,
      '<table>',
      '<thead><tr><th>reserved group</th><th class="num">count</th><th>types (numbers)</th><th>added by</th></tr></thead>',
      '<tbody>',
      ...rows,
      '</tbody>',
      '</table>',
    ].join('\n'),
  );
}

// ---------------------------------------------------------------------------------------------------------- handlers

function caseHead(c: ReportCase): string {
  return `${c.kind !== undefined ? `case ${c.kind}` : 'default'}${c.binding !== undefined ? ` as ${c.binding}` : ''}${c.guard !== undefined ? ` when ${c.guard}` : ''}`;
}

function levelTitle(level: string | undefined): string {
  return level === undefined ? 'PTE level' : `${level} level`;
}

/** Paths grouped by level, in the order the data holds them (the PTE level's first). */
function levelGroups(paths: readonly ReportPath[]): { readonly level?: string; readonly paths: ReportPath[] }[] {
  const out: { level?: string; paths: ReportPath[] }[] = [];
  for (const p of paths) {
    const last = out[out.length - 1];
    if (last && last.level === p.level) last.paths.push(p);
    else out.push({ ...(p.level !== undefined ? { level: p.level } : {}), paths: [p] });
  }
  return out;
}

function pathTable(p: ReportPath, isMine: (c: ReportCase) => boolean): string[] {
  const out: string[] = [];
  const where = p.level !== undefined ? ` <span class="muted small">${esc(`${p.level} level`)}</span>` : '';
  out.push(`<h3 id="${esc(pathAnchor(p))}">path ${code(p.name)}${where} <span class="muted small">${esc(plural(p.cases.length, 'case'))}</span></h3>`);
  out.push(
    '<table class="handlers">',
    '<colgroup><col class="c-index"><col class="c-case"><col class="c-line"><col class="c-from"><col class="c-body"></colgroup>',
    '<thead><tr><th class="num">#</th><th>case</th><th>spec line</th><th>from</th><th>body</th></tr></thead>',
    '<tbody>',
  );
  for (const c of p.cases) {
    const mine = isMine(c);
    const body = c.body.length === 0
      ? '<span class="muted">(empty)</span>'
      : `<details class="inner"${mine ? ' open' : ''}><summary>${esc(plural(c.body.length, 'line'))}</summary><pre><code>${esc(c.body.join('\n'))}</code></pre></details>`;
    out.push(
      `<tr id="${esc(caseAnchor(p.name, c.index, p.level))}"${mine ? ' class="delta"' : ''}><td class="num">${esc(c.index)}</td><td>${code(caseHead(c))}</td>` +
        `<td class="mono">${esc(`${c.file}:${c.line}`)}</td><td>${esc(c.origin)}${mine ? ` ${badge('this spec', 'info')}` : ''}</td><td>${body}</td></tr>`,
    );
  }
  out.push('</tbody>', '</table>');
  return out;
}

function handlersSection(r: SpecReport): string {
  if (!r.paths) return section('handlers', 'Handlers', unavailable('handlers', 'not available: the front end stopped early (see the diagnostics)'));
  if (r.paths.length === 0) return section('handlers', 'Handlers', '<p>The spec has no path handlers.</p>');
  // A proposal's own cases (not inherited from its base) are what a reviewer reads first: marked, and shown open.
  const own = r.base !== undefined;
  const isMine = (c: ReportCase) => own && c.origin === r.name;
  const cases = r.paths.reduce((n, p) => n + p.cases.length, 0);
  const mineCount = r.paths.reduce((n, p) => n + p.cases.filter(isMine).length, 0);
  // Each page-table level's paths in a group of their own (the PTE level's first): a level may name a path as the
  // PTE level does (__split_huge_pmd_locked), and its cases are a different entry's.
  const groups = levelGroups(r.paths);
  const leveled = groups.length > 1 || groups[0]!.level !== undefined;
  const title = `Handlers (${plural(r.paths.length, 'path')}, ${plural(cases, 'case')}${leveled ? `, ${plural(groups.length, 'level')}` : ''}${own ? `, ${mineCount} from this spec` : ''})`;
  const out: string[] = [];
  out.push(`<p>${esc(plural(r.paths.length, 'path'))}, ${esc(plural(cases, 'case'))}. ` +
    'The first case whose kind matches and whose guard holds runs.' +
    (leveled ? ' Each page-table level has its own paths, over its own kinds.' : '') +
    (own ? ` Cases written by this spec (not inherited) are marked ${badge('this spec', 'info')}, their bodies shown; paths with such cases are in bold below.` : '') + '</p>');
  const index = (ps: readonly ReportPath[]): string =>
    ps.map((p) => {
      const link = `<a href="#${esc(pathAnchor(p))}">${esc(p.name)}</a>`;
      return p.cases.some(isMine) ? `<strong>${link}</strong>` : link;
    }).join(' · ');
  if (!leveled) out.push(`<p class="small">${index(r.paths)}</p>`);
  else {
    out.push(`<ul class="small">${groups.map((g) => `<li>${esc(levelTitle(g.level))}: ${index(g.paths)}</li>`).join('')}</ul>`);
  }
  for (const g of groups) {
    if (leveled) {
      const n = g.paths.reduce((k, p) => k + p.cases.length, 0);
      out.push(`<h3 id="${esc(anchor('level', g.level ?? 'pte'))}">${esc(levelTitle(g.level))} <span class="muted small">${esc(`${plural(g.paths.length, 'path')}, ${plural(n, 'case')}`)}</span></h3>`);
    }
    for (const p of g.paths) out.push(...pathTable(p, isMine));
  }
  return section('handlers', title, out.join('\n'));
}

// ------------------------------------------------------------------------------------------------- runs (shared)

function failureHtml(f: ReportFailure): string {
  const out = [`step ${esc(f.step)} ${code(f.text)} ${badge(f.kind, f.kind === 'oracle' || f.kind === 'invariant' ? 'bad' : 'warn')}`];
  if (f.got !== undefined && f.want !== undefined) out.push(`<div>the spec gives ${code(f.got)}, the v6.17 contract requires ${code(f.want)}</div>`);
  out.push(`<div class="small${f.got !== undefined ? ' muted' : ''}">${esc(f.message)}</div>`);
  for (const a of f.also) out.push(`<div class="small muted">also: ${esc(a)}</div>`);
  if (f.site) out.push(`<div class="small">case: ${siteHtml(f.site)}</div>`);
  else if (f.path !== undefined) out.push(`<div class="small">in path ${code(f.path)}</div>`);
  return out.join('\n');
}

function traceHtml(run: ReportRun, label: string): string {
  const rows = run.steps.map((s) => {
    const differs = s.got !== undefined && s.want !== undefined && !s.ok;
    return `<tr${s.ok ? '' : ' class="fail"'}><td class="num">${esc(s.index)}</td><td>${code(s.text)}</td><td class="mono">${esc(s.got ?? '—')}</td>` +
      `<td class="mono">${esc(s.want ?? '—')}${differs ? ` ${badge('first divergence', 'bad')}` : !s.ok ? ` ${badge('fails here', 'bad')}` : ''}</td>` +
      `<td class="small">${s.cases.map(siteHtml).join('<br>') || '<span class="muted">—</span>'}</td></tr>`;
  });
  return [
    `<details class="inner"><summary>${esc(label)}</summary>`,
    '<table>',
    '<thead><tr><th class="num">#</th><th>step</th><th>spec</th><th>contract</th><th>handler cases entered</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
    '</details>',
  ].join('\n');
}

// --------------------------------------------------------------------------------------------------------- scenarios

function scenarioRow(s: ReportScenario, file: string): string {
  const name = [`<div>${esc(s.name)}</div>`, s.from !== undefined ? `<div class="small muted">from ${esc(s.from)}</div>` : '', `<div class="small muted mono">${esc(`${file}:${s.line}`)}</div>`]
    .filter((x) => x !== '')
    .join('\n');
  const result = s.ok ? badge('pass', 'ok') : badge('FAIL', 'bad');
  const detail = [s.failure ? failureHtml(s.failure) : `<span class="muted">${esc(plural(s.steps.length, 'step'))}, every outcome as the contract requires</span>`, traceHtml(s, `steps (${s.steps.length})`)];
  return `<tr${s.ok ? '' : ' class="fail"'}><td>${name}</td><td>${result}</td><td>${detail.join('\n')}</td></tr>`;
}

function scenariosSection(r: SpecReport, s: ReportSummary): string {
  const title = s.scenarios ? `Scenarios (${s.scenarios.passed} pass, ${s.scenarios.failed} fail)` : 'Scenarios';
  if (!r.scenarios.available) return section('scenarios', title, unavailable('scenarios', r.scenarios.reason));
  const out: string[] = [
    '<p>Every bundled scenario (<code>examples/scenarios/*.scn</code>) on the spec\'s generated module, as <code>ptelab run</code> runs it: ' +
      'expected outcomes come from the encoding-free oracle (the v6.17 userfaultfd write-protect contract). A failure is the first divergence, ' +
      'with the handler case behind it.</p>',
  ];
  for (const f of r.scenarios.files) {
    const failed = f.scenarios.filter((x) => !x.ok).length;
    out.push(`<h3 id="${esc(anchor('scn', f.file))}">${code(f.file)} <span class="muted small">${esc(`${f.scenarios.length - failed} pass, ${failed} fail`)}</span></h3>`);
    out.push(
      '<table class="scenarios">',
      '<colgroup><col class="c-name"><col class="c-result"><col class="c-detail"></colgroup>',
      '<thead><tr><th>scenario</th><th>result</th><th>first divergence</th></tr></thead>',
      '<tbody>',
      ...f.scenarios.map((x) => scenarioRow(x, f.file)),
      '</tbody>',
      '</table>',
    );
  }
  return section('scenarios', title, out.join('\n'));
}

// ----------------------------------------------------------------------------------------------------------- explore

function verdictBadge(w: ReportWorld): string {
  switch (w.verdict) {
    case 'complete':
      return badge(w.exhausted ? 'complete (exhausted)' : 'complete', 'ok');
    case 'incomplete':
      return badge('incomplete', 'warn');
    case 'counterexample':
      return badge('counterexample', 'bad');
    case 'error':
      return badge('error', 'bad');
    case 'n/a':
      return badge('not applicable', 'muted');
  }
}

function worldRow(w: ReportWorld, depth: number): string {
  const ran = w.verdict !== 'n/a' && w.verdict !== 'error';
  const detail: string[] = [];
  if (w.verdict === 'complete') detail.push(`<span class="muted">no counterexample within ${esc(depth)} ops${w.exhausted ? ' (every reachable state explored)' : ''}</span>`);
  if (w.verdict === 'incomplete') detail.push('<span class="muted">max states reached before the depth: no counterexample among the states stored, not a proof of none</span>');
  if (w.error !== undefined) detail.push(`<div>${esc(w.error)}</div>`);
  if (w.verdict === 'n/a') detail.push(`<span class="muted">not explored: ${esc(w.reason ?? 'the spec\'s kernel cannot run this world')}</span>`);
  const cx = w.counterexample;
  if (cx) {
    detail.push(`<div>${esc(plural(cx.ops, 'op'))} after the setup (a shortest counterexample)</div>`);
    detail.push(...cx.summary.map((l, i) => `<div class="small${i > 0 ? ' muted' : ''}">${esc(l)}</div>`));
    if (cx.run.failure?.site) detail.push(`<div class="small">case: ${siteHtml(cx.run.failure.site)}</div>`);
    detail.push(`<details class="inner"><summary>scenario (ptelab run SPEC FILE replays it)</summary><pre><code>${esc(cx.text.trimEnd())}</code></pre></details>`);
    detail.push(traceHtml(cx.run, `trace (${cx.run.steps.length} steps)`));
  }
  return `<tr${w.verdict === 'counterexample' || w.verdict === 'error' ? ' class="fail"' : ''}><td><div>${esc(w.name)}</div>` +
    `${w.file !== undefined ? `<div class="small muted mono">${esc(w.file)}</div>` : ''}</td><td>${verdictBadge(w)}</td>` +
    (ran
      ? `<td class="num">${esc(w.states)}</td><td class="num">${esc(w.transitions)}</td><td class="mono small">${esc(w.levels.join('/'))}</td>`
      : '<td class="num muted">—</td><td class="num muted">—</td><td class="muted">—</td>') +
    `<td>${detail.join('\n')}</td></tr>`;
}

function exploreSectionHtml(r: SpecReport): string {
  const e = r.explore;
  if (!e.available) return section('explore', 'Explore', unavailable('explore', e.reason));
  const verdicts = (['counterexample', 'error', 'incomplete', 'complete', 'n/a'] as const)
    .map((v) => [v, e.worlds.filter((w) => w.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => (v === 'counterexample' ? plural(n, 'counterexample') : v === 'complete' ? `${n} clean` : v === 'n/a' ? `${n} not applicable` : `${n} ${v}`));
  const title = `Explore (depth ${e.depth}: ${verdicts.join(', ') || 'no worlds'})`;
  const out = [
    `<p>Every sequence of up to <strong>${esc(e.depth)}</strong> ops from each bundled world (<code>examples/worlds/*.scn</code>), breadth-first, ` +
      `as <code>ptelab explore --depth ${esc(e.depth)}</code> runs it (at most ${esc(e.maxStates)} states per world). A counterexample is a shortest one.</p>`,
    `<p class="small muted">ops: ${esc(e.ops.join(', '))}<br>symmetry: ${esc(e.symmetry)}</p>`,
    '<table class="explore">',
    '<colgroup><col class="c-world"><col class="c-verdict"><col class="c-states"><col class="c-transitions"><col class="c-levels"><col class="c-detail"></colgroup>',
    '<thead><tr><th>world</th><th>verdict</th><th class="num">states</th><th class="num">transitions</th><th>states per level</th><th>detail</th></tr></thead>',
    '<tbody>',
    ...e.worlds.map((w) => worldRow(w, e.depth)),
    '</tbody>',
    '</table>',
  ];
  return section('explore', title, out.join('\n'));
}

// -------------------------------------------------------------------------------------------------------------- diff

function diffSectionHtml(r: SpecReport, links: ReadonlyMap<string, string>): string {
  const d = r.diff;
  if (!d) return '';
  const against = `Diff against the base${r.base !== undefined ? ` ${r.base}` : ''}`;
  if (!d.available) return section('diff', against, unavailable('diff', d.reason));
  const title = `${against} (${d.differs ? 'differs' : 'no difference'})`;
  const basePage = links.get(d.baseFile);
  const intro = `<p>${code(d.baseFile)}${basePage !== undefined ? ` (<a href="${esc(pageHref(basePage))}">its report</a>)` : ''} → ${code(r.file)}, ` +
    'as <code>ptelab diff --format markdown BASE SPEC</code> reports it: A is the base, B this spec.</p>';
  return section('diff', title, `${intro}\n<div class="md">\n${markdownToHtml(d.markdown, { headingOffset: 2 })}\n</div>`);
}

// -------------------------------------------------------------------------------------------------------------- pages

export interface RenderOptions {
  /** Spec file (normalised, as extends chains name it) → page name, for links between pages of one report. */
  readonly links?: ReadonlyMap<string, string>;
}

const SECTIONS: readonly (readonly [string, string])[] = [
  ['layout', 'Layout'],
  ['diagnostics', 'Diagnostics'],
  ['swap', 'Swap budget'],
  ['handlers', 'Handlers'],
  ['scenarios', 'Scenarios'],
  ['explore', 'Explore'],
  ['diff', 'Diff'],
];

export function renderSpecPage(r: SpecReport, opts: RenderOptions = {}): string {
  tabled = new Set((r.paths ?? []).filter((p) => p.level === undefined).map((p) => p.name));
  const links = opts.links ?? new Map<string, string>();
  const s = summarize(r);
  const head: string[] = ['<header>', '<p class="crumbs"><a href="index.html">ptelab report</a></p>'];
  if (r.ioError !== undefined) {
    head.push(`<h1>${code(r.file)}</h1>`, '</header>', '<main>', unavailable('spec', r.ioError), '</main>');
    return page(`ptelab report: ${r.file}`, head.join('\n'));
  }
  head.push(`<h1>spec ${code(r.name)}</h1>`);
  if (r.description !== '') head.push(`<p class="desc">${esc(r.description)}</p>`);
  const meta = [`<dt>file</dt><dd>${code(r.file)}</dd>`];
  if (r.base !== undefined) {
    const baseFile = r.chain[r.chain.length - 2];
    const basePage = baseFile !== undefined ? links.get(baseFile) : undefined;
    meta.push(`<dt>extends</dt><dd>${code(r.base)}${baseFile !== undefined ? ` ${code(baseFile)}` : ''}${basePage !== undefined ? ` <a href="${esc(pageHref(basePage))}">report</a>` : ''}</dd>`);
  }
  if (r.chain.length > 2) meta.push(`<dt>chain</dt><dd>${r.chain.map(code).join(' → ')}</dd>`);
  head.push(`<dl class="meta">${meta.join('')}</dl>`);
  head.push(`<ul class="badges">${badges(r, s).map((b) => `<li>${b}</li>`).join('')}</ul>`);
  const nav = SECTIONS.filter(([id]) => id !== 'diff' || r.diff !== undefined);
  head.push(`<nav><ul>${nav.map(([id, t]) => `<li><a href="#${id}">${esc(t)}</a></li>`).join('')}</ul></nav>`);
  head.push('<p class="tools"><button type="button" data-details="open">expand all</button> <button type="button" data-details="close">collapse all</button></p>', '</header>');
  const body = [
    ...head,
    '<main>',
    layoutSection(r),
    diagnosticsSection(r, s),
    swapSection(r),
    handlersSection(r),
    scenariosSection(r, s),
    exploreSectionHtml(r),
    diffSectionHtml(r, links),
    '</main>',
    `<footer>generated by ptelab report from ${code(r.file)}</footer>`,
  ].filter((x) => x !== '');
  return page(`ptelab report: ${r.name}`, body.join('\n'));
}

function baseCell(base: string, page: string | undefined): string {
  return page !== undefined ? `<a href="${esc(pageHref(page))}">${code(base)}</a>` : code(base);
}

export interface IndexOptions {
  /** Page name → the page of the spec it extends, when that spec is in the same report. */
  readonly basePages?: ReadonlyMap<string, string>;
}

export function renderIndex(reports: readonly SpecReport[], opts: IndexOptions = {}): string {
  const rows = reports.map((r) => {
    const s = summarize(r);
    const link = `<a href="${esc(pageHref(r.page))}">${esc(r.ioError !== undefined ? r.file : r.name)}</a>`;
    const diag = r.ioError !== undefined ? badge('unreadable', 'bad') : `${s.errors > 0 ? badge(plural(s.errors, 'error'), 'bad') : badge('0 errors', 'ok')} ${s.warnings > 0 ? badge(plural(s.warnings, 'warning'), 'warn') : ''}`;
    const scn = s.scenarios ? `${badge(`${s.scenarios.passed} pass`, 'ok')} ${s.scenarios.failed > 0 ? badge(`${s.scenarios.failed} fail`, 'bad') : ''}` : '<span class="muted">not run</span>';
    const ex = s.explore
      ? [
          s.explore.counterexample > 0 ? badge(plural(s.explore.counterexample, 'counterexample'), 'bad') : '',
          s.explore.error > 0 ? badge(`${s.explore.error} failed`, 'bad') : '',
          s.explore.incomplete > 0 ? badge(`${s.explore.incomplete} incomplete`, 'warn') : '',
          s.explore.complete > 0 ? badge(`${s.explore.complete} clean`, 'ok') : '',
          s.explore.notApplicable > 0 ? badge(`${s.explore.notApplicable} not applicable`, 'muted') : '',
        ].filter((x) => x !== '').join(' ')
      : `<span class="muted">${esc(exploreOff(r).replace(/^explore /, ''))}</span>`;
    const depth = r.explore.available ? ` <span class="small muted">depth ${esc(r.explore.depth)}</span>` : '';
    return `<tr${s.errors > 0 || r.ioError !== undefined ? ' class="fail"' : ''}><td>${link}</td><td class="mono small">${esc(r.file)}</td><td>${r.base !== undefined ? baseCell(r.base, opts.basePages?.get(r.page)) : '<span class="muted">—</span>'}</td>` +
      `<td class="small">${esc(r.description)}</td><td>${diag}</td><td>${scn}</td><td>${ex}${depth}</td></tr>`;
  });
  const body = [
    '<header>',
    '<h1>ptelab report</h1>',
    `<p class="desc">${esc(plural(reports.length, 'spec'))}: layout, diagnostics, swap budget, handlers, scenario results, exploration and the diff against the base of each.</p>`,
    '</header>',
    '<main>',
    '<table>',
    '<thead><tr><th>spec</th><th>file</th><th>extends</th><th>description</th><th>check</th><th>scenarios</th><th>explore</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
    '</main>',
    '<footer>generated by ptelab report</footer>',
  ];
  return page('ptelab report', body.join('\n'));
}
