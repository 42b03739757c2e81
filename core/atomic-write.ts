// Replacing a file so that a reader sees either the old contents or the new, never a part: the data goes to a
// temporary sibling (the same directory, so the rename stays on one filesystem and is atomic), which is then renamed
// over the target. Each caller keeps its own policy (which files it may replace, a mode to keep, errors to swallow).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** The new file's permission bits (the umask still applies); default: fs.writeFileSync's 0o666. */
  readonly mode?: number;
}

/**
 * Write `data` to `target` atomically. On any failure the temporary file is removed and the error rethrown; the
 * target is then as it was. The directory must exist.
 */
export function writeFileAtomic(target: string, data: string | NodeJS.ArrayBufferView, opts: AtomicWriteOptions = {}): void {
  // Hidden and ending in .tmp, so no listing by extension takes it for a real file; pid and random bytes, because
  // worker threads share a pid and two processes (two containers) writing one cache directory may too.
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.ptelab-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    // No fsync: what is promised is no torn file for readers or after a killed process, not durability across a power
    // cut, and none of the callers did it before; one per file would slow `generate` and `fmt` over many files.
    fs.writeFileSync(tmp, data, opts.mode !== undefined ? { mode: opts.mode } : {});
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The write's error is the one to report.
    }
    throw e;
  }
}
