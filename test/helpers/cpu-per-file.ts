// `PTELAB_CPU_LOG=FILE npx vitest run --config vitest.profile.config.ts`: appends one line per test file to FILE:
// the CPU seconds (user + sys) its worker spent from just before the file was imported to after its last test, then
// those of the child processes it waited for (gcc, the CLI), the worker's pid and the file. Which files cost npm test
// its time (README, Tests): wall time on a shared machine says little.
import * as fs from 'node:fs';
import { afterAll, expect } from 'vitest';

const log = process.env['PTELAB_CPU_LOG'];

/** [own, children] CPU seconds of this process so far, from /proc (children: those it has waited for). */
function cpu(): [number, number] {
  const f = fs.readFileSync('/proc/self/stat', 'utf8');
  const v = f.slice(f.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after the name and the state
  return [(v[11]! + v[12]!) / 100, (v[13]! + v[14]!) / 100];
}

if (log) {
  const start = cpu();
  const file = expect.getState().testPath ?? '?';
  afterAll(() => {
    const end = cpu();
    fs.appendFileSync(log, `${(end[0] - start[0]).toFixed(2)}\t${(end[1] - start[1]).toFixed(2)}\t${process.pid}\t${file}\t${start[0].toFixed(2)}\t${end[0].toFixed(2)}\n`);
  });
}
