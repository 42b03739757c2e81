// World files: scenario files whose scenarios are worlds (world.ts). The bundled ones are in examples/worlds/.
import { WORLD_DIR } from '../../core/bundled.js';
import { renderText } from '../../core/diagnostics/render.js';
import { memoryHost } from '../../core/host.js';
import { packageRoot } from '../../core/package-root.js';
import { loadScenarioFiles } from '../scenario/load.js';
import { prepareWorld, type PreparedWorld } from './world.js';

/**
 * The worlds of world files or folders (read through the one scenario loader). Bundled input that does not load is
 * a bug in ptelab, so this throws; the CLI loads a user's --world files itself and reports their diagnostics.
 */
export function loadWorlds(args: readonly string[], root?: string): PreparedWorld[] {
  const r = loadScenarioFiles(args, root !== undefined ? { root } : {});
  const problems = [
    ...r.unreadable.map((u) => `${u.file}: ${u.reason}`),
    ...(r.diagnostics.some((d) => d.severity === 'error') ? [renderText(r.diagnostics, r.sources)] : []),
  ];
  if (problems.length > 0) throw new Error(`cannot load worlds:\n${problems.join('\n')}`);
  return r.scenarios.map((s) => prepareWorld(s));
}

/** The worlds of one file's text (tests, and worlds built in memory). */
export function worldsFromText(file: string, text: string): PreparedWorld[] {
  const r = loadScenarioFiles([file], { host: memoryHost({ [file]: text }) });
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(`cannot load worlds:\n${renderText(r.diagnostics, r.sources)}`);
  return r.scenarios.map((s) => prepareWorld(s));
}

/** Every bundled world (examples/worlds/), with repository-relative file names. */
export function bundledWorlds(root: string = packageRoot()): PreparedWorld[] {
  return loadWorlds([WORLD_DIR], root);
}
