// The layer rule of docs/architecture.md as data: which top-level folders each folder may import from. Imports only
// go down; compiler/ and runtime/ never import each other.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  grammar: ['core', 'grammar'],
  contract: ['core', 'contract'],
  compiler: ['core', 'grammar', 'contract', 'compiler'],
  runtime: ['core', 'contract', 'runtime'],
  apps: ['core', 'grammar', 'contract', 'compiler', 'runtime', 'apps'],
  bin: ['core', 'grammar', 'contract', 'compiler', 'runtime', 'apps', 'bin'],
  generated: ['contract'],
};

export interface ImportEdge {
  readonly file: string; // repository-relative
  readonly line: number;
  readonly specifier: string;
  readonly target: string; // repository-relative
}

export interface Violation extends ImportEdge {
  readonly from: string;
  readonly to: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every relative import (static, type-only, re-export or dynamic) of one file's text. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[1]!;
    const line = text.slice(0, m.index).split('\n').length;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    out.push({ file, line, specifier, target });
  }
  return out;
}

export function layerOf(file: string): string {
  return file.split('/')[0]!;
}

/** The edges that go up or across: an importer whose layer does not list the target's layer. */
export function violations(edges: readonly ImportEdge[]): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    const from = layerOf(e.file);
    const allowed = LAYERS[from];
    if (!allowed) continue; // test/ and tools may import anything
    const to = layerOf(e.target);
    if (!allowed.includes(to)) out.push({ ...e, from, to });
  }
  return out;
}

/** Every .ts file under the layer folders of `root`, repository-relative with '/' separators. */
export function layerFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(r);
      } else if (/\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(r);
    }
  };
  for (const layer of Object.keys(LAYERS)) if (fs.existsSync(path.join(root, layer))) walk(layer);
  return out.sort();
}
