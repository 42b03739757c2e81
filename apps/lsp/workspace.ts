// The open documents and what the compiler makes of them. The server reads a spec's `extends` chain and imports
// through the same front end as `ptelab check` (compileSpec with a host), except that an open document is read from
// the editor's buffer, not from disk: diagnostics follow the text as it is typed. Scenario files go through the
// scenario parser and its checks, as `ptelab run` reads them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSpec, type Compiled } from '../../compiler/compile.js';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { SpecHost } from '../../compiler/load.js';
import { parseSpec, type ParseResult } from '../../grammar/parse.js';
import { parseScenarios } from '../../runtime/scenario/parse.js';

export type Lang = 'pte' | 'scn';

export function langOf(file: string): Lang {
  return file.endsWith('.scn') ? 'scn' : 'pte';
}

export interface SpecAnalysis {
  readonly lang: 'pte';
  readonly file: string;
  readonly text: string;
  /** This document alone (for symbols and the names under the cursor). */
  readonly parsed: ParseResult;
  /** The document with its extends chain, resolved and checked; absent when the front end could not start. */
  readonly compiled?: Compiled;
  /** What to show in this document. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ScenarioAnalysis {
  readonly lang: 'scn';
  readonly file: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

export type Analysis = SpecAnalysis | ScenarioAnalysis;

export class Workspace {
  private readonly open = new Map<string, string>();
  private readonly cache = new Map<string, Analysis>();
  /** The last analysis of each spec whose front end ran, for completion while the text does not parse. */
  private readonly lastCompiled = new Map<string, Compiled>();

  readonly host: SpecHost = {
    readFile: (file) => {
      const text = this.open.get(path.normalize(file));
      if (text !== undefined) return text;
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };

  set(file: string, text: string): void {
    this.open.set(path.normalize(file), text);
    // Another open spec may extend this one: every analysis is stale.
    this.cache.clear();
  }

  close(file: string): void {
    this.open.delete(path.normalize(file));
    this.cache.clear();
    this.lastCompiled.delete(file);
  }

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  text(file: string): string | undefined {
    return this.open.get(path.normalize(file));
  }

  analyze(file: string): Analysis | undefined {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const text = this.text(file);
    if (text === undefined) return undefined;
    const a = langOf(file) === 'scn' ? analyzeScenarios(file, text) : this.analyzeSpec(file, text);
    this.cache.set(file, a);
    return a;
  }

  /** The compiled spec for names: this text's if its front end ran, else the last one that did. */
  compiledFor(a: SpecAnalysis): Compiled | undefined {
    return a.compiled ?? this.lastCompiled.get(a.file);
  }

  private analyzeSpec(file: string, text: string): SpecAnalysis {
    const parsed = parseSpec({ path: file, text });
    const r = compileSpec(file, this.host);
    if (!r.ok) return { lang: 'pte', file, text, parsed, diagnostics: parsed.diagnostics };
    const c = r.value;
    this.lastCompiled.set(file, c);
    return { lang: 'pte', file, text, parsed, compiled: c, diagnostics: diagnosticsFor(file, c) };
  }
}

/**
 * The diagnostics located in this file; those of the files it extends or imports are summed up on its `extends` or
 * `import` line, so that a broken base is not silent.
 */
function diagnosticsFor(file: string, c: Compiled): Diagnostic[] {
  const own = c.diagnostics.filter((d) => d.range.file === file);
  const elsewhere = c.diagnostics.filter((d) => d.range.file !== file && d.severity === 'error');
  if (elsewhere.length === 0) return own;
  const first = elsewhere[0]!;
  const at = c.spec.headerRange.file === file ? c.spec.headerRange : own[0]?.range ?? first.range;
  return [
    ...own,
    {
      code: first.code,
      severity: 'error',
      range: { ...at, file },
      message: `${elsewhere.length} error(s) in the files this spec builds on; the first: ${first.range.file}:${first.range.start.line}:${first.range.start.column} ${first.message}`,
      hint: 'open that file to see and fix them',
    },
  ];
}

function analyzeScenarios(file: string, text: string): ScenarioAnalysis {
  return { lang: 'scn', file, text, diagnostics: parseScenarios({ path: file, text }).diagnostics };
}
