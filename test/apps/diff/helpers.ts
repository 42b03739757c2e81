// Shared by the diff tests: compile a bundled spec (repo-relative name) or an in-memory one into a diff side.
import { compileSpec } from '../../../compiler/compile.js';
import { diffSide, type DiffSide } from '../../../apps/diff/side.js';
import { memoryHost } from '../../../compiler/load.js';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/repo.js';
import { nodeHost } from '../../../compiler/load.js';
import { unwrap } from '../../../core/result.js';

const cache = new Map<string, DiffSide>();

/** A bundled spec, compiled under its repo-relative name; fails the test unless it compiles cleanly. */
export function bundled(name: string): DiffSide {
  const file = `examples/${name}.pte`;
  const known = cache.get(file);
  if (known) return known;
  const c = unwrap(compileSpec(file, { readFile: (f) => nodeHost.readFile(path.isAbsolute(f) ? f : path.join(repoRoot, f)) }));
  const errors = c.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const s = diffSide(c);
  cache.set(file, s);
  return s;
}

/** An in-memory spec (errors allowed: handler fixtures need not list every entry path). */
export function inMemory(file: string, text: string): DiffSide {
  const c = unwrap(compileSpec(file, memoryHost({ [file]: text })));
  return diffSide(c);
}
