// The real process as a CliIo: its streams, their terminal status and colour (each stream judged on its own), stdin.
import { colorFor } from './color.js';
import type { CliIo } from './io.js';

/** The parts of `process` the CLI reads: small enough for a test to fake. */
export interface ProcessLike {
  readonly stdout: { isTTY?: boolean; write(s: string): unknown };
  readonly stderr: { isTTY?: boolean; write(s: string): unknown };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  cwd(): string;
}

export function processIo(p: ProcessLike): CliIo {
  const outTTY = p.stdout.isTTY === true;
  const errTTY = p.stderr.isTTY === true;
  return {
    out: (s) => void p.stdout.write(s),
    err: (s) => void p.stderr.write(s),
    isTTY: outTTY,
    errTTY,
    color: { out: colorFor(outTTY, p.env), err: colorFor(errTTY, p.env) },
    cwd: p.cwd(),
    stdin: async () => {
      let text = '';
      p.stdin.setEncoding('utf8');
      for await (const chunk of p.stdin) text += chunk as string;
      return text;
    },
  };
}
