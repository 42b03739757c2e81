// Shared by the explorer's tests: bundled specs compiled and loaded once per test file, worlds from text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSpec } from '../../../compiler/compile.js';
import type { IrSpec } from '../../../compiler/ir/types.js';
import { memoryHost } from '../../../compiler/load.js';
import { loadSpecModule, type LoadedSpec } from '../../../apps/load-module.js';
import { loadWorlds, worldsFromText } from '../../../runtime/explore/worlds.js';
import type { PreparedWorld } from '../../../runtime/explore/world.js';
import { repoRoot } from '../../helpers/repo.js';
import { unwrap } from '../../../core/result.js';

export interface TestSpec extends LoadedSpec {
  readonly ir: IrSpec;
}

const cache = new Map<string, Promise<TestSpec>>();

/** A bundled spec (repo-relative path), compiled and loaded once. */
export function spec(file: string): Promise<TestSpec> {
  let p = cache.get(file);
  if (!p) {
    p = (async () => {
      const c = unwrap(compileSpec(path.join(repoRoot, file)));
      if (!c.ok) throw new Error(`${file} does not compile`);
      return { ir: c.ir, ...(await loadSpecModule(c.ir)) };
    })();
    cache.set(file, p);
  }
  return p;
}

/** A spec that extends x86_64-v6.17 by `delta` (compiled in memory with the bundled files). */
export function v617With(delta: string): IrSpec {
  const read = (f: string): string => fs.readFileSync(path.join(repoRoot, 'examples', f), 'utf8');
  const host = memoryHost({
    'x86_64-v6.17.pte': read('x86_64-v6.17.pte'),
    'mm/linux-v6.17.pte': read('mm/linux-v6.17.pte'),
    'delta.pte': `spec delta extends "x86_64-v6.17.pte" "test delta"\n${delta}\n`,
  });
  const c = unwrap(compileSpec('delta.pte', host));
  if (!c.ok) throw new Error(`delta does not compile:\n${c.diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n')}`);
  return c.ir;
}

/** The worlds of a scenario-language text. */
export function worlds(text: string): PreparedWorld[] {
  return worldsFromText('test-world.scn', text);
}

export function world(text: string): PreparedWorld {
  const ws = worlds(text);
  if (ws.length !== 1) throw new Error(`expected one world, got ${ws.length}`);
  return ws[0]!;
}

/** A bundled world by name. */
export function bundledWorld(file: string, name: string): PreparedWorld {
  const w = loadWorlds([`examples/worlds/${file}`], repoRoot).find((x) => x.name === name);
  if (!w) throw new Error(`no world '${name}' in ${file}`);
  return w;
}

export const SHMEM = `scenario "shmem shared" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
}`;

export const NAIVE = 'examples/proposals/shmem-wp-naive.pte';
export const hasNaive = fs.existsSync(path.join(repoRoot, NAIVE));
