// What `ptelab diff A B` finds: plain data, computed once (diff.ts) and rendered three ways (render-*.ts). Every
// list holds only what differs (the swap table excepted: it lists every reserved type, with a status), so the diff
// of a spec with itself is all empty lists and `differs: false`.
import type { Site } from '../../compiler/ir/types.js';
import type { BehaviourDiff } from './behaviour.js';
import type { FootprintDiff } from './footprint.js';

export type Status = 'added' | 'removed' | 'changed';

/** One side of the comparison, as the header names it. */
export interface SideInfo {
  readonly file: string;
  readonly spec: string;
  readonly description: string;
  readonly word: number;
}

// ------------------------------------------------------------------------------------------------------------ 1. layout

export interface FieldShape {
  readonly name: string;
  /** Lowest physical bit and width (every field is contiguous). */
  readonly shift: number;
  readonly width: number;
  readonly inverted: boolean;
  readonly aliasOf?: string;
  readonly parent?: string;
}

/** What about a field that exists on both sides differs. */
export type FieldAspect = 'position' | 'width' | 'inversion' | 'alias' | 'parent';

export interface FieldChange {
  readonly name: string;
  readonly status: Status;
  readonly a?: FieldShape;
  readonly b?: FieldShape;
  /** For 'changed': which aspects differ, in this fixed order: position, width, inversion, alias, parent. */
  readonly aspects: readonly FieldAspect[];
}

export interface RulerSymbol {
  readonly symbol: string;
  readonly field: string;
  /** Which row(s) the field appears in. */
  readonly rows: 'both' | 'a' | 'b';
}

/**
 * A two-row picture of the word, bit word-1 first: each character is the symbol of the innermost (non-alias) field
 * owning that bit, '.' for a bit no field names; a row is undefined when the format is missing on that side.
 * `marks` has '^' under every bit whose meaning differs (a different field, a different bit of the field, or a
 * different inversion), ' ' elsewhere.
 */
export interface Ruler {
  readonly word: number;
  readonly a?: string;
  readonly b?: string;
  readonly marks: string;
  readonly legend: readonly RulerSymbol[];
}

export interface FormatChange {
  readonly name: string;
  readonly status: Status;
  /** Fields ordered by their highest bit, high first (A's position when the field is on both sides). */
  readonly fields: readonly FieldChange[];
  readonly ruler: Ruler;
}

export interface ConstChange {
  readonly name: string;
  readonly status: Status;
  readonly a?: bigint;
  readonly b?: bigint;
}

export interface LayoutDiff {
  readonly word: { readonly a: number; readonly b: number };
  readonly formats: readonly FormatChange[];
  /** Named constants other than the swap table's (section 2 has those). */
  readonly consts: readonly ConstChange[];
}

// ------------------------------------------------------------------------------------------------------ 2. swap budget

export type SwapStatus = 'same' | 'moved' | 'added' | 'removed';

export interface SwapTypeRow {
  readonly name: string;
  readonly group: string;
  readonly a?: number;
  readonly b?: number;
  readonly status: SwapStatus;
}

export interface SwapGroupSide {
  readonly count: number;
  readonly types: readonly string[];
}

export interface SwapGroupRow {
  readonly name: string;
  readonly a?: SwapGroupSide;
  readonly b?: SwapGroupSide;
  readonly status: 'same' | Status;
}

export interface SwapDiff {
  readonly differs: boolean;
  readonly maxSwapfilesShift: { readonly a?: number; readonly b?: number };
  readonly maxSwapfiles: { readonly a?: number; readonly b?: number };
  /** Every reserved type of either side: A's groups first (A's types, then B's new ones), then B-only groups. */
  readonly types: readonly SwapTypeRow[];
  readonly groups: readonly SwapGroupRow[];
}

// ---------------------------------------------------------------------------------------------------- 3. classification

export interface DecodedField {
  readonly name: string;
  readonly value: bigint;
  readonly aliasOf?: string;
  readonly parent?: string;
}

/** A value as one side sees it: its kind (undefined: no kind classifies it) and that kind's fields. */
export interface Decoded {
  readonly kind?: string;
  readonly format?: string;
  /** Every field of the kind's format, aliases and sub-fields included, in declaration order. */
  readonly fields: readonly DecodedField[];
}

export interface Witness {
  readonly value: bigint;
  readonly a: Decoded;
  readonly b: Decoded;
}

/** An exact set of values: its size over all 2^word values, and its smallest member (when not empty). */
export interface ValueSet {
  readonly count: bigint;
  readonly witness?: Witness;
}

/** Values A classifies as `a` and B as `b` (undefined: no kind), with a != b. */
export interface Move {
  readonly a?: string;
  readonly b?: string;
  readonly set: ValueSet;
}

export interface KindSide {
  readonly format: string;
  readonly refs?: string;
  readonly count: bigint;
}

export interface KindChange {
  readonly name: string;
  readonly status: Status;
  readonly a?: KindSide;
  readonly b?: KindSide;
  /** Values of the kind in A but not in B, and the reverse (empty sets when the kind exists on one side only). */
  readonly aOnly: ValueSet;
  readonly bOnly: ValueSet;
  /** Declaration differences of a kind on both sides. */
  readonly decl: readonly ('format' | 'refs')[];
}

export interface PredicateChange {
  readonly name: string;
  readonly status: Status;
  readonly aOnly: ValueSet;
  readonly bOnly: ValueSet;
}

export interface ClassificationDiff {
  /** False when the word sizes differ: value sets of different words are not compared. */
  readonly comparable: boolean;
  /**
   * When reserved swap types were renumbered: the shifted types, the kinds whose values differ only by that (they
   * are left out of `kinds`, and the other kinds there are compared with A carried to B's numbering), and `moves`:
   * the values classified differently once A is carried to B's numbering (the semantic reclassification; the
   * renderers show these instead of the raw `moves`).
   */
  readonly renumbered?: {
    readonly types: readonly { readonly name: string; readonly a: number; readonly b: number }[];
    readonly kinds: readonly string[];
    readonly moves: readonly Move[];
  };
  readonly kinds: readonly KindChange[];
  /** Ordered by A's kind order, then B's (no kind last on either side). */
  readonly moves: readonly Move[];
  readonly predicates: readonly PredicateChange[];
}

// --------------------------------------------------------------------------------------------------------- 4. handlers

export interface CaseSide {
  readonly index: number;
  readonly site: Site;
  readonly binding?: string;
  readonly guard?: string;
}

export interface BodyLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

export interface CaseChange {
  /** undefined: `default`. */
  readonly kind?: string;
  /** The guard as written on the side that has the case (A's when both). */
  readonly guard?: string;
  readonly status: Status;
  readonly a?: CaseSide;
  readonly b?: CaseSide;
  /** For 'changed': both bodies as a line diff. */
  readonly body?: readonly BodyLine[];
}

export interface PathChange {
  readonly name: string;
  readonly status: Status;
  readonly cases: readonly CaseChange[];
  /** The cases both sides have run in a different relative order (first match wins, so order is behaviour). */
  readonly orderChanged: boolean;
}

export interface HelperChange {
  readonly sort: 'fn' | 'decision';
  readonly name: string;
  readonly status: Status;
  readonly a?: Site;
  readonly b?: Site;
  readonly aText?: string;
  readonly bText?: string;
}

export interface HandlersDiff {
  readonly has: { readonly a: boolean; readonly b: boolean };
  readonly paths: readonly PathChange[];
  readonly helpers: readonly HelperChange[];
}

// ------------------------------------------------------------------------------------------- 5. behaviour, 6. footprint

export type BehaviourSection =
  | { readonly requested: false }
  | { readonly requested: true; readonly result?: BehaviourDiff };

export interface FootprintSection {
  readonly result: FootprintDiff;
}

// ------------------------------------------------------------------------------------- other page-table levels

/**
 * Another page-table level (`level pmd`, `level huge_pte`), compared as the PTE level is: its layout, its
 * classification (exact over its own kinds) and its handlers. The swap table is the PTE level's, reported once.
 */
export type LevelDiff =
  | {
      readonly level: string;
      /** The level is on one side only: its kind count there. */
      readonly only: 'a' | 'b';
      readonly kinds: number;
    }
  | {
      readonly level: string;
      readonly only?: undefined;
      readonly differs: boolean;
      readonly layout: LayoutDiff;
      readonly classification: ClassificationDiff;
      readonly handlers: HandlersDiff;
    };

// --------------------------------------------------------------------------------------------------------------- all

export interface SpecDiff {
  readonly a: SideInfo;
  readonly b: SideInfo;
  readonly differs: boolean;
  /** The change in a few lines, one per concern (summary.ts). */
  readonly summary: readonly string[];
  readonly layout: LayoutDiff;
  readonly swap: SwapDiff;
  readonly classification: ClassificationDiff;
  readonly handlers: HandlersDiff;
  /** Every other level either side describes (none when a side was built without its levels: diffSide()). */
  readonly levels: readonly LevelDiff[];
  readonly behaviour: BehaviourSection;
  readonly footprint: FootprintSection;
}
