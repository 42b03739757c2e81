import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import { parseScenarios } from '../../../runtime/scenario/parse.js';
import type { Expect, Op, Scenario, Step } from '../../../runtime/scenario/types.js';
import { scaled } from '../../helpers/scale.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

function parse(text: string, path = 't.scn') {
  return parseScenarios({ path, text });
}

/** Steps without their locations, for deep-equal on the data. */
function data(s: Scenario): { op: Op; expect?: Expect }[] {
  return s.steps.map(({ op, expect }) => (expect ? { op, expect } : { op }));
}

/** `line:column code` of each diagnostic, in source order. */
function at(ds: readonly Diagnostic[]): string[] {
  return [...ds]
    .sort((a, b) => a.range.start.offset - b.range.start.offset)
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);
}

/** One scenario around `body`, with F (4 pages) and A (F shared at 0, anon at 8, uffd) declared. */
function one(body: string) {
  const text = `scenario "s" {\n  file F pages 4\n  mm A { map F shared at 0; map anon at 8 pages 4; uffd }\n${body}\n}\n`;
  const r = parse(text);
  const s = r.scenarios[0];
  return { diagnostics: r.diagnostics, steps: s ? data(s).slice(5) : [] };
}

describe('scenario parser: every construct', () => {
  const path = 'test/runtime/scenario/fixtures/every-construct.scn';
  const text = readFileSync(join(root, path), 'utf8');
  const r = parse(text, path);

  it('parses the tour file without diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.scenarios.map((s) => s.name)).toEqual(['shmem wp survives eviction', 'private file, explicit offsets']);
  });

  it('keeps name, source and file of each scenario', () => {
    const [s1, s2] = r.scenarios;
    expect(s1!.source).toBe('tools/testing/selftests/mm/uffd-unit-tests.c: wp-fork');
    expect(s1!.file).toBe(path);
    expect(s2!.source).toBeUndefined();
  });

  it('turns the first scenario into the expected ops and expectations', () => {
    expect(data(r.scenarios[0]!)).toEqual([
      { op: { op: 'file', name: 'F', pages: 2 } },
      { op: { op: 'mm', name: 'A' } },
      { op: { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 0, pages: 2, pgoff: 0 } } },
      { op: { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 4, pages: 2 } } },
      { op: { op: 'uffd_open', mm: 'A', features: ['event_fork', 'wp_unpopulated'] } },
      { op: { op: 'register', mm: 'A', addr: 0, pages: 2 } },
      { op: { op: 'write', mm: 'A', addr: 0, value: 1 } },
      { op: { op: 'protect', mm: 'A', addr: 0, pages: 1 } },
      { op: { op: 'evict', file: 'F', index: 0 } },
      // no `= V`: a fresh value, one more than any written before
      { op: { op: 'write', mm: 'A', addr: 0, value: 2 }, expect: { type: 'userfault', mode: 'wp' } },
      { op: { op: 'read', mm: 'A', addr: 0 }, expect: { type: 'value', value: 1 } },
      { op: { op: 'pagemap', mm: 'A', addr: 0 }, expect: { type: 'pagemap', uffd_wp: true } },
      { op: { op: 'fork', mm: 'A', child: 'B' } },
      { op: { op: 'read', mm: 'B', addr: 0 }, expect: { type: 'value', value: 1 } },
      { op: { op: 'pagemap', mm: 'B', addr: 0 }, expect: { type: 'pagemap', uffd_wp: false } },
      { op: { op: 'resolve', mm: 'A', addr: 0, pages: 1 } },
      { op: { op: 'unregister', mm: 'A', addr: 0, pages: 1 } },
      { op: { op: 'mprotect', mm: 'A', addr: 0, pages: 1, writable: false } },
      { op: { op: 'mprotect', mm: 'A', addr: 0, pages: 2, writable: true } },
      { op: { op: 'madv_dontneed', mm: 'A', addr: 0, pages: 1 } },
      { op: { op: 'madv_pageout', mm: 'A', addr: 4, pages: 2 } },
      { op: { op: 'punch_hole', file: 'F', index: 0, pages: 1 } },
      { op: { op: 'punch_hole', file: 'F', index: 1, pages: 1 } },
      { op: { op: 'mremap', mm: 'A', addr: 0, pages: 1, to: 8 } },
      { op: { op: 'reclaim', mm: 'A', addr: 8 } },
      { op: { op: 'migrate', mm: 'A', addr: 8 } },
      { op: { op: 'numa_scan', mm: 'A', addr: 4, pages: 1 } },
      { op: { op: 'numa_scan', mm: 'A', addr: 4, pages: 2 } },
      { op: { op: 'swapoff' } },
      { op: { op: 'munmap', mm: 'A', addr: 8, pages: 1 } },
      { op: { op: 'uffd_close', mm: 'A' } },
      { op: { op: 'register', mm: 'A', addr: 0, pages: 1 }, expect: { type: 'error', errno: 'EINVAL' } },
      { op: { op: 'read', mm: 'A', addr: 9 }, expect: { type: 'sigsegv' } },
      { op: { op: 'exit', mm: 'A' } },
    ]);
  });

  it('reads hex, `_` separators, pgoff, default pages, `;` and block comments', () => {
    expect(data(r.scenarios[1]!)).toEqual([
      { op: { op: 'file', name: 'G', pages: 16 } },
      { op: { op: 'mm', name: 'C' } },
      // pages omitted: the rest of G after pgoff 4
      { op: { op: 'mmap', mm: 'C', vma: { type: 'file', file: 'G', shared: false, start: 0x100, pages: 12, pgoff: 4 } } },
      { op: { op: 'uffd_open', mm: 'C', features: [] } },
      { op: { op: 'register', mm: 'C', addr: 0x100, pages: 12 } },
      { op: { op: 'write', mm: 'C', addr: 0x100, value: 42 }, expect: { type: 'ok' } },
      { op: { op: 'read', mm: 'C', addr: 0x10b }, expect: { type: 'value', value: 0 } },
      { op: { op: 'read', mm: 'C', addr: 0x10c }, expect: { type: 'sigsegv' } },
      {
        op: { op: 'mmap', mm: 'C', vma: { type: 'file', file: 'G', shared: true, start: 0x200, pages: 20, pgoff: 0 } },
        expect: { type: 'ok' },
      },
      { op: { op: 'read', mm: 'C', addr: 0x213 }, expect: { type: 'sigbus' } },
      { op: { op: 'write', mm: 'C', addr: 0x200, value: 1000 }, expect: { type: 'userfault', mode: 'missing' } },
    ]);
  });

  it('gives every step its file:line:column', () => {
    const steps = r.scenarios[0]!.steps;
    expect(steps.every((s) => s.loc !== undefined)).toBe(true);
    // `file F pages 2` (line 4), the block's `uffd` (line 8, column 5), `evict F 0` (line 13), `A exit` (line 38)
    expect(steps[0]!.loc).toEqual({ file: path, line: 4, column: 3 });
    expect(steps[4]!.loc).toEqual({ file: path, line: 8, column: 5 });
    expect(steps[8]!.loc).toEqual({ file: path, line: 13, column: 3 });
    expect(steps[steps.length - 1]!.loc).toEqual({ file: path, line: 38, column: 3 });
    // one-line block: each item has its own column
    const s2 = r.scenarios[1]!.steps;
    expect(s2.slice(1, 5).map((s) => s.loc?.column)).toEqual([3, 10, 42, 48]);
  });
});

describe('scenario parser: single constructs', () => {
  const cases: [string, Step['op'], Expect?][] = [
    ['A map F private at 20 pages 1 pgoff 3', { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: false, start: 20, pages: 1, pgoff: 3 } }],
    ['A map F shared pgoff 1 at 30', { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 30, pages: 3, pgoff: 1 } }],
    ['A map anon at 40', { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 40, pages: 1 } }],
    ['A map anon private at 40 pages 3', { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 40, pages: 3 } }],
    ['A uffd features wp_unpopulated', { op: 'uffd_open', mm: 'A', features: ['wp_unpopulated'] }],
    ['A register 8 pages 4', { op: 'register', mm: 'A', addr: 8, pages: 4 }],
    ['A unregister 8 pages 4', { op: 'unregister', mm: 'A', addr: 8, pages: 4 }],
    ['A protect 1 pages 3', { op: 'protect', mm: 'A', addr: 1, pages: 3 }],
    ['A resolve 1', { op: 'resolve', mm: 'A', addr: 1, pages: 1 }],
    ['A read 2 -> 0x10', { op: 'read', mm: 'A', addr: 2 }, { type: 'value', value: 16 }],
    ['A read 2 -> ok', { op: 'read', mm: 'A', addr: 2 }, { type: 'ok' }],
    ['A write 3 = 0b101 -> sigbus', { op: 'write', mm: 'A', addr: 3, value: 5 }, { type: 'sigbus' }],
    ['A pagemap 3 -> !wp', { op: 'pagemap', mm: 'A', addr: 3 }, { type: 'pagemap', uffd_wp: false }],
    ['A fork child', { op: 'fork', mm: 'A', child: 'child' }],
    ['A fork B -> ENOMEM', { op: 'fork', mm: 'A', child: 'B' }, { type: 'error', errno: 'ENOMEM' }],
    ['A exit -> ok', { op: 'exit', mm: 'A' }, { type: 'ok' }],
    ['A close uffd', { op: 'uffd_close', mm: 'A' }],
    ['A mprotect 8 pages 2 ro -> ok', { op: 'mprotect', mm: 'A', addr: 8, pages: 2, writable: false }, { type: 'ok' }],
    ['A madvise pageout 8', { op: 'madv_pageout', mm: 'A', addr: 8, pages: 1 }],
    ['A madvise dontneed 8 pages 4 -> EINVAL', { op: 'madv_dontneed', mm: 'A', addr: 8, pages: 4 }, { type: 'error', errno: 'EINVAL' }],
    ['A mremap 8 to 100', { op: 'mremap', mm: 'A', addr: 8, pages: 1, to: 100 }],
    ['A munmap 0 pages 4 -> ok', { op: 'munmap', mm: 'A', addr: 0, pages: 4 }, { type: 'ok' }],
    ['punch F 2 pages 2 -> ok', { op: 'punch_hole', file: 'F', index: 2, pages: 2 }, { type: 'ok' }],
    ['evict F 3', { op: 'evict', file: 'F', index: 3 }],
    ['reclaim A 9', { op: 'reclaim', mm: 'A', addr: 9 }],
    ['migrate A 9 -> ok', { op: 'migrate', mm: 'A', addr: 9 }, { type: 'ok' }],
    ['numa A 0 pages 12', { op: 'numa_scan', mm: 'A', addr: 0, pages: 12 }],
    ['swapoff', { op: 'swapoff' }],
  ];
  for (const [src, op, exp] of cases) {
    it(src, () => {
      const r = one(`  ${src}`);
      expect(r.diagnostics).toEqual([]);
      expect(r.steps).toEqual([exp ? { op, expect: exp } : { op }]);
    });
  }

  it('separates statements by whitespace or `;`, on one line or many', () => {
    const a = one('  A write 0 = 1; A read 0 -> 1; evict F 0');
    const b = one('  A write 0 = 1\n  A read 0 -> 1\n  evict F 0');
    expect(a.diagnostics).toEqual([]);
    expect(a.steps).toEqual(b.steps);
    expect(a.steps).toHaveLength(3);
  });

  it('expands an mm block into mm, mmap, uffd_open and register steps in order', () => {
    const r = parse('scenario "s" { file F pages 1  mm A { map F shared at 0; uffd features event_fork; register 0 } mm Z }');
    expect(r.diagnostics).toEqual([]);
    expect(r.scenarios[0]!.steps.map((s) => s.op.op)).toEqual(['file', 'mm', 'mmap', 'uffd_open', 'register', 'mm']);
  });

  it('accepts an empty file, comments only, and an empty scenario', () => {
    expect(parse('')).toEqual({ scenarios: [], diagnostics: [] });
    expect(parse('// nothing\n/* still\nnothing */\n')).toEqual({ scenarios: [], diagnostics: [] });
    expect(parse('scenario "empty" {}').scenarios).toEqual([{ name: 'empty', file: 't.scn', steps: [] }]);
  });

  it('unescapes scenario names and sources', () => {
    const r = parse('scenario "say \\"hi\\"" from "a\\\\b" {}');
    expect(r.scenarios[0]).toMatchObject({ name: 'say "hi"', source: 'a\\b' });
  });
});

describe('scenario parser: syntax errors', () => {
  it('reports several errors from one file, each at its position, and keeps the good statements', () => {
    const text = [
      'scenario "broken" {', //                          1
      '  file F pages', //                               2  missing count: reported at `mm` on line 3
      '  mm A { map F shared at 0 pages 2; uffd }', //   3
      '  A write 0 1', //                                4  missing '=': `1` cannot start a statement
      '  A frob 3', //                                   5  unknown operation
      '  A read 0 -> 1', //                              6  fine
      '  evict 0', //                                    7  missing file name
      '  A pagemap 0 -> !', //                           8  '!' without 'wp'
      '  A read 1 -> 2', //                              9  fine
      '}',
      'scenario "second" {',
      '  mm B { map anon at 0; write 0 = 1 }', //        12 not allowed in a block
      '  B read 0 ->', //                                13 missing outcome
      '  B read 1 -> 0',
      '}',
      'scenario "third" { mm C; C exit }',
    ].join('\n');
    const r = parse(text);
    expect(at(r.diagnostics)).toEqual([
      '2:15 PTE001', // just after `pages`
      '4:13 PTE001',
      '5:5 PTE001',
      '7:9 PTE001',
      '8:19 PTE001', // just after `!`
      '12:25 PTE001',
      '13:12 PTE001', // the `->`
    ]);
    const msg = (line: number) => r.diagnostics.find((d) => d.range.start.line === line)!;
    expect(msg(2).message).toBe("expected a number but found 'mm'");
    expect(msg(4).message).toBe("expected a statement or '}' but found '1'");
    expect(msg(4).hint).toMatch(/is an '=' or 'pages' missing/);
    expect(msg(5).message).toBe("'frob' is not an mm operation");
    expect(msg(5).hint).toMatch(/mprotect/);
    expect(msg(12).message).toBe("'write' is not allowed in an mm block");
    expect(msg(13).message).toBe("'->' needs an outcome");
    expect(msg(13).hint).toMatch(/-> userfault wp\|missing/);
    // The statements around the errors are still there (F and A are declared despite line 2).
    expect(r.scenarios.map((s) => s.name)).toEqual(['broken', 'second', 'third']);
    const ops = r.scenarios[0]!.steps.map((s) => `${s.op.op}@${s.loc?.line}`);
    expect(ops).toContain('read@6');
    expect(ops).toContain('read@9');
    expect(ops).toContain('mmap@3');
    expect(r.scenarios[1]!.steps.map((s) => `${s.op.op}@${s.loc?.line}`)).toEqual(['mm@12', 'mmap@12', 'read@13', 'read@14']);
    expect(r.scenarios[2]!.steps.map((s) => s.op.op)).toEqual(['mm', 'exit']);
  });

  it('does not glue a broken statement to the next line', () => {
    const r = parse('scenario "s" {\n  mm A\n  A fork read\n  A exit\n}');
    expect(at(r.diagnostics)).toEqual(['3:10 PTE001']);
    expect(r.diagnostics[0]!.hint).toMatch(/'read' is a keyword/);
    expect(r.scenarios[0]!.steps.map((s) => s.op.op)).toEqual(['mm', 'exit']);
  });

  it('reports lexical errors and a missing closing brace at the end of the file', () => {
    const text = 'scenario "s" {\n  mm A\n  A write 0 = 1 $\n  A read 0 -> 1\n  A read 1 -> "unterminated\n';
    const r = parse(text);
    const ds = r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`);
    expect(ds).toContain('3:17 unexpected character "$"');
    expect(ds).toContain('5:15 unterminated string (strings end on the same line)');
    expect(ds.some((d) => d.startsWith('5:') && /end of file/.test(d))).toBe(true);
    const lexical = r.diagnostics.filter((d) => /^unexpected character|^unterminated string|end of file/.test(d.message));
    expect(lexical.length).toBeGreaterThanOrEqual(3);
    expect(lexical.every((d) => d.code === 'PTE001')).toBe(true);
  });

  it('says what a top-level statement can be', () => {
    const r = parse('scenario "s" { pages 2 }');
    expect(at(r.diagnostics)).toEqual(['1:16 PTE001']);
    expect(r.diagnostics[0]!.message).toBe("expected a statement or '}' but found 'pages'");
    expect(r.diagnostics[0]!.hint).toMatch(/^a statement is 'file \.\.\.', 'mm \.\.\.'/);
  });

  it('wants a scenario at the top level', () => {
    const r = parse('mm A');
    expect(at(r.diagnostics)).toEqual(['1:1 PTE001']);
    expect(r.diagnostics[0]!.message).toBe("expected 'scenario' but found 'mm'");
  });
});

describe('scenario checks: names', () => {
  it('reports an undeclared mm and file once each, with file:line:col and a hint', () => {
    const r = parse('scenario "s" {\n  mm A\n  B read 0\n  B read 1\n  punch G 0\n  A map G shared at 0\n}', 'x/y.scn');
    expect(at(r.diagnostics)).toEqual(['3:3 PTE002', '5:9 PTE002']);
    const [b, g] = r.diagnostics;
    expect(b!.range.file).toBe('x/y.scn');
    expect(b!.message).toBe("unknown mm 'B'");
    expect(b!.hint).toBe("did you mean 'A'? Otherwise declare it before use: 'mm B { ... }', or create it with 'PARENT fork B'");
    expect(g!.message).toBe("unknown file 'G'");
    expect(g!.hint).toBe("declare it before use: 'file G pages N'");
    // the steps are still produced
    expect(r.scenarios[0]!.steps).toHaveLength(5);
  });

  it('needs declarations before use, not after', () => {
    const r = parse('scenario "s" { A read 0  mm A  evict F 0  file F pages 1 }');
    expect(at(r.diagnostics)).toEqual(['1:16 PTE002', '1:38 PTE002']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "mm 'A' is used before its declaration",
      "file 'F' is used before its declaration",
    ]);
    expect(r.diagnostics[1]!.related?.[0]?.range.start.column).toBe(48);
  });

  it('scopes names to their scenario', () => {
    const r = parse('scenario "a" { mm A }\nscenario "b" { A exit }');
    expect(at(r.diagnostics)).toEqual(['2:16 PTE002']);
  });

  it('declares the child of fork, and refuses a child that exists', () => {
    const ok = parse('scenario "s" { mm A  A fork B  B fork C  C read 0 }');
    expect(ok.diagnostics).toEqual([]);
    const dup = parse('scenario "s" { mm A  mm B  A fork B }');
    expect(at(dup.diagnostics)).toEqual(['1:35 PTE003']);
    expect(dup.diagnostics[0]!.related?.[0]?.range.start.column).toBe(25);
  });

  it('keeps one namespace for mms and files, and knows which is which', () => {
    const r = parse('scenario "s" { file F pages 1  mm F  mm A  F read 0  evict A 0  A map A shared at 0 }');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PTE003', 'PTE004', 'PTE004', 'PTE004']);
    expect(r.diagnostics[1]!.message).toBe("'F' is a file, but an mm is expected here");
  });

  it('reports a use of an mm after its exit', () => {
    const r = parse('scenario "s" { mm A  A exit  A read 0  reclaim A 0 }');
    expect(at(r.diagnostics)).toEqual(['1:30 PTE060']);
    expect(r.diagnostics[0]!.message).toBe("mm 'A' is used after its exit");
  });

  it('reports duplicate scenario names', () => {
    const r = parse('scenario "s" {}\nscenario "s" {}');
    expect(at(r.diagnostics)).toEqual(['2:10 PTE003']);
  });
});

describe('scenario checks: operands and expectations', () => {
  const cases: [string, string, RegExp, string][] = [
    ['A write 0 = 1 -> 1', '5:17', /'-> 1' does not fit 'write'/, 'PTE062'],
    ['A read 0 -> wp', '5:12', /'-> wp' does not fit 'read'/, 'PTE062'],
    ['A pagemap 0 -> 1', '5:15', /does not fit 'pagemap'/, 'PTE062'],
    ['A protect 0 -> userfault wp', '5:15', /does not fit 'protect'/, 'PTE062'],
    ['evict F 0 -> EINVAL', '5:13', /does not fit 'evict'/, 'PTE062'],
    ['A register 0 -> EINVLA', '5:19', /'EINVLA' is not an expectation or a Linux errno name/, 'PTE063'],
    ['A uffd features event_frok', '5:19', /unknown uffd feature 'event_frok'/, 'PTE063'],
    ['A protect 0 pages 0', '5:21', /page count must be at least 1/, 'PTE063'],
    ['A read 0x20000000000000', '5:10', /too large/, 'PTE063'],
    ['evict F 4', '5:11', /page 4 is beyond the end of file 'F' \(4 pages\)/, 'PTE063'],
    ['A map anon shared at 50', '5:14', /anonymous mappings are private/, 'PTE063'],
    ['A map anon at 50 pgoff 1', '5:26', /'pgoff' applies to file mappings only/, 'PTE063'],
    ['A map F at 50', '5:5', /say how 'F' is mapped/, 'PTE001'],
    ['A map F shared pages 1', '5:5', /a mapping needs its address/, 'PTE001'],
    ['A map F shared at 1 at 2', '5:26', /'at' is given twice/, 'PTE063'],
    ['A map F shared at 50 pgoff 4', '5:30', /pgoff 4 is at or beyond the end of file 'F'/, 'PTE063'],
  ];
  for (const [src, pos, message, code] of cases) {
    it(`${src} is ${code}`, () => {
      const r = parse(`scenario "s" {\n  file F pages 4\n  mm A\n  mm Z\n  ${src}\n}`);
      expect(at(r.diagnostics)).toEqual([`${pos} ${code}`]);
      expect(r.diagnostics[0]!.message).toMatch(message);
    });
  }

  it('suggests the errno and feature that were meant', () => {
    const r = parse('scenario "s" { mm A  A register 0 -> EINVLA  A uffd features UFFD_FEATURE_EVENT_FORK }');
    expect(r.diagnostics.map((d) => d.hint?.split('?')[0])).toEqual(["did you mean 'EINVAL'", "did you mean 'event_fork'"]);
  });

  it('checks that an mm block registers only what it mapped', () => {
    const r = parse('scenario "s" { file F pages 2\n mm A { register 0\n map F shared at 0\n register 1 pages 2\n register 4 -> EINVAL\n map anon at 1 }\n}');
    expect(at(r.diagnostics)).toEqual(['2:18 PTE061', '4:11 PTE061', '6:2 PTE061']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "register [0, 1) reaches page 0, which no mapping of mm 'A' covers",
      "register [1, 3) reaches page 2, which no mapping of mm 'A' covers",
      "mapping [1, 2) overlaps an earlier mapping [0, 2) of mm 'A'",
    ]);
  });

  it('does not check registrations outside a block against mappings (they may expect a failure)', () => {
    expect(parse('scenario "s" { mm A  A register 100 }').diagnostics).toEqual([]);
  });
});

describe('docs/scenarios.md', () => {
  it('has examples that parse without diagnostics', () => {
    const md = readFileSync(join(root, 'docs', 'scenarios.md'), 'utf8');
    const blocks = [...md.matchAll(/```scn\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(2);
    for (const b of blocks) {
      const r = parse(b, 'docs/scenarios.md');
      expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`)).toEqual([]);
      expect(r.scenarios.length).toBeGreaterThan(0);
    }
  });
});

describe('scenario parser: robustness', () => {
  // A deterministic PRNG (mulberry32) so a failure names a reproducible case.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const vocabulary = [
    'scenario', '"x"', 'from', 'file', 'mm', 'pages', 'at', 'pgoff', 'anon', 'shared', 'private', 'features', 'to',
    'ro', 'rw', 'dontneed', 'pageout', 'map', 'uffd', 'register', 'unregister', 'protect', 'resolve', 'read', 'write',
    'fork', 'exit', 'close', 'mprotect', 'madvise', 'mremap', 'munmap', 'pagemap', 'punch', 'evict', 'reclaim',
    'migrate', 'numa', 'swapoff', 'ok', 'userfault', 'wp', 'missing', 'sigbus', 'sigsegv', 'EINVAL', 'A', 'B', 'F',
    '0', '1', '0x', '99999999999999999999', '{', '}', ';', ',', '=', '!', '->', '-', '//', '/*', '"', '$', '\n',
  ];

  it('never throws on mutated inputs, and every diagnostic and step points into the file', () => {
    const base = readFileSync(join(root, 'test/runtime/scenario/fixtures/every-construct.scn'), 'utf8');
    const words = base.split(/(\s+)/);
    const random = rng(20201203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const cases = scaled(3000);
    for (let i = 0; i < cases; i++) {
      const w = [...words];
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const k = Math.floor(random() * w.length);
        switch (Math.floor(random() * 5)) {
          case 0: w.splice(k, 1); break;
          case 1: w.splice(k, 0, pick(vocabulary), ' '); break;
          case 2: w[k] = pick(vocabulary); break;
          case 3: w.splice(k, 0, w[Math.floor(random() * w.length)] ?? ''); break;
          default: w.length = k; // truncate
        }
      }
      const text = w.join('');
      let r: ReturnType<typeof parse>;
      try {
        r = parse(text, 'fuzz.scn');
      } catch (err) {
        throw new Error(`case ${i} threw ${String(err)} on:\n${text}`);
      }
      const lines = text.split('\n').length;
      for (const d of r.diagnostics) {
        const { start, end } = d.range;
        if (!(start.line >= 1 && start.line <= lines && start.column >= 1 && end.offset >= start.offset && start.offset <= text.length)) {
          throw new Error(`case ${i}: diagnostic out of the file: ${JSON.stringify(d)}\n${text}`);
        }
      }
      for (const s of r.scenarios) {
        for (const st of s.steps) {
          if (!st.loc || st.loc.line < 1 || st.loc.line > lines) throw new Error(`case ${i}: step without a valid loc\n${text}`);
          for (const v of Object.values(st.op)) {
            if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) throw new Error(`case ${i}: bad number ${v}`);
          }
        }
      }
    }
  });
});
