// `ptelab run --skip OPS`: run scenarios with the steps of some ops left out (the matrix's "without pagemap steps"
// table, for one spec). Kept steps keep their own step numbers, so output and blame still point into the file.
import type { SpecModule } from '../contract/spec-module.js';
import { Session, type RunResult, type StepRecord } from '../runtime/runner.js';
import type { Op, Scenario } from '../runtime/scenario/types.js';
import { UsageError } from './io.js';

/** Every op a scenario step can be: the names `--skip` accepts. */
const OPS = [
  'file', 'mm', 'mmap', 'munmap', 'read', 'write', 'fork', 'exit', 'uffd_open', 'register', 'unregister', 'protect',
  'resolve', 'uffd_close', 'mprotect', 'madv_dontneed', 'madv_pageout', 'punch_hole', 'mremap', 'pagemap', 'reclaim',
  'evict', 'migrate', 'numa_scan', 'swapoff',
] as const satisfies readonly Op['op'][];
// The list above is every op: a new op in the scenario language fails to compile here until it is added.
const everyOp: [Exclude<Op['op'], (typeof OPS)[number]>] extends [never] ? true : false = true;
void everyOp;

export function parseSkip(v: string | true | undefined): ReadonlySet<string> {
  if (v === undefined) return new Set();
  if (v === true || v.trim() === '') throw new UsageError('--skip needs a comma list of ops, e.g. pagemap');
  const ops = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ops.filter((o) => !(OPS as readonly string[]).includes(o));
  if (unknown.length > 0) throw new UsageError(`--skip: unknown op ${unknown.map((o) => `'${o}'`).join(', ')} (ops: ${OPS.join(', ')})`);
  return new Set(ops);
}

/** runScenario() without the steps whose op is in `skip`. */
export function runWithout(module: SpecModule, scenario: Scenario, skip: ReadonlySet<string>): RunResult {
  const session = new Session(module);
  const steps: StepRecord[] = [];
  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i]!;
    if (skip.has(step.op.op)) continue;
    const { record, failure } = session.step(step, i);
    steps.push(record);
    if (failure) return { scenario: scenario.name, ok: false, steps, firstFailure: failure };
  }
  return { scenario: scenario.name, ok: true, steps };
}
