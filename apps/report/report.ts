// `ptelab report`: a static HTML page per spec plus an index, for people who look rather than read terminals.
// buildReport() is pure apart from reading its inputs (the specs, the bundled scenarios and worlds) and returns the
// pages by file name; writeReport() puts them in a directory. Same inputs, same bytes (docs/report.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../core/make-dirs.js';
import { nodeHost, type SpecHost } from '../../compiler/load.js';
import { loadMatrixScenarios } from '../matrix/run.js';
import type { LoadedScenario } from '../../runtime/scenario/load.js';
import { packageRoot } from '../../core/package-root.js';
import { DEFAULT_REPORT_DEPTH, DEFAULT_REPORT_MAX_STATES } from './explore.js';
import { gatherSpecReport } from './gather.js';
import type { SpecReport } from './model.js';
import { renderIndex, renderSpecPage } from './render.js';

export { DEFAULT_REPORT_DEPTH, DEFAULT_REPORT_MAX_STATES };

export interface ReportOptions {
  readonly host?: SpecHost;
  /** Explore depth per bundled world; 0 leaves exploration out. Default DEFAULT_REPORT_DEPTH. */
  readonly exploreDepth?: number;
  readonly maxStates?: number;
  /** Where the bundled scenarios live (examples/scenarios/ under it); default the ptelab package. */
  readonly root?: string;
}

export interface Report {
  /** Page file name (`<stem>.html`, `index.html`) → HTML. */
  readonly pages: ReadonlyMap<string, string>;
  /** The data behind each spec page, in the order the specs were given. */
  readonly specs: readonly SpecReport[];
}

/** Page names: each spec file's stem (`x86_64-v6.17`), made unique (`-2`, `-3`, ...); `index` is the index's. */
export function pageNames(files: readonly string[]): string[] {
  const used = new Set<string>(['index']);
  return files.map((f) => {
    const stem = path.basename(f).replace(/\.pte$/, '') || 'spec';
    let name = stem;
    for (let n = 2; used.has(name); n++) name = `${stem}-${n}`;
    used.add(name);
    return name;
  });
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

export async function buildReport(files: readonly string[], opts: ReportOptions = {}): Promise<Report> {
  const depth = opts.exploreDepth ?? DEFAULT_REPORT_DEPTH;
  let scenarios: readonly LoadedScenario[] | string;
  try {
    scenarios = loadMatrixScenarios(opts.root ?? packageRoot()).scenarios;
  } catch (e) {
    scenarios = `not available: ${message(e)}`;
  }
  const names = pageNames(files);
  const specs: SpecReport[] = [];
  for (let i = 0; i < files.length; i++) {
    specs.push(
      await gatherSpecReport(files[i]!, names[i]!, {
        host: opts.host ?? nodeHost,
        scenarios,
        ...(depth > 0 ? { explore: { depth, maxStates: opts.maxStates ?? DEFAULT_REPORT_MAX_STATES } } : { exploreOff: 'not run (--no-explore)' }),
      }),
    );
  }
  // Links between pages: a proposal's page links to its base's when the base is in the same report.
  const links = new Map<string, string>();
  specs.forEach((s) => links.set(path.resolve(s.file), s.page));
  const pages = new Map<string, string>();
  const basePages = new Map<string, string>();
  for (const s of specs) {
    const own = normalizedLinks(links, s);
    pages.set(`${s.page}.html`, renderSpecPage(s, { links: own }));
    const baseFile = s.base !== undefined ? s.chain[s.chain.length - 2] : undefined;
    const basePage = baseFile !== undefined ? own.get(baseFile) : undefined;
    if (basePage !== undefined) basePages.set(s.page, basePage);
  }
  pages.set('index.html', renderIndex(specs, { basePages }));
  return { pages, specs };
}

/** The links map keyed the way this spec's chain names its files (chain paths are relative to the same cwd). */
function normalizedLinks(links: ReadonlyMap<string, string>, s: SpecReport): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of s.chain) {
    const page = links.get(path.resolve(f));
    if (page !== undefined && page !== s.page) out.set(f, page);
  }
  return out;
}

/** Write every page under `dir` (created if needed); returns the paths written, index last. */
export function writeReport(dir: string, pages: ReadonlyMap<string, string>): string[] {
  makeDirs(dir);
  const names = [...pages.keys()].sort((a, b) => (a === 'index.html' ? 1 : b === 'index.html' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => {
    const file = path.join(dir, n);
    fs.writeFileSync(file, pages.get(n)!);
    return file;
  });
}
