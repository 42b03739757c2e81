// Shared by the commands that need one good spec.
import { levelView, type CleanCompiled, type LevelView } from '../../compiler/compile.js';
import { err, ok, type Result } from '../../core/result.js';
import { compileCached } from '../compile-cache.js';
import { renderText } from '../../core/diagnostics/render.js';
import { EXIT_FINDINGS, EXIT_USAGE, UsageError, colorOn, type CliIo } from '../io.js';

/** The compiled spec, or the exit code after reporting why there is none. */
export async function loadGoodSpec(file: string, io: CliIo): Promise<Result<CleanCompiled, number>> {
  const r = await compileCached(file, io.cwd);
  if (!r.ok) {
    io.err(`ptelab: ${r.error}\n`);
    return err(EXIT_USAGE);
  }
  const c = r.value;
  if (!c.ok) {
    io.err(renderText(c.diagnostics, c.sources, { color: colorOn(io, 'err') }));
    io.err(`ptelab: ${file} has errors; fix them first (ptelab check ${file})\n`);
    return err(EXIT_FINDINGS);
  }
  return ok(c);
}

/** A number as users write it: 0x.., 0b.., decimal, with optional '_' separators. */
export function parseValue(text: string, what: string): bigint {
  const s = text.replace(/_/g, '');
  if (!/^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)$/.test(s)) {
    throw new UsageError(`${what} '${text}' is not a number (write 0x..., 0b... or decimal)`);
  }
  return BigInt(s);
}

/** The level `--level` names (the PTE level without it); a level the spec does not describe is a usage error. */
export function selectLevel(c: CleanCompiled, flag: string | boolean | undefined): LevelView {
  const name = typeof flag === 'string' ? flag : 'pte';
  const v = levelView(c, name);
  if (v) return v;
  const have = ['pte', ...c.levels.map((l) => l.level)].join(', ');
  throw new UsageError(`spec ${c.spec.name} has no '${name}' level (it describes: ${have})`);
}
