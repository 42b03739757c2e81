// Tokens of the scenario language (`*.scn`, docs/scenarios.md). Unlike the .pte language, scenario keywords are
// reserved: mm and file names are short (`A`, `B`, `F`) and a statement is recognised by its first one or two
// tokens, so `A write 0` and `write ...` must never be confused. A name that is a keyword gets a hint (parse.ts).
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from '../../core/chevrotain.js';
import { Arrow, Assign, Bang, BlockComment, Comma, keywordFactory, LBrace, LineComment, NumberLiteral, RBrace, Semicolon, StringLiteral, WhiteSpace } from '../../core/chevrotain-tokens.js';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

const { keyword, tokens: keywordTokens } = keywordFactory(Identifier, false);

// structure
export const Scenario = keyword('scenario');
export const From = keyword('from');
export const File = keyword('file');
export const Mm = keyword('mm');
// operands
export const Pages = keyword('pages');
export const At = keyword('at');
export const Pgoff = keyword('pgoff');
export const Anon = keyword('anon');
export const Shared = keyword('shared');
export const Private = keyword('private');
export const Features = keyword('features');
export const To = keyword('to');
export const Ro = keyword('ro');
export const Rw = keyword('rw');
export const Dontneed = keyword('dontneed');
export const Pageout = keyword('pageout');
export const GuardInstall = keyword('guard_install');
export const GuardRemove = keyword('guard_remove');
export const Hwpoison = keyword('hwpoison'); // MADV_HWPOISON advice, and the outcome
export const Hugetlb = keyword('hugetlb'); // `file H pages 1 hugetlb`: a hugetlbfs file (issue #15)
export const Hugepage = keyword('hugepage'); // `map anon at 0 pages 2 hugepage`: MADV_HUGEPAGE on the new VMA (issue #15)
export const Huge = keyword('huge'); // `file F pages 2 huge`: a shmem file with huge=always, its folios PMD-size (issue #15)
export const Hang = keyword('hang'); // the outcome of a call that never returns (restart_syscall() for ever)
// user operations (after an mm name)
export const Map = keyword('map');
export const Uffd = keyword('uffd');
export const Register = keyword('register');
export const Unregister = keyword('unregister');
export const Protect = keyword('protect');
export const Resolve = keyword('resolve');
export const Read = keyword('read');
export const Write = keyword('write');
export const Fork = keyword('fork');
export const Exit = keyword('exit');
export const Close = keyword('close');
export const Mprotect = keyword('mprotect');
export const Madvise = keyword('madvise');
export const Mremap = keyword('mremap');
export const Munmap = keyword('munmap');
export const Pagemap = keyword('pagemap');
export const Poison = keyword('poison');
// file operation and kernel events (statement-initial)
export const Punch = keyword('punch');
export const Evict = keyword('evict');
export const Reclaim = keyword('reclaim');
export const Migrate = keyword('migrate');
export const Numa = keyword('numa');
export const Swapoff = keyword('swapoff');
export const SwapError = keyword('swap_error');
export const Collapse = keyword('collapse'); // khugepaged / MADV_COLLAPSE (THP, issue #15)
// outcomes
export const Ok = keyword('ok');
export const Userfault = keyword('userfault');
export const Wp = keyword('wp');
export const Missing = keyword('missing');
export const Sigbus = keyword('sigbus');
export const Sigsegv = keyword('sigsegv');
// userfaultfd modes and the register reply (issue #14)
export const Mode = keyword('mode');
export const Minor = keyword('minor');
export const Ioctls = keyword('ioctls');
export const Copy = keyword('copy');
export const Zeropage = keyword('zeropage');
export const Continue = keyword('continue');
export const Wake = keyword('wake');
export const Move = keyword('move');
export const Guard = keyword('guard');
/** `!guard` (pagemap: PM_GUARD_REGION clear) is one token, so that `!` alone keeps its recovery as `! wp`. */
export const NotGuard = createToken({ name: 'NotGuard', pattern: /!guard(?![A-Za-z0-9_])/, label: "'!guard'" });
// mprotect PROT_NONE, mremap MREMAP_DONTUNMAP and shrink in place (issue #13)
export const None = keyword('none');
export const Dontunmap = keyword('dontunmap');
export const Shrink = keyword('shrink');
// several userfaultfds per mm (issue #14 item 4): `uffd NAME`, `... via NAME`, `close uffd NAME`
export const Via = keyword('via');
// PAGEMAP_SCAN with its PAGE_IS_WRITTEN report, long-term GUP pins (issue #14 items 3 and 5)
export const Scan = keyword('scan');
export const Written = keyword('written');
export const Pin = keyword('pin');
export const Unpin = keyword('unpin');

export { Arrow, Assign, Bang, BlockComment, Comma, LBrace, LineComment, NumberLiteral, RBrace, Semicolon, StringLiteral, WhiteSpace } from '../../core/chevrotain-tokens.js';

// Order matters: comments before anything starting with '/', keywords before Identifier.
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  NumberLiteral,
  Arrow,
  LBrace,
  RBrace,
  Comma,
  Semicolon,
  Assign,
  NotGuard,
  Bang,
  ...keywordTokens,
  Identifier,
];

export const keywords: readonly TokenType[] = keywordTokens;
export const keywordNames: ReadonlySet<string> = new Set(keywordTokens.map((t) => t.name.slice('Kw_'.length)));

export const scenarioLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
