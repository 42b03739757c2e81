// The VS Code extension (editors/vscode/) without VS Code: its manifest names files that exist, its TextMate
// grammars are valid JSON whose patterns compile, and every keyword of the two lexers is coloured as a keyword by
// its grammar (so a keyword added to the language cannot be forgotten here). The .vsix itself is built by
// `npm run package:vscode` (docs/editor.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_KEYWORDS, SPEC_KEYWORDS } from '../../../apps/lsp/vocabulary.js';
import { repoRoot } from '../../helpers/repo.js';

const ext = path.join(repoRoot, 'editors/vscode');
const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(ext, rel), 'utf8')) as Record<string, unknown>;

interface Pattern {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Pattern[];
  include?: string;
}

/** Every `match`/`begin`/`end` regex of a grammar with the scope it gives. */
function rules(g: { patterns: Pattern[]; repository: Record<string, Pattern> }): Pattern[] {
  const out: Pattern[] = [];
  const walk = (p: Pattern) => {
    out.push(p);
    for (const q of p.patterns ?? []) walk(q);
  };
  for (const p of g.patterns) walk(p);
  for (const p of Object.values(g.repository)) walk(p);
  return out;
}

function keywordScope(g: { patterns: Pattern[]; repository: Record<string, Pattern> }, word: string): string | undefined {
  for (const r of rules(g)) {
    if (!r.match || !r.name) continue;
    const m = new RegExp(r.match).exec(word);
    if (m && m[0] === word) return r.name;
  }
  return undefined;
}

describe('the VS Code extension', () => {
  const manifest = read('package.json') as { main: string; contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; path: string }[] } };

  it('declares both languages with their extensions, configuration and grammars', () => {
    expect(manifest.contributes.languages.map((l) => [l.id, l.extensions])).toEqual([
      ['pte', ['.pte']],
      ['scn', ['.scn']],
    ]);
    for (const l of manifest.contributes.languages) expect(fs.existsSync(path.join(ext, l.configuration))).toBe(true);
    expect(manifest.contributes.grammars.map((g) => g.language)).toEqual(['pte', 'scn']);
    expect(fs.existsSync(path.join(ext, 'src/extension.ts'))).toBe(true);
    expect(manifest.main).toBe('./out/extension.js');
  });

  for (const [lang, keywords] of [
    ['pte', SPEC_KEYWORDS],
    ['scn', SCENARIO_KEYWORDS],
  ] as const) {
    it(`the ${lang} grammar compiles and colours every keyword of the ${lang} lexer`, () => {
      const g = read(`syntaxes/${lang}.tmLanguage.json`) as unknown as { scopeName: string; patterns: Pattern[]; repository: Record<string, Pattern> };
      expect(g.scopeName).toBe(`source.${lang}`);
      for (const r of rules(g)) for (const re of [r.match, r.begin, r.end]) if (re !== undefined) expect(() => new RegExp(re)).not.toThrow();
      const uncoloured = keywords.filter((k) => !/^(keyword|storage|constant\.language)\./.test(keywordScope(g, k) ?? ''));
      expect(uncoloured).toEqual([]);
      expect(keywordScope(g, '// note')).toMatch(/^comment\.line/);
      expect(keywordScope(g, '0x8000_0000')).toMatch(/^constant\.numeric/);
    });
  }

  it('colours every kind of a case list (`case a, b as x`, `remove case a, b`) as a kind', () => {
    const g = read('syntaxes/pte.tmLanguage.json') as unknown as { patterns: Pattern[]; repository: Record<string, Pattern> };
    type Capture = { name?: string; patterns?: { name: string; match: string }[] };
    const rule = rules(g).find((r) => r.match?.startsWith('\\b(case)')) as (Pattern & { captures: Record<string, Capture> }) | undefined;
    expect(rule).toBeDefined();
    const kindsIn = (line: string): string[] => {
      const m = new RegExp(rule!.match!).exec(line);
      if (!m) return [];
      const inner = rule!.captures['2']!.patterns![0]!;
      expect(inner.name).toBe('entity.name.type.kind.pte');
      return [...m[2]!.matchAll(new RegExp(inner.match, 'g'))].map((x) => x[0]);
    };
    expect(kindsIn('  case migration_read, migration_read_exclusive as s when s.X {')).toEqual(['migration_read', 'migration_read_exclusive']);
    expect(kindsIn('  remove case swap,hwpoison')).toEqual(['swap', 'hwpoison']);
    expect(kindsIn('  case present as p {')).toEqual(['present']);
  });

  it('has a language configuration with the languages\' comment tokens', () => {
    const lc = read('language-configuration.json') as { comments: { lineComment: string; blockComment: string[] } };
    expect(lc.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
  });
});
