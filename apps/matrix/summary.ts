// What `ptelab matrix` prints: per spec column, scenarios passed and failed (and passed without the pagemap steps,
// which 5.10-based designs cannot pass), and the explore verdicts over the bundled worlds.
import { MATRIX_MD } from './files.js';
import type { MatrixResult } from './run.js';

export function matrixSummary(m: MatrixResult): string {
  const n = m.rows.length;
  const width = Math.max(...m.specs.map((s) => s.column.length));
  const out = [`${n} scenarios x ${m.specs.length} specs, and ${m.worlds.length} worlds explored to depth ${m.exploreDepth} (${MATRIX_MD}: the tables, every divergence and counterexample)`];
  m.specs.forEach((s, i) => {
    const pass = m.rows.filter((r) => r.cells[i]!.contract.ok).length;
    const beh = m.rows.filter((r) => r.cells[i]!.behaviour.ok).length;
    const count = (v: string): number => s.explore.filter((c) => c.verdict === v).length;
    const explore = `explore ${count('complete')} clean, ${count('counterexample')} counterexample, ${count('incomplete')} incomplete, ${count('n/a')} n/a`;
    out.push(`  ${s.column.padEnd(width)}  ${String(pass).padStart(3)} pass  ${String(n - pass).padStart(3)} fail  (${String(beh).padStart(2)} pass without pagemap steps); ${explore}`);
  });
  return out.join('\n') + '\n';
}
