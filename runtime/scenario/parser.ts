// The grammar of scenario files (`*.scn`) as a Chevrotain CstParser; docs/scenarios.md has the same rules as EBNF.
// build.ts turns the CST into Scenario data. Error recovery is on, so one run reports several syntax errors.
import type { CstNode, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from '../../core/chevrotain.js';
import * as T from './lexer.js';

/** What may follow a context's name after `uffd` on its line (parser.ctxNameFollows). */
const CTX_NAME_FOLLOWERS: ReadonlySet<TokenType> = new Set([T.Semicolon, T.RBrace, T.Arrow, T.Features]);

export class ScenarioParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  /**
   * Single-token deletion (skip one stray token when the next one is what the rule expects) only within a line:
   * statements are usually one per line, and deleting across a line end glues two statements into a wrong one
   * (`A fork read` + newline + `A exit` would become `A fork A`).
   */
  protected override canTokenTypeBeDeletedInRecovery(_expected: TokenType): boolean {
    const stray = this.LA(1);
    const next = this.LA(2);
    return stray.startLine !== undefined && stray.startLine === next.startLine;
  }

  // scenarioFile := scenarioDecl*
  public scenarioFile = this.RULE('scenarioFile', () => {
    this.MANY(() => this.SUBRULE(this.scenarioDecl));
  });

  // scenarioDecl := 'scenario' String ('from' String)? '{' statement* '}'
  private scenarioDecl = this.RULE('scenarioDecl', () => {
    this.CONSUME(T.Scenario);
    this.CONSUME(T.StringLiteral, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME2(T.StringLiteral, { LABEL: 'source' });
    });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  // statement := (fileDecl | mmDecl | fileEvent | kernelEvent | swapoff | Name mmCommand) expect? ';'?
  private statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.fileDecl) },
      { ALT: () => this.SUBRULE(this.mmDecl) },
      { ALT: () => this.SUBRULE(this.fileEvent) },
      { ALT: () => this.SUBRULE(this.mmEvent) },
      { ALT: () => this.CONSUME(T.Swapoff) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'mm' });
          this.SUBRULE(this.mmCommand);
        },
      },
    ]);
    this.OPTION(() => this.SUBRULE(this.expect));
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  // fileDecl := 'file' Name 'pages' Number ('hugetlb' | 'huge')?
  private fileDecl = this.RULE('fileDecl', () => {
    this.CONSUME(T.File);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Pages);
    this.CONSUME(T.NumberLiteral, { LABEL: 'pages' });
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Hugetlb, { LABEL: 'hugetlb' }) },
        { ALT: () => this.CONSUME(T.Huge, { LABEL: 'huge' }) },
      ]),
    );
  });

  // mmDecl := 'mm' Name ('{' (mmCommand expect? ';'?)* '}')?   -- only setup commands pass build.ts
  private mmDecl = this.RULE('mmDecl', () => {
    this.CONSUME(T.Mm);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LBrace);
      this.MANY(() => this.SUBRULE(this.setupItem));
      this.CONSUME(T.RBrace);
    });
  });

  // Any mm command parses here; build.ts accepts only map/uffd/register. A stray `write` in a block is then one
  // clear error, instead of a recovery that takes the block's `}` for the scenario's.
  private setupItem = this.RULE('setupItem', () => {
    this.SUBRULE(this.mmCommand);
    this.OPTION(() => this.SUBRULE(this.expect));
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  // fileEvent := ('punch' Name range) | ('evict' Name Number)
  private fileEvent = this.RULE('fileEvent', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Punch, { LABEL: 'verb' });
          this.CONSUME(T.Identifier, { LABEL: 'file' });
          this.SUBRULE(this.range);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Evict, { LABEL: 'verb' });
          this.CONSUME2(T.Identifier, { LABEL: 'file' });
          this.CONSUME(T.NumberLiteral, { LABEL: 'index' });
        },
      },
    ]);
  });

  // mmEvent := ('reclaim' | 'migrate' | 'swap_error' | 'collapse') Name Number | 'numa' Name range
  private mmEvent = this.RULE('mmEvent', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Reclaim, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Migrate, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.SwapError, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Collapse, { LABEL: 'verb' }) },
          ]);
          this.CONSUME(T.Identifier, { LABEL: 'mm' });
          this.CONSUME(T.NumberLiteral, { LABEL: 'addr' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Numa, { LABEL: 'verb' });
          this.CONSUME2(T.Identifier, { LABEL: 'mm' });
          this.SUBRULE(this.range);
        },
      },
    ]);
  });

  // setupCommand := mapCmd | uffdCmd | 'register' range   (allowed in an mm block and after an mm name)
  private setupCommand = this.RULE('setupCommand', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.mapCmd) },
      { ALT: () => this.SUBRULE(this.uffdCmd) },
      {
        ALT: () => {
          this.CONSUME(T.Register, { LABEL: 'verb' });
          this.SUBRULE(this.range);
          // ('mode' uffdMode (',' uffdMode)*)?: UFFDIO_REGISTER_MODE_* (issue #14); without it MODE_WP
          this.OPTION(() => {
            this.CONSUME(T.Mode);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.uffdMode) });
          });
        },
      },
    ]);
  });

  // uffdMode := 'missing' | 'wp' | 'minor'
  private uffdMode = this.RULE('uffdMode', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Missing, { LABEL: 'mode' }) },
      { ALT: () => this.CONSUME(T.Wp, { LABEL: 'mode' }) },
      { ALT: () => this.CONSUME(T.Minor, { LABEL: 'mode' }) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'mode' }) }, // the ioctls' modes: dontwake (build.ts checks)
    ]);
  });

  // mapCmd := 'map' ('anon' | Name) ('shared' | 'private')? ('at' Number | 'pages' Number | 'pgoff' Number | 'hugepage')*
  private mapCmd = this.RULE('mapCmd', () => {
    this.CONSUME(T.Map);
    this.OR([
      { ALT: () => this.CONSUME(T.Anon) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'file' }) },
    ]);
    this.OPTION(() =>
      this.OR2([
        { ALT: () => this.CONSUME(T.Shared, { LABEL: 'sharing' }) },
        { ALT: () => this.CONSUME(T.Private, { LABEL: 'sharing' }) },
      ]),
    );
    this.MANY(() =>
      this.OR3([
        {
          ALT: () => {
            this.CONSUME(T.At);
            this.CONSUME(T.NumberLiteral, { LABEL: 'at' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Pages);
            this.CONSUME2(T.NumberLiteral, { LABEL: 'pages' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Pgoff);
            this.CONSUME3(T.NumberLiteral, { LABEL: 'pgoff' });
          },
        },
        { ALT: () => this.CONSUME(T.Hugepage, { LABEL: 'hugepage' }) },
      ]),
    );
  });

  /**
   * After `uffd`, is the next name a context's name (`uffd U2`, `close uffd U2`) rather than the mm of the next
   * statement (`B uffd B register 0`, one line)? It is when it stands on the line of `uffd` and what follows it ends
   * the statement (`;`, `}`, `->`, `features`, the end, or a new line).
   */
  private ctxNameFollows(kw: IToken): boolean {
    const name = this.LA(1);
    const next = this.LA(2);
    if (name.tokenType !== T.Identifier || name.startLine !== kw.startLine) return false;
    return next.tokenType === EOF || next.startLine !== name.startLine || CTX_NAME_FOLLOWERS.has(next.tokenType);
  }

  // uffdCmd := 'uffd' Name? ('features' Name (',' Name)*)?
  private uffdCmd = this.RULE('uffdCmd', () => {
    const kw = this.CONSUME(T.Uffd);
    // a second (third...) context of the mm is named: `uffd U2 features ...` (see ctxNameFollows)
    this.OPTION2({ GATE: () => this.ctxNameFollows(kw), DEF: () => this.CONSUME2(T.Identifier, { LABEL: 'name' }) });
    this.OPTION(() => {
      this.CONSUME(T.Features);
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () =>
          this.OR([
            { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'features' }) },
            { ALT: () => this.CONSUME(T.Sigbus, { LABEL: 'features' }) }, // UFFD_FEATURE_SIGBUS: 'sigbus' is a keyword
            { ALT: () => this.CONSUME(T.Move, { LABEL: 'features' }) }, // UFFD_FEATURE_MOVE
          ]),
      });
    });
  });

  // mmCommand := setupCommand | ('unregister'|'protect'|'resolve'|'munmap'|'poison') range | 'read' Number
  //            | 'write' Number ('=' Number)? | 'pagemap' Number | 'fork' Name | 'exit' | 'close' 'uffd'
  //            | 'mprotect' range ('ro'|'rw'|'none') | 'madvise' ('dontneed'|'pageout'|'guard_install'|'guard_remove'|'hwpoison') range
  //            | 'mremap' range ('to' Number 'dontunmap'? | 'shrink' Number)
  //            ... followed by ('via' Name)? (several userfaultfds per mm)
  private mmCommand = this.RULE('mmCommand', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.setupCommand) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Unregister, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Protect, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Resolve, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Munmap, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Poison, { LABEL: 'verb' }) },
          ]);
          this.SUBRULE(this.range);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Read, { LABEL: 'verb' });
          this.CONSUME(T.NumberLiteral, { LABEL: 'addr' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Write, { LABEL: 'verb' });
          this.CONSUME2(T.NumberLiteral, { LABEL: 'addr' });
          this.OPTION(() => {
            this.CONSUME(T.Assign);
            this.CONSUME3(T.NumberLiteral, { LABEL: 'value' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Pagemap, { LABEL: 'verb' });
          this.CONSUME4(T.NumberLiteral, { LABEL: 'addr' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Fork, { LABEL: 'verb' });
          this.CONSUME(T.Identifier, { LABEL: 'child' });
        },
      },
      { ALT: () => this.CONSUME(T.Exit, { LABEL: 'verb' }) },
      {
        ALT: () => {
          this.CONSUME(T.Close, { LABEL: 'verb' });
          const kw = this.CONSUME(T.Uffd);
          this.OPTION3({ GATE: () => this.ctxNameFollows(kw), DEF: () => this.CONSUME3(T.Identifier, { LABEL: 'ctx' }) });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Mprotect, { LABEL: 'verb' });
          this.SUBRULE2(this.range);
          this.OR3([
            { ALT: () => this.CONSUME(T.Ro, { LABEL: 'prot' }) },
            { ALT: () => this.CONSUME(T.Rw, { LABEL: 'prot' }) },
            { ALT: () => this.CONSUME(T.None, { LABEL: 'prot' }) },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Madvise, { LABEL: 'verb' });
          this.OR4([
            { ALT: () => this.CONSUME(T.Dontneed, { LABEL: 'advice' }) },
            { ALT: () => this.CONSUME(T.Pageout, { LABEL: 'advice' }) },
            { ALT: () => this.CONSUME(T.GuardInstall, { LABEL: 'advice' }) },
            { ALT: () => this.CONSUME(T.GuardRemove, { LABEL: 'advice' }) },
            { ALT: () => this.CONSUME(T.Hwpoison, { LABEL: 'advice' }) },
          ]);
          this.SUBRULE3(this.range);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Mremap, { LABEL: 'verb' });
          this.SUBRULE4(this.range);
          this.OR5([
            {
              ALT: () => {
                this.CONSUME(T.To);
                this.CONSUME5(T.NumberLiteral, { LABEL: 'to' });
                this.OPTION2(() => this.CONSUME(T.Dontunmap, { LABEL: 'dontunmap' }));
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Shrink);
                this.CONSUME6(T.NumberLiteral, { LABEL: 'shrink' });
              },
            },
          ]);
        },
      },
      { ALT: () => this.SUBRULE(this.uffdIoctlCmd) },
      { ALT: () => this.SUBRULE(this.scanPinCmd) },
    ]);
    // `via NAME`: the userfaultfd the step goes through (build.ts says which steps take one)
    this.OPTION4(() => {
      this.CONSUME(T.Via);
      this.CONSUME4(T.Identifier, { LABEL: 'via' });
    });
  });

  // scanPinCmd := 'scan' range ('mode' uffdMode (',' uffdMode)*)? | ('pin' | 'unpin') Number      (issue #14)
  private scanPinCmd = this.RULE('scanPinCmd', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Scan, { LABEL: 'verb' });
          this.SUBRULE(this.range);
          // PM_SCAN_WP_MATCHING (`wp`), PM_SCAN_CHECK_WPASYNC (`check`)
          this.OPTION(() => {
            this.CONSUME(T.Mode);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.uffdMode) });
          });
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Pin, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(T.Unpin, { LABEL: 'verb' }) },
          ]);
          this.CONSUME(T.NumberLiteral, { LABEL: 'addr' });
        },
      },
    ]);
  });

  // uffdIoctlCmd := ('copy' range ('=' Number)? | ('zeropage' | 'continue') range) ('mode' uffdMode (',' uffdMode)*)?
  //               | 'wake' range | 'move' range 'to' Number ('mode' uffdMode (',' uffdMode)*)?     (issue #14)
  private uffdIoctlCmd = this.RULE('uffdIoctlCmd', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Copy, { LABEL: 'ioctl' });
          this.SUBRULE(this.range);
          this.OPTION(() => {
            this.CONSUME(T.Assign);
            this.CONSUME(T.NumberLiteral, { LABEL: 'value' });
          });
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Zeropage, { LABEL: 'ioctl' }) },
            { ALT: () => this.CONSUME(T.Continue, { LABEL: 'ioctl' }) },
            { ALT: () => this.CONSUME(T.Wake, { LABEL: 'ioctl' }) },
          ]);
          this.SUBRULE2(this.range);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Move, { LABEL: 'ioctl' });
          this.SUBRULE3(this.range);
          this.CONSUME(T.To);
          this.CONSUME2(T.NumberLiteral, { LABEL: 'to' });
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(T.Mode);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.uffdMode) });
    });
  });

  // range := Number ('pages' Number)?
  private range = this.RULE('range', () => {
    this.CONSUME(T.NumberLiteral, { LABEL: 'start' });
    this.OPTION(() => {
      this.CONSUME(T.Pages);
      this.CONSUME2(T.NumberLiteral, { LABEL: 'pages' });
    });
  });

  // expect := '->' (Number | 'ok' | 'userfault' ('wp' | 'missing') | 'sigbus' | 'sigsegv' | 'hwpoison' | 'hang' | 'wp' | '!' 'wp'
  //            | 'guard' | '!guard' | Errno)   -- '!guard' is one token (lexer.ts)
  // The outcome is optional here and required by build.ts: `A read 0 -> }` then reads as a missing outcome, instead
  // of the recovery taking the `}` as the outcome's follower and reporting the scenario's own `}` as stray.
  // The outcome stands on the arrow's line, so `A read 0 ->` at the end of a line does not swallow the next
  // statement's mm name as an errno.
  private expect = this.RULE('expect', () => {
    const arrow = this.CONSUME(T.Arrow);
    this.OPTION({
      GATE: () => this.LA(1).startLine === arrow.startLine,
      DEF: () => this.SUBRULE(this.outcome),
    });
  });

  private outcome = this.RULE('outcome', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'value' }) },
      { ALT: () => this.CONSUME(T.Ok, { LABEL: 'ok' }) },
      {
        ALT: () => {
          this.CONSUME(T.Userfault, { LABEL: 'userfault' });
          this.OR2([
            { ALT: () => this.CONSUME(T.Wp, { LABEL: 'mode' }) },
            { ALT: () => this.CONSUME(T.Missing, { LABEL: 'mode' }) },
            { ALT: () => this.CONSUME(T.Minor, { LABEL: 'mode' }) },
          ]);
          // the fault message's address (uffd_msg.arg.pagefault.address), as a page of the mm
          this.OPTION(() => {
            this.CONSUME(T.At);
            this.CONSUME2(T.NumberLiteral, { LABEL: 'faultAddr' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Ioctls, { LABEL: 'ioctls' });
          // the range ioctls by name; copy, zeropage, continue, wake and move are keywords (the ioctl steps)
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () =>
              this.OR3([
                { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'ioctl' }) },
                { ALT: () => this.CONSUME(T.Copy, { LABEL: 'ioctl' }) },
                { ALT: () => this.CONSUME(T.Zeropage, { LABEL: 'ioctl' }) },
                { ALT: () => this.CONSUME(T.Continue, { LABEL: 'ioctl' }) },
                { ALT: () => this.CONSUME(T.Wake, { LABEL: 'ioctl' }) },
                { ALT: () => this.CONSUME(T.Move, { LABEL: 'ioctl' }) },
              ]),
          });
        },
      },
      { ALT: () => this.CONSUME(T.Sigbus, { LABEL: 'sigbus' }) },
      { ALT: () => this.CONSUME(T.Sigsegv, { LABEL: 'sigsegv' }) },
      { ALT: () => this.CONSUME(T.Hwpoison, { LABEL: 'hwpoison' }) },
      { ALT: () => this.CONSUME(T.Hang, { LABEL: 'hang' }) },
      { ALT: () => this.CONSUME2(T.Wp, { LABEL: 'wp' }) },
      { ALT: () => this.CONSUME(T.Guard, { LABEL: 'guard' }) },
      { ALT: () => this.CONSUME(T.NotGuard, { LABEL: 'notGuard' }) },
      {
        ALT: () => {
          this.CONSUME(T.Bang, { LABEL: 'not' });
          this.CONSUME3(T.Wp, { LABEL: 'wp' });
        },
      },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'errno' }) },
      {
        // PAGEMAP_SCAN's report: the pages with PAGE_IS_WRITTEN, or none
        ALT: () => {
          this.CONSUME(T.Written, { LABEL: 'written' });
          this.OR4([
            { ALT: () => this.CONSUME(T.None, { LABEL: 'noPages' }) },
            { ALT: () => this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.CONSUME3(T.NumberLiteral, { LABEL: 'writtenPage' }) }) },
          ]);
        },
      },
    ]);
  });
}

/** One parser instance, reused (`parser.input = tokens`), as Chevrotain recommends. */
let instance: ScenarioParser | undefined;
export function scenarioParser(): ScenarioParser {
  instance ??= new ScenarioParser();
  return instance;
}

export type { CstNode };
