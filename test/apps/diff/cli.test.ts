// `ptelab diff` through main(argv, io): exit codes, the three formats, the behaviour and patch-footprint sections,
// and never a stack trace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../bin/main.js';
import { repoRoot } from '../../helpers/repo.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: repoRoot });
  return { code, out, err };
}

const ex = (n: string) => path.join(repoRoot, 'examples', `${n}.pte`);
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-diff-'));
  fs.writeFileSync(path.join(dir, 'bad.pte'), 'spec bad "x"\nword 64\nformat pte {\n  bit 0 PRESENT\n  bit 0 OTHER\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const noStack = (r: Run) => {
  expect(r.out + r.err).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
};

describe('ptelab diff: exit codes', () => {
  it('0 for a spec against itself, with "no differences"', async () => {
    const r = await run('diff', ex('x86_64-v5.19'), ex('x86_64-v5.19'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('no differences between x86_64_v5_19 and x86_64_v5_19');
    expect(r.err).toBe('');
  });

  it('1 when the designs differ', async () => {
    const r = await run('diff', ex('x86_64-v5.19'), ex('x86_64-v6.17'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('x86_64_v5_19 and x86_64_v6_17 differ');
  });

  it('2 for usage errors and unreadable files', async () => {
    expect((await run('diff', ex('x86_64-v5.19'))).code).toBe(2);
    const fmt = await run('diff', '--format', 'html', ex('x86_64-v5.19'), ex('x86_64-v6.17'));
    expect(fmt.code).toBe(2);
    expect(fmt.err).toContain('--format must be one of text, markdown, json');
    const missing = await run('diff', ex('x86_64-v5.19'), path.join(dir, 'nope.pte'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.pte');
    noStack(missing);
  });

  it('1 with the diagnostics for a spec with errors, and no stack trace', async () => {
    const r = await run('diff', path.join(dir, 'bad.pte'), ex('x86_64-v6.17'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.pte:5:\d+: error PTE010/);
    expect(r.out).toBe('');
    noStack(r);
  });
});

describe('ptelab diff: sections and formats', () => {
  it('text: sections in order; behaviour only with --behaviour; the patch footprint always', async () => {
    const plain = await run('diff', ex('x86_64-v5.10'), ex('x86_64-v6.17'));
    const order = ['\nlayout', '\nswap budget', '\nclassification', '\nhandlers', '\npatch footprint\n'];
    const at = order.map((s) => plain.out.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(plain.out).not.toContain('\nbehaviour');
    expect(plain.out).toMatch(/^ {2}A {7}x86_64_v5_10 whole \(no base\): \d+ patches, \d+ hunks, \d+ files, \+\d+ -0 \(not counted: \d+ hunks of comments only\)$/m);
    expect(plain.out).toMatch(/^ {2}A -> B {2}x86_64_v6_17 against x86_64_v5_10: \d+ patches, \d+ hunks, \d+ files, \+\d+ -\d+( \(not counted: \d+ hunks? of comments only\))?$/m);
    const withB = await run('diff', '--behaviour', ex('x86_64-v5.10'), ex('x86_64-v6.17'));
    const b = withB.out.indexOf('\nbehaviour\n');
    expect(b).toBeGreaterThan(withB.out.indexOf('\nhandlers'));
    expect(b).toBeLessThan(withB.out.indexOf('\npatch footprint'));
    // 5.10 refuses to register shmem for WP; 6.17 accepts: the seed thread's first scenario differs at that step.
    expect(withB.out).toMatch(/~ examples\/scenarios\/1-seed-thread\.scn: .*: A .*EINVAL.*; B pass/);
    // Issue #13's ops: guard regions and UFFDIO_POISON (EINVAL before v6.13 / v6.6), the swap read error that 5.10's
    // swapoff maps as good data, and the mprotect and mremap scenarios that 5.10 fails.
    expect(withB.out).toMatch(/^ {6}step \d+ A madvise guard_install 0: A EINVAL \(diverges\); B ok$/m);
    expect(withB.out).toMatch(/^ {6}step \d+ A poison 0: A EINVAL \(diverges\); B ok$/m);
    expect(withB.out).toMatch(/^ {6}step \d+ A read 0: A -?\d+ \(diverges\); B hwpoison$/m);
    expect(withB.out).toMatch(/~ examples\/scenarios\/8-mprotect\.scn: uffd-wp survives mprotect PROT_READ then PROT_READ\|PROT_WRITE \(anon\): A .*; B pass/);
    expect(withB.out).toMatch(/~ examples\/scenarios\/9-mremap\.scn: uffd-wp-mremap: anon page, no EVENT_REMAP: A .*`A pagemap 0`.*; B pass/);
    // Explore: 5.10 has no WP_UNPOPULATED (n/a there), refuses shmem registration (a setup counterexample) and its
    // pagemap has no PM_UFFD_WP (v5.13); 6.17 is clean on every world.
    expect(withB.out).toMatch(/^ {2}explore, to depth \d+:$/m);
    expect(withB.out).toMatch(/~ world "shmem shared": A counterexample: setup, .*EINVAL.*; B clean \(\d+ states\)/);
    expect(withB.out).toMatch(/~ world "anon, wp_unpopulated": A n\/a: .*; B clean/);
    expect(withB.out).toMatch(/~ world "anon": A counterexample: \d+ ops, `A pagemap 0`: !wp, want wp .*; B clean \(\d+ states\)$/m);
    expect(withB.out).not.toMatch(/; B (counterexample|incomplete)/);
  });

  it('markdown: GitHub tables for the swap budget, fields and moves', async () => {
    const r = await run('diff', '--format', 'markdown', ex('x86_64-v5.19'), ex('x86_64-v6.17'));
    expect(r.code).toBe(1);
    const md = r.out;
    expect(md).toMatch(/^# ptelab diff: `x86_64_v5_19` → `x86_64_v6_17`/);
    for (const h of ['## Layout', '## Swap budget', '## Classification', '## Handlers', '## Patch footprint']) expect(md).toContain(`\n${h}\n`);
    expect(md).toContain('| `SWP_PTE_MARKER` | 30 | 31 | **moved** |');
    expect(md).toContain('| `MAX_SWAPFILES` | 22 | 24 | **changed** |');
    expect(md).toContain('| `DEVMAP` | bit 58 | — | removed |');
    expect(md).toMatch(/\| `swapin_error` \| `pte_marker` \| 2\^57 values \| `0xf800000000000000` \|/);
    // Every table row has as many cells as its header.
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\| (---|---:)( \| (---|---:))* \|$/.test(lines[i]!)) continue;
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      const n = cells(lines[i - 1]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toBe(n);
    }
    expect(md).not.toContain('Behaviour');
    const withB = await run('diff', '--format', 'markdown', '--behaviour', ex('x86_64-v5.19'), ex('x86_64-v6.17'));
    expect(withB.out).toContain('## Behaviour\n\n| scenario | same | A | B | first difference |\n');
    expect(md).toContain('\n| series | sketch of | against | footprint |\n');
    expect(md).toMatch(/\n\| A → B \| `x86_64_v6_17` \| `x86_64_v5_19` \| \d+ patches, \d+ hunks, \d+ files, \+\d+ −\d+( \(not counted: \d+ hunks? of comments only\))? \|\n/);
    expect(md).toContain('\n| kernel file | A | B | A → B |\n');
    expect(md).toContain('\n| path | A | B | A → B |\n');
  });

  it('json: parses, fixed key order, the documented keys, exact values as strings', async () => {
    const r = await run('diff', '--format', 'json', ex('x86_64-v5.19'), ex('x86_64-v6.17'));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['schema', 'a', 'b', 'differs', 'summary', 'layout', 'swap', 'classification', 'handlers', 'levels', 'behaviour', 'footprint']);
    expect(j.schema).toBe('ptelab-diff/1');
    expect(Object.keys(j.a)).toEqual(['file', 'spec', 'description', 'word']);
    expect(Object.keys(j.layout)).toEqual(['word', 'formats', 'consts']);
    expect(Object.keys(j.layout.formats[0])).toEqual(['name', 'status', 'fields', 'ruler']);
    expect(Object.keys(j.layout.formats[0].ruler)).toEqual(['word', 'a', 'b', 'marks', 'legend']);
    expect(Object.keys(j.swap)).toEqual(['differs', 'MAX_SWAPFILES_SHIFT', 'MAX_SWAPFILES', 'types', 'groups']);
    expect(j.swap.MAX_SWAPFILES).toEqual({ a: 22, b: 24 });
    expect(j.swap.types.find((t: { name: string }) => t.name === 'SWP_PTE_MARKER')).toEqual({ name: 'SWP_PTE_MARKER', group: 'SWP_PTE_MARKER_NUM', a: 30, b: 31, status: 'moved' });
    expect(Object.keys(j.classification)).toEqual(['comparable', 'kinds', 'moves', 'renumbered', 'predicates']);
    const m = j.classification.moves.find((x: { a: string; b: string }) => x.a === 'swapin_error' && x.b === 'pte_marker');
    expect(Object.keys(m)).toEqual(['a', 'b', 'count', 'size', 'witness']);
    expect(m.count).toBe((1n << 57n).toString());
    expect(m.size).toBe('2^57 values');
    expect(m.witness.value).toBe('0xf800000000000000');
    expect(m.witness.b.kind).toBe('pte_marker');
    expect(m.witness.b.fields.PTE_MARKER_GUARD).toBe('0x1');
    expect(Object.keys(j.handlers)).toEqual(['has', 'paths', 'helpers']);
    expect(j.behaviour).toEqual({ requested: false, available: false, scenarios: null, exploreDepth: null, worlds: null });
    expect(Object.keys(j.footprint)).toEqual(['available', 'a', 'b', 'aToB', 'files', 'paths']);
    expect(j.footprint.available).toBe(true);
    expect(Object.keys(j.footprint.a)).toEqual(['spec', 'against', 'note', 'patches', 'hunks', 'files', 'added', 'removed', 'comments']);
    expect(j.footprint.a).toMatchObject({ spec: 'x86_64_v5_19', against: null, note: null, removed: 0 });
    expect(j.footprint.aToB).toMatchObject({ spec: 'x86_64_v6_17', against: 'x86_64_v5_19' });
    const memory = j.footprint.files.find((f: { file: string }) => f.file === 'mm/memory.c');
    expect(Object.keys(memory)).toEqual(['file', 'a', 'b', 'aToB']);
    expect(Object.keys(memory.a)).toEqual(['added', 'removed', 'hunks']);
    expect(j.footprint.paths.map((p: { path: string }) => p.path)).toContain('zap_pte_range');
    // The same diff, twice: byte-identical.
    expect((await run('diff', '--format', 'json', ex('x86_64-v5.19'), ex('x86_64-v6.17'))).out).toBe(r.out);
  });

  it('json: every key of the output is documented in docs/diff.md', async () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'diff.md'), 'utf8');
    const keys = new Set<string>();
    const walk = (v: unknown, underFields: boolean): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, false));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          // A decoded witness's `fields` object is keyed by the spec's own field names.
          if (!underFields) keys.add(k);
          walk(x, k === 'fields' && !Array.isArray(x));
        }
      }
    };
    for (const [x, y, extra] of [
      ['x86_64-v5.19', 'x86_64-v6.17', []],
      ['x86_64-v6.17', 'arm64-v6.17', ['--behaviour']],
    ] as const) {
      walk(JSON.parse((await run('diff', '--format', 'json', ...extra, ex(x), ex(y))).out), false);
    }
    for (const k of keys) expect(doc, `docs/diff.md does not mention the JSON key '${k}'`).toContain(`\`${k}\``);
  });

  it('json for a spec against itself: differs false, every list empty', async () => {
    const r = await run('diff', '--format', 'json', ex('arm64-v6.17'), ex('arm64-v6.17'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.differs).toBe(false);
    expect(j.layout.formats).toEqual([]);
    expect(j.classification.moves).toEqual([]);
    expect(j.handlers.paths).toEqual([]);
    // Its own series on both sides, and nothing to turn one into the other.
    expect(j.footprint.aToB).toMatchObject({ patches: 0, hunks: 0, files: 0, added: 0, removed: 0 });
    expect(j.footprint.files.every((f: { a: unknown; b: unknown; aToB: unknown }) => JSON.stringify(f.a) === JSON.stringify(f.b) && f.aToB === null)).toBe(true);
  });

  it('a proposal against its base: its own series, measured from the texts the diff read', async () => {
    const r = await run('diff', '--format', 'json', ex('x86_64-v5.10'), ex('proposals/hugh-swap-marker'));
    expect(r.code).toBe(1);
    const fp = JSON.parse(r.out).footprint;
    expect(fp.b.against).toBe('x86_64_v5_10');
    expect(fp.b.note).toBeNull();
    // B's own series and the way from A to B are the same series: the proposal's delta.
    expect({ ...fp.b }).toEqual({ ...fp.aToB });
    expect(fp.files.filter((f: { b: unknown }) => f.b !== null).map((f: { file: string }) => f.file)).toEqual([
      'arch/x86/include/asm/pgtable_types.h', 'fs/proc/task_mmu.c', 'include/linux/swapops.h', 'include/linux/userfaultfd_k.h',
      'mm/internal.h', 'mm/memory.c', 'mm/mprotect.c', 'mm/rmap.c',
    ]);
  });
});
