// A delta replaces or drops a path's `default` the way it does a kind's case (`override default`, `remove default`),
// and `remove case K` drops the inherited cases of K; PTE008 stays for what is still wrong (a second default, an
// override of a default that is not inherited, `before default`) and PTE009 for removing what is not there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { at, checkText, compileText, needIr, one, posOf } from '../helpers.js';

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), f), 'utf8');
const BASE = { 'x86_64-v6.17.pte': read('examples/x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': read('examples/mm/linux-v6.17.pte') };
const head = 'spec delta extends "x86_64-v6.17.pte" "defaults"\n';
const mine = (ds: readonly { range: { file: string }; severity: string }[]) => ds.filter((d) => d.range.file === 'spec.pte' && d.severity === 'error');

describe('override default, remove default, remove case', () => {
  it('the fixture proposal overrides remove_migration_one\'s default and nothing else', () => {
    const files = { 'examples/x86_64-v6.17.pte': BASE['x86_64-v6.17.pte'], 'examples/mm/linux-v6.17.pte': BASE['mm/linux-v6.17.pte'] };
    const text = read('test/fixtures/remove-migration-one-no-wp.pte');
    const c = compileText(text, files, 'test/fixtures/remove-migration-one-no-wp.pte');
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const base = needIr(compileText(BASE['x86_64-v6.17.pte'], { 'mm/linux-v6.17.pte': BASE['mm/linux-v6.17.pte'] }, 'x86_64-v6.17.pte'));
    const ir = needIr(c);
    const cases = ir.paths.find((p) => p.name === 'remove_migration_one')!.cases;
    expect(cases.map((x) => [x.kind ?? 'default', x.origin])).toEqual([['default', 'remove_migration_one_no_wp']]);
    expect(JSON.stringify(cases[0]!.body)).not.toContain('pte_mkuffd_wp');
    // every other path is the base's, case for case
    const strip = (p: { name: string; cases: readonly { origin: string; site: unknown }[] }) => JSON.stringify(p.cases.map((x) => ({ ...x, origin: '', site: '' })), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    for (const p of base.paths.filter((q) => q.name !== 'remove_migration_one')) expect(strip(ir.paths.find((q) => q.name === p.name)!)).toBe(strip(p));
  });

  it('remove default drops the inherited default; the callers that relied on it are then PTE051', () => {
    const text = `${head}path pagemap_pfn_swap {\n  remove default\n}\n`;
    const c = compileText(text, BASE);
    expect(needIr(c).paths.find((p) => p.name === 'pagemap_pfn_swap')!.cases).toEqual([]);
    expect(c.diagnostics.some((d) => d.code === 'PTE051' && d.message.includes("'call pagemap_pfn_swap'"))).toBe(true);
    expect(mine(c.diagnostics).filter((d) => (d as { code?: string }).code === 'PTE009')).toEqual([]);
  });

  it('remove case drops every inherited case of each listed kind; their entries go to the default', () => {
    const text = `${head}path pagemap_pte {\n  remove case migration_read, migration_write\n}\n`;
    const c = compileText(text, BASE);
    const kinds = needIr(c).paths.find((p) => p.name === 'pagemap_pte')!.cases.map((x) => x.kind ?? 'default');
    expect(kinds).not.toContain('migration_read');
    expect(kinds).not.toContain('migration_write');
    expect(kinds).toContain('migration_read_exclusive');
  });

  it('a plain second default in a delta is PTE008, with a hint that names override default', () => {
    const text = `${head}path remove_migration_one {\n  default { keep }\n}\n`;
    const d = one(checkText(text, BASE), 'PTE008');
    expect(at(d)).toBe(posOf(text, 'default {'));
    expect(d.hint).toContain('override default');
  });

  it('two defaults in one file are PTE008 at the second', () => {
    const text = `${head}path new_helper {\n  default { keep }\n  default { clear }\n}\n`;
    expect(at(one(checkText(text, BASE), 'PTE008'))).toBe(posOf(text, 'default { clear'));
  });

  it('override of a default that is not inherited is PTE008, before default is PTE008, remove of none is PTE009', () => {
    const text = `${head}path new_helper {\n  case none { keep }\n  override default { keep }\n}\npath copy_page_range {\n  before default { keep }\n}\npath new_two {\n  remove default\n  remove case swap\n}\n`;
    const ds = checkText(text, BASE);
    expect(ds.filter((d) => d.code === 'PTE008' && d.range.file === 'spec.pte').map(at)).toEqual([posOf(text, 'override default'), posOf(text, 'before default')]);
    expect(ds.filter((d) => d.code === 'PTE009' && d.range.file === 'spec.pte').map(at)).toEqual([posOf(text, 'remove default'), posOf(text, 'swap', 'remove case')]);
  });

  it('override case a, b replaces the inherited cases of both where the first stood', () => {
    const text = `${head}path pagemap_pte {\n  override case migration_read, migration_read_exclusive as s { call pagemap_pfn_swap with { pfn = s.OFFSET, uffd_wp = 0 } }\n}\n`;
    const c = compileText(text, BASE);
    expect(mine(c.diagnostics)).toEqual([]);
    const base = needIr(compileText(BASE['x86_64-v6.17.pte'], { 'mm/linux-v6.17.pte': BASE['mm/linux-v6.17.pte'] }, 'x86_64-v6.17.pte'));
    const before = base.paths.find((p) => p.name === 'pagemap_pte')!.cases.map((x) => x.kind ?? 'default');
    const after = needIr(c).paths.find((p) => p.name === 'pagemap_pte')!.cases;
    expect(after.map((x) => x.kind ?? 'default')).toEqual(before);
    const i = before.indexOf('migration_read');
    expect(after.slice(i, i + 2).map((x) => [x.kind, x.origin])).toEqual([['migration_read', 'delta'], ['migration_read_exclusive', 'delta']]);
  });
});
