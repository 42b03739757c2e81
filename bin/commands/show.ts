// ptelab show [--kind K] SPEC: the layout diagram for terminals: every format's fields on a bit ruler, and every
// kind's fixed bits (or one kind and its format). The same information as generated/<spec>/layout.svg.
import { layoutText } from '../../compiler/backends/svg/text.js';
import { knownHint } from '../../compiler/resolve.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec, selectLevel } from './common.js';


export async function showCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('show needs exactly one SPEC');
  const file = positionals[0]!;
  const kind = flags.get('kind') as string | undefined;
  const good = await loadGoodSpec(file, io);
  if (!good.ok) return good.error;
  const c = good.value;
  const ir = selectLevel(c, flags.get('level')).displayIr!;
  if (kind !== undefined && !ir.kinds.some((k) => k.name === kind)) {
    io.err(`ptelab: spec ${ir.name} has no kind '${kind}' (${knownHint('kinds', ir.kinds.map((k) => k.name))})\n`);
    return EXIT_USAGE;
  }
  io.out(layoutText(ir, kind !== undefined ? { kind } : {}));
  return EXIT_OK;
}
