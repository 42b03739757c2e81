// A counterexample: the path the BFS found (op indices, from the root) turned back into ops by replaying it, printed
// as a scenario file (the world's setup + the ops), and run again from that text by the ordinary scenario runner, so
// what is reported is exactly what `ptelab run SPEC FILE.scn` shows: the failing step, the failure, and the handler
// case (path, case, spec line) behind the bad entry (Failure.site).
import { formatPrediction, type Prediction } from '../outcome.js';
import { formatFailure, runScenario, type Failure, type RunResult } from '../runner.js';
import { formatStep } from '../format-step.js';
import { parseScenarios } from '../scenario/parse.js';
import type { Op, Scenario } from '../scenario/types.js';
import type { SpecModule } from '../../contract/spec-module.js';
import { formatSite } from '../trace.js';
import { alphabet } from './alphabet.js';
import { Expander, type ExpanderConfig } from './expander.js';
import { runSetup } from './world.js';

export interface Counterexample {
  readonly world: string;
  /** The ops after the world's setup; the last one fails. Empty when the setup itself fails. */
  readonly ops: readonly Op[];
  /** The scenario file text: `ptelab run SPEC FILE` replays it to `failure`. */
  readonly text: string;
  readonly scenario: Scenario;
  /** The replay of `text` by the scenario runner. */
  readonly result: RunResult;
  readonly failure: Failure;
}

/** The oracle/invariant message without the part that names the entry's last writer (it needs the history). */
export function failureCore(message: string): string {
  return message.replace(/; the (entry was last written|step last ran) .*$/s, '');
}

function expectText(p: Prediction | undefined): string | undefined {
  if (!p) return undefined;
  switch (p.type) {
    case 'value':
      return p.values.length === 1 ? String(p.values[0]) : undefined;
    case 'pagemap':
      return p.uffd_wp === null ? undefined : p.uffd_wp ? 'wp' : '!wp';
    case 'either':
      return undefined;
    default:
      return formatPrediction(p);
  }
}

function quote(s: string): string {
  return JSON.stringify(s.replace(/\n/g, ' '));
}

export function buildCounterexample(
  module: SpecModule,
  config: ExpanderConfig,
  path: readonly number[],
  found: { readonly kind: string; readonly message: string },
): Counterexample {
  const w = config.world;
  // 1. the ops: replay the path, each op chosen from its state's alphabet
  const ops: Op[] = [];
  const expander = new Expander(module, config);
  const { session, failure: setupFailure } = runSetup(module, w);
  if (path.length > 0 && setupFailure) throw new Error(`explore: world '${w.name}' setup fails on replay`);
  let last: { prediction?: Prediction; failure?: Failure } = {};
  for (let d = 0; d < path.length; d++) {
    const op = alphabet(session.world, d, expander.alphabetConfig, session.machine.entries)[path[d]!];
    if (!op) throw new Error(`explore: counterexample path ${path.join(',')} leaves the alphabet at depth ${d}`);
    ops.push(op);
    const r = session.step({ op }, w.setup.length + d);
    last = { ...(r.record.oracle ? { prediction: r.record.oracle } : {}), ...(r.failure ? { failure: r.failure } : {}) };
    if (r.failure && d < path.length - 1) throw new Error(`explore: counterexample fails early, at depth ${d}: ${formatFailure(r.failure)}`);
  }
  // 2. the scenario text
  const lines: string[] = [];
  const failing = ops.length > 0 ? ops[ops.length - 1]! : undefined;
  for (const s of w.setup) lines.push(`  ${formatStep(s.op)}`);
  if (ops.length > 0) lines.push('  // explored:');
  ops.forEach((op, i) => {
    const exp = i === ops.length - 1 && last.failure?.kind === 'oracle' ? expectText(last.prediction) : undefined;
    lines.push(`  ${formatStep(op)}${exp ? ` -> ${exp}` : ''}`);
  });
  const header = [
    `// Counterexample found by \`ptelab explore\` on spec ${module.name}, world ${quote(w.name)}${w.file ? ` (${w.file})` : ''}:`,
    `// ${ops.length === 0 ? 'the setup itself fails' : `${ops.length} op${ops.length === 1 ? '' : 's'} after the setup${failing ? `, the last one fails` : ''}`}.`,
    '// Replay: ptelab run SPEC THIS_FILE',
  ];
  const text = `${header.join('\n')}\nscenario ${quote(`explore: ${w.name}`)} {\n${lines.join('\n')}\n}\n`;
  // 3. replay the text through the parser and the runner
  const parsed = parseScenarios({ path: 'counterexample.scn', text });
  const scenario = parsed.scenarios[0];
  if (!scenario || parsed.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`explore: the counterexample does not parse:\n${text}\n${parsed.diagnostics.map((d) => d.message).join('\n')}`);
  }
  const result = runScenario(module, scenario);
  const f = result.firstFailure;
  const expectedStep = w.setup.length + ops.length - 1;
  if (!f || f.kind !== found.kind || failureCore(f.message) !== failureCore(found.message) || (ops.length > 0 && f.step !== expectedStep)) {
    throw new Error(
      `explore: the counterexample does not replay to the same failure (found: ${found.kind}: ${found.message}; ` +
        `replay: ${f ? formatFailure(f) : 'passes'})\n${text}`,
    );
  }
  return { world: w.name, ops, text, scenario, result, failure: f };
}

/** Human-readable summary lines of a counterexample's failure, with the case behind it. */
export function describeCounterexample(c: Counterexample): string[] {
  const f = c.failure;
  const out = [`${f.kind} failure at step ${f.step} \`${f.text}\`: ${f.message}`];
  if (f.site) out.push(`bad entry from: ${formatSite(f.site)}`);
  else if (f.path) out.push(`in path: ${f.path}`);
  for (const v of f.violations?.slice(1) ?? []) out.push(`also: ${v.message}`);
  return out;
}
