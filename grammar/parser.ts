// The grammar of .pte specs as a Chevrotain CstParser. Rules read like the EBNF in docs/language.md; the CST is
// turned into the typed AST by cst-to-ast.ts. Error recovery is on, so one run reports several syntax errors.
import type { CstNode } from 'chevrotain';
import { CstParser } from '../core/chevrotain.js';
import * as T from './lexer.js';

/** Tokens a decision may look ahead (the formatter's output check relies on it: apps/fmt/same-items.ts). */
export const MAX_LOOKAHEAD = 3;

// Options of the rules that run for every operand and field, shared rather than built on every call.
const OPS = { LABEL: 'ops' };
const OPERANDS = { LABEL: 'operands' };
const OP = { LABEL: 'op' };
const OPERAND = { LABEL: 'operand' };
const MEMBERS = { LABEL: 'members' };
const NAME = { LABEL: 'name' };
const VALUE = { LABEL: 'value' };
const INNER = { LABEL: 'inner' };
const LO = { LABEL: 'lo' };

export class SpecParser extends CstParser {
  /**
   * `validate`: check the grammar for ambiguities and other definition errors while analysing it (a test does; every
   * start of the CLI would pay about 25 ms for it). The parser is the same either way.
   */
  constructor(validate = false) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: MAX_LOOKAHEAD, nodeLocationTracking: 'full', skipValidations: !validate });
    this.performSelfAnalysis();
  }

  // specFile := header? item*
  public specFile = this.RULE('specFile', () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.MANY(() => this.SUBRULE(this.item));
  });

  // header := 'spec' Ident ('extends' String)? String?
  private header = this.RULE('header', () => {
    this.CONSUME(T.Spec);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      this.CONSUME(T.StringLiteral, { LABEL: 'base' });
    });
    this.OPTION2(() => this.CONSUME2(T.StringLiteral, { LABEL: 'description' }));
  });

  // Public: the formatter's output check parses single items (apps/fmt/same-items.ts).
  public item = this.RULE('item', () => {
    this.OR(this.itemAlts);
  });

  // Built once (as the expression rules' alternatives are, below).
  private readonly itemAlts = [
    { ALT: () => this.SUBRULE(this.wordDecl) },
    { ALT: () => this.SUBRULE(this.formatDecl) },
    { ALT: () => this.SUBRULE(this.swapDecl) },
    { ALT: () => this.SUBRULE(this.constDecl) },
    { ALT: () => this.SUBRULE(this.predicateDecl) },
    { ALT: () => this.SUBRULE(this.kindDecl) },
    { ALT: () => this.SUBRULE(this.importDecl) },
    { ALT: () => this.SUBRULE(this.fnDecl) },
    { ALT: () => this.SUBRULE(this.decisionDecl) },
    { ALT: () => this.SUBRULE(this.pathDecl) },
    { ALT: () => this.SUBRULE(this.removeDecl) },
    { ALT: () => this.SUBRULE(this.levelDecl) },
  ];

  // levelDecl := 'level' Ident   (the items after it, to the next `level` or the end of the file, are of that
  // page-table level: `level pmd`; items before any `level` are of the PTE level)
  private levelDecl = this.RULE('levelDecl', () => {
    this.CONSUME(T.Level);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  // removeDecl := 'remove' ('kind' | 'predicate' | 'fn') Ident   (a proposal drops an inherited declaration)
  private removeDecl = this.RULE('removeDecl', () => {
    this.CONSUME(T.Remove);
    this.OR([
      { ALT: () => this.CONSUME(T.Kind, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.Predicate, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.Fn, { LABEL: 'what' }) },
    ]);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  private importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral);
  });

  // fnDecl := 'override'? 'fn' Ident '(' (param (',' param)*)? ')' '=' expr
  private fnDecl = this.RULE('fnDecl', () => {
    this.OPTION(() => this.CONSUME(T.Override));
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.param, { LABEL: 'params' }) });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: 'body' });
  });

  private param = this.RULE('param', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Identifier, { LABEL: 'paramType' });
  });

  // decisionDecl := 'override'? 'decision' Ident '=' expr
  private decisionDecl = this.RULE('decisionDecl', () => {
    this.OPTION(() => this.CONSUME(T.Override));
    this.CONSUME(T.Decision);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: 'body' });
  });

  // pathDecl := 'path' Ident '{' caseDecl* '}'
  private pathDecl = this.RULE('pathDecl', () => {
    this.CONSUME(T.Path);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.caseDecl, { LABEL: 'cases' }));
    this.CONSUME(T.RBrace);
  });

  // caseDecl := ('override' | 'before')? ('case' kindList ('as' Ident)? ('when' expr)? | 'default') block
  //           | 'remove' ('case' kindList | 'default')
  // kindList := Ident (',' Ident)*   (one case for several kinds: `case migration_read, migration_write { retry }`)
  private caseDecl = this.RULE('caseDecl', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Remove, { LABEL: 'mode' });
          this.OR3([
            {
              ALT: () => {
                this.CONSUME2(T.Case);
                this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Identifier, { LABEL: 'kind' }) });
              },
            },
            { ALT: () => this.CONSUME2(T.Default) },
          ]);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Override, { LABEL: 'mode' }) },
              { ALT: () => this.CONSUME(T.Before, { LABEL: 'mode' }) },
            ]);
          });
          this.OR4([
            {
              ALT: () => {
                this.CONSUME(T.Case);
                this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier, { LABEL: 'kind' }) });
                this.OPTION2(() => {
                  this.CONSUME(T.As);
                  this.CONSUME2(T.Identifier, { LABEL: 'binding' });
                });
                this.OPTION3(() => {
                  this.CONSUME(T.When);
                  this.SUBRULE(this.expr, { LABEL: 'guard' });
                });
              },
            },
            { ALT: () => this.CONSUME(T.Default) },
          ]);
          this.SUBRULE(this.block, { LABEL: 'body' });
        },
      },
    ]);
  });

  private block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.stmt, { LABEL: 'stmts' }));
    this.CONSUME(T.RBrace);
  });

  // Keywords are also names, so a statement starting with 'set' could read as an expression statement; the keyword
  // alternatives come first and win.
  private stmt = this.RULE('stmt', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Set);
            this.SUBRULE(this.expr, { LABEL: 'setValue' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Copy);
            this.SUBRULE2(this.expr, { LABEL: 'copyValue' });
          },
        },
        { ALT: () => this.CONSUME(T.Clear) },
        { ALT: () => this.CONSUME(T.Keep) },
        { ALT: () => this.CONSUME(T.Retry) },
        { ALT: () => this.CONSUME(T.Return) },
        {
          ALT: () => {
            this.CONSUME(T.Warn);
            this.CONSUME(T.StringLiteral, { LABEL: 'warnMessage' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Let);
            this.CONSUME(T.Identifier, { LABEL: 'letName' });
            this.CONSUME(T.Assign);
            this.SUBRULE3(this.expr, { LABEL: 'letValue' });
          },
        },
        { ALT: () => this.SUBRULE(this.ifStmt) },
        {
          ALT: () => {
            this.CONSUME(T.Call);
            this.CONSUME2(T.Identifier, { LABEL: 'callPath' });
            this.OPTION(() => {
              this.CONSUME(T.With);
              this.CONSUME(T.LBrace);
              this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.fieldInit, { LABEL: 'callArgs' }) });
              this.CONSUME(T.RBrace);
            });
          },
        },
        { ALT: () => this.SUBRULE4(this.expr, { LABEL: 'exprStmt' }) },
      ],
    });
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  // ifStmt := 'if' expr block ('else' (ifStmt | block))?
  private ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expr, { LABEL: 'cond' });
    this.SUBRULE(this.block, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE2(this.ifStmt, { LABEL: 'elseIf' }) },
        { ALT: () => this.SUBRULE2(this.block, { LABEL: 'elseBlock' }) },
      ]);
    });
  });

  private wordDecl = this.RULE('wordDecl', () => {
    this.CONSUME(T.Word);
    this.CONSUME(T.NumberLiteral);
  });

  // formatDecl := 'override'? 'format' Ident ('extends' Ident)? '{' fieldMember* '}'
  private formatDecl = this.RULE('formatDecl', () => {
    this.OPTION2(() => this.CONSUME(T.Override));
    this.CONSUME(T.Format);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      this.CONSUME2(T.Identifier, { LABEL: 'base' });
    });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.fieldMember));
    this.CONSUME(T.RBrace);
  });

  private fieldMember = this.RULE('fieldMember', () => {
    this.OR(this.fieldMemberAlts);
    this.OPTION(this.semicolon);
  });

  private readonly fieldMemberAlts = [
    { ALT: () => this.SUBRULE(this.bitField) },
    { ALT: () => this.SUBRULE(this.aliasField) },
    { ALT: () => this.SUBRULE(this.subFields) },
    { ALT: () => this.SUBRULE(this.removeField) },
    { ALT: () => this.SUBRULE(this.renameField) },
  ];

  private readonly semicolon = (): void => {
    this.CONSUME(T.Semicolon);
  };

  // bitField := 'override'? ('bit' N | 'bits' N '..' N) Ident 'inverted'?
  private bitField = this.RULE('bitField', () => {
    this.OPTION(this.override);
    this.OR(this.bitFieldAlts);
    this.CONSUME(T.Identifier, NAME);
    this.OPTION2(this.inverted);
  });

  private readonly bitFieldAlts = [
    {
      ALT: () => {
        this.CONSUME(T.Bit);
        this.CONSUME(T.NumberLiteral, LO);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Bits);
        this.CONSUME2(T.NumberLiteral, LO);
        this.CONSUME(T.DotDot);
        this.CONSUME3(T.NumberLiteral, { LABEL: 'hi' });
      },
    },
  ];

  private readonly override = (): void => {
    this.CONSUME(T.Override);
  };

  private readonly inverted = (): void => {
    this.CONSUME(T.Inverted);
  };

  // removeField := 'remove' Ident   (inside `override format`: the field, its sub-fields and aliases go)
  private removeField = this.RULE('removeField', () => {
    this.CONSUME(T.Remove);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
  });

  // renameField := 'rename' Ident 'as' Ident
  private renameField = this.RULE('renameField', () => {
    this.CONSUME(T.Rename);
    this.CONSUME(T.Identifier, { LABEL: 'from' });
    this.CONSUME(T.As);
    this.CONSUME2(T.Identifier, { LABEL: 'to' });
  });

  private aliasField = this.RULE('aliasField', () => {
    this.CONSUME(T.Alias);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Assign);
    this.CONSUME2(T.Identifier, { LABEL: 'target' });
  });

  private subFields = this.RULE('subFields', () => {
    this.CONSUME(T.In);
    this.CONSUME(T.Identifier, { LABEL: 'parent' });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.fieldMember));
    this.CONSUME(T.RBrace);
  });

  // swapDecl := 'swap' '{' swapEntry* '}'
  private swapDecl = this.RULE('swapDecl', () => {
    this.CONSUME(T.Swap);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.swapEntry));
    this.CONSUME(T.RBrace);
  });

  // swapEntry := 'remove' Ident | 'override'? Ident '=' expr ('{' Ident (',' Ident)* '}' ('before' Ident)?)?
  private swapEntry = this.RULE('swapEntry', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Remove);
          this.CONSUME(T.Identifier, { LABEL: 'name' });
        },
      },
      { ALT: () => this.SUBRULE(this.swapGroup) },
    ]);
    this.OPTION3(() => this.CONSUME(T.Semicolon));
  });

  private swapGroup = this.RULE('swapGroup', () => {
    this.OPTION4(() => this.CONSUME(T.Override));
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: 'value' });
    this.OPTION(() => {
      this.CONSUME(T.LBrace);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Identifier, { LABEL: 'types' }) });
      this.CONSUME(T.RBrace);
      this.OPTION2(() => {
        this.CONSUME(T.Before);
        this.CONSUME3(T.Identifier, { LABEL: 'before' });
      });
    });
  });

  private constDecl = this.RULE('constDecl', () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  // predicateDecl := 'override'? 'predicate' Ident 'on' Ident '=' expr ('means' Ident (',' Ident)*)?
  private predicateDecl = this.RULE('predicateDecl', () => {
    this.OPTION(() => this.CONSUME(T.Override));
    this.CONSUME(T.Predicate);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.On);
    this.CONSUME2(T.Identifier, { LABEL: 'format' });
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, { LABEL: 'body' });
    this.OPTION2(() => {
      this.CONSUME(T.Means);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Identifier, { LABEL: 'means' }) });
    });
  });

  // kindDecl := 'override'? 'kind' Ident ':' Ident 'when' expr ('refs' Ident '(' Ident (',' Ident)* ')')?
  private kindDecl = this.RULE('kindDecl', () => {
    this.OPTION(() => this.CONSUME(T.Override));
    this.CONSUME(T.Kind);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Identifier, { LABEL: 'format' });
    this.CONSUME(T.When);
    this.SUBRULE(this.expr, { LABEL: 'when' });
    this.OPTION2(() => {
      this.CONSUME(T.Refs);
      this.CONSUME3(T.Identifier, { LABEL: 'refTarget' });
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME4(T.Identifier, { LABEL: 'refArgs' }) });
      this.CONSUME(T.RParen);
    });
  });

  // ------------------------------------------------------------ expressions
  // One flat rule for every binary operator: precedence is applied when the AST is built (cst-to-ast.ts), which
  // keeps the parser from descending a dozen rules for every number and name. Unlike C, '&' '|' and shifts bind
  // tighter than comparisons: `TYPE & 3 == 1` means `(TYPE & 3) == 1`.
  public expr = this.RULE('expr', () => {
    this.SUBRULE(this.unaryExpr, OPERANDS);
    this.MANY(this.exprTail);
  });

  // The alternatives and options of the expression rules are built once, not on every call (a large spec has
  // hundreds of thousands of operands); the grammar is the same as if they were written inline.
  private readonly binaryOps = [T.OrOr, T.AndAnd, T.EqEq, T.NotEq, T.LtEq, T.GtEq, T.Lt, T.Gt, T.Pipe, T.Caret, T.Amp, T.Shl, T.Shr, T.Plus, T.Minus, T.Star].map(
    (op) => ({ ALT: () => this.CONSUME(op, OPS) }),
  );

  private readonly exprTail = (): void => {
    this.OR(this.binaryOps);
    this.SUBRULE2(this.unaryExpr, OPERANDS);
  };

  private readonly unaryOps = [T.Bang, T.Tilde, T.Minus].map((op) => ({ ALT: () => this.CONSUME(op, OP) }));

  private readonly unaryAlts = [
    {
      ALT: () => {
        this.OR2(this.unaryOps);
        this.SUBRULE(this.unaryExpr, OPERAND);
      },
    },
    { ALT: () => this.SUBRULE(this.postfixExpr, OPERAND) },
  ];

  private unaryExpr = this.RULE('unaryExpr', () => {
    this.OR(this.unaryAlts);
  });

  // postfixExpr := primary ('.' Ident)* ('with' '{' fieldInit (',' fieldInit)* '}')?
  private postfixExpr = this.RULE('postfixExpr', () => {
    this.SUBRULE(this.primary);
    this.MANY(this.member);
    this.OPTION(this.withFields);
  });

  private readonly member = (): void => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.Identifier, MEMBERS);
  };

  private readonly withFields = (): void => {
    this.CONSUME(T.With);
    this.CONSUME(T.LBrace);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.fieldInit, { LABEL: 'withFields' }) });
    this.CONSUME(T.RBrace);
  };

  private fieldInit = this.RULE('fieldInit', () => {
    this.CONSUME(T.Identifier, NAME);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr, VALUE);
  });

  private readonly primaryAlts = [
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        this.SUBRULE(this.expr, INNER);
        this.CONSUME(T.RParen);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Identifier, NAME);
        this.OPTION(this.callArgs);
      },
    },
  ];

  private readonly callArgs = (): void => {
    this.CONSUME2(T.LParen, { LABEL: 'call' });
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg, { LABEL: 'args' }) });
    this.CONSUME2(T.RParen);
  };

  private primary = this.RULE('primary', () => {
    this.OR(this.primaryAlts);
  });

  // arg := (Ident '=')? expr
  private arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: 'argName' });
      this.CONSUME(T.Assign);
    });
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });
}

/** One parser instance, reused (`parser.input = tokens`), as Chevrotain recommends. */
let instance: SpecParser | undefined;
export function specParser(): SpecParser {
  instance ??= new SpecParser();
  return instance;
}

export type { CstNode };
