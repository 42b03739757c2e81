// A compile cache for the CLI, so `decode`, `encode`, `check` and `show` of a spec compiled before start in about the
// time Node itself takes: parsing (Chevrotain's grammar analysis alone costs more than Node's start-up) and the
// exact checks run once per version of the spec's files, not once per command.
//
// Only a clean result (no errors) is kept: it depends on nothing but the texts of the files it read, whose hashes
// it records and which are hashed again on every hit. The key is ptelab's build (dist/build-id, written by
// `npm run build`; running from sources there is none and nothing is cached), the working directory and the file
// as named (diagnostics print paths as the user gave them). Entries are v8-serialized; any failure to read or write
// one only means compiling again. PTELAB_NO_CACHE=1 turns it off; PTELAB_CACHE_DIR moves it (default
// $XDG_CACHE_HOME/ptelab or ~/.cache/ptelab).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { makeDirs } from '../core/make-dirs.js';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import type { CleanCompiled, CompileOutcome } from '../compiler/compile.js';
import { ok } from '../core/result.js';

export interface CacheOptions {
  /** Identifies the compiler that produced an entry; undefined: no cache. */
  readonly buildId: string | undefined;
  readonly dir: string;
}

interface Entry {
  readonly deps: readonly (readonly [string, string])[];
  readonly compiled: CleanCompiled;
}

/** The cache as configured by the environment and the installed build. */
export function defaultCacheOptions(env: Readonly<Record<string, string | undefined>> = process.env): CacheOptions {
  const dir = env['PTELAB_CACHE_DIR'] || path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'ptelab');
  if (env['PTELAB_NO_CACHE'] && env['PTELAB_NO_CACHE'] !== '0') return { buildId: undefined, dir };
  let buildId: string | undefined;
  try {
    // dist/bin/compile-cache.js -> dist/build-id
    buildId = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build-id'), 'utf8').trim() || undefined;
  } catch {
    buildId = undefined;
  }
  return { buildId, dir };
}

const hash = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

function entryPath(opts: CacheOptions, cwd: string, file: string): string {
  return path.join(opts.dir, `${hash(`${opts.buildId}\0${cwd}\0${file}`).slice(0, 32)}.v8`);
}

/** compileSpec(file), from the cache when every file it read is unchanged. */
export async function compileCached(file: string, cwd: string, opts: CacheOptions = defaultCacheOptions()): Promise<CompileOutcome> {
  const at = opts.buildId === undefined ? undefined : entryPath(opts, cwd, file);
  if (at !== undefined) {
    const hit = lookup(at);
    if (hit) return hit;
  }
  const { compileSpec } = await import('../compiler/compile.js');
  // Paths are as the user gave them, read from the process's directory, as compileSpec() always has.
  const r = compileSpec(file);
  if (at !== undefined && r.ok && r.value.ok) store(at, r.value);
  return r;
}

function lookup(at: string): CompileOutcome | undefined {
  try {
    const entry = v8.deserialize(fs.readFileSync(at)) as Entry;
    for (const [file, h] of entry.deps) if (hash(fs.readFileSync(file)) !== h) return undefined;
    return ok(entry.compiled);
  } catch {
    return undefined;
  }
}

function store(at: string, compiled: CleanCompiled): void {
  try {
    const deps = [...compiled.sources.keys()].map((f) => [f, hash(fs.readFileSync(f))] as const);
    makeDirs(path.dirname(at));
    // Two processes storing one entry at once each rename a whole file over it; the last one stays.
    writeFileAtomic(at, v8.serialize({ deps, compiled } satisfies Entry));
  } catch {
    // A cache that cannot be written is only a slower next start.
  }
}
