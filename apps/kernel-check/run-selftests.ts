// Build the generated selftests with gcc (-Wall -Wextra -Werror; the kernel's selftests build with -Wall) and run
// them one at a time: they share the swapfile, and one test's swapoff must not pull another's pages back under it.
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProgramRun {
  readonly name: string;
  readonly stdout: string;
  readonly status: number | null;
  /** gcc's complaint when the program did not build (a bug in ptelab's emitter or driver). */
  readonly buildError?: string;
}

export const RUN_TIMEOUT_MS = 120_000; // the C driver stops itself after 60 s (PT_TIMEOUT); this is the backstop

const GCC_FLAGS = ['-O2', '-Wall', '-Wextra', '-Werror'];

/** gcc on one program: undefined when it built, else gcc's complaint. */
export function buildProgram(dir: string, name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('gcc', [...GCC_FLAGS, '-o', path.join(dir, name), path.join(dir, `${name}.c`), '-pthread'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : stderr.trim() || `gcc exited with ${code}`));
  });
}

/** Every program, as many gcc at a time as there are cores; name -> complaint for those that did not build. */
export async function buildPrograms(dir: string, names: readonly string[]): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  const queue = [...names];
  const lanes = Math.max(1, Math.min(os.availableParallelism(), queue.length));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const e = await buildProgram(dir, name);
        if (e) errors.set(name, e);
      }
    }),
  );
  return errors;
}

export function runProgram(dir: string, name: string, swapfile: string | undefined): ProgramRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (swapfile) env.PTELAB_SWAPFILE = swapfile;
  else delete env.PTELAB_SWAPFILE;
  const r = spawnSync(path.join(dir, name), [], { cwd: dir, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' });
  const stdout = (r.stdout ?? '') + (r.error ? `\nnot ok 1 ${name} # ${r.error.message}\n` : '');
  return { name, stdout, status: r.status };
}
