// What a command may touch of the outside world: its output streams and whether they are terminals.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  readonly cwd: string;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** Split argv into flags (--json, --depth=3 / --depth 3) and positionals. */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[], boolFlags: readonly string[]): { flags: Map<string, string | true>; positionals: string[] } {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (boolFlags.includes(name)) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        flags.set(name, true);
      } else if (valueFlags.includes(name)) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        flags.set(name, v);
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      positionals.push(a);
    }
  }
  return { flags, positionals };
}
