// File access behind a host, so the front ends, the scenario loader and the applications run in memory in tests:
// the only file reads of spec and scenario text go through here.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileHost {
  /** The file's text, or undefined when it cannot be read. */
  readFile(file: string): string | undefined;
  /** Why `file` cannot be read (the OS's reason: ENOENT, EISDIR, EACCES...), when the host knows. */
  whyUnreadable?(file: string): string | undefined;
}

export const nodeHost: FileHost = {
  readFile(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  whyUnreadable(file) {
    try {
      fs.readFileSync(file);
      return undefined;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const m = /^[A-Z0-9_]+: ([^,]+)/.exec(err.message ?? '');
      return err.code ? `${err.code}: ${m ? m[1] : err.message}` : String(e);
    }
  },
};

/** An in-memory host for tests and the fuzzer. */
export function memoryHost(files: Record<string, string>): FileHost {
  return { readFile: (f) => files[path.normalize(f)] ?? files[f] };
}

/** A host that reads relative names under `root` (absolute names as they are). */
export function rootedHost(root: string, host: FileHost = nodeHost): FileHost {
  const at = (f: string) => (path.isAbsolute(f) ? f : path.join(root, f));
  return {
    readFile: (f) => host.readFile(at(f)),
    ...(host.whyUnreadable ? { whyUnreadable: (f: string) => host.whyUnreadable!(at(f)) } : {}),
  };
}
