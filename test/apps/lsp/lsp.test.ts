// `ptelab lsp` as an editor drives it: a child process spoken to over stdio (initialize, didOpen, publishDiagnostics,
// hover, definition, completion, document symbols, formatting, didChange, shutdown, exit). The documents are opened
// under examples/ without being written there: the server reads open documents from the editor's text and the
// bundled spec they extend from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/repo.js';
import { LspClient } from './lsp-client.js';

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}
interface Diag {
  range: Range;
  severity: number;
  code: string;
  source: string;
  message: string;
}
interface Published {
  uri: string;
  diagnostics: Diag[];
}

const uriOf = (rel: string) => pathToFileURL(path.join(repoRoot, rel)).href;
const SPEC = uriOf('examples/lsp-test-proposal.pte');
const BASE = uriOf('examples/x86_64-v6.17.pte');
const SCN = uriOf('examples/lsp-test.scn');

const PROPOSAL = [
  'spec lsp_test extends "x86_64-v6.17.pte" "a proposal for the LSP test"',
  '',
  'const   PROBE=0x8000000000000067',
  'predicate is_plain_swap on swp = is_swap_pte && TYPE < MAX_SWAPFILES means swap',
  'predicate is_mine on no_such_format = PRESENT',
  '',
].join('\n');

/** The position of the `n`th occurrence of `word` in `text` (plus `into` characters). */
function at(text: string, word: string, into = 1, n = 0): Pos {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(word, i + 1);
  if (i < 0) throw new Error(`'${word}' not in the text`);
  const before = text.slice(0, i + into);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function lineOf(file: string, needle: string): number {
  return fs.readFileSync(path.join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.startsWith(needle));
}

let client: LspClient;

beforeAll(async () => {
  client = new LspClient();
  const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(repoRoot).href,
    capabilities: {},
  });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentFormattingProvider: true, documentSymbolProvider: true });
  client.notify('initialized', {});
}, 120_000);

afterAll(() => client?.kill());

describe('ptelab lsp over stdio', () => {
  it('publishes the diagnostics of a spec with an error as it is opened, with range and code', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: SPEC, languageId: 'pte', version: 1, text: PROPOSAL } });
    const p = await client.waitFor<Published>('textDocument/publishDiagnostics', (x) => x.uri === SPEC);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['PTE002']);
    const d = p.diagnostics[0]!;
    expect(d).toMatchObject({ severity: 1, source: 'ptelab' });
    expect(d.message).toContain("unknown format 'no_such_format'");
    expect(d.range).toEqual({ start: { line: 4, character: 21 }, end: { line: 4, character: 35 } });
  });

  it('hovers a hex literal with the kind it decodes to and its fields', async () => {
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: SPEC }, position: at(PROPOSAL, '0x8000', 4) });
    expect(h.contents.value).toContain("0x8000000000000067 is kind `present` (format pte)");
    expect(h.contents.value).toContain('10000000 00000000 00000000 00000000 00000000 00000000 00000000 01100111');
    expect(h.contents.value).toMatch(/NX\s+63\s+0x1/);
  });

  it('hovers a kind and a format with their bit rulers', async () => {
    const kind = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: SPEC }, position: at(PROPOSAL, 'means swap', 7) });
    expect(kind.contents.value).toContain('kind `swap` : `swp`');
    expect(kind.contents.value).toContain('kind swap : swp  refs slot(TYPE, OFFSET)');
    expect(kind.contents.value).toMatch(/fixed\s+[x01 ]{71}/);
    const format = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: SPEC }, position: at(PROPOSAL, ' swp', 2) });
    expect(format.contents.value).toContain('format `swp`');
    expect(format.contents.value).toContain('OFFSET          9..58    inverted');
  });

  it('goes to the definition of a format, a predicate and a constant across extends', async () => {
    type Loc = { uri: string; range: Range };
    const fmt = await client.request<Loc>('textDocument/definition', { textDocument: { uri: SPEC }, position: at(PROPOSAL, ' swp', 2) });
    expect(fmt.uri).toBe(BASE);
    expect(fmt.range.start.line).toBe(lineOf('examples/x86_64-v6.17.pte', 'format swp {'));
    const pred = await client.request<Loc>('textDocument/definition', { textDocument: { uri: SPEC }, position: at(PROPOSAL, 'is_swap_pte', 3) });
    expect(pred.uri).toBe(BASE);
    expect(pred.range.start.line).toBe(lineOf('examples/x86_64-v6.17.pte', 'predicate is_swap_pte'));
    const own = await client.request<Loc>('textDocument/definition', { textDocument: { uri: SPEC }, position: at(PROPOSAL, 'PROBE', 2) });
    expect(own.uri).toBe(SPEC);
    expect(own.range.start.line).toBe(2);
    const file = await client.request<Loc>('textDocument/definition', { textDocument: { uri: SPEC }, position: at(PROPOSAL, 'x86_64-v6.17.pte', 3) });
    expect(file.uri).toBe(BASE);
  });

  it('completes kinds, formats, fields, primitives and context members', async () => {
    type Item = { label: string; detail?: string };
    const all = await client.request<Item[]>('textDocument/completion', { textDocument: { uri: SPEC }, position: { line: 5, character: 0 } });
    const labels = all.map((c) => c.label);
    for (const l of ['swap', 'pte_marker', 'swp', 'OFFSET', 'vm_normal_page', 'zap_pte_range', 'is_plain_swap', 'kind']) expect(labels).toContain(l);
    client.notify('textDocument/didChange', { textDocument: { uri: SPEC, version: 2 }, contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'decision d = vma.' }] });
    const members = await client.request<Item[]>('textDocument/completion', { textDocument: { uri: SPEC }, position: { line: 5, character: 17 } });
    expect(members.map((c) => c.label)).toEqual(expect.arrayContaining(['shmem', 'uffd_wp', 'anon']));
    expect(members.find((c) => c.label === 'shmem')?.detail).toBe('bool');
  });

  it('re-publishes diagnostics as the text changes', async () => {
    // Fix the format name and drop the half-typed decision: the spec is clean.
    const text = PROPOSAL.replace('no_such_format', 'pte');
    client.notify('textDocument/didChange', { textDocument: { uri: SPEC, version: 3 }, contentChanges: [{ text }] });
    const p = await client.waitFor<Published>('textDocument/publishDiagnostics', (x) => x.uri === SPEC && x.diagnostics.length === 0);
    expect(p.diagnostics).toEqual([]);
  });

  it('lists the document symbols and formats the document', async () => {
    const symbols = await client.request<{ name: string; detail?: string }[]>('textDocument/documentSymbol', { textDocument: { uri: SPEC } });
    expect(symbols.map((s) => s.name)).toEqual(['lsp_test', 'PROBE', 'is_plain_swap', 'is_mine']);
    const edits = await client.request<{ range: Range; newText: string }[]>('textDocument/formatting', { textDocument: { uri: SPEC }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toContain('\nconst PROBE = 0x8000000000000067\n');
    expect(edits[0]!.range.start).toEqual({ line: 0, character: 0 });
  });

  it('serves a delta with a case list, an override of a default and a removed case: clean, symbols, hover on every kind', async () => {
    const uri = uriOf('examples/lsp-test-cases.pte');
    const text = [
      'spec lsp_cases extends "x86_64-v6.17.pte" "case lists and defaults in a delta"',
      'path pagemap_pte {',
      '  override case migration_read, migration_read_exclusive as s { call pagemap_pfn_swap with { pfn = s.OFFSET, uffd_wp = 0 } }',
      '}',
      'path filemap_map_pages {',
      '  remove case none',
      '}',
      'path remove_migration_one {',
      '  override default { keep }',
      '}',
      '',
    ].join('\n');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'pte', version: 1, text } });
    const p = await client.waitFor<Published>('textDocument/publishDiagnostics', (x) => x.uri === uri);
    expect(p.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    type Sym = { name: string; detail?: string; children?: Sym[] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const paths = symbols.filter((x) => ['pagemap_pte', 'filemap_map_pages', 'remove_migration_one'].includes(x.name));
    expect(paths.map((x) => (x.children ?? []).map((c) => [c.name, c.detail]))).toEqual([
      [['case migration_read, migration_read_exclusive as s', 'override']],
      [['case none', 'remove']],
      [['default', 'override']],
    ]);
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: at(text, 'migration_read_exclusive', 3) });
    expect(hover.contents.value).toContain('kind `migration_read_exclusive`');
  });

  it('serves scenario files: syntax errors as diagnostics, names, formatting', async () => {
    const bad = 'scenario "s" {\n  mm A { map anon at 0 }\n  A frob 3\n}\n';
    client.notify('textDocument/didOpen', { textDocument: { uri: SCN, languageId: 'scn', version: 1, text: bad } });
    const p = await client.waitFor<Published>('textDocument/publishDiagnostics', (x) => x.uri === SCN);
    expect(p.diagnostics.map((d) => d.code)).toContain('PTE001');
    expect(p.diagnostics[0]!.range.start.line).toBe(2);
    const good = 'scenario "s" {\n  mm A { map anon at 0;uffd }\n  A write 0=1\n  A read 0 -> 1\n  A exit\n}\n';
    client.notify('textDocument/didChange', { textDocument: { uri: SCN, version: 2 }, contentChanges: [{ text: good }] });
    await client.waitFor<Published>('textDocument/publishDiagnostics', (x) => x.uri === SCN && x.diagnostics.length === 0);
    const def = await client.request<{ range: Range }>('textDocument/definition', { textDocument: { uri: SCN }, position: { line: 3, character: 2 } });
    expect(def.range.start).toEqual({ line: 1, character: 5 });
    const edits = await client.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri: SCN }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits[0]!.newText).toBe('scenario "s" {\n  mm A { map anon at 0; uffd }\n  A write 0 = 1\n  A read 0 -> 1\n  A exit\n}\n');
  });

  it('shuts down and exits with 0', async () => {
    await client.request('shutdown', null);
    client.notify('exit', null);
    expect(await client.exited).toBe(0);
    expect(client.stderr).toBe('');
  });
});
