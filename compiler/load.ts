// Loading a spec and its `extends` chain. The only file I/O of the front end, behind a host so tests run in memory.
import * as path from 'node:path';
import type { SpecFile } from '../grammar/ast.js';
import { parseSpec } from '../grammar/parse.js';
import type { SourceFile } from '../core/source.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { nodeHost, type FileHost } from '../core/host.js';
import { notTextDiagnostic } from '../core/text-check.js';
import { bundledSpecNames, isBundledName, resolveSpecRef } from './spec-ref.js';
import { err, ok, type Result } from '../core/result.js';

/** The front end reads spec files through a host (core/host.ts). */
export type SpecHost = FileHost;
export { memoryHost, nodeHost } from '../core/host.js';

/** " (REASON)" for a message about an unreadable file, or nothing. */
function because(host: SpecHost, file: string): string {
  const why = host.whyUnreadable?.(file);
  return why ? ` (${why})` : '';
}

export interface LoadedChain {
  /** The base-most spec first, the entry spec last. */
  readonly files: readonly SpecFile[];
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly diagnostics: readonly Diagnostic[];
  /** A file of the chain is not text (PTE014): nothing after it was parsed, and nothing more should be reported. */
  readonly notText?: boolean;
}

const MAX_DEPTH = 32;

/** Splice every `import "file"` of `ast` (recursively) in place: an imported file is a list of items, no header. */
function expandImports(ast: SpecFile, host: SpecHost, sources: Map<string, SourceFile>, diagnostics: Diagnostic[], stack: string[]): SpecFile {
  if (!ast.items.some((i) => i.type === 'ImportDecl')) return ast;
  const items: SpecFile['items'][number][] = [];
  let level = 'pte'; // the importing file's level section at this item (compiler/levels.ts)
  for (const item of ast.items) {
    if (item.type !== 'ImportDecl') {
      if (item.type === 'LevelDecl') level = item.name.name;
      items.push(item);
      continue;
    }
    const file = resolveSpecRef(ast.file, item.path.value);
    const abs = path.resolve(file);
    if (stack.includes(abs)) {
      diagnostics.push(diag('PTE006', item.path.range, `'${item.path.value}' imports itself (through ${stack.length} file(s))`, 'break the import cycle'));
      continue;
    }
    if (stack.length >= MAX_DEPTH) {
      diagnostics.push(diag('PTE006', item.path.range, `imports nested deeper than ${MAX_DEPTH} files`, 'flatten the imports'));
      continue;
    }
    const text = host.readFile(file);
    if (text === undefined) {
      diagnostics.push(diag('PTE007', item.path.range, `cannot read '${file}', which this spec imports${because(host, file)}`, 'import paths are relative to the importing file; check the name'));
      continue;
    }
    const src = { path: file, text };
    sources.set(file, src);
    const notText = notTextDiagnostic(src);
    if (notText) {
      diagnostics.push(notText);
      continue;
    }
    const parsed = parseSpec(src);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.ast.header) {
      diagnostics.push(diag('PTE005', parsed.ast.header.range, `'${file}' is imported, so it must not have a spec header`, 'an imported file holds items only; use `extends` to build on a whole spec'));
    }
    const imported = expandImports(parsed.ast, host, sources, diagnostics, [...stack, abs]).items;
    items.push(...imported);
    // A `level` section of the imported file ends with it: the importer's items after the import keep its level.
    if (imported.some((i) => i.type === 'LevelDecl')) {
      items.push({ type: 'LevelDecl', name: { type: 'Ident', name: level, range: item.range }, range: item.range });
    }
  }
  return { ...ast, items };
}

/**
 * Parse `entry` and every spec it extends. Paths in diagnostics are as the user gave them (relative stays
 * relative), so output does not depend on the machine's directory layout.
 */
export function loadChain(entry: string, host: SpecHost = nodeHost): Result<LoadedChain> {
  const text = host.readFile(entry);
  if (text === undefined) {
    // A bundled spec may be named on the command line as in `extends` (ptelab check x86_64-v6.17).
    const bundled = isBundledName(entry) ? resolveSpecRef('.', entry) : entry;
    if (bundled !== entry) return loadChain(bundled, host);
    return err(`cannot read spec file '${entry}'${because(host, entry)}`);
  }
  const files: SpecFile[] = [];
  const sources = new Map<string, SourceFile>();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  let current: SourceFile | undefined = { path: entry, text };
  while (current) {
    seen.add(path.resolve(current.path));
    const notText = notTextDiagnostic(current);
    if (notText) {
      // Parsing bytes that are not text only echoes thousands of errors and raw control bytes: one diagnostic, and
      // the front end stops (the renderer shows control bytes as pictures and long lines as a window).
      sources.set(current.path, current);
      diagnostics.push(notText);
      return ok({ files: [{ type: 'SpecFile', file: current.path, items: [], range: notText.range }, ...files], sources, diagnostics, notText: true });
    }
    sources.set(current.path, current);
    const parsed = parseSpec(current);
    diagnostics.push(...parsed.diagnostics);
    files.unshift(expandImports(parsed.ast, host, sources, diagnostics, [path.resolve(current.path)]));
    const ext = parsed.ast.header?.extends;
    current = undefined;
    if (!ext) break;
    const basePath = resolveSpecRef(parsed.ast.file, ext.value);
    if (seen.has(path.resolve(basePath))) {
      diagnostics.push(
        diag('PTE006', ext.range, `'${ext.value}' is already in this spec's extends chain (a cycle)`, 'a spec may extend a baseline, never itself through others; break the cycle'),
      );
      break;
    }
    if (seen.size >= MAX_DEPTH) {
      diagnostics.push(diag('PTE006', ext.range, `extends chain deeper than ${MAX_DEPTH} specs`, 'flatten the chain'));
      break;
    }
    const baseText = host.readFile(basePath);
    if (baseText === undefined) {
      diagnostics.push(
        diag(
          'PTE007',
          ext.range,
          isBundledName(ext.value) && basePath === ext.value
            ? `no bundled spec is named '${ext.value}'`
            : `cannot read '${basePath}', which this spec extends${because(host, basePath)}`,
          isBundledName(ext.value)
            ? `a name without a folder or .pte is a bundled spec: ${bundledSpecNames().join(', ')}`
            : 'extends paths are relative to the spec file itself (or absolute); check the name',
        ),
      );
      break;
    }
    current = { path: basePath, text: baseText };
  }
  return ok({ files, sources, diagnostics });
}
