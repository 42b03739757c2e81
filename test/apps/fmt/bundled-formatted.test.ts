// The bundled specs are kept in `ptelab fmt` form (run `node dist/bin/ptelab.js fmt examples` after editing them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSpecText } from '../../../apps/fmt/format.js';
import { repoRoot } from '../../helpers/repo.js';

function specsUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(repoRoot, dir), { recursive: true }) as string[])
    .map((f) => `${dir}/${String(f).split(path.sep).join('/')}`)
    .filter((f) => f.endsWith('.pte'))
    .sort();
}

describe('bundled specs are formatted', () => {
  for (const file of specsUnder('examples')) {
    it(`${file} is in ptelab fmt form`, async () => {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const r = await formatSpecText(text, file);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.changed, `run: node dist/bin/ptelab.js fmt ${file}`).toBe(false);
    });
  }
});
