// ptelab show [--kind K] SPEC: the layout diagram for terminals: every format's fields on a bit ruler, and every
// kind's fixed bits (or one kind and its format). The same information as generated/<spec>/layout.svg.
import { layoutText } from '../../compiler/backends/svg/text.js';
import { knownHint } from '../../compiler/resolve.js';
import { EXIT_FINDINGS, EXIT_OK, parseArgs, UsageError, type CliIo } from '../io.js';
import { loadGoodSpec } from './common.js';

export const showUsage = 'ptelab show [--kind KIND] SPEC';

export function showCommand(argv: readonly string[], io: CliIo): number {
  const { flags, positionals } = parseArgs(argv, ['kind'], []);
  if (positionals.length !== 1) throw new UsageError('show needs exactly one SPEC');
  const file = positionals[0]!;
  const kind = flags.get('kind') as string | undefined;
  const c = loadGoodSpec(file, io);
  if (typeof c === 'number') return c;
  const ir = c.ir!;
  if (kind !== undefined && !ir.kinds.some((k) => k.name === kind)) {
    io.err(`ptelab: spec ${ir.name} has no kind '${kind}' (${knownHint('kinds', ir.kinds.map((k) => k.name))})\n`);
    return EXIT_FINDINGS;
  }
  io.out(layoutText(ir, kind !== undefined ? { kind } : {}));
  return EXIT_OK;
}
