// ptelab new --extends SPEC NAME: NAME.pte in the working directory, a proposal skeleton that checks, builds and runs
// as written (it changes nothing yet): the header comment a proposal carries (whose idea, mail id, claim, verdict)
// and, as comments, the kinds and handler cases a proposal usually fills in. Never writes over an existing file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { compileSpec } from '../../compiler/compile.js';
import { isBundledName, resolveSpecRef } from '../../compiler/spec-ref.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, osReason, UsageError, type CliIo, type CommandArgs } from '../io.js';

export async function newCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('new needs exactly one NAME');
  const base = flags.get('extends');
  if (typeof base !== 'string' || base === '') throw new UsageError('new needs --extends SPEC (a bundled spec such as x86_64-v6.17, or a .pte file)');
  const name = positionals[0]!.replace(/\.pte$/, '');
  const stem = path.basename(name);
  const specName = stem.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, 'p_');
  if (!/^[A-Za-z_]/.test(specName)) throw new UsageError(`'${name}' does not make a spec name; start it with a letter`);
  const file = path.resolve(io.cwd, `${name}.pte`);
  // The base as the new file will name it: a bundled name stays a name; a path becomes relative to the new file.
  let ref: string;
  if (isBundledName(base)) ref = base;
  else ref = path.relative(path.dirname(file), path.resolve(io.cwd, base)).split(path.sep).join('/');
  const baseFile = isBundledName(base) ? resolveSpecRef('.', base) : path.resolve(io.cwd, base);
  const r = compileSpec(baseFile);
  if (!r.ok) {
    io.err(`ptelab new: cannot use --extends ${base}: ${r.error}\n`);
    return EXIT_USAGE;
  }
  const c = r.value;
  if (!c.ok) {
    io.err(`ptelab new: ${base} has errors; a proposal needs a base that checks (ptelab check ${base})\n`);
    return EXIT_FINDINGS;
  }
  const kinds = [...c.spec.kinds.keys()];
  const text = skeleton(stem, specName, ref, c.spec.name, kinds);
  try {
    makeDirs(path.dirname(file));
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (e) {
    io.err(`ptelab new: cannot write '${path.relative(io.cwd, file) || file}': ${osReason(e)}${(e as NodeJS.ErrnoException).code === 'EEXIST' ? ' (new never overwrites a file)' : ''}\n`);
    return EXIT_USAGE;
  }
  const shown = path.relative(io.cwd, file) || file;
  io.out(`wrote ${shown} (extends ${ref}); next: ptelab check ${shown}\n`);
  return EXIT_OK;
}

function skeleton(stem: string, specName: string, ref: string, baseName: string, kinds: readonly string[]): string {
  return `// ${stem}: <one line: what this proposal changes in the PTE encoding>.
//
// Whose, when: <author>, <date>, "<mail subject>" (<message id>); where it was discussed.
//
// Claim: <what the proposal says it achieves, and what it costs: swap types, bits, paths that must learn it>.
//
// Verdict: <after \`ptelab run ${stem}.pte SCENARIOS\` and \`ptelab explore ${stem}.pte\`: which scenarios fail and why>.

spec ${specName} extends "${ref}"
  "<one line: the proposal>"

// Everything not stated here is ${baseName}'s (kinds: ${kinds.join(', ')}).
//
// A new kind takes room from an inherited one: narrow it with \`override kind\`, then declare the new kind, e.g.
//   override kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES && !(TYPE == 1 && OFFSET == 0) refs slot(TYPE, OFFSET)
//   kind my_marker : swp when is_swap_pte && TYPE == 1 && OFFSET == 0
//
// Then teach the paths the new kind (\`ptelab check\` names every path that does not handle it), e.g.
//   path zap_pte_range {
//     case my_marker { if zap.drop_markers { clear } }
//   }
// (\`case\` appends, \`before case\` goes before the inherited case of that kind, \`override case\` replaces it;
// docs/language.md and docs/handlers.md.)
`;
}
