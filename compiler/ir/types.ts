// The IR: what back ends (TS module, C patch sketch, diagrams) and diff read. Plain data, names resolved, every
// expression typed, every case and statement tagged with its spec line. Nothing here refers to the AST.
import type { RssCounter } from '../../contract/table.js';

export type Ty = 'bool' | 'int' | 'page' | 'counter' | 'pmflag' | 'void' | { readonly pte: string };

export function isPte(t: Ty): t is { readonly pte: string } {
  return typeof t === 'object';
}

export function tyName(t: Ty): string {
  return isPte(t) ? `pte<${t.pte}>` : t;
}

export interface Site {
  readonly file: string;
  readonly line: number;
}

export interface FieldSet {
  readonly field: string;
  readonly value: IrExpr;
}

export type IrExpr =
  | { readonly k: 'int'; readonly value: bigint }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'const'; readonly name: string; readonly value: bigint }
  | { readonly k: 'local'; readonly name: string; readonly ty: Ty }
  | { readonly k: 'field'; readonly base: IrExpr; readonly format: string; readonly field: string }
  | { readonly k: 'with'; readonly base: IrExpr; readonly format: string; readonly sets: readonly FieldSet[] }
  | { readonly k: 'make'; readonly kind: string; readonly format: string; readonly sets: readonly FieldSet[] }
  | { readonly k: 'ctx'; readonly object: string; readonly prop: string; readonly ty: Ty }
  | { readonly k: 'arg'; readonly name: string }
  | { readonly k: 'prim'; readonly name: string; readonly args: readonly IrExpr[]; readonly ty: Ty }
  | { readonly k: 'fn'; readonly name: string; readonly args: readonly IrExpr[]; readonly ty: Ty }
  | { readonly k: 'pred'; readonly name: string; readonly arg: IrExpr }
  | { readonly k: 'counter'; readonly name: RssCounter }
  | { readonly k: 'pmflag'; readonly name: string }
  | { readonly k: 'truthy'; readonly operand: IrExpr }
  | { readonly k: 'toInt'; readonly operand: IrExpr }
  | { readonly k: 'unary'; readonly op: '!' | '~' | '-'; readonly operand: IrExpr; readonly ty: Ty }
  | {
      readonly k: 'binary';
      readonly op: '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '|' | '^' | '&' | '<<' | '>>' | '+' | '-' | '*';
      readonly left: IrExpr;
      readonly right: IrExpr;
      readonly ty: Ty;
    };

export type OutcomeName = 'userfault_wp' | 'userfault_missing' | 'userfault_minor' | 'sigbus' | 'sigsegv' | 'hwpoison';

export type IrStmt = (
  | { readonly s: 'set'; readonly value: IrExpr }
  | { readonly s: 'copy'; readonly value: IrExpr }
  | { readonly s: 'clear' }
  | { readonly s: 'keep' }
  | { readonly s: 'let'; readonly name: string; readonly value: IrExpr }
  | { readonly s: 'if'; readonly cond: IrExpr; readonly then: readonly IrStmt[]; readonly else: readonly IrStmt[] }
  | { readonly s: 'call'; readonly path: string; readonly args: readonly { readonly name: string; readonly value: IrExpr }[] }
  | { readonly s: 'retry' }
  | { readonly s: 'return' }
  | { readonly s: 'outcome'; readonly outcome: OutcomeName }
  | { readonly s: 'warn'; readonly message: string }
  | { readonly s: 'do'; readonly expr: IrExpr }
) & { readonly line: number };

export interface IrCase {
  readonly index: number;
  /** undefined: `default`. */
  readonly kind?: string;
  /**
   * The kinds of the written case, when it names several (`case a, b`): it stands for one IrCase per kind, in a row,
   * each elaborated for its own kind (back ends may emit them as one test; mutants and sites stay per kind).
   */
  readonly group?: readonly string[];
  readonly binding?: string;
  readonly guard?: IrExpr;
  readonly body: readonly IrStmt[];
  readonly site: Site;
  readonly origin: string;
}

export interface IrPath {
  readonly name: string;
  readonly cases: readonly IrCase[];
}

export interface IrField {
  readonly name: string;
  /** Lowest physical bit; every field is contiguous. */
  readonly shift: number;
  readonly width: number;
  readonly inverted: boolean;
  readonly aliasOf?: string;
  readonly parent?: string;
}

export interface IrFormat {
  readonly name: string;
  readonly base?: string;
  readonly fields: readonly IrField[];
}

export type IrRefs =
  | { readonly target: 'page' | 'pfn'; readonly field: string }
  | { readonly target: 'slot'; readonly typeField: string; readonly offsetField: string };

/** A constant of a condition: its value, and the spec's name for it when the spec wrote a bare name. */
export interface IrConst {
  readonly value: bigint;
  readonly name?: string;
}

/**
 * A kind's or predicate's condition as the spec writes it, names resolved (cond.ts): what the C back end prints,
 * so the C reads like the spec; its meaning is the kind's / predicate's exact cubes.
 */
export type IrCond =
  | { readonly k: 'all' | 'any'; readonly items: readonly IrCond[] }
  | { readonly k: 'not'; readonly operand: IrCond }
  | { readonly k: 'pred'; readonly name: string }
  /** A field of the condition's format (logical value), or the word when `field` is absent, optionally `& mask`. */
  | { readonly k: 'cmp'; readonly field?: string; readonly mask?: IrConst; readonly op: '==' | '!=' | '<' | '<=' | '>' | '>='; readonly value: IrConst };

export interface IrKind {
  readonly name: string;
  readonly format: string;
  /** The `when` condition (absent when it had an error). */
  readonly when?: IrCond;
  readonly refs?: IrRefs;
  readonly cubes: readonly (readonly [bigint, bigint])[];
  /** The kind's logically smallest value: what a constructor starts from before setting fields. */
  readonly base: bigint;
  readonly site: Site;
}

export interface IrPredicate {
  readonly name: string;
  readonly cubes: readonly (readonly [bigint, bigint])[];
  /** The format it is stated on, and its condition (absent when it had an error). */
  readonly format?: string;
  readonly body?: IrCond;
}

export interface IrFn {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly ty: Ty }[];
  readonly body: IrExpr;
  readonly ty: Ty;
  readonly site: Site;
}

export interface IrDecision {
  readonly name: string;
  readonly body: IrExpr;
  readonly site: Site;
}

export interface IrSwapType {
  readonly name: string;
  readonly value: number;
  readonly group: string;
}

export interface IrSpec {
  readonly name: string;
  /** The page-table level (absent: the PTE level). */
  readonly level?: import('../../contract/table.js').LevelName;
  readonly description: string;
  /** The spec file as the user named it, and every file of its extends chain (base first). */
  readonly file: string;
  readonly chain: readonly string[];
  readonly base?: string;
  readonly word: number;
  readonly maxSwapfilesShift?: number;
  readonly maxSwapfiles?: number;
  readonly swapTypes: readonly IrSwapType[];
  readonly consts: readonly { readonly name: string; readonly value: bigint }[];
  readonly formats: readonly IrFormat[];
  readonly kinds: readonly IrKind[];
  readonly predicates: readonly IrPredicate[];
  readonly fns: readonly IrFn[];
  readonly decisions: readonly IrDecision[];
  readonly paths: readonly IrPath[];
  /** The PTE level's IR only: the spec's other levels (`level pmd`), each an IR of its own (compiler/levels.ts). */
  readonly levels?: readonly IrSpec[];
}

/** The type of an IR expression (the elaborator typed every node that needs it; the rest have one fixed type). */
export function typeOf(e: IrExpr): Ty {
  switch (e.k) {
    case 'int':
    case 'const':
    case 'field':
    case 'arg':
    case 'toInt':
      return 'int';
    case 'bool':
    case 'pred':
    case 'truthy':
      return 'bool';
    case 'local':
    case 'ctx':
    case 'prim':
    case 'fn':
    case 'unary':
    case 'binary':
      return e.ty;
    case 'with':
    case 'make':
      return { pte: e.format };
    case 'counter':
      return 'counter';
    case 'pmflag':
      return 'pmflag';
  }
}
