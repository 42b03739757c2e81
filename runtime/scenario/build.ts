// CST -> Scenario data (types.ts), plus the static checks a scenario file can have without a spec: names declared
// before use, mms not used after `exit`, operands in range, expectations that fit their operation, an mm block's
// `register` inside the block's own mappings. After error recovery a CST node can lack children: such statements
// are dropped here (the syntax error was already reported), never turned into a crash.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { DiagnosticCode } from '../../core/diagnostics/codes.js';
import { diag, type Diagnostic, type RelatedInfo } from '../../core/diagnostics/diagnostic.js';
import { UFFD_FEATURE_NAMES, UFFD_RANGE_IOCTL_NAMES } from '../../contract/table.js';
import { tokenRange } from '../../core/chevrotain-diagnostics.js';
import type { Range } from '../../core/source.js';
import { COMMON_ERRNOS, ERRNO_NAMES } from './errno.js';
import type { Expect, Op, Scenario, SourceLoc, Step, UffdFeature, UffdMode, UffdRangeIoctl, VmaSpec } from './types.js';

/**
 * The codes this module reports. The catalogue (core/diagnostics/codes.ts) already has PTE002-PTE004 for
 * names; the scenario-specific checks have their own codes, PTE060-PTE063.
 */
export const SCENARIO_CODES = {
  syntax: 'PTE001',
  unknownName: 'PTE002',
  duplicateName: 'PTE003',
  wrongSort: 'PTE004',
  usedAfterExit: 'PTE060',
  outsideMapping: 'PTE061',
  expectMismatch: 'PTE062',
  badOperand: 'PTE063',
} as const satisfies Record<string, DiagnosticCode>;

export const UFFD_FEATURES: readonly UffdFeature[] = UFFD_FEATURE_NAMES;

export interface BuildResult {
  readonly scenarios: Scenario[];
  readonly diagnostics: Diagnostic[];
}

/** `bogusStarts`: offsets of tokens where the parser's recovery restarted a statement after an error (parse.ts). */
export function buildScenarios(cst: CstNode, file: string, bogusStarts: ReadonlySet<number> = new Set()): BuildResult {
  const b = new Builder(file, bogusStarts);
  const scenarios: Scenario[] = [];
  const seen = new Map<string, Range>();
  for (const s of nodes(cst, 'scenarioDecl')) {
    const sc = b.tryBuild(() => b.scenario(s, seen));
    if (sc) scenarios.push(sc);
  }
  return { scenarios, diagnostics: b.diagnostics };
}

class Incomplete extends Error {}

type Children = Record<string, CstElement[] | undefined>;

function nodes(n: CstNode, key: string): CstNode[] {
  return ((n.children as Children)[key] ?? []) as CstNode[];
}
function node(n: CstNode, key: string): CstNode | undefined {
  return nodes(n, key)[0];
}
function tokens(n: CstNode, key: string): IToken[] {
  return (((n.children as Children)[key] ?? []) as IToken[]).filter((t) => !isRecovered(t));
}
function token(n: CstNode, key: string): IToken | undefined {
  return tokens(n, key)[0];
}
function reqToken(n: CstNode, key: string): IToken {
  const t = token(n, key);
  if (!t) throw new Incomplete();
  return t;
}
function req(n: CstNode, key: string): CstNode {
  const c = node(n, key);
  if (!c) throw new Incomplete();
  return c;
}
function isRecovered(t: IToken): boolean {
  return t.isInsertedInRecovery === true || Number.isNaN(t.startOffset);
}
/** The first and last real (not recovery-inserted) tokens under a CST node. */
function span(n: CstNode): { first: IToken; last: IToken } {
  let first: IToken | undefined;
  let last: IToken | undefined;
  const walk = (x: CstNode): void => {
    for (const key in x.children) {
      for (const el of (x.children as Children)[key] ?? []) {
        if ('image' in el) {
          if (isRecovered(el)) continue;
          if (!first || el.startOffset < first.startOffset) first = el;
          if (!last || el.startOffset > last.startOffset) last = el;
        } else walk(el);
      }
    }
  };
  walk(n);
  if (!first || !last) throw new Incomplete();
  return { first, last };
}
function firstToken(n: CstNode): IToken {
  return span(n).first;
}

/** Numbers are decimal, 0x hex or 0b binary, with optional `_` separators (the lexer guarantees the shape). */
export function parseNumber(image: string): bigint {
  const s = image.replace(/_/g, '');
  if (/^0[xXbB]$/.test(s)) return 0n;
  return BigInt(s.replace(/^0X/, '0x').replace(/^0B/, '0b'));
}

function unescapeString(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}
function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(name.toLowerCase(), c.toLowerCase());
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

interface NameInfo {
  readonly sort: 'file' | 'mm';
  readonly decl: Range;
  /** A file's size in pages. */
  readonly pages?: number;
  /** Entered by a use of an undeclared name (already reported), so a later declaration is not a duplicate. */
  readonly implicit?: boolean;
  /** Set by `exit`; later uses are reported once. */
  exited?: Range;
  exitReported?: boolean;
}

interface Scope {
  readonly names: Map<string, NameInfo>;
  /** Every declaration in the scenario (first one per name), to tell "used before its declaration" from "unknown". */
  readonly declaredLater: ReadonlyMap<string, { readonly sort: 'file' | 'mm'; readonly range: Range }>;
  /** The largest value written so far: a write without `= V` writes one more. */
  maxWritten: number;
}

/** What an mm block has mapped so far: page ranges [start, end). */
interface BlockMap {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

function describeExpect(e: Expect): string {
  switch (e.type) {
    case 'value':
      return `-> ${e.value}`;
    case 'ok':
      return '-> ok';
    case 'userfault':
      return `-> userfault ${e.mode}${e.addr !== undefined ? ` at ${e.addr}` : ''}`;
    case 'ioctls':
      return `-> ioctls ${e.ioctls.join(', ')}`;
    case 'sigbus':
    case 'sigsegv':
    case 'hwpoison':
    case 'hang':
      return `-> ${e.type}`;
    case 'guard':
      return e.guard ? '-> guard' : '-> !guard';
    case 'error':
      return `-> ${e.errno}`;
    case 'pagemap':
      return e.uffd_wp ? '-> wp' : '-> !wp';
    case 'written':
      return `-> written ${e.pages.length ? e.pages.join(', ') : 'none'}`;
  }
}

const USER_CALL: readonly Expect['type'][] = ['ok', 'error', 'hang'];
/** Which expectations an operation can have (docs/scenarios.md, "Expectations"). */
function allowedExpects(op: Op['op']): readonly Expect['type'][] {
  switch (op) {
    case 'read':
      return ['value', 'ok', 'userfault', 'sigbus', 'sigsegv', 'hwpoison'];
    case 'write':
      return ['ok', 'userfault', 'sigbus', 'sigsegv', 'hwpoison'];
    case 'pagemap':
      return ['pagemap', 'guard'];
    case 'register':
      return ['ok', 'error', 'ioctls'];
    case 'pagemap_scan':
      return ['written', 'error'];
    case 'pin':
      return ['ok', 'userfault', 'sigbus', 'sigsegv', 'hwpoison', 'error'];
    case 'file':
    case 'mm':
      return [];
    case 'exit':
    case 'reclaim':
    case 'evict':
    case 'migrate':
    case 'numa_scan':
    case 'swapoff':
    case 'swap_error':
    case 'collapse':
      return ['ok'];
    default:
      return USER_CALL;
  }
}

const EXPECT_WORDS: Record<Expect['type'], string> = {
  value: 'a value',
  ok: 'ok',
  userfault: 'userfault wp|missing|minor [at ADDR]',
  ioctls: 'ioctls NAME, ... (after register)',
  sigbus: 'sigbus',
  sigsegv: 'sigsegv',
  error: 'an errno (EINVAL, ...)',
  pagemap: 'wp or !wp',
  hwpoison: 'hwpoison',
  hang: 'hang',
  guard: 'guard or !guard',
  written: 'written PAGE, ... | none (after scan)',
};

class Builder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly bogusStarts: ReadonlySet<number>,
  ) {}

  tryBuild<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof Incomplete) return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- positions and reports
  range(t: IToken, u: IToken = t): Range {
    return tokenRange(t, this.file, u);
  }
  nodeRange(n: CstNode): Range {
    const { first, last } = span(n);
    return this.range(first, last);
  }
  loc(t: IToken): SourceLoc {
    return { file: this.file, line: t.startLine ?? 1, column: t.startColumn ?? 1 };
  }
  report(code: DiagnosticCode, range: Range, message: string, hint?: string, related?: readonly RelatedInfo[]): void {
    this.diagnostics.push(diag(code, range, message, hint, related));
  }

  // ---------------------------------------------------------------- operands
  num(t: IToken): number {
    let v: bigint;
    try {
      v = parseNumber(t.image);
    } catch {
      this.report(SCENARIO_CODES.badOperand, this.range(t), `'${t.image}' is not a number`);
      return 0;
    }
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.report(SCENARIO_CODES.badOperand, this.range(t), `${t.image} is too large (at most 2^53-1)`,
        'addresses and offsets are page indices, values small integers');
      return Number.MAX_SAFE_INTEGER;
    }
    return Number(v);
  }
  /** A page count: at least 1. */
  count(t: IToken): number {
    const v = this.num(t);
    if (v === 0) this.report(SCENARIO_CODES.badOperand, this.range(t), 'a page count must be at least 1');
    return v;
  }
  /** range := Number ('pages' Number)? — pages default to 1. */
  pageRange(n: CstNode): { addr: number; pages: number } {
    const start = this.num(reqToken(n, 'start'));
    const p = token(n, 'pages');
    return { addr: start, pages: p ? this.count(p) : 1 };
  }

  // ---------------------------------------------------------------- names
  declare(scope: Scope, t: IToken, sort: 'file' | 'mm', pages?: number): void {
    const prev = scope.names.get(t.image);
    if (prev && !prev.implicit) {
      this.report(
        SCENARIO_CODES.duplicateName,
        this.range(t),
        `'${t.image}' is already declared as ${prev.sort === 'mm' ? 'an mm' : 'a file'} in this scenario`,
        'mm and file names share one namespace per scenario; choose another name',
        [{ range: prev.decl, message: `'${t.image}' declared here` }],
      );
      return;
    }
    scope.names.set(t.image, { sort, decl: this.range(t), ...(pages !== undefined ? { pages } : {}) });
  }

  use(scope: Scope, t: IToken, sort: 'file' | 'mm'): NameInfo {
    const name = t.image;
    const info = scope.names.get(name);
    const what = sort === 'mm' ? 'mm' : 'file';
    if (!info) {
      const later = scope.declaredLater.get(name);
      if (later && later.range.start.offset > t.startOffset) {
        this.report(
          SCENARIO_CODES.unknownName,
          this.range(t),
          `${later.sort === 'mm' ? 'mm' : 'file'} '${name}' is used before its declaration`,
          `move the declaration (line ${later.range.start.line}) before its first use`,
          [{ range: later.range, message: `'${name}' declared here` }],
        );
        const implicit: NameInfo = { sort: later.sort, decl: this.range(t), implicit: true };
        scope.names.set(name, implicit);
        return implicit;
      }
      const sameSort = [...scope.names].filter(([, i]) => i.sort === sort).map(([n]) => n);
      const near = closest(name, sameSort);
      const declHint =
        sort === 'mm'
          ? `declare it before use: 'mm ${name} { ... }', or create it with 'PARENT fork ${name}'`
          : `declare it before use: 'file ${name} pages N'`;
      this.report(
        SCENARIO_CODES.unknownName,
        this.range(t),
        `unknown ${what} '${name}'`,
        near ? `did you mean '${near}'? Otherwise ${declHint}` : declHint,
      );
      // Declared from here on, so one mistake is reported once.
      const implicit: NameInfo = { sort, decl: this.range(t), implicit: true };
      scope.names.set(name, implicit);
      return implicit;
    }
    if (info.sort !== sort) {
      this.report(
        SCENARIO_CODES.wrongSort,
        this.range(t),
        `'${name}' is ${info.sort === 'mm' ? 'an mm' : 'a file'}, but ${sort === 'mm' ? 'an mm' : 'a file'} is expected here`,
        sort === 'mm' ? 'mm operations are written `MM op ...`; file events `punch FILE ...`, `evict FILE ...`' : undefined,
        [{ range: info.decl, message: `'${name}' declared here` }],
      );
      return info;
    }
    if (sort === 'mm' && info.exited && !info.exitReported) {
      info.exitReported = true;
      this.report(
        SCENARIO_CODES.usedAfterExit,
        this.range(t),
        `mm '${name}' is used after its exit`,
        'an mm is gone after `exit`; move the exit to the end or fork a new mm',
        [{ range: info.exited, message: `'${name}' exits here` }],
      );
    }
    return info;
  }

  // ---------------------------------------------------------------- scenarios and statements
  scenario(n: CstNode, seen: Map<string, Range>): Scenario {
    const nameTok = reqToken(n, 'name');
    const name = unescapeString(nameTok.image);
    const prev = seen.get(name);
    if (prev) {
      this.report(SCENARIO_CODES.duplicateName, this.range(nameTok), `duplicate scenario name ${nameTok.image}`,
        'scenario names identify results; make each one unique in its file', [{ range: prev, message: 'first used here' }]);
    } else seen.set(name, this.range(nameTok));
    const sourceTok = token(n, 'source');
    const scope: Scope = { names: new Map(), declaredLater: this.declarations(n), maxWritten: 0 };
    const steps: Step[] = [];
    for (const s of nodes(n, 'statement')) {
      if (this.bogusStarts.size > 0 && this.tryBuild(() => this.bogusStarts.has(firstToken(s).startOffset)) !== false) continue;
      const built = this.tryBuild(() => this.statement(s, scope));
      if (built) steps.push(...built);
    }
    return {
      name,
      ...(sourceTok ? { source: unescapeString(sourceTok.image) } : {}),
      file: this.file,
      steps,
    };
  }

  /** The names a scenario declares (file, mm, fork child), first declaration each. */
  declarations(n: CstNode): Map<string, { sort: 'file' | 'mm'; range: Range }> {
    const out = new Map<string, { sort: 'file' | 'mm'; range: Range }>();
    const add = (t: IToken | undefined, sort: 'file' | 'mm'): void => {
      if (t && !out.has(t.image)) out.set(t.image, { sort, range: this.range(t) });
    };
    for (const s of nodes(n, 'statement')) {
      for (const f of nodes(s, 'fileDecl')) add(token(f, 'name'), 'file');
      for (const m of nodes(s, 'mmDecl')) add(token(m, 'name'), 'mm');
      for (const c of nodes(s, 'mmCommand')) add(token(c, 'child'), 'mm');
    }
    return out;
  }

  statement(n: CstNode, scope: Scope): Step[] {
    const expectNode = node(n, 'expect');
    const expect = expectNode ? this.expect(expectNode) : undefined;
    const first = firstToken(n);
    const loc = this.loc(first);

    const fileDecl = node(n, 'fileDecl');
    if (fileDecl) {
      const name = reqToken(fileDecl, 'name');
      const pagesTok = token(fileDecl, 'pages');
      const pages = pagesTok ? this.count(pagesTok) : undefined;
      this.declare(scope, name, 'file', pages); // even when incomplete, so its uses are not reported again
      if (pages === undefined) throw new Incomplete();
      const hugetlb = token(fileDecl, 'hugetlb') !== undefined; // a hugetlbfs file (runtime/hugetlb/)
      const huge = token(fileDecl, 'huge') !== undefined; // a shmem file whose folios are PMD-size (runtime/thp/file.ts)
      return [this.step({ op: 'file', name: name.image, pages, ...(hugetlb ? { hugetlb } : {}), ...(huge ? { huge } : {}) }, expect, expectNode, loc)];
    }
    const mmDecl = node(n, 'mmDecl');
    if (mmDecl) return this.mmDecl(mmDecl, scope, expect, expectNode, loc);

    const fileEvent = node(n, 'fileEvent');
    if (fileEvent) {
      const verb = reqToken(fileEvent, 'verb');
      const fileTok = reqToken(fileEvent, 'file');
      const info = this.use(scope, fileTok, 'file');
      if (verb.image === 'punch') {
        const { addr, pages } = this.pageRange(req(fileEvent, 'range'));
        return [this.step({ op: 'punch_hole', file: fileTok.image, index: addr, pages }, expect, expectNode, loc)];
      }
      const indexTok = reqToken(fileEvent, 'index');
      const index = this.num(indexTok);
      if (info.sort === 'file' && info.pages !== undefined && index >= info.pages) {
        this.report(SCENARIO_CODES.badOperand, this.range(indexTok),
          `page ${index} is beyond the end of file '${fileTok.image}' (${info.pages} page${info.pages === 1 ? '' : 's'})`,
          `file page indices run from 0 to ${info.pages - 1}`);
      }
      return [this.step({ op: 'evict', file: fileTok.image, index }, expect, expectNode, loc)];
    }

    const mmEvent = node(n, 'mmEvent');
    if (mmEvent) {
      const verb = reqToken(mmEvent, 'verb');
      const mmTok = reqToken(mmEvent, 'mm');
      this.use(scope, mmTok, 'mm');
      const mm = mmTok.image;
      if (verb.image === 'numa') {
        const { addr, pages } = this.pageRange(req(mmEvent, 'range'));
        return [this.step({ op: 'numa_scan', mm, addr, pages }, expect, expectNode, loc)];
      }
      const addr = this.num(reqToken(mmEvent, 'addr'));
      const op: Op =
        verb.image === 'reclaim' ? { op: 'reclaim', mm, addr } : verb.image === 'swap_error' ? { op: 'swap_error', mm, addr } : verb.image === 'collapse' ? { op: 'collapse', mm, addr } : { op: 'migrate', mm, addr };
      return [this.step(op, expect, expectNode, loc)];
    }

    if (token(n, 'Kw_swapoff')) return [this.step({ op: 'swapoff' }, expect, expectNode, loc)];

    const mmTok = reqToken(n, 'mm');
    const cmd = req(n, 'mmCommand');
    this.use(scope, mmTok, 'mm');
    const op = this.via(cmd, this.mmCommand(cmd, mmTok.image, scope, expect));
    const step = this.step(op, expect, expectNode, loc);
    if (op.op === 'exit') {
      const info = scope.names.get(mmTok.image);
      if (info && !info.exited) info.exited = this.range(mmTok, reqToken(cmd, 'verb'));
    }
    return [step];
  }

  /** A step, with its expectation checked against the operation. */
  step(op: Op, expect: Expect | undefined, expectNode: CstNode | undefined, loc: SourceLoc): Step {
    if (expect && expectNode) {
      const allowed = allowedExpects(op.op);
      if (!allowed.includes(expect.type)) {
        const opWord = op.op === 'file' || op.op === 'mm' ? `a '${op.op}' declaration` : `'${op.op}'`;
        this.report(
          SCENARIO_CODES.expectMismatch,
          this.nodeRange(expectNode),
          `'${describeExpect(expect)}' does not fit ${opWord}`,
          allowed.length === 0
            ? 'a declaration has no outcome; remove the expectation'
            : `${opWord} can expect ${allowed.map((a) => EXPECT_WORDS[a]).join(', ')}` +
                (op.op === 'write' && expect.type === 'value' ? "; the value written is 'write ADDR = V'" : '') +
                (op.op !== 'pagemap' && expect.type === 'pagemap' ? "; check the wp bit with 'MM pagemap ADDR -> wp'" : ''),
        );
      }
    }
    return { op, ...(expect ? { expect } : {}), loc };
  }

  expect(e: CstNode): Expect | undefined {
    const n = node(e, 'outcome');
    if (!n) {
      const arrow = token(e, 'Arrow');
      if (arrow) {
        this.report(SCENARIO_CODES.syntax, this.range(arrow), "'->' needs an outcome",
          "an expectation is '-> N', '-> ok', '-> userfault wp|missing|minor [at ADDR]', '-> ioctls NAME, ...', '-> sigbus', '-> sigsegv', '-> hwpoison', '-> hang', '-> wp', '-> !wp', '-> guard', '-> !guard' or '-> ERRNO'");
      }
      return undefined;
    }
    return this.tryBuild((): Expect => {
      const value = token(n, 'value');
      if (value) return { type: 'value', value: this.num(value) };
      if (token(n, 'ok')) return { type: 'ok' };
      if (token(n, 'userfault')) {
        const mode = reqToken(n, 'mode');
        const at = token(n, 'faultAddr');
        return { type: 'userfault', mode: mode.image as UffdMode, ...(at ? { addr: this.num(at) } : {}) };
      }
      if (token(n, 'ioctls')) return { type: 'ioctls', ioctls: this.ioctls(tokens(n, 'ioctl')) };
      if (token(n, 'written')) {
        if (!token(n, 'noPages') && tokens(n, 'writtenPage').length === 0) throw new Incomplete();
        return { type: 'written', pages: [...new Set(tokens(n, 'writtenPage').map((t) => this.num(t)))].sort((a, b) => a - b) };
      }
      if (token(n, 'sigbus')) return { type: 'sigbus' };
      if (token(n, 'sigsegv')) return { type: 'sigsegv' };
      if (token(n, 'hwpoison')) return { type: 'hwpoison' };
      if (token(n, 'hang')) return { type: 'hang' };
      if (token(n, 'wp')) return { type: 'pagemap', uffd_wp: token(n, 'not') === undefined };
      if (token(n, 'guard')) return { type: 'guard', guard: true };
      if (token(n, 'notGuard')) return { type: 'guard', guard: false };
      if (token(n, 'not')) throw new Incomplete();
      const errno = reqToken(n, 'errno');
      if (!ERRNO_NAMES.has(errno.image)) {
        const near = closest(errno.image, ERRNO_NAMES);
        this.report(
          SCENARIO_CODES.badOperand,
          this.range(errno),
          `'${errno.image}' is not an expectation or a Linux errno name`,
          (near ? `did you mean '${near}'? ` : '') +
            `an expectation is a number, ok, userfault wp|missing|minor, ioctls NAME, ..., sigbus, sigsegv, hwpoison, hang, wp, !wp, guard, !guard or an errno (${COMMON_ERRNOS.join(', ')}, ...)`,
        );
      }
      return { type: 'error', errno: errno.image };
    });
  }

  // ---------------------------------------------------------------- mm declarations and commands
  mmDecl(n: CstNode, scope: Scope, expect: Expect | undefined, expectNode: CstNode | undefined, loc: SourceLoc): Step[] {
    const nameTok = reqToken(n, 'name');
    this.declare(scope, nameTok, 'mm');
    const mm = nameTok.image;
    const steps: Step[] = [this.step({ op: 'mm', name: mm }, expect, expectNode, loc)];
    const maps: BlockMap[] = [];
    for (const item of nodes(n, 'setupItem')) {
      const built = this.tryBuild((): Step => {
        const itemExpectNode = node(item, 'expect');
        const itemExpect = itemExpectNode ? this.expect(itemExpectNode) : undefined;
        const mmCmd = req(item, 'mmCommand');
        const cmd = node(mmCmd, 'setupCommand');
        if (!cmd) {
          const verb = firstToken(mmCmd);
          this.report(SCENARIO_CODES.syntax, this.range(verb), `'${verb.image}' is not allowed in an mm block`,
            `an mm block holds 'map', 'uffd' and 'register'; write it after the block as '${mm} ${verb.image} ...'`);
          throw new Incomplete();
        }
        const op = this.via(mmCmd, this.setupCommand(cmd, mm, scope, itemExpect, maps));
        return this.step(op, itemExpect, itemExpectNode, this.loc(firstToken(mmCmd)));
      });
      if (built) steps.push(built);
    }
    return steps;
  }

  mmCommand(n: CstNode, mm: string, scope: Scope, expect: Expect | undefined): Op {
    const setup = node(n, 'setupCommand');
    if (setup) return this.setupCommand(setup, mm, scope, expect, undefined);
    const ioctl = node(n, 'uffdIoctlCmd');
    if (ioctl) return this.uffdIoctl(ioctl, mm, scope);
    const scanPin = node(n, 'scanPinCmd');
    if (scanPin) return this.scanPin(scanPin, mm);
    const verb = reqToken(n, 'verb');
    switch (verb.image) {
      case 'unregister':
      case 'protect':
      case 'resolve':
      case 'munmap': {
        const { addr, pages } = this.pageRange(req(n, 'range'));
        return { op: verb.image, mm, addr, pages };
      }
      case 'poison': {
        const { addr, pages } = this.pageRange(req(n, 'range'));
        return { op: 'uffd_poison', mm, addr, pages };
      }
      case 'read':
        return { op: 'read', mm, addr: this.num(reqToken(n, 'addr')) };
      case 'write': {
        const addr = this.num(reqToken(n, 'addr'));
        const valueTok = token(n, 'value');
        if (!valueTok && token(n, 'Assign')) throw new Incomplete();
        // Without `= V`: a fresh value, so a write that should have faulted but completed shows in a later read.
        const value = valueTok ? this.num(valueTok) : Math.min(scope.maxWritten + 1, Number.MAX_SAFE_INTEGER);
        scope.maxWritten = Math.max(scope.maxWritten, value);
        return { op: 'write', mm, addr, value };
      }
      case 'pagemap':
        return { op: 'pagemap', mm, addr: this.num(reqToken(n, 'addr')) };
      case 'fork': {
        const child = reqToken(n, 'child');
        this.declare(scope, child, 'mm');
        return { op: 'fork', mm, child: child.image };
      }
      case 'exit':
        return { op: 'exit', mm };
      case 'close': {
        reqToken(n, 'Kw_uffd');
        const ctx = token(n, 'ctx');
        return ctx ? { op: 'uffd_close', mm, uffd: ctx.image } : { op: 'uffd_close', mm };
      }
      case 'mprotect': {
        const { addr, pages } = this.pageRange(req(n, 'range'));
        const prot = reqToken(n, 'prot').image;
        return prot === 'none' ? { op: 'mprotect', mm, addr, pages, writable: false, none: true } : { op: 'mprotect', mm, addr, pages, writable: prot === 'rw' };
      }
      case 'madvise': {
        const advice = reqToken(n, 'advice').image;
        const { addr, pages } = this.pageRange(req(n, 'range'));
        const op = ({ dontneed: 'madv_dontneed', pageout: 'madv_pageout', guard_install: 'madv_guard_install', guard_remove: 'madv_guard_remove', hwpoison: 'madv_hwpoison' } as const)[
          advice as 'dontneed' | 'pageout' | 'guard_install' | 'guard_remove' | 'hwpoison'
        ];
        if (!op) throw new Incomplete();
        return { op, mm, addr, pages };
      }
      case 'mremap': {
        const { addr, pages } = this.pageRange(req(n, 'range'));
        const shrink = token(n, 'shrink');
        if (shrink) return { op: 'mremap', mm, addr, pages, to: addr, shrink: this.num(shrink) };
        const to = this.num(reqToken(n, 'to'));
        return token(n, 'dontunmap') ? { op: 'mremap', mm, addr, pages, to, dontunmap: true } : { op: 'mremap', mm, addr, pages, to };
      }
      default:
        throw new Incomplete();
    }
  }

  /** `... via NAME`: the userfaultfd a userfaultfd step goes through (runtime/uffd/contexts.ts); other steps take none. */
  via(n: CstNode, op: Op): Op {
    const t = token(n, 'via');
    if (!t) return op;
    switch (op.op) {
      case 'register':
      case 'unregister':
      case 'protect':
      case 'resolve':
      case 'uffd_copy':
      case 'uffd_zeropage':
      case 'uffd_continue':
      case 'uffd_wake':
      case 'uffd_move':
      case 'uffd_poison':
        return { ...op, uffd: t.image };
      default:
        this.report(SCENARIO_CODES.badOperand, this.range(t), `'via ${t.image}' names a userfaultfd, and this step uses none`,
          "'via' follows register, unregister, protect, resolve, copy, zeropage, continue, wake, move and poison; " +
          "'uffd NAME' opens a named one and 'close uffd NAME' closes it");
        return op;
    }
  }

  /** map / uffd / register; `maps` is the enclosing mm block's mappings so far (undefined outside a block). */
  setupCommand(n: CstNode, mm: string, scope: Scope, expect: Expect | undefined, maps: BlockMap[] | undefined): Op {
    const map = node(n, 'mapCmd');
    if (map) {
      const vma = this.vma(map, scope);
      if (maps) {
        const r = this.nodeRange(map);
        const end = vma.start + vma.pages;
        const clash = maps.find((m) => vma.start < m.end && m.start < end);
        if (clash) {
          this.report(SCENARIO_CODES.outsideMapping, r,
            `mapping [${vma.start}, ${end}) overlaps an earlier mapping [${clash.start}, ${clash.end}) of mm '${mm}'`,
            'give each mapping of an mm block its own page range (MAP_FIXED replacement is a top-level `MM map`)',
            [{ range: clash.range, message: 'the earlier mapping' }]);
        } else maps.push({ start: vma.start, end, range: r });
      }
      return { op: 'mmap', mm, vma };
    }
    const uffd = node(n, 'uffdCmd');
    if (uffd) {
      const name = token(uffd, 'name'); // a second context of the mm (runtime/uffd/contexts.ts)
      return name ? { op: 'uffd_open', mm, features: this.features(uffd), uffd: name.image } : { op: 'uffd_open', mm, features: this.features(uffd) };
    }
    reqToken(n, 'verb'); // register
    const rangeNode = req(n, 'range');
    const { addr, pages } = this.pageRange(rangeNode);
    if (maps && expect?.type !== 'error') {
      const uncovered = firstUncovered(maps, addr, addr + pages);
      if (uncovered !== undefined) {
        this.report(SCENARIO_CODES.outsideMapping, this.nodeRange(rangeNode),
          `register [${addr}, ${addr + pages}) reaches page ${uncovered}, which no mapping of mm '${mm}' covers`,
          maps.length === 0
            ? "map the range first ('map ... at ADDR pages N' before 'register')"
            : `the block maps ${maps.map((m) => `[${m.start}, ${m.end})`).join(', ')}; to expect a failure write '-> EINVAL'`);
      }
    }
    const modes = nodes(n, 'uffdMode').map((m) => reqToken(m, 'mode').image as UffdMode);
    if (modes.length === 0) return { op: 'register', mm, addr, pages };
    return { op: 'register', mm, addr, pages, modes: [...new Set(modes)] };
  }

  /** copy / zeropage / continue / wake / move with their `mode` list (wp, dontwake). */
  uffdIoctl(n: CstNode, mm: string, scope: Scope): Op {
    const verb = reqToken(n, 'ioctl').image;
    const { addr, pages } = this.pageRange(req(n, 'range'));
    let wp = false;
    let dontwake = false;
    let allowSrcHoles = false;
    for (const m of nodes(n, 'uffdMode')) {
      const t = reqToken(m, 'mode');
      if (t.image === 'wp' && verb !== 'wake' && verb !== 'move') wp = true;
      else if (t.image === 'dontwake' && verb !== 'wake') dontwake = true;
      else if (t.image === 'allow_src_holes' && verb === 'move') allowSrcHoles = true;
      else {
        this.report(SCENARIO_CODES.badOperand, this.range(t), `'${t.image}' is not a mode of ${verb}`,
          verb === 'wake' ? 'UFFDIO_WAKE takes no mode' : `the modes of ${verb} are ${verb === 'move' ? 'allow_src_holes, dontwake' : 'wp, dontwake'}`);
      }
    }
    switch (verb) {
      case 'copy': {
        const valueTok = token(n, 'value');
        if (!valueTok && token(n, 'Assign')) throw new Incomplete();
        // Without `= V`: a fresh value, as for write (the source page's data)
        const value = valueTok ? this.num(valueTok) : Math.min(scope.maxWritten + 1, Number.MAX_SAFE_INTEGER);
        scope.maxWritten = Math.max(scope.maxWritten, value);
        return { op: 'uffd_copy', mm, addr, pages, value, wp, dontwake };
      }
      case 'zeropage':
        return { op: 'uffd_zeropage', mm, addr, pages, wp, dontwake };
      case 'continue':
        return { op: 'uffd_continue', mm, addr, pages, wp, dontwake };
      case 'wake':
        return { op: 'uffd_wake', mm, addr, pages };
      case 'move':
        // `A move RANGE to ADDR`: UFFDIO_MOVE of RANGE (the source) to ADDR (the destination), as mremap reads
        return { op: 'uffd_move', mm, addr: this.num(reqToken(n, 'to')), pages, src: addr, allowSrcHoles, dontwake };
      default:
        throw new Incomplete();
    }
  }

  /** scan RANGE [mode wp, check] (PAGEMAP_SCAN), pin ADDR, unpin ADDR (issue #14 items 3 and 5). */
  scanPin(n: CstNode, mm: string): Op {
    const verb = reqToken(n, 'verb').image;
    if (verb === 'pin' || verb === 'unpin') return { op: verb, mm, addr: this.num(reqToken(n, 'addr')) };
    const { addr, pages } = this.pageRange(req(n, 'range'));
    let wp = false;
    let check = false;
    for (const m of nodes(n, 'uffdMode')) {
      const t = reqToken(m, 'mode');
      if (t.image === 'wp') wp = true;
      else if (t.image === 'check') check = true;
      else {
        this.report(SCENARIO_CODES.badOperand, this.range(t), `'${t.image}' is not a mode of scan`,
          'the modes of scan are wp (PM_SCAN_WP_MATCHING) and check (PM_SCAN_CHECK_WPASYNC)');
      }
    }
    return { op: 'pagemap_scan', mm, addr, pages, wp, check };
  }

  /** The range ioctls of `-> ioctls ...`, by their short names (UFFDIO_COPY is `copy`). */
  ioctls(ts: IToken[]): UffdRangeIoctl[] {
    const out: UffdRangeIoctl[] = [];
    for (const t of ts) {
      const norm = t.image.toLowerCase().replace(/^uffdio_/, '');
      const f = UFFD_RANGE_IOCTL_NAMES.find((x) => x === t.image);
      if (!f) {
        const near = UFFD_RANGE_IOCTL_NAMES.find((x) => x === norm) ?? closest(norm, UFFD_RANGE_IOCTL_NAMES);
        this.report(SCENARIO_CODES.badOperand, this.range(t), `unknown range ioctl '${t.image}'`,
          (near ? `did you mean '${near}'? ` : '') + `the range ioctls are ${UFFD_RANGE_IOCTL_NAMES.join(', ')}`);
        continue;
      }
      if (!out.includes(f)) out.push(f);
    }
    return out;
  }

  features(n: CstNode): UffdFeature[] {
    const out: UffdFeature[] = [];
    for (const t of tokens(n, 'features')) {
      const f = UFFD_FEATURES.find((x) => x === t.image);
      if (!f) {
        const norm = t.image.toLowerCase().replace(/^uffd_feature_/, '');
        const near = UFFD_FEATURES.find((x) => x === norm) ?? closest(norm, UFFD_FEATURES);
        this.report(SCENARIO_CODES.badOperand, this.range(t), `unknown uffd feature '${t.image}'`,
          (near ? `did you mean '${near}'? ` : '') + `the features are ${UFFD_FEATURES.join(', ')}`);
        continue;
      }
      if (!out.includes(f)) out.push(f);
    }
    return out;
  }

  vma(n: CstNode, scope: Scope): VmaSpec {
    const mapTok = reqToken(n, 'Kw_map');
    const whole = (): Range => this.nodeRange(n);
    const clause = (key: string): IToken | undefined => {
      const ts = tokens(n, key);
      if (ts.length > 1) {
        this.report(SCENARIO_CODES.badOperand, this.range(ts[1]!), `'${key}' is given twice in one mapping`);
      }
      return ts[0];
    };
    const atTok = clause('at');
    const pagesTok = clause('pages');
    const pgoffTok = clause('pgoff');
    const sharing = token(n, 'sharing');
    if (!atTok) {
      this.report(SCENARIO_CODES.syntax, whole(), "a mapping needs its address: 'at ADDR'",
        "a mapping is 'map FILE shared|private at ADDR [pages N] [pgoff K]' or 'map anon at ADDR [pages N] [hugepage]'");
    }
    const start = atTok ? this.num(atTok) : 0;
    if (token(n, 'Kw_anon')) {
      if (sharing?.image === 'shared') {
        this.report(SCENARIO_CODES.badOperand, this.range(sharing), 'anonymous mappings are private here',
          'MAP_SHARED|MAP_ANONYMOUS memory is shmem: declare a file and map it shared');
      }
      if (pgoffTok) this.report(SCENARIO_CODES.badOperand, this.range(pgoffTok), "'pgoff' applies to file mappings only");
      // MADV_HUGEPAGE right after the mmap (VM_HUGEPAGE): THP faults in "madvise" mode (runtime/thp/fault.ts)
      const hugepage = clause('hugepage') !== undefined;
      return { type: 'anon', start, pages: pagesTok ? this.count(pagesTok) : 1, ...(hugepage ? { hugepage } : {}) };
    }
    const fileTok = reqToken(n, 'file');
    const info = this.use(scope, fileTok, 'file');
    if (!sharing) {
      this.report(SCENARIO_CODES.syntax, this.range(mapTok, fileTok),
        `say how '${fileTok.image}' is mapped: 'shared' (MAP_SHARED) or 'private' (MAP_PRIVATE)`,
        `e.g. 'map ${fileTok.image} shared at 0'`);
    }
    const hugeTok = clause('hugepage');
    if (hugeTok) this.report(SCENARIO_CODES.badOperand, this.range(hugeTok), "'hugepage' applies to anonymous mappings only (shmem THPs are not modelled here)");
    const pgoff = pgoffTok ? this.num(pgoffTok) : 0;
    let pages: number;
    if (pagesTok) pages = this.count(pagesTok);
    else if (info.sort === 'file' && info.pages !== undefined) {
      // Default: the rest of the file from pgoff.
      pages = info.pages - pgoff;
      if (pages <= 0) {
        this.report(SCENARIO_CODES.badOperand, pgoffTok ? this.range(pgoffTok) : whole(),
          `pgoff ${pgoff} is at or beyond the end of file '${fileTok.image}' (${info.pages} pages)`,
          "give the mapping's size explicitly with 'pages N' (pages beyond the end of the file raise SIGBUS)");
        pages = 1;
      }
    } else pages = 1;
    return { type: 'file', file: fileTok.image, shared: sharing?.image === 'shared', start, pages, pgoff };
  }
}

function firstUncovered(maps: readonly BlockMap[], start: number, end: number): number | undefined {
  let p = start;
  while (p < end) {
    const m = maps.find((x) => x.start <= p && p < x.end);
    if (!m) return p;
    p = m.end;
  }
  return undefined;
}
