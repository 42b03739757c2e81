// The one loader of scenario files (`ptelab run`, `explore --world`, the matrix, the bundled worlds): each argument
// is a .scn file or a folder of them (its *.scn files, sorted); every file is read through a host and parsed; what
// could not be read and what did not parse is returned as data, never thrown, so each caller reports it its way.
import { compareFileNames } from '../../core/file-order.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { nodeHost, rootedHost, type FileHost } from '../../core/host.js';
import type { SourceFile } from '../../core/source.js';
import { notTextDiagnostic } from '../../core/text-check.js';
import { parseScenarios } from './parse.js';
import type { Scenario } from './types.js';

export interface LoadedScenario extends Scenario {
  readonly file: string;
  /** The line of its `scenario` keyword. */
  readonly line: number;
}

export interface ScenarioLoad {
  /** The files read, folders expanded, in argument order. */
  readonly files: readonly string[];
  /** The scenarios of every file that parsed without errors, in file order. */
  readonly scenarios: readonly LoadedScenario[];
  /** Every parse diagnostic, with the sources to render them. */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** Arguments that could not be read (missing, unreadable, a folder without .scn files), with the reason. */
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[];
}

export interface ScenarioLoadOptions {
  readonly host?: FileHost;
  /** Relative arguments are read under `root` and keep their relative names (deterministic output). */
  readonly root?: string;
}

/** A folder argument's .scn files (sorted, joined to the argument as given), or undefined when it is not a folder. */
function folderFiles(arg: string, root: string | undefined): string[] | undefined {
  const abs = root !== undefined && !path.isAbsolute(arg) ? path.join(root, arg) : arg;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return undefined;
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.scn'))
    .map((e) => e.name)
    .sort(compareFileNames)
    .map((n) => (arg.endsWith('/') ? `${arg}${n}` : `${arg}/${n}`));
}

function reasonFor(file: string, root: string | undefined): string {
  try {
    fs.accessSync(root !== undefined && !path.isAbsolute(file) ? path.join(root, file) : file, fs.constants.R_OK);
    return 'cannot read it';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? 'error'})`;
  }
}

/** The line (1-based) where `scenario "NAME"` is declared, else the line before its first step. */
function declLine(text: string, s: Scenario): number {
  const needle = `scenario ${JSON.stringify(s.name)}`;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(needle));
  return i >= 0 ? i + 1 : Math.max(1, (s.steps[0]?.loc?.line ?? 2) - 1);
}

export function loadScenarioFiles(args: readonly string[], options: ScenarioLoadOptions = {}): ScenarioLoad {
  const host = options.root !== undefined ? rootedHost(options.root, options.host ?? nodeHost) : (options.host ?? nodeHost);
  const files: string[] = [];
  const scenarios: LoadedScenario[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const unreadable: { file: string; reason: string }[] = [];
  for (const arg of args) {
    const inFolder = folderFiles(arg, options.root);
    if (inFolder !== undefined && inFolder.length === 0) unreadable.push({ file: arg, reason: 'a folder without .scn files' });
    for (const file of inFolder ?? [arg]) {
      const text = host.readFile(file);
      if (text === undefined) {
        unreadable.push({ file, reason: host.whyUnreadable?.(file) ?? reasonFor(file, options.root) });
        continue;
      }
      files.push(file);
      sources.set(file, { path: file, text });
      // A binary is one diagnostic (PTE014), not thousands of syntax errors.
      const notText = notTextDiagnostic({ path: file, text });
      if (notText) {
        diagnostics.push(notText);
        continue;
      }
      const r = parseScenarios({ path: file, text });
      diagnostics.push(...r.diagnostics);
      if (!hasErrors(r.diagnostics)) scenarios.push(...r.scenarios.map((s) => ({ ...s, file, line: declLine(text, s) })));
    }
  }
  return { files, scenarios, diagnostics, sources, unreadable };
}
