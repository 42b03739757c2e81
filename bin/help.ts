// The text of `ptelab help`, `ptelab help CMD` and `CMD --help`, made from the command table alone.
import { COMMANDS, type CommandSpec } from './table.js';

export const EXIT_CONTRACT =
  'Exit codes: 0 ok, 1 findings (errors in a spec, a failed scenario, a counterexample), 2 usage or I/O error,\n' +
  '3 incomplete (explore: --max-states reached before --depth, no counterexample found).\n';

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: ptelab COMMAND [OPTIONS] ARGS...',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "`ptelab help COMMAND` (or `ptelab COMMAND --help`) explains a command and every option; `ptelab --version`.",
    EXIT_CONTRACT,
  ].join('\n');
}

/** Every usage line, one a line (the text printed after a misuse without a command). */
export function usageLines(): string {
  return ['usage:', ...COMMANDS.map((c) => `  ${c.usage}`)].join('\n') + '\n';
}

export function commandHelp(c: CommandSpec): string {
  const opts = Object.entries(c.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.help] as const;
  });
  opts.push(['-h, --help', 'print this help']);
  const width = Math.max(...opts.map(([f]) => f.length));
  return [
    `usage: ${c.usage}`,
    '',
    `${c.summary}.`,
    c.details,
    '',
    'options:',
    ...opts.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`),
    '',
  ].join('\n');
}
