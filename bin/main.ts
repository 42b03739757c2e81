// The ptelab command line: dispatch, usage, and the last line of defence against a stack trace.
import { internalErrorText } from '../core/internal-error.js';
import { buildCommand, buildUsage } from './commands/build.js';
import { checkCommand, checkUsage } from './commands/check.js';
import { decodeCommand, decodeUsage } from './commands/decode.js';
import { diffCommand, diffUsage } from './commands/diff.js';
import { encodeCommand, encodeUsage } from './commands/encode.js';
import { exploreCommand, exploreUsage } from './commands/explore.js';
import { fmtCommand, fmtUsage } from './commands/fmt.js';
import { lspCommand, lspUsage } from './commands/lsp.js';
import { matrixCommand, matrixUsage } from './commands/matrix.js';
import { reportCommand, reportUsage } from './commands/report.js';
import { kernelCheckCommand, kernelCheckUsage } from './commands/kernel-check.js';
import { runCommand, runUsage } from './commands/run.js';
import { selftestCommand, selftestUsage } from './commands/selftest.js';
import { showCommand, showUsage } from './commands/show.js';
import { EXIT_USAGE, UsageError, type CliIo } from './io.js';

type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  check: { run: checkCommand, usage: checkUsage },
  build: { run: buildCommand, usage: buildUsage },
  run: { run: runCommand, usage: runUsage },
  explore: { run: exploreCommand, usage: exploreUsage },
  decode: { run: decodeCommand, usage: decodeUsage },
  encode: { run: encodeCommand, usage: encodeUsage },
  diff: { run: diffCommand, usage: diffUsage },
  show: { run: showCommand, usage: showUsage },
  fmt: { run: fmtCommand, usage: fmtUsage },
  matrix: { run: matrixCommand, usage: matrixUsage },
  report: { run: reportCommand, usage: reportUsage },
  selftest: { run: selftestCommand, usage: selftestUsage },
  'kernel-check': { run: kernelCheckCommand, usage: kernelCheckUsage },
  lsp: { run: lspCommand, usage: lspUsage },
};

export function usage(): string {
  return ['usage:', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n') + '\n';
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.err(`ptelab: unknown command '${name}'\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`ptelab ${name}: ${e.message}\nusage: ${cmd.usage}\n`);
      return EXIT_USAGE;
    }
    io.err(`ptelab: ${internalErrorText(e)}\nThis is a bug in ptelab; please report it with the command line and spec.\n`);
    return 70;
  }
}
