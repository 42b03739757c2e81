// The compile cache's store: one whole entry per spec, written atomically (no temporary file left), and a cache
// directory that cannot be written only means no entry, never a failed compile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCached } from '../../bin/compile-cache.js';

const SPEC = 'examples/x86_64-v5.10.pte';
let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-cache-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('compileCached', () => {
  it('stores one entry, the whole of it, and nothing else', async () => {
    const dir = path.join(tmp, 'cache');
    const r = await compileCached(SPEC, process.cwd(), { buildId: 'test', dir });
    expect(r.ok && r.value.ok).toBe(true);
    const names = fs.readdirSync(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[0-9a-f]{32}\.v8$/);
    const entry = v8.deserialize(fs.readFileSync(path.join(dir, names[0]!))) as { deps: [string, string][] };
    expect(entry.deps.map(([f]) => f)).toContain(SPEC);
  });

  it('compiles all the same when the entry cannot be written, and leaves no temporary file', async () => {
    const dir = path.join(tmp, 'in-the-way');
    await compileCached(SPEC, process.cwd(), { buildId: 'test', dir });
    const [name] = fs.readdirSync(dir);
    // A directory where the entry goes: the rename over it fails.
    fs.rmSync(path.join(dir, name!));
    fs.mkdirSync(path.join(dir, name!, 'x'), { recursive: true });
    const r = await compileCached(SPEC, process.cwd(), { buildId: 'test', dir });
    expect(r.ok && r.value.ok).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([name]);
  });
});
