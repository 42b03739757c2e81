// `mkdir -p` that always ends. Node's fs.mkdirSync(dir, { recursive: true }) spins forever at full CPU where mkdir
// fails with ENOENT although the parent exists (under /proc, /sys: Node retries the parent, which "exists", then the
// child again). This creates one missing component at a time, from the top, and lets the OS's error through.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function makeDirs(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    const st = fs.statSync(cur, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${abs}'`), { code: 'ENOTDIR', syscall: 'mkdir', path: cur });
      break;
    }
    missing.push(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // Someone else made it meanwhile: fine. Anything else (ENOENT under /proc, EACCES, EROFS) is the answer.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
