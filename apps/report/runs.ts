// A scenario run (RunResult) reduced to what a report shows: every step with what the spec did, what the contract
// requires and the handler cases it entered, and the first divergence with the case the runner blames.
import { formatOutcome, formatPrediction } from '../../runtime/outcome.js';
import type { RunResult } from '../../runtime/runner.js';
import type { ReportFailure, ReportRun, ReportStep } from './model.js';

export function reportRun(r: RunResult): ReportRun {
  const steps: ReportStep[] = r.steps.map((s) => ({
    index: s.index,
    text: s.text,
    ...(s.outcome ? { got: formatOutcome(s.outcome) } : {}),
    ...(s.oracle ? { want: formatPrediction(s.oracle) } : {}),
    ok: s.ok,
    cases: s.trail.map((t) => t.site),
  }));
  const f = r.firstFailure;
  if (r.ok || !f) return { ok: true, steps };
  const last = steps.find((s) => s.index === f.step);
  const failure: ReportFailure = {
    step: f.step,
    text: f.text,
    kind: f.kind,
    message: f.message,
    ...(f.kind === 'oracle' && last?.got !== undefined ? { got: last.got } : {}),
    ...(f.kind === 'oracle' && last?.want !== undefined ? { want: last.want } : {}),
    ...(f.site ? { site: f.site } : {}),
    ...(f.path !== undefined ? { path: f.path } : {}),
    also: (f.violations ?? []).slice(1).map((v) => v.message),
  };
  return { ok: false, steps, failure };
}
