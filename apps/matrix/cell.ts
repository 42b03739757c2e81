// One cell of the matrix: a scenario's result on one spec, reduced to what a reader compares across columns: pass,
// or the first divergence (step number, the step, what the spec did and what the contract wants).
import type { StepOutcome } from '../../runtime/outcome.js';
import { formatPrediction } from '../../runtime/outcome.js';
import type { FailureKind, RunResult } from '../../runtime/runner.js';
import { formatSite } from '../../runtime/trace.js';

export type MatrixCell =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** The step's index in the scenario (0-based, as `ptelab run --verbose` numbers them). */
      readonly step: number;
      /** The step in the scenario language. */
      readonly text: string;
      readonly kind: FailureKind;
      /** What the spec did (oracle divergences), e.g. `ok`. */
      readonly got?: string;
      /** What the v6.17 contract requires (oracle divergences), e.g. `userfault wp`. */
      readonly want?: string;
      /** The runner's full message. */
      readonly message: string;
      /** The handler case the runner blames (`path case #n (kind) at file:line`), if any. */
      readonly site?: string;
      /** One short line for a table cell. */
      readonly short: string;
    };

/** A pagemap outcome as the contract sees it: only PM_UFFD_WP counts. */
function outcomeText(o: StepOutcome): string {
  if (o.type === 'pagemap') return o.uffd_wp ? 'wp' : '!wp';
  if (o.type === 'value') return String(o.value);
  if (o.type === 'userfault') return `userfault ${o.mode}`;
  if (o.type === 'error') return o.errno;
  return o.type;
}

/** A user access, in the scenario language (`A read 0`, `B write 3 = 2`, `A pagemap 1`). */
const ACCESS = /^\S+ (read|write|pagemap) /;

/** The first clause of an invariant message: enough to tell two cells apart. */
function firstClause(message: string, max = 72): string {
  const cut = message.search(/ \(|; |: the entry/);
  const s = cut > 0 ? message.slice(0, cut) : message;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The cell for one run. `stepIndex` maps the run's step numbers back to the scenario's own (identity unless steps
 * were left out of the run).
 */
export function cellOf(r: RunResult, stepIndex: (i: number) => number = (i) => i): MatrixCell {
  const f = r.firstFailure;
  if (r.ok || !f) return { ok: true };
  const rec = r.steps[r.steps.length - 1];
  const step = stepIndex(f.step);
  const site = f.site ? formatSite(f.site) : undefined;
  const base = { ok: false as const, step, text: f.text, kind: f.kind, message: f.message, ...(site ? { site } : {}) };
  if (f.kind === 'oracle' && rec?.outcome && rec.oracle) {
    const got = outcomeText(rec.outcome);
    const want = formatPrediction(rec.oracle);
    // The runner blames the case that last wrote the accessed entry; that means something for an access (read,
    // write, pagemap), not for a syscall that failed before touching it (`A register 0`: EINVAL).
    const by = f.site && ACCESS.test(f.text) ? ` [${f.site.path}]` : '';
    return { ...base, got, want, short: `${step} \`${f.text}\`: ${got}, want ${want}${by}` };
  }
  if (f.kind === 'invariant') {
    const by = f.site ? ` [${f.site.path}]` : f.path ? ` [${f.path}]` : '';
    return { ...base, short: `${step} \`${f.text}\`: invariant: ${firstClause(f.message)}${by}` };
  }
  return { ...base, short: `${step} \`${f.text}\`: ${f.kind}: ${firstClause(f.message)}` };
}
