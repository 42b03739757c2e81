// The catalogue of diagnostic codes. A code, once published, keeps its meaning; docs/diagnostics.md is generated
// from this table.
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
}

export const CODES = {
  PTE001: { severity: 'error', title: 'syntax error' },
  PTE002: { severity: 'error', title: 'unknown name' },
  PTE003: { severity: 'error', title: 'duplicate name' },
  PTE004: { severity: 'error', title: 'name of the wrong sort (a kind where a format is expected, ...)' },
  PTE005: { severity: 'error', title: 'missing or malformed spec header or word size' },
  PTE006: { severity: 'error', title: '`extends` cycle' },
  PTE007: { severity: 'error', title: '`extends` file missing or unreadable' },
  PTE008: { severity: 'error', title: '`override` of nothing, or a redefinition without `override`' },
  PTE009: { severity: 'error', title: '`remove` of something the spec does not inherit' },
  PTE010: { severity: 'error', title: 'fields of one format overlap' },
  PTE011: { severity: 'error', title: 'field outside the word, or an empty bit range' },
  PTE012: { severity: 'error', title: 'field encode/decode does not round-trip' },
  PTE013: { severity: 'error', title: 'sub-field outside its parent field' },
  PTE014: { severity: 'error', title: 'not a text file (a NUL byte or bytes that are not UTF-8)' },
  PTE020: { severity: 'error', title: 'swap-type budget exhausted (MAX_SWAPFILES < 1)' },
  PTE021: { severity: 'error', title: 'swap-type group count does not match its names' },
  PTE022: { severity: 'error', title: 'TYPE field too narrow for the swap-type numbers' },
  PTE024: { severity: 'error', title: 'MAX_SWAPFILES_SHIFT missing or invalid' },
  PTE030: { severity: 'error', title: 'two kinds classify the same value (ambiguous encoding)' },
  PTE031: { severity: 'error', title: 'kind is unreachable (no value classifies as it)' },
  PTE032: { severity: 'error', title: 'expression is not an exact predicate form' },
  PTE033: { severity: 'warning', title: 'values that classify as no kind' },
  PTE034: { severity: 'error', title: '`means` clause does not match its predicate' },
  PTE035: { severity: 'error', title: 'kind collides with pte_none' },
  PTE036: { severity: 'error', title: 'invalid constant expression' },
  PTE037: { severity: 'error', title: 'predicate defined in terms of itself' },
  PTE038: { severity: 'error', title: 'invalid `refs` clause' },
  PTE039: { severity: 'error', title: 'a kind that refers to a page cannot hold every pfn below 2^(MAX_PHYSMEM_BITS - PAGE_SHIFT)' },
  PTE040: { severity: 'error', title: 'handler type error' },
  PTE041: { severity: 'error', title: 'wrong arguments to a function, primitive, constructor or path' },
  PTE042: { severity: 'error', title: 'unknown function, primitive, path or context value in a handler' },
  PTE043: { severity: 'error', title: 'statement not allowed in this path' },
  PTE044: { severity: 'error', title: 'expression statement has no effect' },
  PTE045: { severity: 'error', title: 'function defined in terms of itself' },
  PTE046: { severity: 'error', title: 'required arch predicate or decision missing' },
  PTE047: { severity: 'error', title: 'one value read through two formats that place a field differently' },
  PTE050: { severity: 'error', title: 'entry path does not handle a kind (exhaustiveness)' },
  PTE051: { severity: 'error', title: 'called path does not handle a kind that reaches the call' },
  PTE052: { severity: 'error', title: 'entry path missing' },
  PTE053: { severity: 'warning', title: 'case can never run (an earlier case for the kind always matches)' },
  PTE054: { severity: 'error', title: 'a kind named twice in one case list, or in a case for several kinds and another case that always takes it' },
  PTE055: { severity: 'error', title: 'a case for several kinds reads a field that not every listed kind\'s format has' },
  PTE060: { severity: 'error', title: 'scenario: mm used after its `exit`' },
  PTE061: { severity: 'error', title: "scenario: mm block mappings overlap, or `register` outside the block's mappings" },
  PTE062: { severity: 'error', title: 'scenario: expectation does not fit its operation' },
  PTE063: { severity: 'error', title: 'scenario: invalid operand (page count 0, number too large, unknown feature or errno, ...)' },
  PTE070: { severity: 'error', title: 'unknown page-table level' },
  PTE071: { severity: 'error', title: '`override format` in the section of another level than the format it changes' },
  PTE090: { severity: 'error', title: 'internal error (a bug in ptelab)' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
