// What a command may touch of the outside world: its output streams, whether each is a terminal, and (for `-`) stdin.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal. */
  readonly isTTY: boolean;
  /** stderr is a terminal (progress lines); false when not given. */
  readonly errTTY?: boolean;
  /** Colour per stream, decided once from the terminal status and NO_COLOR / FORCE_COLOR (color.ts). */
  readonly color?: { readonly out: boolean; readonly err: boolean };
  readonly cwd: string;
  /** All of standard input, for commands that read values from `-`. */
  readonly stdin?: () => Promise<string>;
}

/** The exit-code contract (README): every command keeps it. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** explore: no counterexample, but the search stopped at --max-states before the depth (not a proof of none). */
export const EXIT_INCOMPLETE = 3;
/** An exception escaped a command: a bug in ptelab. */
export const EXIT_INTERNAL = 70;

export class UsageError extends Error {}

/** Whether text written to `stream` may carry ANSI colour. */
export function colorOn(io: CliIo, stream: 'out' | 'err'): boolean {
  if (io.color) return io.color[stream];
  return stream === 'out' ? io.isTTY : io.errTTY === true;
}

/** The arguments of a command after the parser (main.ts): flags by long name, then the positionals. */
export interface CommandArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** An OS error as a user should read it: "ENOENT: no such file or directory" without Node's call decoration. */
export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') {
    const m = /^[A-Z0-9_]+: ([^,]+)/.exec(err.message ?? '');
    return `${err.code}: ${m ? m[1] : err.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Whether `e` is an error from the operating system (a failed open, mkdir, rename...), not a bug. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  const err = e as NodeJS.ErrnoException;
  return err instanceof Error && typeof err.code === 'string' && typeof err.syscall === 'string';
}
