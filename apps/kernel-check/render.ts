// kernel-check's report: which kernel and which spec were compared, then one row per step (scenario, step, the
// spec's outcome, the kernel's, the verdict with its reason), then the totals.
import type { KernelCheckResult } from './kernel-check.js';

export function renderKernelCheck(r: KernelCheckResult, opts: { readonly all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`kernel-check: running kernel ${r.kernel} judged against spec ${r.spec.name} (${r.spec.file})`);
  lines.push(
    r.swap.file
      ? `  swap: a swapfile of our own, on for the run and removed after it`
      : `  swap: none${r.swap.problem ? ` (${r.swap.problem})` : ''}: steps that need it are not run`,
  );
  if (r.hugetlb.need > 0) {
    lines.push(
      r.hugetlb.problem
        ? `  hugetlb: ${r.hugetlb.problem}: scenarios that need more huge pages are not run`
        : `  hugetlb: ${r.hugetlb.need} free huge pages for the run (vm.nr_hugepages raised by ${r.hugetlb.added ?? 0}, lowered again after it)`,
    );
  }
  lines.push('');
  const rows: string[][] = [['scenario', 'step', 'spec', 'kernel', 'verdict']];
  for (const s of r.scenarios) {
    for (const st of s.steps) {
      if (!opts.all && st.verdict === 'agree' && /^(file|mm) /.test(st.text)) continue;
      const verdict = st.verdict === 'agree' ? 'agree' : st.verdict === 'differ' ? 'DIFFER' : `not run: ${shortReason(st.reason ?? '')}`;
      rows.push([s.scenario, `${st.index} ${st.text}`, st.spec, st.kernel, verdict]);
    }
  }
  const width = [0, 1, 2, 3].map((c) => Math.min(c === 0 ? 44 : c === 1 ? 30 : 14, Math.max(...rows.map((row) => row[c]!.length))));
  let last = '';
  for (const row of rows) {
    const name = row[0] === last ? '' : row[0]!;
    last = row[0]!;
    const cut = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
    lines.push([cut(name, width[0]!), cut(row[1]!, width[1]!), cut(row[2]!, width[2]!), cut(row[3]!, width[3]!), row[4]].join('  ').trimEnd());
  }
  lines.push('');
  for (const b of r.buildErrors) lines.push(`BUG: ${b.name}.c did not build (a bug in ptelab's selftest emitter or driver):\n${b.error}`);
  for (const p of r.teardownProblems) lines.push(`WARNING: teardown: ${p}`);
  const t = r.totals;
  lines.push(`${t.agree} agree, ${t.differ} differ, ${t['not run']} not run (${r.scenarios.length} scenario${r.scenarios.length === 1 ? '' : 's'}; kernel ${r.kernel}, spec ${r.spec.name})`);
  if (t.differ > 0) {
    lines.push(`A difference is a model error in ${r.spec.file} or a change of the kernel since that spec's version.`);
  }
  return lines.join('\n') + '\n';
}

export function kernelCheckJson(r: KernelCheckResult): object {
  return {
    kernel: r.kernel,
    spec: r.spec,
    swap: r.swap,
    hugetlb: r.hugetlb,
    totals: r.totals,
    buildErrors: r.buildErrors,
    teardownProblems: r.teardownProblems,
    scenarios: r.scenarios.map((s) => ({
      scenario: s.scenario,
      file: s.file ?? null,
      steps: s.steps.map((st) => ({ index: st.index, step: st.text, spec: st.spec, kernel: st.kernel, verdict: st.verdict, reason: st.reason ?? null })),
    })),
  };
}

/** A step after an event that did not happen names that step; the event's own row says why (JSON has it all). */
function shortReason(reason: string): string {
  const m = /^(step \d+ did not happen):/.exec(reason);
  return m ? m[1]! : reason;
}
