// `ptelab fmt` on scenario files: the canonical layout (docs/fmt.md, "Scenario files"), comments kept where they
// were, a file with syntax errors refused, and the bundled scenario files kept in fmt form.
import { describe, expect, it } from 'vitest';
import { formatScenarioText } from '../../../apps/fmt/scenario.js';
import { readRepo } from './helpers.js';
import { allBundledScn, checkScenarioFormatting } from './scenario-helpers.js';

describe('formatting scenario files', () => {
  it('puts one statement per line, tokens one space apart, and drops statement semicolons', async () => {
    const text = 'scenario   "s"   from "x"{\nfile F pages 1;mm A{map F shared at 0;uffd   features event_fork ,wp_unpopulated;register 0}\n A write 0=1->ok; A read 0 -> ! wp A exit}\n';
    expect(await checkScenarioFormatting(text)).toBe(
      [
        'scenario "s" from "x" {',
        '  file F pages 1',
        '  mm A { map F shared at 0; uffd features event_fork, wp_unpopulated; register 0 }',
        '  A write 0 = 1 -> ok',
        '  A read 0 -> !wp',
        '  A exit',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps an mm block written over several lines (or holding a comment) one item per line', async () => {
    const text = 'scenario "s" {\n  mm A {\n map anon at 0 pages 2\n uffd; register 0 pages 2 }\n  mm B { map anon at 0 /* why */ }\n  A exit\n  B exit\n}\n';
    expect(await checkScenarioFormatting(text)).toBe(
      [
        'scenario "s" {',
        '  mm A {',
        '    map anon at 0 pages 2',
        '    uffd',
        '    register 0 pages 2',
        '  }',
        '  mm B {',
        `${'    map anon at 0'.padEnd(30)}/* why */`,
        '  }',
        '  A exit',
        '  B exit',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('aligns the trailing comments of neighbouring lines in the scenario column, or one space after the longest', async () => {
    const text = [
      'scenario "s" {',
      '  file F pages 1 // a file',
      '  mm A { map F shared at 0; uffd; register 0 } // set up',
      '',
      '  A write 0 = 1 // first',
      '  A read 0 -> 1    // then',
      '  // an own-line note',
      '  A exit',
      '}',
      '',
    ].join('\n');
    expect(await checkScenarioFormatting(text)).toBe(
      [
        'scenario "s" {',
        `${'  file F pages 1'.padEnd(47)}// a file`,
        '  mm A { map F shared at 0; uffd; register 0 } // set up',
        '',
        `${'  A write 0 = 1'.padEnd(30)}// first`,
        `${'  A read 0 -> 1'.padEnd(30)}// then`,
        '  // an own-line note',
        '  A exit',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps comments before, between and after scenarios, blank lines at most one', async () => {
    const text = '\n\n// head\n\n\n\nscenario "a" { // on the brace\n  swapoff\n\n\n  // last\n} // after a\n/* between */\nscenario "b" {}\n// end\n';
    expect(await checkScenarioFormatting(text)).toBe(
      ['// head', '', 'scenario "a" { // on the brace', '  swapoff', '', '  // last', '} // after a', '/* between */', 'scenario "b" {}', '// end', ''].join('\n'),
    );
  });

  it('keeps a comment between the tokens of a statement next to them', async () => {
    const text = 'scenario "s" {\n  mm A { map anon at 0 }\n  A write /* addr */ 0 = 1 // value\n  A read 0 // why\n    -> 1\n  A exit\n}\n';
    expect(await checkScenarioFormatting(text)).toBe(
      ['scenario "s" {', '  mm A { map anon at 0 }', `${'  A write /* addr */ 0 = 1'.padEnd(30)}// value`, '  A read 0 // why', '    -> 1', '  A exit', '}', ''].join('\n'),
    );
  });

  it('formats an empty file to an empty file and CRLF to LF', async () => {
    expect(await checkScenarioFormatting('')).toBe('');
    expect(await checkScenarioFormatting('scenario "s" {\r\n  swapoff\r\n}\r\n')).toBe('scenario "s" {\n  swapoff\n}\n');
  });

  it('refuses a file with syntax errors and says where', async () => {
    const r = await formatScenarioText('scenario "s" {\n  A frob 3\n}\n', 'bad.scn');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics.map((d) => d.code)).toContain('PTE001');
      expect(r.diagnostics[0]!.range.start.line).toBe(2);
    }
  });

  it('formats a file whose scenarios have check errors (not syntax errors), keeping them', async () => {
    // B is not declared (PTE002): a scenario check, not a syntax error; fmt formats it and the error stays.
    const out = await checkScenarioFormatting('scenario "s" {\n  B   read 0\n}\n');
    expect(out).toBe('scenario "s" {\n  B read 0\n}\n');
  });

  for (const file of allBundledScn()) {
    it(`${file} is in ptelab fmt form`, async () => {
      const text = readRepo(file);
      const once = await checkScenarioFormatting(text, file);
      expect(once === text, `run: node dist/bin/ptelab.js fmt ${file}`).toBe(true);
    });
  }
});
