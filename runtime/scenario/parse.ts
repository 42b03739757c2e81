// parseScenarios({path, text}) -> Scenario[] + diagnostics. Lexer and parser errors become PTE001 diagnostics;
// recovery lets one run report several of them. Static checks (names, operands, expectations) are in build.ts.
import type { IRecognitionException, IToken } from 'chevrotain';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { posAt, type Range, type SourceFile } from '../../core/source.js';
import { endOfInputRange, isEof, lexErrorDiagnostics, ruleHint, tokenRange } from '../../core/chevrotain-diagnostics.js';

const DOC = 'docs/scenarios.md';
import { buildScenarios } from './build.js';
import { keywordNames, NumberLiteral, scenarioLexer } from './lexer.js';
import { scenarioParser } from './parser.js';
import type { Scenario } from './types.js';

export interface ScenarioParseResult {
  readonly scenarios: Scenario[];
  readonly diagnostics: Diagnostic[];
}

export function parseScenarios(source: SourceFile): ScenarioParseResult {
  const { path: file, text } = source;
  const diagnostics: Diagnostic[] = [];
  const lexed = scenarioLexer.tokenize(text);
  diagnostics.push(...lexErrorDiagnostics(lexed.errors, source, DOC));
  const parser = scenarioParser();
  parser.input = lexed.tokens;
  const cst = parser.scenarioFile();
  // Recovery re-synchronises on the first token that can follow the broken rule; after `A frob 3` that is `frob`
  // itself (a name starts a statement), so the same mistake would be reported again at `3` and `frob` built as a
  // statement of an unknown mm. An error on the token right after the previous error's is a cascade: dropped, and
  // a statement starting where an alternative failed is not built.
  const indexOf = new Map<number, number>(lexed.tokens.map((t, i) => [t.startOffset, i]));
  const bogusStarts = new Set<number>();
  let last: { index: number; line: number } | undefined;
  for (const e of parser.errors) {
    const index = isEof(e.token) ? lexed.tokens.length : (indexOf.get(e.token.startOffset) ?? -2);
    const line = e.token.startLine ?? -1;
    if (e.name === 'NoViableAltException' && !isEof(e.token)) bogusStarts.add(e.token.startOffset);
    const cascade = last !== undefined && line === last.line && (index === last.index || index === last.index + 1);
    last = { index, line };
    if (!cascade) diagnostics.push(parseError(e, file, text));
  }
  const built = buildScenarios(cst, file, bogusStarts);
  diagnostics.push(...built.diagnostics);
  return { scenarios: built.scenarios, diagnostics };
}

const STATEMENT_STARTS = new Set(
  ['Kw_scenario', 'Kw_file', 'Kw_mm', 'Kw_punch', 'Kw_evict', 'Kw_reclaim', 'Kw_migrate', 'Kw_numa', 'Kw_swapoff', 'Kw_collapse', 'Identifier', 'RBrace'],
);

function parseError(e: IRecognitionException, file: string, text: string): Diagnostic {
  const t = e.token;
  const prev = (e as { previousToken?: IToken }).previousToken;
  let range: Range;
  const nextLine = isEof(t) || (prev !== undefined && (t.startLine ?? 0) > (prev.endLine ?? prev.startLine ?? 0));
  if (prev && !isEof(prev) && nextLine && (isEof(t) || STATEMENT_STARTS.has(t.tokenType.name))) {
    // The line ended early and the next line starts something new: point just after the last token that was there.
    const after = (prev.endOffset ?? prev.startOffset) + 1;
    range = { file, start: posAt(text, after), end: posAt(text, after + 1) };
  } else range = isEof(t) ? endOfInputRange(text, file) : tokenRange(t, file);
  const found = isEof(t) ? 'end of file' : `'${t.image}'`;
  const rules = e.context?.ruleStack ?? [];
  const rule = rules[rules.length - 1] ?? '';
  const expected = summariseExpected(e.message);
  let message = expected ? `expected ${expected} but found ${found}` : `unexpected ${found}`;
  let hint = ruleHint(rules, ruleHints, DOC);
  if (expected === "'}'" && rule === 'scenarioDecl') {
    // MANY(statement) stopped: anything that starts a statement would have done as well as '}'.
    message = `expected a statement or '}' but found ${found}`;
    hint = ruleHints['statement']!;
    if (t?.tokenType === NumberLiteral) hint = `a statement cannot start with a number; is an '=' or 'pages' missing before it? ${hint}`;
  } else if (expected === "'}'" && rule === 'mmDecl') {
    message = `expected 'map', 'uffd', 'register' or '}' but found ${found}`;
  }
  if (!isEof(t)) {
    const word = t.image;
    if (rule === 'mmCommand' && !keywordNames.has(word) && /^[A-Za-z_]/.test(word)) {
      message = `'${word}' is not an mm operation`;
    } else if (keywordNames.has(word) && expected?.includes('a name')) {
      hint = `'${word}' is a keyword and cannot name an mm or a file; choose another name`;
    }
  }
  return diag('PTE001', range, message, hint);
}

/** Chevrotain's messages list every alternative path; we keep the set of first tokens, which is what a person needs. */
function summariseExpected(message: string): string | undefined {
  const expecting = message.split(/\bbut found\b/)[0] ?? '';
  const firsts: string[] = [];
  const mismatched = /-->\s*(.*?)\s*<--/.exec(expecting);
  if (mismatched) firsts.push(mismatched[1]!);
  // NoViableAlt / EarlyExit: "1. ['userfault', 'wp']" — the first token of each sequence.
  for (const m of expecting.matchAll(/\[([^\]]*)\]/g)) firsts.push((m[1] ?? '').split(/,\s*/)[0]!.trim());
  const names = [...new Set(firsts.filter((f) => f && f !== 'EOF'))];
  // At the top level only a scenario can follow (Chevrotain says "EOF").
  if (names.length === 0) return firsts.includes('EOF') || /expecting EOF/i.test(message) ? "'scenario'" : undefined;
  const list = names.slice(0, 10);
  const more = names.length > list.length ? ', ...' : '';
  return list.length === 1 ? list[0] : `one of ${list.join(', ')}${more}`;
}

const ruleHints: Record<string, string> = {
  scenarioFile: "a scenario file is a list of 'scenario \"name\" [from \"source\"] { statements }'",
  scenarioDecl: "a scenario is 'scenario \"name\" [from \"source\"] { statements }'",
  statement:
    "a statement is 'file ...', 'mm ...', 'punch ...', 'evict ...', 'reclaim ...', 'migrate ...', 'numa ...', 'swap_error ...', 'swapoff', or 'MM operation ...'",
  fileDecl: "a file is 'file NAME pages N'",
  mmDecl: "an mm is 'mm NAME' or 'mm NAME { map ...; uffd [features ...]; register ADDR [pages N] }'",
  setupItem: "an mm block holds 'map ...', 'uffd [features ...]' and 'register ADDR [pages N]'",
  setupCommand: "an mm block holds 'map ...', 'uffd [features ...]' and 'register ADDR [pages N]'",
  mapCmd: "a mapping is 'map FILE shared|private at ADDR [pages N] [pgoff K]' or 'map anon at ADDR [pages N] [hugepage]'",
  uffdCmd: "open the userfaultfd with 'uffd' or 'uffd features event_fork, wp_unpopulated'",
  mmCommand:
    'an mm operation is one of: map, uffd, register, unregister, protect, resolve, read, write, pagemap, fork, exit, close uffd, mprotect, madvise, mremap, munmap, poison',
  fileEvent: "file events are 'punch FILE INDEX [pages N]' and 'evict FILE INDEX'",
  mmEvent: "kernel events are 'reclaim MM ADDR', 'migrate MM ADDR', 'collapse MM ADDR' and 'numa MM ADDR [pages N]'",
  range: "a range is 'ADDR [pages N]'",
  outcome:
    "an expectation is '-> N', '-> ok', '-> userfault wp|missing', '-> sigbus', '-> sigsegv', '-> wp', '-> !wp' or '-> ERRNO'",
};
