// Shared by the C back-end tests: the specs to sketch (bundled kernels, and proposals with their base), gcc in a
// temporary directory, git when present.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baseFile } from '../../../../compiler/backends/base.js';
import { bundledProposals } from '../../../../core/bundled.js';
import { compileClean as compileCleanSpec, type CleanCompiled } from '../../../../compiler/compile.js';
import type { IrSpec } from '../../../../compiler/ir/types.js';
import { nodeHost } from '../../../../compiler/load.js';
import { bundledSpecs, repoRoot } from '../../../helpers/repo.js';
import { unwrap } from '../../../../core/result.js';
import type { LevelName } from '../../../../contract/table.js';

export interface SketchCase {
  /** Repo-relative spec file. */
  readonly file: string;
  readonly compiled: CleanCompiled;
  readonly ir: IrSpec;
  /** The IR of the spec it extends (proposals). */
  readonly base?: IrSpec;
  /** For a level's case (levelCases()): the level, and the spec whose sketch carries its C. */
  readonly level?: LevelName;
  readonly top?: IrSpec;
}

const host = { readFile: (f: string) => nodeHost.readFile(path.isAbsolute(f) ? f : path.join(repoRoot, f)) };
const cache = new Map<string, CleanCompiled>();

export function compileClean(file: string): CleanCompiled {
  const known = cache.get(file);
  if (known) return known;
  const c = unwrap(compileCleanSpec(file, host));
  cache.set(file, c);
  return c;
}

function sketchCase(file: string): SketchCase {
  const compiled = compileClean(file);
  const ir = compiled.ir;
  const base = baseFile(ir);
  return { file, compiled, ir, ...(base ? { base: compileClean(base).ir } : {}) };
}

export function bundledCases(): SketchCase[] {
  return bundledSpecs().map(sketchCase);
}

export function proposalCases(): SketchCase[] {
  return bundledProposals(repoRoot).map(sketchCase);
}

/**
 * The other levels (`level pmd`, `level huge_pte`) of the bundled specs and of the proposals, as cases of their own:
 * the level's IR, spec and sets, and the spec whose sketch (and series) carries the level's C.
 */
export function levelCases(): SketchCase[] {
  return [...bundledSpecs(), ...bundledProposals(repoRoot)].flatMap((file) => {
    const compiled = compileClean(file);
    return compiled.levels.flatMap((l) =>
      l.ir ? [{ file: `${file} (${l.level} level)`, compiled: { ...compiled, spec: l.spec, sets: l.sets, ir: l.ir }, ir: l.ir, level: l.level, top: compiled.ir }] : [],
    );
  });
}

export function allCases(): SketchCase[] {
  return [...bundledCases(), ...proposalCases()];
}

function which(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}

/** gcc on PATH (the compile and C = TS tests skip, saying so, without it). */
export const HAVE_GCC = which('gcc', ['--version']);
export const HAVE_GIT = which('git', ['--version']);

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ptelab-c-${tag}-`));
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `gcc -fsyntax-only -Wall -Werror` over sources written into `dir`; one gcc run for all of them. Also
 * -Wstrict-prototypes and -Wmissing-prototypes, as the kernel builds (a `()` declaration, or a non-static function
 * without a prototype in scope, is a warning there).
 */
export function gccSyntax(dir: string, sources: readonly { name: string; source: string }[]): Run {
  const files = sources.map((s, i) => {
    const f = `${String(i).padStart(2, '0')}-${s.name.replace(/[^A-Za-z0-9.]+/g, '_')}.c`;
    fs.writeFileSync(path.join(dir, f), s.source);
    return f;
  });
  return run('gcc', ['-std=gnu11', '-fsyntax-only', '-Wall', '-Werror', '-Wstrict-prototypes', '-Wmissing-prototypes', ...files], { cwd: dir });
}
