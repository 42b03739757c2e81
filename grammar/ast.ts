// The typed AST of a .pte spec. Every node carries the Range of its text; nodes are plain data.
import type { Range } from '../core/source.js';

export interface Ident {
  readonly type: 'Ident';
  readonly name: string;
  readonly range: Range;
}

export interface StringLit {
  readonly type: 'StringLit';
  readonly value: string;
  readonly range: Range;
}

// ---------------------------------------------------------------- expressions

export type Expr = NumberLit | NameRef | Member | Call | Unary | Binary | With;

export interface NumberLit {
  readonly type: 'NumberLit';
  readonly value: bigint;
  readonly range: Range;
}

/** A bare name: a field, constant, predicate, kind, binding or context object — resolved later. */
export interface NameRef {
  readonly type: 'NameRef';
  readonly name: string;
  readonly range: Range;
}

/** `object.property`: `p.UFFD_WP`, `vma.shmem`, `page.pfn`. */
export interface Member {
  readonly type: 'Member';
  readonly object: Expr;
  readonly property: Ident;
  readonly range: Range;
}

/** A positional argument `e` or a named one `NAME = e` (kind constructors: `pte_marker(PTE_MARKER_UFFD_WP = 1)`). */
export interface Arg {
  readonly name?: Ident;
  readonly value: Expr;
  readonly range: Range;
}

export interface Call {
  readonly type: 'Call';
  readonly callee: Ident;
  readonly args: readonly Arg[];
  readonly range: Range;
}

export type UnaryOp = '!' | '~' | '-';
export interface Unary {
  readonly type: 'Unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly range: Range;
}

export type BinaryOp =
  | '||' | '&&'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '|' | '^' | '&' | '<<' | '>>' | '+' | '-' | '*';
export interface Binary {
  readonly type: 'Binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly range: Range;
}

/** `x with { F = e, ... }`: the entry x with some fields replaced. */
export interface With {
  readonly type: 'With';
  readonly base: Expr;
  readonly fields: readonly FieldInit[];
  readonly range: Range;
}

export interface FieldInit {
  readonly name: Ident;
  readonly value: Expr;
  readonly range: Range;
}

// ---------------------------------------------------------------- layout items

export interface SpecHeader {
  readonly type: 'SpecHeader';
  readonly name: Ident;
  readonly extends?: StringLit;
  readonly description?: StringLit;
  readonly range: Range;
}

export interface WordDecl {
  readonly type: 'WordDecl';
  readonly bits: NumberLit;
  readonly range: Range;
}

export type FieldMember = BitField | AliasField | SubFields | RemoveField | RenameField;

/** `remove NAME` inside `override format`: the field goes, with its sub-fields and aliases. */
export interface RemoveField {
  readonly type: 'RemoveField';
  readonly name: Ident;
  readonly range: Range;
}

/** `rename OLD as NEW` inside `override format`: same bits, another name. */
export interface RenameField {
  readonly type: 'RenameField';
  readonly from: Ident;
  readonly to: Ident;
  readonly range: Range;
}

/** `bit N NAME` or `bits LO..HI NAME [inverted]`, optionally `override`. */
export interface BitField {
  readonly type: 'BitField';
  readonly override: boolean;
  readonly lo: NumberLit;
  readonly hi: NumberLit;
  readonly name: Ident;
  readonly inverted: boolean;
  readonly range: Range;
}

/** `alias NAME = FIELD`. */
export interface AliasField {
  readonly type: 'AliasField';
  readonly name: Ident;
  readonly target: Ident;
  readonly range: Range;
}

/** `in PARENT { ... }`: sub-fields numbered within the parent's logical value. */
export interface SubFields {
  readonly type: 'SubFields';
  readonly parent: Ident;
  readonly members: readonly FieldMember[];
  readonly range: Range;
}

export interface FormatDecl {
  readonly type: 'FormatDecl';
  /** `override format F { ... }`: a delta applied to the inherited format F (fields added, moved, removed, renamed). */
  readonly override?: boolean;
  readonly name: Ident;
  readonly extends?: Ident;
  readonly members: readonly FieldMember[];
  readonly range: Range;
}

/**
 * `[override] NAME = count { TYPE, ... } [before GROUP]`, `MAX_SWAPFILES_SHIFT = n` (no braces), or `remove NAME`
 * (no value: an inherited group goes).
 */
export interface SwapEntry {
  readonly type: 'SwapEntry';
  readonly mode?: 'override' | 'remove';
  readonly name: Ident;
  /** Absent only for `remove`. */
  readonly value?: Expr;
  readonly types?: readonly Ident[];
  readonly before?: Ident;
  readonly range: Range;
}

export interface SwapDecl {
  readonly type: 'SwapDecl';
  readonly entries: readonly SwapEntry[];
  readonly range: Range;
}

export interface ConstDecl {
  readonly type: 'ConstDecl';
  readonly name: Ident;
  readonly value: Expr;
  readonly range: Range;
}

export interface PredicateDecl {
  readonly type: 'PredicateDecl';
  readonly override: boolean;
  readonly name: Ident;
  readonly format: Ident;
  readonly body: Expr;
  readonly means: readonly Ident[];
  readonly range: Range;
}

export interface RefsClause {
  readonly target: Ident; // page | slot
  readonly args: readonly Ident[];
  readonly range: Range;
}

export interface KindDecl {
  readonly type: 'KindDecl';
  readonly override: boolean;
  readonly name: Ident;
  readonly format: Ident;
  readonly when: Expr;
  readonly refs?: RefsClause;
  readonly range: Range;
}

// ---------------------------------------------------------------- behaviour items

export interface ImportDecl {
  readonly type: 'ImportDecl';
  readonly path: StringLit;
  readonly range: Range;
}

export interface Param {
  readonly name: Ident;
  /** A format name, or `int`. */
  readonly paramType: Ident;
  readonly range: Range;
}

/** `fn NAME(p: FORMAT, n: int) = EXPR`: an arch helper. */
export interface FnDecl {
  readonly type: 'FnDecl';
  readonly override: boolean;
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: Expr;
  readonly range: Range;
}

/** `decision NAME = EXPR`: a boolean over the context that the runtime asks by name. */
export interface DecisionDecl {
  readonly type: 'DecisionDecl';
  readonly override: boolean;
  readonly name: Ident;
  readonly body: Expr;
  readonly range: Range;
}

export type CaseMode = 'append' | 'override' | 'before' | 'remove';

export interface CaseDecl {
  readonly type: 'CaseDecl';
  readonly mode: CaseMode;
  /**
   * The kinds the case is for, in source order (`case a, b`: several); empty for `default` (and `remove default`).
   */
  readonly kinds: readonly Ident[];
  readonly binding?: Ident;
  readonly guard?: Expr;
  /** Empty for `remove`, which has no block. */
  readonly body: readonly Stmt[];
  readonly range: Range;
  /** The range of the case head (`case KIND as x when ...`), where diagnostics about the case point. */
  readonly headRange: Range;
}

export interface PathDecl {
  readonly type: 'PathDecl';
  readonly name: Ident;
  readonly cases: readonly CaseDecl[];
  readonly range: Range;
}

export type Stmt =
  | { readonly type: 'SetStmt'; readonly value: Expr; readonly range: Range }
  | { readonly type: 'CopyStmt'; readonly value: Expr; readonly range: Range }
  | { readonly type: 'ClearStmt'; readonly range: Range }
  | { readonly type: 'KeepStmt'; readonly range: Range }
  | { readonly type: 'LetStmt'; readonly name: Ident; readonly value: Expr; readonly range: Range }
  | { readonly type: 'IfStmt'; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else?: readonly Stmt[]; readonly range: Range }
  | { readonly type: 'CallStmt'; readonly path: Ident; readonly args: readonly FieldInit[]; readonly range: Range }
  | { readonly type: 'RetryStmt'; readonly range: Range }
  | { readonly type: 'ReturnStmt'; readonly range: Range }
  | { readonly type: 'WarnStmt'; readonly message: StringLit; readonly range: Range }
  | { readonly type: 'ExprStmt'; readonly expr: Expr; readonly range: Range };

/** `remove kind NAME` (or predicate, fn): a proposal drops an inherited declaration. */
export interface RemoveDecl {
  readonly type: 'RemoveDecl';
  readonly what: 'kind' | 'predicate' | 'fn';
  readonly name: Ident;
  readonly range: Range;
}

/**
 * `level pmd`: the items after it (to the next `level` or the end of its file) describe entries of that page-table
 * level. Items before any `level` are of the PTE level, so a spec without one is a PTE spec.
 */
export interface LevelDecl {
  readonly type: 'LevelDecl';
  readonly name: Ident;
  readonly range: Range;
}

export type Item =
  | LevelDecl
  | RemoveDecl
  | WordDecl
  | FormatDecl
  | SwapDecl
  | ConstDecl
  | PredicateDecl
  | KindDecl
  | ImportDecl
  | FnDecl
  | DecisionDecl
  | PathDecl;

export interface SpecFile {
  readonly type: 'SpecFile';
  readonly file: string;
  readonly header?: SpecHeader;
  readonly items: readonly Item[];
  readonly range: Range;
}
