// Runs a scenario against a spec module: each step on the simulation (spec paths driven by ops.ts), the invariants
// after it, the oracle's prediction, and the author's `expect`. Stops at the first divergence or violation.
//
// Failure kinds: 'invariant' (the spec broke the kernel's bookkeeping, or a primitive was misused), 'oracle' (the
// spec's user-visible behaviour differs from the uffd-wp contract), 'expect' (the author's expectation contradicts
// the oracle: the scenario is wrong, not the spec), 'scenario' (the step cannot run as written: unknown mm, ...).
import type { Coverage } from './coverage.js';
import { formatStep } from './format-step.js';
import { checkInvariants, formatViolation, uffdWpProbeViolations } from './invariants.js';
import { Machine } from './machine.js';
import { applyOp } from './ops.js';
import { thpLevel } from './thp/model.js';
import { cloneOracle, createOracle, observe, oracleKey, predict, type OracleState } from './oracle.js';
import {
  expectMatches,
  formatExpect,
  formatOutcome,
  formatPrediction,
  outcomeMatches,
  sameIoctls,
  type Prediction,
  type StepOutcome,
} from './outcome.js';
import { ScenarioError } from './scenario-error.js';
import type { Expect, Op, Scenario, SourceLoc, Step } from './scenario/types.js';
import type { CaseSite, SpecModule } from '../contract/spec-module.js';
import { ViolationError, formatSite, type TrailEntry, type Violation } from './trace.js';
import { cloneWorld, createWorld, endStep, worldKey, type World } from './world.js';

export { formatStep } from './format-step.js';

export type FailureKind = 'oracle' | 'invariant' | 'expect' | 'scenario';

export interface StepRecord {
  readonly index: number;
  readonly text: string;
  readonly loc?: SourceLoc;
  /** The simulation's result (absent when the step threw). */
  readonly outcome?: StepOutcome;
  /** The oracle's prediction (absent when the oracle could not run the step). */
  readonly oracle?: Prediction;
  readonly expect?: Expect;
  readonly ok: boolean;
  /** The handler cases entered during the step, in order. */
  readonly trail: readonly TrailEntry[];
}

export interface Failure {
  readonly step: number;
  readonly text: string;
  readonly kind: FailureKind;
  readonly message: string;
  /** The path of the case named below (or the path that was running). */
  readonly path?: string;
  /** invariant: the case that last wrote the offending entry / touched the offending page, slot or counter;
   *  oracle: the case that last wrote the accessed entry before this step, else the last case the step ran. */
  readonly site?: CaseSite;
  readonly loc?: SourceLoc;
  /** Every invariant violation found after the step (the first is `message`). */
  readonly violations?: readonly Violation[];
}

export interface RunResult {
  readonly scenario: string;
  readonly ok: boolean;
  readonly steps: readonly StepRecord[];
  readonly firstFailure?: Failure;
}

export interface StepResult {
  readonly record: StepRecord;
  readonly failure?: Failure;
}

/** A simulation and its oracle, stepped together. Clone it to branch (the explorer). */
export class Session {
  readonly machine: Machine;
  oracle: OracleState;

  /** The kernel has THPs the runtime drives (the oracle's MADV_HUGEPAGE means something only then). */
  private readonly thp: boolean;
  /** checkDeferringProbes() passed and left the uffd-wp probes to pendingProbes(). */
  private probesPending = false;

  constructor(module: SpecModule, world: World = createWorld(), oracle: OracleState = createOracle()) {
    this.machine = new Machine(module, world);
    this.oracle = oracle;
    this.thp = thpLevel(module) !== null;
  }

  get world(): World {
    return this.machine.world;
  }

  clone(): Session {
    const s = new Session(this.machine.module, cloneWorld(this.machine.world), cloneOracle(this.oracle));
    s.machine.coverage = this.machine.coverage;
    for (const [k, v] of this.machine.trace.entryWriters) s.machine.trace.entryWriters.set(k, v);
    return s;
  }

  /** Canonical state: the world and the oracle (equal keys, equal futures). */
  key(): string {
    return `${worldKey(this.machine.world)}\n#\n${oracleKey(this.oracle)}`;
  }

  /**
   * The explorer's step: the same simulation, invariants, oracle and end of step as step(), without building the
   * record, the step's text or the blame (turn machine.trace.detailed off as well). A counterexample is replayed
   * through step() for the full report. Returns the failure, if any.
   */
  check(op: Op, index: number): QuietFailure | undefined {
    return this.checkStep(op, index, false);
  }

  /**
   * check() for a state the caller may have seen already: when the step passes everything else, the uffd-wp probes
   * (the dearest invariants, a property of the state alone) are left for pendingProbes(), which the explorer calls
   * only for a state new to its visited table. When something else fails they run here, so the failure is the one
   * check() gives (an invariant comes before the oracle's divergence and before a step the oracle refuses).
   */
  checkDeferringProbes(op: Op, index: number): QuietFailure | undefined {
    return this.checkStep(op, index, true);
  }

  /** After checkDeferringProbes() passed: the uffd-wp probes on the world as the step left it. */
  pendingProbes(): QuietFailure | undefined {
    if (!this.probesPending) return undefined;
    this.probesPending = false;
    const v = uffdWpProbeViolations(this.machine)[0];
    return v && { kind: 'invariant', message: v.message };
  }

  private checkStep(op: Op, index: number, deferProbes: boolean): QuietFailure | undefined {
    this.machine.trace.reset(index);
    this.probesPending = false;
    const r = this.simulate(op, !deferProbes);
    let failure: QuietFailure | undefined = r.failure && { kind: r.failure.kind, message: r.failure.message };
    if (deferProbes && r.sound) {
      if (r.failure || diverges(r)) {
        const v = uffdWpProbeViolations(this.machine)[0];
        if (v) failure = { kind: 'invariant', message: v.message };
      } else this.probesPending = true;
    }
    if (!failure && diverges(r)) failure = { kind: 'oracle', message: divergence(r.outcome, r.prediction) };
    this.finishStep(op, r.outcome, failure !== undefined);
    return failure;
  }

  step(step: Step, index: number): StepResult {
    const { op, expect, loc } = step;
    const m = this.machine;
    const trace = m.trace;
    trace.reset(index);
    const text = formatStep(op);
    const accessed = 'addr' in op && 'mm' in op ? trace.entryWriter(op.mm, op.addr) : undefined;
    const r = this.simulate(op);
    const { outcome, prediction } = r;
    let failure = r.failure;
    if (!failure && diverges(r)) {
      const last = trace.trail[trace.trail.length - 1];
      const site = accessed?.site ?? last?.site;
      // Both sites: the writer made the entry, the step's last case decided what the access gave (a kernel test in
      // another order than the kinds' reads the same entry differently: the path is named there).
      const by = accessed
        ? `; the entry was last written by ${formatSite(accessed.site)} in step ${accessed.step}` +
          (last ? `; the step last ran ${formatSite(last.site)}` : '')
        : last
          ? `; the step last ran ${formatSite(last.site)}`
          : '';
      failure = { kind: 'oracle', message: `${divergence(r.outcome, r.prediction)}${by}`, site, path: site?.path };
    }
    if (!failure && expect?.type === 'ioctls' && outcome?.type === 'ok' && !sameIoctls(outcome.ioctls ?? [], expect.ioctls)) {
      // UFFDIO_REGISTER's reply is compared only where a scenario asks for it: it is the kernel version's ioctl set
      // (UFFDIO_MOVE since v6.8), not an encoding, and would otherwise hide every later step of an older kernel
      failure = { kind: 'oracle', message: `the spec's kernel replies ioctls ${(outcome.ioctls ?? []).join(', ')}, the scenario expects ${expect.ioctls.join(', ')}` };
    }
    if (!failure && expect && prediction && !expectMatches(expect, prediction)) {
      failure = {
        kind: 'expect',
        message: `the scenario expects ${formatExpect(expect)}, but the v6.17 contract gives ${formatPrediction(prediction)} ` +
          `(a scenario error: the spec gave ${outcome ? formatOutcome(outcome) : 'nothing'})`,
      };
    }
    this.finishStep(op, outcome, failure !== undefined);

    const record: StepRecord = {
      index,
      text,
      ...(loc ? { loc } : {}),
      ...(outcome ? { outcome } : {}),
      ...(prediction ? { oracle: prediction } : {}),
      ...(expect ? { expect } : {}),
      ok: !failure,
      trail: trace.trail.slice(),
    };
    return { record, ...(failure ? { failure: { step: index, text, ...(loc ? { loc } : {}), ...failure } } : {}) };
  }

  /** One op on the spec (then the invariants) and on the oracle: what each gave, and the first failure, if any. */
  private simulate(op: Op, probes = true): Simulated {
    const m = this.machine;
    let outcome: StepOutcome | undefined;
    let prediction: Prediction | undefined;
    let failure: StepFailure | undefined;
    try {
      outcome = applyOp(m, op);
    } catch (e) {
      failure = fromError(e, m.trace.current, m.trace.currentPath);
    }
    let sound = false;
    if (!failure) {
      const vs = checkInvariants(m, probes);
      if (vs.length > 0) {
        const v = vs[0]!;
        failure = { kind: 'invariant', message: v.message, site: v.site, path: v.site?.path ?? v.path, violations: vs };
      } else sound = true;
    }
    try {
      prediction = predict(this.oracle, op, this.thp);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      failure ??= { kind: 'scenario', message: e.message };
    }
    // one object of one shape per step (the explorer runs this millions of times: no spreads)
    return { outcome, prediction, failure, sound };
  }

  /** The oracle learns what the spec did, unless the step failed; then the step ends in the world. */
  private finishStep(op: Op, outcome: StepOutcome | undefined, failed: boolean): void {
    if (!failed && outcome) observe(this.oracle, op, outcome);
    endStep(this.machine.world);
  }
}

type StepFailure = Omit<Failure, 'step' | 'text' | 'loc'>;

interface Simulated {
  readonly outcome: StepOutcome | undefined;
  readonly prediction: Prediction | undefined;
  readonly failure: StepFailure | undefined;
  /** The op ran and the invariants (all of them, or all but the uffd-wp probes) found nothing. */
  readonly sound: boolean;
}

/** Both sides answered, and differently. */
function diverges(r: Simulated): r is Simulated & { outcome: StepOutcome; prediction: Prediction } {
  return r.outcome !== undefined && r.prediction !== undefined && !outcomeMatches(r.outcome, r.prediction);
}

function divergence(outcome: StepOutcome, prediction: Prediction): string {
  return `the spec gives ${formatOutcome(outcome)}, the v6.17 contract requires ${formatPrediction(prediction)}`;
}

export interface QuietFailure {
  readonly kind: FailureKind;
  /** The failure's message without the report's blame (Failure.message up to "; the entry was last written ..."). */
  readonly message: string;
}

function fromError(e: unknown, current: CaseSite | undefined, currentPath: string | undefined): StepFailure {
  if (e instanceof ScenarioError) return { kind: 'scenario', message: e.message };
  if (e instanceof ViolationError) {
    const site = e.site ?? current;
    return { kind: 'invariant', message: e.message, site, path: site?.path ?? e.path ?? currentPath };
  }
  // An exception out of generated code (e.g. a kind constructor that cannot build its kind) is the spec's fault.
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'invariant', message: `handler error: ${message}`, site: current, path: current?.path ?? currentPath };
}

/**
 * `coverage`: count what the scenario creates and runs (runtime/coverage.ts). `skip`: leave out the steps of these
 * ops (`ptelab run --skip pagemap`, the matrix's "without pagemap steps" table); kept steps keep their own numbers.
 */
export function runScenario(module: SpecModule, scenario: Scenario, coverage?: Coverage, skip?: ReadonlySet<string>): RunResult {
  const session = new Session(module);
  session.machine.coverage = coverage;
  const steps: StepRecord[] = [];
  for (let i = 0; i < scenario.steps.length; i++) {
    if (skip?.has(scenario.steps[i]!.op.op)) continue;
    const { record, failure } = session.step(scenario.steps[i]!, i);
    steps.push(record);
    if (failure) return { scenario: scenario.name, ok: false, steps, firstFailure: failure };
  }
  return { scenario: scenario.name, ok: true, steps };
}

/** One line per failure, for CLIs and test messages. */
export function formatFailure(f: Failure): string {
  const where = f.loc ? `${f.loc.file}:${f.loc.line}: ` : '';
  const site = f.site && f.kind === 'invariant' ? ` [${formatSite(f.site)}]` : '';
  return `${where}step ${f.step} \`${f.text}\`: ${f.kind}: ${f.message}${site}`;
}

export { formatViolation };
