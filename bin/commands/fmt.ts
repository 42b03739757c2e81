// ptelab fmt [--check] FILE|DIR...: specs in canonical style (docs/fmt.md), in place. Each file is replaced
// atomically (a temporary sibling, then rename) and only when its text changes. --check writes nothing: it lists the
// files that are not formatted and exits 1 if there are any. A spec with syntax errors is never formatted: its
// diagnostics are printed and the exit code is 1. A directory stands for every .pte and .scn file under it; a .scn
// file is a scenario file (apps/fmt/scenario.ts), anything else a spec.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { renderText } from '../../core/diagnostics/render.js';
import { internalErrorText } from '../../core/internal-error.js';
import { FormatCheckError, formatSpecText } from '../../apps/fmt/format.js';
import { notTextDiagnostic } from '../../core/text-check.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, osReason, UsageError, colorOn, type CliIo, type CommandArgs } from '../io.js';


/** Exit code of a formatting failure that is a bug in ptelab (the file is left alone). */
const EXIT_INTERNAL = 70;

export async function fmtCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError('fmt needs at least one FILE or DIR');
  const check = flags.has('check');
  let code = EXIT_OK;
  const bump = (c: number) => {
    code = Math.max(code, c);
  };
  let formatted = 0;
  let unchanged = 0;
  for (const file of expand(positionals, io, bump)) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.err(`ptelab: cannot read '${file}': ${osReason(e)}\n`);
      bump(EXIT_USAGE);
      continue;
    }
    const notText = notTextDiagnostic({ path: file, text });
    if (notText) {
      io.err(renderText([notText], new Map(), { color: colorOn(io, 'err') }));
      bump(EXIT_FINDINGS);
      continue;
    }
    let r;
    try {
      // The scenario formatter (its own lexer and parser) is loaded only when a scenario file is formatted.
      r = file.endsWith('.scn') ? await (await import('../../apps/fmt/scenario.js')).formatScenarioText(text, file) : await formatSpecText(text, file);
    } catch (e) {
      // A failed self-check (FormatCheckError) or any other failure of the formatter: a bug; the next file still runs.
      const why = e instanceof FormatCheckError ? e.message : `formatting ${file} failed (${internalErrorText(e)}); this is a bug in ptelab fmt`;
      io.err(`ptelab: ${why}; '${file}' is left as it is\n`);
      bump(EXIT_INTERNAL);
      continue;
    }
    if (!r.ok) {
      io.err(renderText(r.diagnostics, new Map([[file, r.source]]), { color: colorOn(io, 'err') }));
      io.err(`ptelab: ${file} has syntax errors; not formatted\n`);
      bump(EXIT_FINDINGS);
      continue;
    }
    if (!r.changed) {
      unchanged++;
      continue;
    }
    if (check) {
      io.out(`${file}\n`);
      bump(EXIT_FINDINGS);
      continue;
    }
    try {
      writeAtomically(path.resolve(io.cwd, file), r.text);
    } catch (e) {
      io.err(`ptelab: cannot write '${file}': ${osReason(e)}\n`);
      bump(EXIT_USAGE);
      continue;
    }
    formatted++;
    io.out(`formatted ${file}\n`);
  }
  if (!check && code !== EXIT_USAGE) io.out(`${formatted} formatted, ${unchanged} unchanged\n`);
  return code;
}

/** The files named, directories replaced by the .pte and .scn files under them (sorted, hidden entries skipped). */
function expand(names: readonly string[], io: CliIo, bump: (c: number) => void): string[] {
  const out: string[] = [];
  for (const name of names) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.resolve(io.cwd, name));
    } catch {
      io.err(`ptelab: no such file or directory '${name}'\n`);
      bump(EXIT_USAGE);
      continue;
    }
    if (!stat.isDirectory()) {
      out.push(name);
      continue;
    }
    const walk = (dir: string) => {
      const entries = fs.readdirSync(path.resolve(io.cwd, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && (e.name.endsWith('.pte') || e.name.endsWith('.scn'))) out.push(p);
      }
    };
    walk(name);
  }
  return out;
}

/** Replace the file atomically with its permission bits (given at creation, so the umask may clear some). */
function writeAtomically(target: string, text: string): void {
  let mode: number | undefined;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  writeFileAtomic(target, text, mode !== undefined ? { mode } : {});
}
