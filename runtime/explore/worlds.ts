// World files: scenario files whose scenarios are worlds (world.ts). The bundled ones are in examples/worlds/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../core/package-root.js';
import { parseScenarios } from '../scenario/parse.js';
import { prepareWorld, type PreparedWorld } from './world.js';

/** The bundled world files (absolute paths), sorted. */
export function bundledWorldFiles(): string[] {
  const dir = path.join(packageRoot(), 'examples', 'worlds');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.scn'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Parse a world file; errors throw (the CLI reports diagnostics itself, through `ptelab run`'s loader). */
export function loadWorldFile(file: string, text = fs.readFileSync(file, 'utf8')): PreparedWorld[] {
  const r = parseScenarios({ path: file, text });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`${file}: ${errors.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join('; ')}`);
  }
  return r.scenarios.map((s) => prepareWorld({ ...s, file }));
}

/** Every bundled world. */
export function bundledWorlds(): PreparedWorld[] {
  return bundledWorldFiles().flatMap((f) => loadWorldFile(f).map((w) => ({ ...w, file: path.relative(packageRoot(), f) })));
}
