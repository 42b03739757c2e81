// ptelab fmt: the canonical style of docs/fmt.md on small inputs, the bundled specs (idempotent, same meaning,
// every comment kept in order), specs with syntax errors left alone, the prettier plugin, and the command line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../bin/main.js';
import { formatSpecText } from '../../../apps/fmt/format.js';
import * as plugin from '../../../apps/fmt/prettier-plugin.js';
import { X86 } from '../../helpers.js';
import { allBundledPte, checkFormatting, fmt, readRepo } from './helpers.js';

const lines = (...ls: string[]) => ls.join('\n') + '\n';

describe('canonical style', () => {
  it('indents by 2, one item and one field per line, no semicolons, at most one blank line', async () => {
    const src = 'spec  t   "d"\nword 64\n\n\n\nformat pte { bit 0 A; bits 1..2 B inverted ;  alias C = A; in B { bit 0 D } }\nformat e {   }\n';
    expect(await checkFormatting(src)).toBe(
      lines('spec t "d"', 'word 64', '', 'format pte {', '  bit 0 A', '  bits 1..2 B inverted', '  alias C = A', '  in B {', '    bit 0 D', '  }', '}', 'format e {}'),
    );
  });

  it('keeps how numbers and strings are written', async () => {
    const src = 'spec t "a \\"q\\" \\\\ b"\nconst A = 0xFFFF_ffff ^ 0b1010 + 1_000\nformat f { bits 0x0..0b11 X; bit 4 Y; bits 5..5 Z }\n';
    expect(await checkFormatting(src)).toBe(lines('spec t "a \\"q\\" \\\\ b"', 'const A = 0xFFFF_ffff ^ (0b1010 + 1_000)', 'format f {', '  bits 0x0..0b11 X', '  bit 4 Y', '  bits 5..5 Z', '}'));
  });

  it('prints the parentheses precedence needs, and those around && in || and around mixed bitwise operators', async () => {
    const src = lines(
      'const A = ((1 << 3)) - (1)',
      'const B = (a - (b - c)) * (d + e)',
      'const C = a + (b * c)',
      'predicate p on f = ((A && B)) || (C) && !(D || E) means k',
      'predicate q on f = (TYPE & 3) == 1 && (word & (M | 1)) != 0 && ((A == B) == C)',
      'fn g(x: f) = (x with { A = 1 }).A + (-x.B) - (x.C).D',
    );
    expect(await checkFormatting(src)).toBe(
      lines(
        'const A = (1 << 3) - 1',
        'const B = (a - (b - c)) * (d + e)',
        'const C = a + b * c',
        'predicate p on f = (A && B) || (C && !(D || E)) means k',
        'predicate q on f = TYPE & 3 == 1 && word & (M | 1) != 0 && (A == B) == C',
        'fn g(x: f) = (x with { A = 1 }).A + -x.B - x.C.D',
      ),
    );
  });

  it('breaks long expressions before operators, and means lists after the expression', async () => {
    const long = Array.from({ length: 6 }, (_, i) => `TYPE == SWP_SOMETHING_RATHER_LONG_${i}`).join(' || ');
    const src = `predicate p on swp = is_swap_pte && (${long}) means a, b\n`;
    const out = await checkFormatting(src);
    expect(out).toBe(
      lines(
        'predicate p on swp = is_swap_pte',
        '  && (TYPE == SWP_SOMETHING_RATHER_LONG_0',
        '    || TYPE == SWP_SOMETHING_RATHER_LONG_1',
        '    || TYPE == SWP_SOMETHING_RATHER_LONG_2',
        '    || TYPE == SWP_SOMETHING_RATHER_LONG_3',
        '    || TYPE == SWP_SOMETHING_RATHER_LONG_4',
        '    || TYPE == SWP_SOMETHING_RATHER_LONG_5)',
        '  means a, b',
      ),
    );
  });

  it('aligns the trailing comments of neighbouring lines, keeps notes under a line under it', async () => {
    const src = lines(
      'const A = 1 // one',
      'const LONGER = 2    // two',
      '  // more about LONGER',
      '',
      'const B = 3 // alone',
      'format f {',
      '  bit 0 X         // x',
      '  bits 1..40 YY   // y',
      '                  // y, continued',
      '  // about Z',
      '  bit 41 Z',
      '}',
    );
    expect(await checkFormatting(src)).toBe(
      lines(
        'const A = 1       // one',
        'const LONGER = 2  // two',
        '  // more about LONGER',
        '',
        'const B = 3  // alone',
        'format f {',
        '  bit 0 X        // x',
        '  bits 1..40 YY  // y',
        '                 // y, continued',
        '  // about Z',
        '  bit 41 Z',
        '}',
      ),
    );
  });

  it('lines up a run of kinds as a table when it fits', async () => {
    const src = lines(
      'kind none : pte when pte_none',
      'kind present : pte when PRESENT refs page(PFN)',
      '  // a note',
      'kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)',
      '',
      'kind alone : pte_marker_entry when X',
    );
    expect(await checkFormatting(src)).toBe(
      lines(
        'kind none    : pte when pte_none',
        'kind present : pte when PRESENT                             refs page(PFN)',
        '  // a note',
        'kind swap    : swp when is_swap_pte && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)',
        '',
        'kind alone : pte_marker_entry when X',
      ),
    );
  });

  it('keeps statement blocks on one line when they fit and the author wrote them so', async () => {
    const src = lines(
      'path p {',
      '  case none { keep }',
      '  case present as x { let page = vm_normal_page(x.PFN); if page { put_page(page) } else { keep } }',
      '  case swap as s {',
      '    clear',
      '  }',
      '  default { f(x); -y; (a || b).c }',
      '  case k { if a { b }',
      '    else if c { d }',
      '    else { e } }',
      '}',
    );
    expect(await checkFormatting(src)).toBe(
      lines(
        'path p {',
        '  case none { keep }',
        '  case present as x { let page = vm_normal_page(x.PFN); if page { put_page(page) } else { keep } }',
        '  case swap as s {',
        '    clear',
        '  }',
        '  default { f(x); -y; (a || b).c }',
        '  case k {',
        '    if a { b }',
        '    else if c { d }',
        '    else { e }',
        '  }',
        '}',
      ),
    );
  });

  it('puts ; between statements only where the next one would otherwise continue the previous', async () => {
    const src = lines('path p {', '  default {', '    f(x);', '    -y;', '    (a || b).c;', '    call q with { A = 1 };', '    -z', '  }', '}');
    expect(await checkFormatting(src)).toBe(lines('path p {', '  default {', '    f(x);', '    -y;', '    (a || b).c', '    call q with { A = 1 };', '    -z', '  }', '}'));
  });

  it('keeps a comment anywhere, next to the token it was next to', async () => {
    const src = lines(
      '/* head */ spec /*a*/ t /*b*/ "desc" // hdr',
      'format /*f1*/ pte /*f2*/ { // open',
      '  bit 0 A /*x*/ // y',
      '  bits /*lo*/ 1 .. /*hi*/ 2 B inverted;',
      '}',
      'swap /*s*/ { A_NUM = 1 { X, /* between */ Y } before G  // t',
      '}',
      'kind k1 : pte when A refs page(PFN // in refs',
      ')',
      'path q {',
      '  default /* d */ { }',
      '  case k2 { if a { b } /* e1 */ else /* e2 */ if c { d } // x',
      '  else { e } }',
      '}',
      '// tail',
    );
    const out = await checkFormatting(src);
    expect(out).toContain('format /*f1*/ pte /*f2*/ { // open\n');
    expect(out).toContain('  bit 0 A  /*x*/ // y\n');
    expect(out).toContain('  default /* d */ {}\n');
    expect(out.endsWith('// tail\n')).toBe(true);
  });

  it('prints an empty spec as nothing and a spec of comments as its comments', async () => {
    expect(await checkFormatting('')).toBe('');
    expect(await checkFormatting('\n\n')).toBe('');
    expect(await checkFormatting('// a\n\n\n/* b */\n')).toBe('// a\n\n/* b */\n');
  });

  it('normalizes line ends to LF', async () => {
    expect(await fmt('spec t "d"\r\nword 64 // w\r\n')).toBe('spec t "d"\nword 64  // w\n');
  });
});

describe('the bundled specs', () => {
  for (const file of allBundledPte()) {
    it(`${file}: idempotent, same meaning, every comment kept`, async () => {
      await checkFormatting(readRepo(file), file);
    });
  }
});

describe('a spec with syntax errors', () => {
  it('is not formatted: its diagnostics come back instead', async () => {
    const r = await formatSpecText('spec t "d"\nformat pte { bit 0 }\n', 'bad.pte');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toContain('PTE001');
  });
});

describe('the prettier plugin', () => {
  it('formats through prettier.format with the same result', async () => {
    const prettier = await import('prettier');
    const out = await prettier.format(X86, { parser: 'pte', plugins: [plugin] });
    expect(out).toBe(await fmt(X86));
    expect(plugin.languages[0]!.extensions).toEqual(['.pte']);
  });

  it('gives what formatSpecText gives (which prints without prettier.format) on every bundled spec, blank and empty texts', async () => {
    const prettier = await import('prettier');
    const texts = [...allBundledPte().map(readRepo), '', '\n \n', '// only a note\n'];
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) expect(await prettier.format(text, { parser: 'pte', plugins: [plugin] })).toBe(await fmt(text));
  });

  it('finds the parser from the file name and reports syntax errors with a position', async () => {
    const prettier = await import('prettier');
    expect(await prettier.format('word   64\n', { filepath: 'x.pte', plugins: [plugin] })).toBe('word 64\n');
    await expect(prettier.format('word\n', { filepath: 'x.pte', plugins: [plugin] })).rejects.toThrow(/PTE001/);
  });

  it('gives prettier locStart and locEnd for every node', () => {
    const root = plugin.parsePte('word 64\n', 'w.pte');
    const parser = plugin.parsers['pte']!;
    expect([parser.locStart(root), parser.locEnd(root)]).toEqual([0, 8]);
    const item = root.ast.items[0]!;
    expect([parser.locStart(item), parser.locEnd(item)]).toEqual([0, 7]);
  });
});

describe('ptelab fmt', () => {
  async function run(cwd: string, ...argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd });
    return { code, out, err };
  }

  it('--check lists unformatted files (exit 1), then fmt rewrites them in place, then nothing is left to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-fmt-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'a.pte'), 'word    64\n');
      fs.writeFileSync(path.join(dir, 'sub', 'b.pte'), 'word 64\n');
      fs.writeFileSync(path.join(dir, 'sub', 'c.txt'), 'not a spec');
      const check = await run(dir, 'fmt', '--check', '.');
      expect(check).toEqual({ code: 1, out: 'a.pte\n', err: '' });
      expect(fs.readFileSync(path.join(dir, 'a.pte'), 'utf8')).toBe('word    64\n');
      const write = await run(dir, 'fmt', 'a.pte', 'sub/b.pte');
      expect(write.code).toBe(0);
      expect(write.out).toBe('formatted a.pte\n1 formatted, 1 unchanged\n');
      expect(fs.readFileSync(path.join(dir, 'a.pte'), 'utf8')).toBe('word 64\n');
      expect(fs.readdirSync(dir).sort()).toEqual(['a.pte', 'sub']);
      expect((await run(dir, 'fmt', '--check', '.')).code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a formatted file\'s mode (a new file would get 0666 less the umask, never the execute bits)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-fmt-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.pte'), 'word    64\n');
      fs.chmodSync(path.join(dir, 'a.pte'), 0o700);
      expect((await run(dir, 'fmt', 'a.pte')).code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'a.pte'), 'utf8')).toBe('word 64\n');
      expect(fs.statSync(path.join(dir, 'a.pte')).mode & 0o777).toBe(0o700);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves a spec with syntax errors alone and exits 1 with its diagnostics; usage and missing files exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-fmt-'));
    try {
      const bad = 'format pte { bit 0 }\n';
      fs.writeFileSync(path.join(dir, 'bad.pte'), bad);
      const r = await run(dir, 'fmt', 'bad.pte');
      expect(r.code).toBe(1);
      expect(r.err).toContain('bad.pte:1:');
      expect(r.err).toContain('PTE001');
      expect(r.err).toContain('not formatted');
      expect(fs.readFileSync(path.join(dir, 'bad.pte'), 'utf8')).toBe(bad);
      expect((await run(dir, 'fmt')).code).toBe(2);
      expect((await run(dir, 'fmt', 'missing.pte')).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
