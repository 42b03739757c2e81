// docs/matrix.md: the matrix as a table (rows: scenarios, columns: specs), the same table with pagemap steps left
// out, totals, the explore table (rows: bundled worlds), and every divergence and counterexample in full.
// Deterministic: the order is the inputs' order, nothing else varies.
import type { MatrixCell } from './cell.js';
import type { ExploreCell } from './explore.js';
import type { MatrixResult } from './run.js';

/** A table cell: no pipes, no line breaks. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function cellText(c: MatrixCell): string {
  return c.ok ? 'pass' : esc(c.short);
}

function table(m: MatrixResult, pick: 'contract' | 'behaviour'): string[] {
  const head = `| scenario | ${m.specs.map((s) => `\`${s.column}\``).join(' | ')} |`;
  const rule = `| --- | ${m.specs.map(() => '---').join(' | ')} |`;
  const rows = m.rows.map((r) => `| ${esc(r.scenario.name)} | ${r.cells.map((c) => cellText(c[pick])).join(' | ')} |`);
  return [head, rule, ...rows];
}

function count(m: MatrixResult, col: number, pick: 'contract' | 'behaviour'): number {
  return m.rows.filter((r) => r.cells[col]![pick].ok).length;
}

export function renderMatrixMarkdown(m: MatrixResult, generatedBy: string): string {
  const n = m.rows.length;
  const out: string[] = [
    `<!-- ${generatedBy} -->`,
    '# Scenario and explore matrix',
    '',
    `Every scenario of \`examples/scenarios/\` (${n} in ${m.scenarioFiles.length} files) run on every bundled kernel spec and`,
    'every proposal of `examples/proposals/`. Expected outcomes come from the encoding-free oracle (the v6.17',
    'userfaultfd write-protect contract, `runtime/oracle.ts`), never from a spec. A cell is `pass` or the first',
    'divergence: the step number (0-based, as `ptelab run --verbose SPEC FILE` numbers the steps), the step, and what',
    'the spec did against what the contract requires, with the handler path blamed in brackets. Each proposal\'s',
    'header comment explains its failures. The [explore table](#explore) below runs `ptelab explore` on every bundled',
    'world instead of the hand-written scenarios. Regenerate with `ptelab matrix --out docs` (or `npm run generate`).',
    '',
    '## Specs',
    '',
    '| column | spec | extends | file | description |',
    '| --- | --- | --- | --- | --- |',
    ...m.specs.map((s) => `| \`${s.column}\` | \`${s.name}\` | ${s.base ? `\`${s.base}\`` : '—'} | \`${s.file}\` | ${esc(s.description)} |`),
    '',
    '## Matrix',
    '',
    ...table(m, 'contract'),
    '',
    '## Without pagemap steps',
    '',
    'The same runs with every `pagemap` step left out (step numbers still count them). 5.10 has no PM_UFFD_WP',
    '(pagemap exports uffd-wp since 5.14), so every spec built on it fails the first `pagemap -> wp`; this table',
    'shows whether the protection itself behaves.',
    '',
    ...table(m, 'behaviour'),
    '',
    '## Totals',
    '',
    '| spec | pass | fail | pass without pagemap steps |',
    '| --- | --- | --- | --- |',
    ...m.specs.map((s, i) => `| \`${s.column}\` | ${count(m, i, 'contract')} | ${n - count(m, i, 'contract')} | ${count(m, i, 'behaviour')} |`),
    '',
    ...exploreSection(m),
    ...coverageSection(m),
    '## Scenarios',
    '',
    '| scenario | file | from |',
    '| --- | --- | --- |',
    ...m.rows.map((r) => `| ${esc(r.scenario.name)} | \`${r.scenario.file}:${r.scenario.line}\` | ${esc(r.scenario.from ?? '—')} |`),
    '',
    '## Divergences in full',
    '',
  ];
  m.specs.forEach((s, i) => {
    const failed = m.rows.filter((r) => !r.cells[i]!.contract.ok);
    out.push(`### \`${s.column}\``, '');
    if (failed.length === 0) {
      out.push('Every scenario passes.', '');
      return;
    }
    for (const r of failed) {
      const c = r.cells[i]!.contract;
      if (c.ok) continue;
      out.push(`- **${esc(r.scenario.name)}** (\`${r.scenario.file}:${r.scenario.line}\`), step ${c.step} \`${c.text}\`: ${c.kind}: ${esc(c.message)}`);
    }
    out.push('');
  });
  out.push(...exploreDetails(m));
  return out.join('\n');
}

const num = (n: number): string => n.toLocaleString('en-US');

/** What the scenarios exercised per spec: a pass says nothing about a kind no scenario creates. */
function coverageSection(m: MatrixResult): string[] {
  const caveats = m.specs.filter((s) => s.coverage.caveat);
  return [
    '## Coverage',
    '',
    'What the scenarios of this matrix exercised on each spec (`ptelab run` prints the same): the kinds, and the one-bit',
    'marker flags, that no scenario ever wrote into a page table, and how many handler cases ever ran. A pass says',
    'nothing about what is listed here. (Device entries are never created: the runtime has no device memory.)',
    '',
    '| spec | never created | handler cases run |',
    '| --- | --- | --- |',
    ...m.specs.map((s) => `| \`${s.column}\` | ${s.coverage.never.length > 0 ? s.coverage.never.map((l) => `\`${l}\``).join(', ') : '—'} | ${s.coverage.casesRan} of ${s.coverage.casesTotal} |`),
    '',
    ...(caveats.length > 0
      ? ['For a proposal, what it adds or changes and no scenario exercised:', '', ...caveats.map((s) => `- \`${s.column}\`: ${esc(s.coverage.caveat!)}.`), '']
      : []),
  ];
}

function exploreCellText(c: ExploreCell): string {
  switch (c.verdict) {
    case 'complete':
      return `clean (${num(c.states)} states${c.exhausted ? ', all' : ''})`;
    case 'incomplete':
      return `incomplete (${num(c.states)} states, no verdict)`;
    case 'n/a':
      return 'n/a';
    case 'counterexample':
      return esc(c.short);
  }
}

function exploreCount(m: MatrixResult, col: number, v: ExploreCell['verdict']): number {
  return m.specs[col]!.explore.filter((c) => c.verdict === v).length;
}

/** The explore table: rows are the bundled worlds, columns the specs. */
function exploreSection(m: MatrixResult): string[] {
  const head = `| world | ${m.specs.map((s) => `\`${s.column}\``).join(' | ')} |`;
  const rule = `| --- | ${m.specs.map(() => '---').join(' | ')} |`;
  const rows = m.worlds.map((w, i) => `| ${esc(w.name)} | ${m.specs.map((s) => exploreCellText(s.explore[i]!)).join(' | ')} |`);
  const na = m.specs.flatMap((s) => s.explore.filter((c): c is Extract<ExploreCell, { verdict: 'n/a' }> => c.verdict === 'n/a').map((c) => c.reason));
  const reasons = [...new Set(na.map((r) => r.replace(/^the world asks for (\S+): spec \S+ /, '$1: the spec ')))];
  return [
    '## Explore',
    '',
    `\`ptelab explore SPEC --depth ${m.exploreDepth}\` on each of the ${m.worlds.length} bundled worlds of \`examples/worlds/\` (rows), for every`,
    `spec (columns): every sequence of up to **${m.exploreDepth} ops** of the default alphabet (docs/explore.md), breadth-first, at most`,
    `${num(m.exploreMaxStates)} states per world. A cell is \`clean\` (complete to depth ${m.exploreDepth}, no counterexample; \`all\` when the`,
    'frontier ran dry first: every reachable state), `incomplete` (the state bound was hit: no verdict), `n/a` (the world',
    "needs a userfaultfd feature the spec's kernel lacks; not explored), or the shortest counterexample: its length in",
    'ops after the setup (`setup`: the world cannot even be set up on the spec, e.g. 5.10 refuses uffd-wp on shmem),',
    'the failing op, what the spec did against what the contract requires, and the path blamed.',
    'The counterexamples in full are at the end of this page; `ptelab explore --out DIR` writes each as a scenario file',
    'that `ptelab run` replays. `ptelab explore SPEC` explores to the same depth by default (as do report and diff); `--depth N` goes deeper.',
    '',
    head,
    rule,
    ...rows,
    '',
    '| spec | clean | counterexample | incomplete | n/a |',
    '| --- | --- | --- | --- | --- |',
    ...m.specs.map((s, i) =>
      `| \`${s.column}\` | ${exploreCount(m, i, 'complete')} | ${exploreCount(m, i, 'counterexample')} | ${exploreCount(m, i, 'incomplete')} | ${exploreCount(m, i, 'n/a')} |`),
    '',
    ...(reasons.length > 0 ? ['Not applicable:', '', ...reasons.map((r) => `- ${esc(r)}`), ''] : []),
    '| world | file |',
    '| --- | --- |',
    ...m.worlds.map((w) => `| ${esc(w.name)} | \`${w.file}\` |`),
    '',
  ];
}

/** Every counterexample of the explore table, with its ops and the failure in full. */
function exploreDetails(m: MatrixResult): string[] {
  const out: string[] = ['## Explore counterexamples in full', ''];
  m.specs.forEach((s) => {
    const found = m.worlds.flatMap((w, i) => {
      const c = s.explore[i]!;
      return c.verdict === 'counterexample' ? [{ w, c }] : [];
    });
    out.push(`### \`${s.column}\``, '');
    if (found.length === 0) {
      out.push(`No counterexample within ${m.exploreDepth} ops.`, '');
      return;
    }
    for (const { w, c } of found) {
      const ops = c.length === 0 ? `the setup fails at \`${c.failing}\`` : c.ops.map((o) => `\`${o}\``).join(', ');
      out.push(`- **${esc(w.name)}**: ${ops}: ${c.kind}: ${esc(c.message)}${c.site ? ` (bad entry from ${esc(c.site)})` : ''}`);
    }
    out.push('');
  });
  return out;
}
