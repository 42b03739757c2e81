// Formatting mutated and generated scenario files that still parse: every one must format, and the result must be
// idempotent, build the same scenarios (positions aside) with the same diagnostics and keep every comment in order.
// Seeded corpora, as test/apps/fmt/fuzz.test.ts does for specs:
//  (a) the bundled scenario files with comments inserted between random tokens (line, block, multi-line block,
//      own-line), whitespace between tokens reshuffled (never between `->` and its outcome, which must share a line)
//      and semicolons added after statements;
//  (b) random scenario files from a small generator (every statement form, mm blocks on one line or several,
//      several statements on a line, expectations of every kind), with comments sprinkled in.
// Reproduce a failure with PTELAB_FMT_FUZZ_SEED=<seed printed>; PTELAB_FMT_FUZZ_SCALE=10 runs ten times the cases.
import { describe, it } from 'vitest';
import { scenarioLexer } from '../../../runtime/scenario/lexer.js';
import { chance, int, mulberry32, pick, readRepo, type Rng } from './helpers.js';
import { allBundledScn, checkScenarioFormatting, scnParses } from './scenario-helpers.js';

const BASE_SEED = Number(process.env['PTELAB_FMT_FUZZ_SEED'] ?? 0x5c4e_0001) >>> 0;
const SCALE = Number(process.env['PTELAB_FMT_FUZZ_SCALE'] ?? 1);

interface Gap {
  readonly start: number;
  readonly end: number;
  /** The token before the gap is a line comment (the gap must keep a line break). */
  readonly afterLineComment: boolean;
  /** The token before is `->` (its outcome must stay on its line). */
  readonly afterArrow: boolean;
}

function gaps(text: string): Gap[] {
  const lexed = scenarioLexer.tokenize(text);
  const toks = [...lexed.tokens, ...(lexed.groups['comments'] ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const out: Gap[] = [];
  let prevEnd = 0;
  let prev = '';
  for (const t of toks) {
    out.push({ start: prevEnd, end: t.startOffset, afterLineComment: prev === 'LineComment', afterArrow: prev === 'Arrow' });
    prevEnd = t.startOffset + t.image.length;
    prev = t.tokenType.name;
  }
  out.push({ start: prevEnd, end: text.length, afterLineComment: prev === 'LineComment', afterArrow: prev === 'Arrow' });
  return out;
}

type Edit = { at: number; end: number; text: string };

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at || b.end - a.end)) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}

let commentId = 0;
function comment(r: Rng, afterLineComment: boolean, sameLine: boolean): string {
  const id = ++commentId;
  const k = sameLine ? 4 : int(r, 5);
  switch (k) {
    case 0:
      return ` // c${id}\n`;
    case 1:
      return `\n// c${id}\n`;
    case 2:
      return `\n      // c${id} indented\n`;
    case 3:
      return `${afterLineComment ? '\n' : ' '}/* c${id}\n   more ${id} */ `;
    default:
      return `${afterLineComment ? '\n' : ' '}/* c${id} */ `;
  }
}

function insertComments(r: Rng, text: string, n: number): string {
  const gs = gaps(text);
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) {
    const g = pick(r, gs);
    const at = chance(r, 0.5) ? g.start : g.end;
    edits.push({ at, end: at, text: comment(r, at === g.start && g.afterLineComment, g.afterArrow) });
  }
  return applyEdits(text, edits);
}

const SPACES = [' ', '\n', '\n\n\n', '  \n    ', '\t', '\n\n', ' \t '];
function reshuffle(r: Rng, text: string, n: number): string {
  const gs = gaps(text).filter((g) => g.end > g.start);
  const edits: Edit[] = [];
  const used = new Set<number>();
  for (let i = 0; i < n && gs.length > 0; i++) {
    const g = pick(r, gs);
    if (used.has(g.start)) continue;
    used.add(g.start);
    let s = pick(r, SPACES);
    if (g.afterLineComment && !s.includes('\n')) s = '\n';
    if (g.afterArrow) s = ' ';
    edits.push({ at: g.start, end: g.end, text: s });
  }
  return applyEdits(text, edits);
}

/** `;` after random statements (at line ends). */
function semicolons(r: Rng, text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\s+[A-Za-z]/.test(l) && !l.includes('//') && !l.includes('/*') && !l.trimEnd().endsWith('{') && chance(r, 0.2) ? `${l};` : l))
    .join('\n');
}

function mutate(r: Rng, text: string): string {
  let t = text;
  if (chance(r, 0.5)) t = semicolons(r, t);
  if (chance(r, 0.7)) t = reshuffle(r, t, 1 + int(r, 30));
  if (chance(r, 0.8)) t = insertComments(r, t, 1 + int(r, 12));
  return t;
}

// ---------------------------------------------------------------------------------------------- generated files

const MMS = ['A', 'B', 'C'];
function range(r: Rng): string {
  return `${int(r, 4)}${chance(r, 0.3) ? ` pages ${1 + int(r, 3)}` : ''}`;
}
function outcome(r: Rng): string {
  return pick(r, [`${int(r, 5)}`, 'ok', 'userfault wp', 'userfault missing', 'sigbus', 'sigsegv', 'wp', '!wp', '! wp', 'EINVAL', 'ENOENT']);
}
function mapCmd(r: Rng): string {
  return chance(r, 0.4) ? `map anon at ${int(r, 4)}${chance(r, 0.3) ? ` pages ${1 + int(r, 3)}` : ''}` : `map F ${pick(r, ['shared', 'private'])} at ${int(r, 4)}${chance(r, 0.3) ? ' pgoff 0' : ''}`;
}
function setupItems(r: Rng): string[] {
  const items = [mapCmd(r)];
  if (chance(r, 0.7)) items.push(chance(r, 0.3) ? `uffd features ${pick(r, ['event_fork', 'wp_unpopulated', 'event_fork ,wp_unpopulated', 'event_fork, wp_unpopulated'])}` : 'uffd');
  if (chance(r, 0.6)) items.push(`register ${range(r)}`);
  return items;
}
function mmDecl(r: Rng, name: string): string {
  if (chance(r, 0.1)) return `mm ${name}`;
  const items = setupItems(r);
  switch (int(r, 3)) {
    case 0:
      return `mm ${name} { ${items.join('; ')} }`;
    case 1:
      return `mm ${name} {\n${items.map((i) => `    ${i}`).join('\n')}\n  }`;
    default:
      return `mm ${name} {${items.join(' ')}}`;
  }
}
function statement(r: Rng): string {
  const m = pick(r, MMS.slice(0, 2));
  const expect = chance(r, 0.4) ? ` -> ${outcome(r)}` : '';
  switch (int(r, 16)) {
    case 0:
      return `${m} write ${int(r, 4)}${chance(r, 0.7) ? ` = ${int(r, 9)}` : ''}${expect}`;
    case 1:
      return `${m} read ${int(r, 4)}${expect}`;
    case 2:
      return `${m} ${pick(r, ['protect', 'resolve', 'unregister', 'munmap'])} ${range(r)}${expect}`;
    case 3:
      return `${m} pagemap ${int(r, 4)} -> ${pick(r, ['wp', '!wp'])}`;
    case 4:
      return `${m} fork C`;
    case 5:
      return `${m} mprotect ${range(r)} ${pick(r, ['ro', 'rw'])}`;
    case 6:
      return `${m} madvise ${pick(r, ['dontneed', 'pageout'])} ${range(r)}`;
    case 7:
      return `${m} mremap ${range(r)} to ${int(r, 8)}`;
    case 8:
      return `${m} close uffd`;
    case 9:
      return `punch F ${range(r)}`;
    case 10:
      return `evict F ${int(r, 2)}`;
    case 11:
      return `${pick(r, ['reclaim', 'migrate'])} ${m} ${int(r, 4)}`;
    case 12:
      return `numa ${m} ${range(r)}`;
    case 13:
      return 'swapoff';
    case 14:
      return `${m} ${setupItems(r)[0]!}${expect}`;
    default:
      return `${m} exit`;
  }
}
function generated(r: Rng): string {
  const out: string[] = [];
  const n = 1 + int(r, 3);
  for (let s = 0; s < n; s++) {
    out.push(`scenario "g${s}"${chance(r, 0.4) ? ' from "generated"' : ''} {`);
    out.push('  file F pages 2');
    out.push(`  ${mmDecl(r, 'A')}`);
    out.push(`  ${mmDecl(r, 'B')}`);
    const k = int(r, 10);
    const line: string[] = [];
    for (let i = 0; i < k; i++) {
      line.push(statement(r));
      if (chance(r, 0.6)) {
        out.push(`  ${line.join(chance(r, 0.5) ? '; ' : ' ')}`);
        line.length = 0;
      }
      if (chance(r, 0.1)) out.push('');
    }
    if (line.length > 0) out.push(`  ${line.join('; ')}`);
    out.push('}');
    if (chance(r, 0.5)) out.push('');
  }
  return out.join('\n') + '\n';
}

// ----------------------------------------------------------------------------------------------------- the runs

function fuzz(label: string, cases: number, seedOffset: number, make: (r: Rng) => string): void {
  it(`${label}: ${cases} cases`, async () => {
    let ran = 0;
    for (let i = 0; i < cases; i++) {
      const seed = (BASE_SEED + seedOffset + i) >>> 0;
      const text = make(mulberry32(seed));
      if (!scnParses(text)) continue;
      ran++;
      try {
        await checkScenarioFormatting(text);
      } catch (e) {
        throw new Error(`${label}: case failed (PTELAB_FMT_FUZZ_SEED=${seed - seedOffset - i}, case ${i}, seed ${seed}):\n${(e as Error).message}\n--- input ---\n${text}`);
      }
    }
    if (ran < cases / 2) throw new Error(`${label}: only ${ran} of ${cases} cases parsed`);
  });
}

describe('formatting fuzzed scenario files', () => {
  const bundled = allBundledScn().map((f) => readRepo(f));
  fuzz('mutated bundled scenario files', Math.round(60 * SCALE), 0, (r) => mutate(r, pick(r, bundled)));
  fuzz('generated scenario files', Math.round(300 * SCALE), 100_000, (r) => generated(r));
  fuzz('generated scenario files with comments', Math.round(300 * SCALE), 200_000, (r) => mutate(r, generated(r)));
});
