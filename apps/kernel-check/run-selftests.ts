// Build the generated selftests with gcc (-Wall -Werror, as the kernel's selftests are built) and run them one at a
// time: they share the swapfile, and one test's swapoff must not pull another's pages back under it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface ProgramRun {
  readonly name: string;
  readonly stdout: string;
  readonly status: number | null;
  /** gcc's complaint when the program did not build (a bug in ptelab's emitter or driver). */
  readonly buildError?: string;
}

export const RUN_TIMEOUT_MS = 120_000; // the C driver stops itself after 60 s (PT_TIMEOUT); this is the backstop

export function buildProgram(dir: string, name: string): string | undefined {
  const r = spawnSync('gcc', ['-O2', '-Wall', '-Werror', '-o', path.join(dir, name), path.join(dir, `${name}.c`), '-pthread'], {
    encoding: 'utf8',
  });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : r.stderr.trim() || `gcc exited with ${r.status}`;
}

export function runProgram(dir: string, name: string, swapfile: string | undefined): ProgramRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (swapfile) env.PTELAB_SWAPFILE = swapfile;
  else delete env.PTELAB_SWAPFILE;
  const r = spawnSync(path.join(dir, name), [], { cwd: dir, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' });
  const stdout = (r.stdout ?? '') + (r.error ? `\nnot ok 1 ${name} # ${r.error.message}\n` : '');
  return { name, stdout, status: r.status };
}
