// `ptelab selftest`'s output: a directory in the layout of tools/testing/selftests/mm: one .c per scenario, the
// shared driver ptelab_selftest.h, and a Makefile. Files are written atomically (temporary name, then rename) and
// only the files the selftest owns.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { packageRoot } from '../../core/package-root.js';
import type { Scenario } from '../../runtime/scenario/types.js';
import { SelftestError, emitMakefile, emitScenario, programName, type SelftestProgram } from './emit-c.js';

export const HEADER_NAME = 'ptelab_selftest.h';

/** The C driver every generated program includes (apps/selftest/c/ptelab_selftest.h). */
export function driverHeader(): string {
  return fs.readFileSync(path.join(packageRoot(), 'apps', 'selftest', 'c', HEADER_NAME), 'utf8');
}

export interface SelftestInput {
  readonly scenario: Scenario;
  /** Where the scenario came from, for the program's header comment (a file, or "ptelab explore ..."). */
  readonly origin: string;
}

export interface SelftestSet {
  readonly programs: readonly (SelftestProgram & { readonly scenario: Scenario })[];
  /** file name -> text: the .c files, the header and the Makefile. */
  readonly files: ReadonlyMap<string, string>;
  /** Scenarios the C driver cannot express yet (a skippable SelftestError from emitScenario: UFFD_FEATURE_EVENT_REMAP,
   *  UFFDIO_POISON, guards, ...), and why. */
  readonly skipped: readonly { readonly scenario: Scenario; readonly reason: string }[];
}

export function buildSelftests(inputs: readonly SelftestInput[]): SelftestSet {
  const programs: (SelftestProgram & { readonly scenario: Scenario })[] = [];
  const skipped: { scenario: Scenario; reason: string }[] = [];
  inputs.forEach((x, i) => {
    try {
      programs.push({ ...emitScenario(x.scenario, programName(i, x.scenario), x.origin), scenario: x.scenario });
    } catch (e) {
      if (!(e instanceof SelftestError) || !e.skippable) throw e;
      skipped.push({ scenario: x.scenario, reason: e.message });
    }
  });
  const files = new Map<string, string>();
  for (const p of programs) files.set(`${p.name}.c`, p.source);
  files.set(HEADER_NAME, driverHeader());
  files.set('Makefile', emitMakefile(programs.map((p) => p.name)));
  return { programs, files, skipped };
}

export function writeSelftests(dir: string, set: SelftestSet): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of set.files) {
    const file = path.join(dir, name);
    writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
