// File access behind a host, so the front ends, the scenario loader and the applications run in memory in tests:
// the only file reads of spec and scenario text go through here.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileHost {
  /** The file's text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
}

export const nodeHost: FileHost = {
  readFile(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** An in-memory host for tests and the fuzzer. */
export function memoryHost(files: Record<string, string>): FileHost {
  return { readFile: (f) => files[path.normalize(f)] ?? files[f] };
}

/** A host that reads relative names under `root` (absolute names as they are). */
export function rootedHost(root: string, host: FileHost = nodeHost): FileHost {
  return { readFile: (f) => host.readFile(path.isAbsolute(f) ? f : path.join(root, f)) };
}
