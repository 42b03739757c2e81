// Shared by the scenario formatter tests: the bundled scenario files and the properties every formatting of a
// scenario file must have (idempotent, same scenarios positions aside, same diagnostics, every comment in order).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { formatScenarioText } from '../../../apps/fmt/scenario.js';
import { scenarioLexer } from '../../../runtime/scenario/lexer.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import { repoRoot } from '../../helpers/repo.js';

/** Every .scn file under examples/, repo-relative, sorted. */
export function allBundledScn(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.scn')) out.push(p);
    }
  };
  walk('examples');
  return out;
}

export async function fmtScn(text: string, file = 'f.scn'): Promise<string> {
  const r = await formatScenarioText(text, file);
  if (!r.ok) throw new Error(`does not parse: ${r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join('; ')}`);
  return r.text;
}

export function scnParses(text: string): boolean {
  return !parseScenarios({ path: 'f.scn', text }).diagnostics.some((d) => d.code === 'PTE001');
}

function withoutLocations(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutLocations);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'loc' && k !== 'file').map(([k, v]) => [k, withoutLocations(v)]));
  }
  return x;
}

function commentTexts(text: string): string[] {
  return (scenarioLexer.tokenize(text).groups['comments'] ?? []).map((c) => (c.image.startsWith('//') ? c.image.replace(/\s+$/, '') : c.image));
}

/** Formatting `text` is idempotent, keeps the scenarios, their diagnostics and every comment. Returns the result. */
export async function checkScenarioFormatting(text: string, file = 'f.scn'): Promise<string> {
  const once = await fmtScn(text, file);
  const twice = await fmtScn(once, file);
  if (twice !== once) throw new Error(`not idempotent:\n--- once ---\n${once}\n--- twice ---\n${twice}`);
  const before = parseScenarios({ path: file, text });
  const after = parseScenarios({ path: file, text: once });
  expect(after.diagnostics.filter((d) => d.code === 'PTE001')).toEqual([]);
  expect(withoutLocations(after.scenarios)).toEqual(withoutLocations(before.scenarios));
  expect(after.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(before.diagnostics.map((d) => `${d.code} ${d.message}`));
  expect(commentTexts(once)).toEqual(commentTexts(text));
  return once;
}
