// What a report page shows, as plain data: gathered once (gather.ts: compile, run, explore, diff), rendered by a pure
// function (render.ts). Every string here may come from spec or scenario text and is escaped by the renderer only.
import type { Severity } from '../../core/diagnostics/diagnostic.js';
import type { CaseSite } from '../../contract/spec-module.js';
import type { LevelName } from '../../contract/table.js';

export interface ReportDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** The source line the diagnostic points at (tabs as spaces), when the file is known. */
  readonly source?: string;
  readonly related: readonly { readonly file: string; readonly line: number; readonly column: number; readonly message: string }[];
}

export interface ReportSwapBudget {
  /** `budgetSummary()`: "MAX_SWAPFILES = 24 (2^5 types - 8 reserved: ...)". */
  readonly summary: string;
  readonly shift: number;
  /** 2^shift minus every reserved type; may be < 1 (PTE020). */
  readonly maxSwapfiles: number;
  readonly groups: readonly {
    readonly name: string;
    readonly count: number;
    /** The spec (by name) that added the group: a proposal's cost shows. */
    readonly addedBy: string;
    readonly types: readonly { readonly name: string; readonly value: number }[];
  }[];
}

export interface ReportCase {
  readonly index: number;
  /** undefined: `default`. */
  readonly kind?: string;
  readonly binding?: string;
  readonly guard?: string;
  readonly file: string;
  readonly line: number;
  /** The spec (by name) whose file wrote the case. */
  readonly origin: string;
  /** The body as spec-like text, one statement per line. */
  readonly body: readonly string[];
}

export interface ReportPath {
  readonly name: string;
  /** The page-table level whose path it is (`level pmd`); absent: the PTE level. */
  readonly level?: LevelName;
  readonly cases: readonly ReportCase[];
}

/** One step of a run (a scenario, or the replay of a counterexample). */
export interface ReportStep {
  readonly index: number;
  readonly text: string;
  /** What the spec did; absent when the step threw. */
  readonly got?: string;
  /** What the v6.17 contract requires; absent when the oracle could not run the step. */
  readonly want?: string;
  readonly ok: boolean;
  /** The handler cases entered, in order. */
  readonly cases: readonly CaseSite[];
}

export interface ReportFailure {
  readonly step: number;
  readonly text: string;
  readonly kind: string;
  readonly message: string;
  /** Oracle divergences: what the spec did and what the contract requires. */
  readonly got?: string;
  readonly want?: string;
  /** The handler case the runner blames. */
  readonly site?: CaseSite;
  /** The path that was running, when no case is known. */
  readonly path?: string;
  /** Further invariant violations after the first. */
  readonly also: readonly string[];
}

export interface ReportRun {
  readonly ok: boolean;
  readonly steps: readonly ReportStep[];
  readonly failure?: ReportFailure;
}

export interface ReportScenario extends ReportRun {
  readonly name: string;
  readonly from?: string;
  readonly line: number;
}

export interface ReportScenarioFile {
  readonly file: string;
  readonly scenarios: readonly ReportScenario[];
}

export type Unavailable = { readonly available: false; readonly reason: string };

export type ReportScenarios = Unavailable | { readonly available: true; readonly files: readonly ReportScenarioFile[] };

export interface ReportWorld {
  readonly name: string;
  readonly file?: string;
  /** `error`: the explorer threw on this world (the message says why); `n/a`: not applicable to the spec's kernel
   *  (it lacks a userfaultfd feature the world's setup asks for), not explored (`reason` says why). */
  readonly verdict: 'complete' | 'incomplete' | 'counterexample' | 'error' | 'n/a';
  readonly exhausted: boolean;
  readonly states: number;
  readonly transitions: number;
  readonly levels: readonly number[];
  readonly error?: string;
  readonly reason?: string;
  readonly counterexample?: {
    /** Ops after the world's setup (the last one fails). */
    readonly ops: number;
    /** The scenario text `ptelab run SPEC FILE` replays. */
    readonly text: string;
    /** describeCounterexample(): the failure and the case behind it. */
    readonly summary: readonly string[];
    readonly run: ReportRun;
  };
}

export type ReportExplore =
  | Unavailable
  | {
      readonly available: true;
      readonly depth: number;
      readonly maxStates: number;
      readonly ops: readonly string[];
      readonly symmetry: string;
      readonly worlds: readonly ReportWorld[];
    };

export type ReportDiff =
  | Unavailable
  | {
      readonly available: true;
      /** The base spec's file, as the extends chain names it. */
      readonly baseFile: string;
      readonly baseName: string;
      readonly differs: boolean;
      /** renderDiffMarkdown(base → spec); the page renders it as HTML. */
      readonly markdown: string;
    };

export interface SpecReport {
  /** The spec file as the user named it. */
  readonly file: string;
  /** The page's file name without `.html` (the spec file's stem, made unique within one report). */
  readonly page: string;
  /** The spec could not be read: nothing else is known. */
  readonly ioError?: string;
  readonly name: string;
  readonly description: string;
  /** Every file of the extends chain, base first (the spec's own file last). */
  readonly chain: readonly string[];
  /** The name of the spec it extends, if any. */
  readonly base?: string;
  readonly ok: boolean;
  readonly diagnostics: readonly ReportDiagnostic[];
  /** layoutSvg(ir), without its generated-by comment; absent when the front end stopped early. */
  readonly svg?: string;
  /** How many formats and kinds the diagram draws (with svg). */
  readonly layout?: { readonly formats: number; readonly kinds: number };
  /** The spec's other page-table levels (`level pmd`): each level's diagram, as layout-LEVEL.svg draws it. */
  readonly levels?: readonly { readonly level: string; readonly svg: string; readonly formats: number; readonly kinds: number }[];
  readonly budget?: ReportSwapBudget;
  /** Every level's paths, the PTE level's first, then each other level's (`level`); undefined: no IR. */
  readonly paths?: readonly ReportPath[];
  readonly scenarios: ReportScenarios;
  readonly explore: ReportExplore;
  /** undefined: the spec extends nothing. */
  readonly diff?: ReportDiff;
}
