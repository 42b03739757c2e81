// Where ptelab itself lives (the directory with its package.json), whether running from sources or from dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'ptelab') return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the ptelab package root');
    dir = up;
  }
}
