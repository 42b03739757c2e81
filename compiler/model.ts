// The resolved spec: one flattened model of a spec and its extends chain, names bound, constants evaluated.
// Produced by resolve.ts, read by the checks and by lowering.
import type * as A from '../grammar/ast.js';
import type { Range } from '../core/source.js';
import type { LevelName } from '../contract/table.js';

export interface PhysBit {
  readonly pos: number;
  readonly inverted: boolean;
}

export interface FieldDef {
  readonly name: string;
  /** Logical bit i of the field is physical bit bits[i].pos, stored inverted when bits[i].inverted. */
  readonly bits: readonly PhysBit[];
  readonly width: number;
  /** Declared inverted (for display; each PhysBit carries the truth). */
  readonly inverted: boolean;
  /** `alias NAME = aliasOf`. */
  readonly aliasOf?: string;
  /** Sub-field of this field (`in parent { ... }`). */
  readonly parent?: string;
  /** The format the field was declared in (an inherited field keeps its origin). */
  readonly declaredIn: string;
  readonly range: Range;
}

export interface FormatDef {
  readonly name: string;
  readonly base?: string;
  /** In declaration order, inherited fields first. */
  readonly fields: ReadonlyMap<string, FieldDef>;
  readonly range: Range;
}

export interface SwapTypeDef {
  readonly name: string;
  readonly value: number;
  readonly range: Range;
}

export interface SwapGroupDef {
  readonly name: string;
  readonly count: number;
  readonly types: readonly SwapTypeDef[];
  readonly range: Range;
  /** The spec (by name) that added the group: a proposal's cost is visible. */
  readonly addedBy: string;
}

export interface SwapTable {
  readonly shift: number;
  readonly shiftRange: Range;
  readonly groups: readonly SwapGroupDef[];
  /** (1 << shift) - Σ counts, as include/linux/swap.h computes it. May be < 1 (a PTE020 error). */
  readonly maxSwapfiles: number;
}

export interface ConstDef {
  readonly name: string;
  readonly value: bigint;
  readonly range: Range;
}

export interface PredicateDef {
  readonly name: string;
  readonly format: string;
  readonly body: A.Expr;
  readonly means: readonly A.Ident[];
  readonly range: Range;
  readonly nameRange: Range;
  /** Where the format is named, for a diagnostic about it. */
  readonly formatRange: Range;
}

export type RefsDef =
  | { readonly target: 'page' | 'pfn'; readonly pfn: string; readonly range: Range }
  | { readonly target: 'slot'; readonly type: string; readonly offset: string; readonly range: Range };

export interface KindDef {
  readonly name: string;
  readonly format: string;
  readonly when: A.Expr;
  readonly refs?: RefsDef;
  readonly range: Range;
  readonly nameRange: Range;
  /** Where the format is named, for a diagnostic about it. */
  readonly formatRange: Range;
  /** Declaration order (an override keeps the position of the kind it replaces). */
  readonly index: number;
}

export interface FnDef {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: string; readonly range: Range }[];
  readonly body: A.Expr;
  readonly range: Range;
  readonly nameRange: Range;
}

export interface DecisionDef {
  readonly name: string;
  readonly body: A.Expr;
  readonly range: Range;
  readonly nameRange: Range;
}

/**
 * The kinds of one written case that names several (`case a, b { ... }`), shared by the cases it stands for: the
 * resolver gives such a case one CaseDef per kind (first occurrence of each, in the order written), so dispatch,
 * exhaustiveness, `override case a` and `remove kind a` treat each kind as if it had its own case.
 */
export interface CaseGroup {
  /** As written, repeats included (PTE054 reports a repeat). */
  readonly written: readonly { readonly name: string; readonly range: Range }[];
  /** Distinct, in the order written. */
  readonly kinds: readonly string[];
}

export interface CaseDef {
  /** undefined: the `default` case. */
  readonly kind?: string;
  readonly kindRange?: Range;
  /** Set when the written case names several kinds (the same object for each of them). */
  readonly group?: CaseGroup;
  readonly binding?: string;
  readonly guard?: A.Expr;
  readonly body: readonly A.Stmt[];
  readonly range: Range;
  readonly headRange: Range;
  /** The spec (by name) whose file wrote the case: a proposal's own cases are its delta. */
  readonly origin: string;
}

export interface PathDef {
  readonly name: string;
  readonly cases: readonly CaseDef[];
  readonly range: Range;
}

export interface Spec {
  readonly name: string;
  /** The page-table level this model describes; absent: the PTE level (compiler/levels.ts). */
  readonly level?: LevelName;
  readonly description: string;
  /** The entry file; `chain` lists every file, base first. */
  readonly file: string;
  readonly chain: readonly string[];
  readonly base?: string;
  readonly word: number;
  readonly headerRange: Range;
  readonly formats: ReadonlyMap<string, FormatDef>;
  readonly swap?: SwapTable;
  /** Every named constant: `const`s, MAX_SWAPFILES(_SHIFT), group counts and swap-type numbers. */
  readonly consts: ReadonlyMap<string, ConstDef>;
  /** Constants without a value because of an error reported elsewhere (e.g. a negative swap budget). */
  readonly poisonedConsts: ReadonlySet<string>;
  readonly predicates: ReadonlyMap<string, PredicateDef>;
  readonly kinds: ReadonlyMap<string, KindDef>;
  readonly fns: ReadonlyMap<string, FnDef>;
  readonly decisions: ReadonlyMap<string, DecisionDef>;
  readonly paths: ReadonlyMap<string, PathDef>;
}
