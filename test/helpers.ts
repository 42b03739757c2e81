// Small helpers shared by the tests: compile specs held in memory, and pick diagnostics apart.
import { DECISION_NAMES } from '../contract/table.js';
import { compileSpec, type Compiled } from '../compiler/compile.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { IrSpec } from '../compiler/ir/types.js';
import { memoryHost } from '../compiler/load.js';

/** The path the entry spec of checkText/compileText lives at. */
export const ENTRY = 'spec.pte';

/** Compile `text` as ENTRY (plus `extraFiles`, path → text) in memory; fails the test on an I/O error. */
export function compileText(text: string, extraFiles: Record<string, string> = {}, entry = ENTRY): Compiled {
  const r = compileSpec(entry, memoryHost({ ...extraFiles, [entry]: text }));
  if (!r.ok) throw new Error(`unexpected I/O error: ${r.error}`);
  return r.value;
}

/** The IR of a compiled spec that has errors the front end still runs past (a missing entry path); fails without. */
export function needIr(c: Compiled): IrSpec {
  if (!c.ir) throw new Error(`spec ${c.spec.name}: the front end stopped early:\n${c.diagnostics.map(show).join('\n')}`);
  return c.ir;
}

/** The diagnostics of `text` compiled in memory. */
export function checkText(text: string, extraFiles: Record<string, string> = {}, entry = ENTRY): readonly Diagnostic[] {
  return compileText(text, extraFiles, entry).diagnostics;
}

/** The codes of some diagnostics, in their (sorted) order. */
export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** The diagnostics with one code. */
export function only(ds: readonly Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

/** The one diagnostic with `code`; fails when there are none or several. */
export function one(ds: readonly Diagnostic[], code: string): Diagnostic {
  const found = only(ds, code);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${code}, got ${found.length}:\n${ds.map(show).join('\n')}`);
  }
  return found[0]!;
}

/** `line:column CODE message`, for readable failure output. */
export function show(d: Diagnostic): string {
  return `${d.range.file}:${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`;
}

/** 1-based line:column of where a diagnostic points. */
export function at(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.column}`;
}

/** 1-based line:column of the first occurrence of `needle` in `text` (after `from`, itself located first). */
export function posOf(text: string, needle: string, from?: string): string {
  const start = from === undefined ? 0 : text.indexOf(from);
  if (start < 0) throw new Error(`'${from}' not in text`);
  const i = text.indexOf(needle, start);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/**
 * A small x86-like spec (v6.17 shape): PRESENT/PROTNONE, an inverted PFN for protnone, an inverted 50-bit swap
 * OFFSET, a 5-bit TYPE and the reserved swap types. It checks clean; tests derive variants from it by replacing
 * lines.
 */
export const X86 = `spec x86 "x86-like test spec"
word 64
format pte {
  bit 0 PRESENT
  bit 1 RW
  bit 5 ACCESSED
  bit 6 DIRTY
  bit 8 GLOBAL
  alias PROTNONE = GLOBAL
  bits 12..51 PFN
}
format protnone_pte extends pte { override bits 12..51 PFN inverted }
format swp { bit 0 PRESENT; bit 8 PROTNONE; bits 9..58 OFFSET inverted; bits 59..63 TYPE }
format pte_marker_entry extends swp { in OFFSET { bit 0 PTE_MARKER_UFFD_WP; bit 1 PTE_MARKER_POISONED } }
swap {
  MAX_SWAPFILES_SHIFT = 5
  SWP_HWPOISON_NUM = 1 { SWP_HWPOISON }
  SWP_MIGRATION_NUM = 3 { SWP_MIGRATION_READ, SWP_MIGRATION_READ_EXCLUSIVE, SWP_MIGRATION_WRITE }
  SWP_PTE_MARKER_NUM = 1 { SWP_PTE_MARKER }
}
const PTE_MARKER_MASK = (1 << 2) - 1
predicate pte_none on pte = (word & ~0x60) == 0
predicate pte_present on pte = PRESENT || PROTNONE means present, protnone
predicate pte_protnone on pte = !PRESENT && PROTNONE means protnone
predicate is_swap_pte on swp = !pte_none && !pte_present
predicate non_swap_entry on swp = is_swap_pte && TYPE >= MAX_SWAPFILES
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind protnone : protnone_pte when pte_protnone refs page(PFN)
kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)
kind hwpoison : swp when is_swap_pte && TYPE == SWP_HWPOISON refs pfn(OFFSET)
kind migration_read : swp when is_swap_pte && TYPE == SWP_MIGRATION_READ refs pfn(OFFSET)
kind migration_read_exclusive : swp when is_swap_pte && TYPE == SWP_MIGRATION_READ_EXCLUSIVE refs pfn(OFFSET)
kind migration_write : swp when is_swap_pte && TYPE == SWP_MIGRATION_WRITE refs pfn(OFFSET)
kind pte_marker : pte_marker_entry when is_swap_pte && TYPE == SWP_PTE_MARKER
`;

/** `text` with the first line starting with `prefix` replaced by `line` (fails if there is none). */
export function replaceLine(text: string, prefix: string, line: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starts with '${prefix}'`);
  lines[i] = line;
  return lines.join('\n');
}

/**
 * Assert that a diagnostic's message states each fact (names, witness values, counts). Tests pin codes, positions
 * and facts, not the wording around them, so messages can be reworded without touching the tests.
 */
export function says(d: Diagnostic, ...facts: string[]): void {
  const missing = facts.filter((f) => !d.message.includes(f));
  if (missing.length > 0) {
    throw new Error(`${show(d)}\n  does not state: ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  }
}

/**
 * A test spec with handlers must give every decision the runtime asks (PTE046): the decisions `text` does not give
 * are appended as `false`, so a decision added to the contract does not break specs that are about something else.
 */
export function withEveryDecision(text: string): string {
  const missing = DECISION_NAMES.filter((n) => !new RegExp(`^decision ${n} =`, 'm').test(text));
  return `${text}${missing.map((n) => `decision ${n} = false\n`).join('')}`;
}
