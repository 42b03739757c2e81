// The ptelab command line: parse (Node's util.parseArgs, strict, from the command table) before any work, then load
// and run the one command asked for; help, --version, and the last line of defence against a stack trace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { internalErrorText } from '../core/internal-error.js';
import { packageRoot } from '../core/package-root.js';
import { commandHelp, overview, usageLines } from './help.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, isOsError, osReason, UsageError, type CliIo, type CommandArgs } from './io.js';
import { COMMANDS, findCommand, type CommandSpec } from './table.js';

export function usage(): string {
  return usageLines();
}

export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return `ptelab ${pkg.version}\n`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage() + "run 'ptelab help' for what each command does\n");
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    io.out(overview());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.out(version());
    return EXIT_OK;
  }
  if (name === 'help') return help(rest, io);
  const cmd = findCommand(name);
  if (!cmd) {
    io.err(`ptelab: unknown command '${name}'\n${usage()}`);
    return EXIT_USAGE;
  }
  let args: CommandArgs | 'help';
  try {
    args = parseCommandArgs(cmd, rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return misuse(cmd, e, io);
  }
  if (args === 'help') {
    io.out(commandHelp(cmd));
    return EXIT_OK;
  }
  try {
    const run = await cmd.load();
    return await run(args, io);
  } catch (e) {
    if (e instanceof UsageError) return misuse(cmd, e, io);
    // An OS error that a command did not catch is still the user's file system speaking, not a bug.
    if (isOsError(e)) {
      io.err(`ptelab ${name}: ${e.path ? `'${e.path}': ` : ''}${osReason(e)}\n`);
      return EXIT_USAGE;
    }
    io.err(`ptelab: ${internalErrorText(e)}\nThis is a bug in ptelab; please report it with the command line and spec.\n`);
    return EXIT_INTERNAL;
  }
}

function misuse(cmd: CommandSpec, e: Error, io: CliIo): number {
  io.err(`ptelab ${cmd.name}: ${e.message}\nusage: ${cmd.usage}\n(ptelab ${cmd.name} --help explains every option)\n`);
  return EXIT_USAGE;
}

function help(rest: readonly string[], io: CliIo): number {
  if (rest.length === 0) {
    io.out(overview());
    return EXIT_OK;
  }
  const cmd = rest.length === 1 ? findCommand(rest[0]!) : undefined;
  if (!cmd) {
    io.err(`ptelab help: ${rest.length === 1 ? `unknown command '${rest[0]}'` : 'takes at most one COMMAND'}\ncommands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return EXIT_USAGE;
  }
  io.out(commandHelp(cmd));
  return EXIT_OK;
}

/** Strict parsing from the table: an unknown option, a missing value or a value given to a switch is a UsageError. */
export function parseCommandArgs(cmd: CommandSpec, argv: readonly string[]): CommandArgs | 'help' {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [n, o] of Object.entries(cmd.options)) options[n] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(parseErrorText(e, argv));
  }
  if (parsed.values['help'] === true) return 'help';
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (k === 'help' || v === undefined || v === false) continue;
    if (typeof v === 'string' || v === true) flags.set(k, v);
  }
  return { flags, positionals: parsed.positionals };
}

/** util.parseArgs's messages are long and point at JavaScript; say the same in one line of ours. */
function parseErrorText(e: unknown, argv: readonly string[]): string {
  const err = e as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(err.message ?? '')?.[1] ?? '';
  const opt = quoted.split(' ')[0]!;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${opt}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(err.message ?? '')) return `${longName(quoted)} needs a value`;
      return `${longName(quoted)} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted}`;
    default:
      return `cannot parse the arguments ${JSON.stringify(argv)}: ${err.message ?? String(e)}`;
  }
}

function longName(opt: string): string {
  // "-o, --out <value>" or "--json": the long spelling, as the user reads it in the usage line.
  const m = /--[\w-]+/.exec(opt);
  return m ? m[0] : opt;
}
