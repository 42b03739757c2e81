// ptelab report [--depth N] [--no-explore] -o DIR SPEC...: a static, self-contained HTML page per spec
// (DIR/<spec-stem>.html) and DIR/index.html (docs/report.md). Exit: 0 pages written; 1 pages written but a spec has
// errors (its page shows them); 2 usage or I/O error (an unreadable spec gets a page saying so).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { buildReport, DEFAULT_REPORT_DEPTH, writeReport } from '../../apps/report/report.js';
import { summarize } from '../../apps/report/render.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, osReason, UsageError, type CliIo, type CommandArgs } from '../io.js';

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}


export async function reportCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  const out = flags.get('out');
  if (out === undefined || out === true || out === '') throw new UsageError('report needs an output directory: -o DIR');
  if (positionals.length === 0) throw new UsageError('report needs at least one SPEC');
  let depth = DEFAULT_REPORT_DEPTH;
  const d = flags.get('depth');
  if (d !== undefined) {
    if (d === true || !/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 64) throw new UsageError('--depth needs a number from 1 to 64');
    depth = Number(d);
  }
  if (flags.has('no-explore')) depth = 0;
  try {
    // The folder must be there and writable before the specs are explored, not after.
    makeDirs(path.resolve(io.cwd, out));
    fs.accessSync(path.resolve(io.cwd, out), fs.constants.W_OK);
  } catch (e) {
    io.err(`ptelab report: cannot write the report to ${out}: ${osReason(e)}\n`);
    return EXIT_USAGE;
  }
  const report = await buildReport(positionals, { exploreDepth: depth });
  let written: string[];
  try {
    written = writeReport(path.resolve(io.cwd, out), report.pages);
  } catch (e) {
    io.err(`ptelab report: cannot write the report to ${out}: ${osReason(e)}\n`);
    return EXIT_USAGE;
  }
  let code = EXIT_OK;
  for (const s of report.specs) {
    if (s.ioError !== undefined) {
      io.err(`ptelab: ${s.ioError}\n`);
      code = EXIT_USAGE;
      continue;
    }
    const m = summarize(s);
    const parts = [`${plural(m.errors, 'error')}, ${plural(m.warnings, 'warning')}`];
    if (m.scenarios) parts.push(`scenarios ${m.scenarios.passed} pass, ${m.scenarios.failed} fail`);
    if (m.explore) {
      const e = m.explore;
      parts.push(
        `explore ${e.complete} clean, ${e.incomplete} incomplete, ${plural(e.counterexample, 'counterexample')}` +
          `${e.error > 0 ? `, ${e.error} failed to run` : ''}${e.notApplicable > 0 ? `, ${e.notApplicable} not applicable` : ''}`,
      );
    }
    io.out(`${s.file}: spec ${s.name}: ${parts.join('; ')}\n`);
    if (m.errors > 0 && code === EXIT_OK) code = EXIT_FINDINGS;
  }
  const index = written[written.length - 1]!;
  const shown = path.relative(io.cwd, index);
  io.out(`wrote ${plural(written.length, 'page')}: ${shown.startsWith('..') || path.isAbsolute(shown) ? index : shown}\n`);
  return code;
}
