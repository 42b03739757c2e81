// Session.check() (the explorer's lean step: no record, no step text, no blame notes) must be the same simulation as
// Session.step(): the same world and oracle after every step, and the same failure (kind and message without the
// report's blame), on every bundled scenario, for kernel specs and proposals alike.
import { describe, expect, it } from 'vitest';
import { failureCore } from '../../runtime/explore/counterexample.js';
import { oracleKey } from '../../runtime/oracle.js';
import { Session } from '../../runtime/runner.js';
import { worldKey } from '../../runtime/world.js';
import { repoScenarios, specModule } from './scenario/repo-scenarios.js';

const SPECS = ['examples/x86_64-v6.17.pte', 'examples/x86_64-v5.19.pte', 'examples/proposals/shmem-wp-naive.pte', 'examples/proposals/protnone-zero-pfn.pte'];

describe('Session.check is Session.step without the report', () => {
  for (const file of SPECS) {
    it(`${file}: same states and failures on every scenario of examples/scenarios/`, async () => {
      const module = await specModule(file);
      let failures = 0;
      for (const sc of repoScenarios()) {
        const full = new Session(module);
        const lean = new Session(module);
        lean.machine.trace.detailed = false;
        for (let i = 0; i < sc.steps.length; i++) {
          const step = sc.steps[i]!;
          const a = full.step(step, i).failure;
          const b = lean.check(step.op, i);
          const where = `${sc.name}, step ${i} \`${a?.text ?? ''}\``;
          if (a?.kind === 'expect') break; // check() never compares the author's expectation
          if (a && step.expect?.type === 'ioctls') break; // ... nor the register reply only an expectation asks about
          expect(b ? { kind: b.kind, message: b.message } : undefined, where).toEqual(
            a ? { kind: a.kind, message: failureCore(a.message) } : undefined,
          );
          expect(worldKey(lean.world), where).toBe(worldKey(full.world));
          expect(oracleKey(lean.oracle), where).toBe(oracleKey(full.oracle));
          if (a) {
            failures++;
            break;
          }
        }
        expect(lean.machine.trace.entryWriters.size).toBe(0); // no blame notes were kept
      }
      // the proposals fail scenarios, so the failure path is compared too
      if (file.includes('proposals')) expect(failures).toBeGreaterThan(0);
    });
  }
});
