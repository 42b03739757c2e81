// ptelab selftest SCENARIO_FILE... [-o DIR]: every scenario as a C program for the running kernel, in the layout of
// tools/testing/selftests/mm (one kselftest per program, ptelab_selftest.h, a Makefile). See docs/kernel-check.md.
import { SelftestError } from '../../apps/selftest/emit-c.js';
import { buildSelftests, writeSelftests } from '../../apps/selftest/selftest-dir.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadScenarios } from './run.js';

export function selftestCommand({ flags, positionals }: CommandArgs, io: CliIo): number {
  if (positionals.length === 0) throw new UsageError('selftest needs at least one SCENARIO_FILE');
  const out = flags.get('out');
  const dir = typeof out === 'string' ? out : 'ptelab-selftests';
  const loaded = loadScenarios(positionals, io);
  if (loaded.code !== EXIT_OK) return loaded.code;
  if (loaded.scenarios.length === 0) throw new UsageError(`no scenario in ${positionals.join(', ')}`);
  try {
    const set = buildSelftests(loaded.scenarios.map((s) => ({ scenario: s, origin: s.file ?? 'a scenario file' })));
    writeSelftests(dir, set);
    io.out(`${set.programs.length} selftest${set.programs.length === 1 ? '' : 's'} written to ${dir}/ (make -C ${dir} run_tests, as root with swap on)\n`);
    for (const p of set.programs) io.out(`  ${p.name}.c  ${p.scenario.name}\n`);
    for (const s of set.skipped) io.out(`  skipped: ${s.scenario.name}: ${s.reason}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof SelftestError) {
      io.err(`ptelab selftest: ${e.message}\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
}
