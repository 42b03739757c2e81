// `ptelab explore --out DIR`: next to each counterexample's scenario file, its C program (a reproducer a kernel
// maintainer can build and run), the driver header and a Makefile over every program in DIR.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { emitMakefile, emitScenario, SelftestError } from './emit-c.js';
import { driverHeader, HEADER_NAME } from './selftest-dir.js';

/**
 * Writes DIR/NAME.c, DIR/ptelab_selftest.h and DIR/Makefile; returns the .c file's path, or why there is no C program
 * (a step the C driver cannot do, such as a THP collapse: the scenario file alone is the reproducer then).
 */
export function writeCounterexampleC(dir: string, name: string, scenario: Scenario, origin: string): { readonly file: string } | { readonly reason: string } {
  let source: string;
  try {
    source = emitScenario(scenario, name, origin).source;
  } catch (e) {
    if (e instanceof SelftestError) return { reason: e.message };
    throw e;
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.c`);
  writeFileAtomic(file, source);
  writeFileAtomic(path.join(dir, HEADER_NAME), driverHeader());
  const programs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2))
    .sort();
  writeFileAtomic(path.join(dir, 'Makefile'), emitMakefile(programs));
  return { file };
}
