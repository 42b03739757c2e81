// docs/matrix.md: the matrix as a table (rows: scenarios, columns: specs), the same table with pagemap steps left
// out, totals, and every divergence in full. Deterministic: the order is the inputs' order, nothing else varies.
import type { MatrixCell } from './cell.js';
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
    '# Scenario matrix',
    '',
    `Every scenario of \`examples/scenarios/\` (${n} in ${m.scenarioFiles.length} files) run on every bundled kernel spec and`,
    'every proposal of `examples/proposals/`. Expected outcomes come from the encoding-free oracle (the v6.17',
    'userfaultfd write-protect contract, `runtime/oracle.ts`), never from a spec. A cell is `pass` or the first',
    'divergence: the step number (0-based, as `ptelab run --verbose SPEC FILE` numbers the steps), the step, and what',
    'the spec did against what the contract requires, with the handler path blamed in brackets. Each proposal\'s',
    'header comment explains its failures. Regenerate with `ptelab matrix` (or `npm run generate`).',
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
  return out.join('\n');
}
