// Page-table levels (`level pmd`): every check is exact per level, pinned by code and location; a spec without a
// level is the PTE spec it always was; deltas work per level.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { classify } from '../../compiler/codec.js';
import { levelView } from '../../compiler/compile.js';
import { LEVEL_ENTRY_PATHS } from '../../contract/table.js';
import { at, checkText, compileText, posOf, show } from '../helpers.js';

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), 'examples', f), 'utf8');
const BASE = { 'x86_64-v6.17.pte': read('x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': read('mm/linux-v6.17.pte') };

/** A small two-level spec: the PTE level of a toy, and a PMD level whose text is `pmd`. */
function toy(pmd: string, pte = ''): string {
  return [
    'spec toy "levels"',
    'word 8',
    'format e { bit 0 P\n bit 1 H\n bits 2..7 X }',
    'predicate pte_none on e = word == 0',
    'kind none : e when pte_none',
    'kind used : e when !pte_none',
    pte,
    'level pmd',
    pmd,
    '',
  ].join('\n');
}

const located = (text: string, code: string, extra: Record<string, string> = {}): string[] =>
  checkText(text, extra).filter((d) => d.code === code).map(at);

describe('levels: splitting and compiling', () => {
  it('a spec without a level is all PTE level, and has no other level', () => {
    const c = compileText(read('x86_64-v5.10.pte'), { 'mm/linux-v5.10.pte': read('mm/linux-v5.10.pte') });
    expect(c.ok).toBe(true);
    expect(c.levels).toEqual([]);
    expect(c.spec.level).toBeUndefined();
  });

  it('the bundled x86_64 6.17 spec compiles clean with a PMD level whose kinds are its own', () => {
    const c = compileText(BASE['x86_64-v6.17.pte'], { 'mm/linux-v6.17.pte': BASE['mm/linux-v6.17.pte'] });
    expect(c.diagnostics.map(show)).toEqual([]);
    expect(c.levels.map((l) => l.level)).toEqual(['pmd', 'huge_pte']);
    const pmd = c.levels[0]!;
    expect([...pmd.spec.kinds.keys()]).toEqual(['none', 'table', 'trans_huge', 'protnone', 'invalid', 'swap', 'migration_read', 'migration_read_exclusive', 'migration_write']);
    // the PTE level is untouched by the PMD section: its kinds, and no pmd format
    expect([...c.spec.kinds.keys()]).toContain('pte_marker');
    expect(c.spec.formats.has('pmd')).toBe(false);
    // the PMD level sees the PTE level's swp format (a PMD migration entry is a swap entry)
    expect(pmd.spec.kinds.get('migration_write')!.format).toBe('swp');
    expect(pmd.ownFormats).toEqual(new Set(['pmd', 'protnone_pmd', 'pmd_table']));
  });

  it('the same value classifies per level: 0x87 is a present PTE but a trans-huge PMD', () => {
    const c = compileText(BASE['x86_64-v6.17.pte'], { 'mm/linux-v6.17.pte': BASE['mm/linux-v6.17.pte'] });
    const pmd = levelView(c, 'pmd')!;
    expect(classify(c.spec, c.sets, 0x87n)).toBe('present');
    expect(classify(pmd.spec, pmd.sets, 0x87n)).toBe('trans_huge');
    // and a present hugetlb entry (PSE named at that level: x86_64-v6.17.pte `level huge_pte`)
    const huge = levelView(c, 'huge_pte')!;
    expect(classify(huge.spec, huge.sets, 0x87n)).toBe('present');
    expect(classify(huge.spec, huge.sets, 0x80n)).toBe('swap'); // PRESENT clear, PSE alone: a swap-format value to pte_present()
  });

  it('a level section ends with its file: an import that opens one does not change the importer', () => {
    const text = 'spec toy "x"\nword 8\nformat e { bits 0..7 X }\nimport "lib.pte"\nkind any : e when word & 0 == 0\n';
    const lib = 'level pmd\nformat f { bits 0..7 Y }\nkind all : f when word & 0 == 0\n';
    const c = compileText(text, { 'lib.pte': lib });
    expect(c.diagnostics.map(show)).toEqual([]);
    expect([...c.spec.kinds.keys()]).toEqual(['any']);
    expect([...c.levels[0]!.spec.kinds.keys()]).toEqual(['all']);
  });
});

describe('levels: every check per level, by code and location', () => {
  it('PTE070: an unknown level points at its name', () => {
    const text = toy('kind all : e when word & 0 == 0').replace('level pmd', 'level pud');
    expect(located(text, 'PTE070')).toEqual([posOf(text, 'pud')]);
  });

  it('PTE071: overriding a PTE format from a PMD section points at the format name', () => {
    const text = toy('override format e { bit 1 Q }\nkind all : e when word & 0 == 0');
    expect(located(text, 'PTE071')).toEqual([posOf(text, 'e {', 'override format')]);
  });

  it('PTE030: two PMD kinds that overlap, with the PTE level clean', () => {
    const text = toy('kind a : e when P\nkind b : e when H\nkind c : e when !P && !H');
    const ds = checkText(text).filter((d) => d.code === 'PTE030');
    expect(ds.map(at)).toEqual([posOf(text, 'b :', 'level pmd')]);
  });

  it('PTE033: a gap at the PMD level only', () => {
    const text = toy('kind a : e when P');
    const ds = checkText(text);
    expect(ds.filter((d) => d.code === 'PTE033').length).toBeGreaterThan(0);
    // the finding is about the whole level: it points at the header and names the level
    expect(ds.filter((d) => d.code === 'PTE033').map((d) => [at(d), d.message.startsWith('pmd level: ')])).toEqual([['1:1', true]]);
  });

  it('PTE035: a PMD kind that pmd_none() accepts is named for pmd_none', () => {
    const text = toy('predicate pmd_none on e = word == 0\nkind none : e when pmd_none\nkind other : e when X != 0\nkind zero : e when word & 3 != 0 || word == 0');
    const ds = checkText(text).filter((d) => d.code === 'PTE035');
    expect(ds.map(at)).toEqual([posOf(text, 'zero')]);
    expect(ds[0]!.message).toContain('pmd_none()');
  });

  it('PTE034: a PMD predicate whose `means` is wrong', () => {
    const text = toy('kind a : e when P\nkind b : e when !P\npredicate pmd_p on e = P || H means a');
    expect(located(text, 'PTE034')).toEqual([posOf(text, 'pmd_p')]);
  });

  it('PTE002: a PTE-level predicate is not a name at the PMD level', () => {
    const text = toy('kind a : e when !pte_none\nkind b : e when word == 0');
    expect(located(text, 'PTE002')).toEqual([posOf(text, 'pte_none', 'level pmd')]);
  });

  it('PTE010 and PTE012: format checks run on the PMD level\'s own formats', () => {
    const text = toy('format f { bit 0 A\n bit 0 B }\nkind all : f when word & 0 == 0');
    expect(located(text, 'PTE010')).toEqual([posOf(text, 'bit 0 B')]);
  });
});

describe('levels: path handlers and exhaustiveness per level', () => {
  const pmdKinds = 'predicate pmd_none on e = word == 0\nkind none : e when pmd_none\nkind huge : e when !pmd_none';
  const pathsExcept = (skip: string, body: string): string =>
    Object.keys(LEVEL_ENTRY_PATHS.pmd) // every entry path the runtime drives at the PMD level (contract/table.ts)
      .filter((p) => p !== skip)
      .map((p) => `path ${p} { ${p === 'copy_huge_pmd' ? 'case none { keep }\n case huge as h { copy h }' : body} }`)
      .join('\n');

  it('a PMD level with every entry path handling every kind is clean, and `copy` is allowed in copy_huge_pmd', () => {
    const text = toy(`${pmdKinds}\n${pathsExcept('', 'default { keep }')}`);
    expect(checkText(text).filter((d) => d.severity === 'error').map(show)).toEqual([]);
  });

  it('PTE052: a PMD level with handlers but without one of its entry paths', () => {
    const text = toy(`${pmdKinds}\n${pathsExcept('zap_huge_pmd', 'default { keep }')}`);
    const ds = checkText(text).filter((d) => d.code === 'PTE052');
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("'zap_huge_pmd'")]);
  });

  it('PTE050: a PMD entry path that does not handle a PMD kind points at the path', () => {
    const text = toy(`${pmdKinds}\n${pathsExcept('', 'case none { keep }')}`);
    const ds = checkText(text).filter((d) => d.code === 'PTE050');
    expect(ds.map(at)).toContain(posOf(text, 'path zap_huge_pmd'));
    expect(ds.every((d) => d.message.includes("'huge'"))).toBe(true);
  });

  it('PTE043: `copy` in a PMD path other than copy_huge_pmd', () => {
    const text = toy(`${pmdKinds}\n${pathsExcept('', 'default { keep }')}`.replace('path zap_huge_pmd { default { keep } }', 'path zap_huge_pmd { case none { keep }\n case huge as h { copy h } }'));
    expect(located(text, 'PTE043')).toEqual([posOf(text, 'copy h', 'path zap_huge_pmd')]);
  });

  it('the PTE level needs no PMD paths, and a PMD level needs no mmu_read', () => {
    const text = toy(pmdKinds);
    expect(checkText(text).filter((d) => d.severity === 'error').map(show)).toEqual([]);
  });
});

describe('levels: deltas per level', () => {
  it('a proposal overrides and removes PMD kinds and moves a PMD field without touching the PTE level', () => {
    const text = [
      'spec p extends "x86_64-v6.17.pte" "pmd delta"',
      'level pmd',
      'override format pmd {',
      '  remove SOFTW4',
      '  override bit 57 UFFD_WP',
      '  bit 10 SOFTW2',
      '}',
      '',
    ].join('\n');
    const c = compileText(text, BASE);
    expect(c.diagnostics.filter((d) => d.severity === 'error').map(show)).toEqual([]);
    const pmd = c.levels.find((l) => l.level === 'pmd')!;
    expect(pmd.spec.formats.get('pmd')!.fields.get('UFFD_WP')!.bits[0]!.pos).toBe(57);
    expect(pmd.spec.formats.get('protnone_pmd')!.fields.get('UFFD_WP')!.bits[0]!.pos).toBe(57);
    expect(c.spec.formats.get('pte')!.fields.get('UFFD_WP')!.bits[0]!.pos).toBe(10);
  });

  it('remove kind at the PMD level leaves the PTE kind of the same name', () => {
    const text = 'spec p extends "x86_64-v6.17.pte" "pmd delta"\nlevel pmd\nremove kind swap\n';
    const c = compileText(text, BASE);
    expect(c.spec.kinds.has('swap')).toBe(true);
    expect(c.levels[0]!.spec.kinds.has('swap')).toBe(false);
    // the values it held are now a PMD gap
    expect(c.diagnostics.filter((d) => d.code === 'PTE033').length).toBeGreaterThan(0);
  });
});
