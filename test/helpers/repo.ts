// Where the repository and its bundled specs are, for tests that read them. Tests run from the repo root.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledKernelSpecs } from '../../core/bundled.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled specs as repo-relative paths (the form generated files name them by). */
export function bundledSpecs(): string[] {
  return bundledKernelSpecs(repoRoot);
}
