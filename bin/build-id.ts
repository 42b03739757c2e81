// Run after `tsc` (npm run build): dist/build-id, a hash of every compiled module, which keys the compile cache
// (compile-cache.ts) so that a changed ptelab never reads entries an older build wrote.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const h = createHash('sha256');
const walk = (dir: string): void => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js')) h.update(path.relative(dist, p)).update('\0').update(fs.readFileSync(p)).update('\0');
  }
};
walk(dist);
fs.writeFileSync(path.join(dist, 'build-id'), h.digest('hex').slice(0, 32) + '\n');
