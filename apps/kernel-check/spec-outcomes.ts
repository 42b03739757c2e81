// The spec's side of a kernel check: every step of a scenario on the spec's simulation, and what it gave. Unlike
// `ptelab run`, the run does not stop at the first divergence from the oracle: a spec that differs from the
// contract (an old kernel's) still says what its kernel did at every later step, which is what the running kernel
// is compared with. After an invariant violation or a step that cannot run, the simulation's state is no longer a
// kernel's, so the later steps have no spec outcome.
import { formatOutcome, type StepOutcome } from '../../runtime/outcome.js';
import { Session } from '../../runtime/runner.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import type { SpecModule } from '../../contract/spec-module.js';

export type SpecStep =
  | { readonly index: number; readonly outcome: StepOutcome }
  | { readonly index: number; readonly missing: string };

export function specOutcomes(module: SpecModule, scenario: Scenario): SpecStep[] {
  const session = new Session(module);
  const out: SpecStep[] = [];
  let stopped: string | undefined;
  scenario.steps.forEach((step, i) => {
    if (stopped !== undefined) {
      out.push({ index: i, missing: stopped });
      return;
    }
    const { record, failure } = session.step(step, i);
    if (failure && (failure.kind === 'invariant' || failure.kind === 'scenario')) {
      stopped =
        failure.kind === 'invariant'
          ? `the spec's kernel breaks an invariant at step ${i} (${failure.message}): what it does from there is unknown`
          : `the spec's simulation cannot run step ${i} (${failure.message})`;
      out.push({ index: i, missing: stopped });
      return;
    }
    if (record.outcome) out.push({ index: i, outcome: record.outcome });
    else out.push({ index: i, missing: 'the spec gave no outcome' });
  });
  return out;
}

/** The outcome as compared: pagemap shows PM_UFFD_WP and PM_GUARD_REGION, the bits a kernel check compares. */
export function formatSpecStep(s: SpecStep): string {
  if (!('outcome' in s)) return '-';
  const o = s.outcome;
  if (o.type === 'pagemap') return (o.uffd_wp ? 'wp' : '!wp') + (o.flags.includes('PM_GUARD_REGION') ? ' guard' : '');
  if (o.type === 'ok' && o.ioctls) return `ok ioctls ${o.ioctls.join(', ')}`;
  return formatOutcome(o);
}
