// Seed specs for the front-end fuzzer: the sample specs the layout half was first tried on (a clean x86-like
// spec, one with a name error, one with an error of every kind), inlined so the fuzz corpus does not depend on
// files outside the repository. The fuzzer adds examples/**/*.pte found at run time.

/** A clean x86-like spec (kinds none, present, protnone, swap, hwpoison, pte_marker). */
export const T2 = `spec x86 "desc"
word 64
format pte {
  bit 0 PRESENT
  bit 5 ACCESSED
  bit 6 DIRTY
  bit 8 GLOBAL
  alias PROTNONE = GLOBAL
  bits 12..51 PFN
}
format protnone_pte extends pte { override bits 12..51 PFN inverted }
format swp { bit 0 PRESENT; bit 8 PROTNONE; bits 9..58 OFFSET inverted; bits 59..63 TYPE }
format pte_marker_entry extends swp { in OFFSET { bit 0 PTE_MARKER_UFFD_WP } }
swap {
  MAX_SWAPFILES_SHIFT = 5
  SWP_HWPOISON_NUM = 1 { SWP_HWPOISON }
  SWP_PTE_MARKER_NUM = 1 { SWP_PTE_MARKER }
}
predicate pte_none on pte = (word & ~0x60) == 0
predicate pte_present on pte = PRESENT || PROTNONE means present, protnone
predicate pte_protnone on pte = !PRESENT && PROTNONE means protnone
predicate is_swap_pte on swp = !pte_none && !pte_present
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind protnone : protnone_pte when pte_protnone refs page(PFN)
kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)
kind hwpoison : swp when is_swap_pte && TYPE == SWP_HWPOISON refs page(OFFSET)
kind pte_marker : pte_marker_entry when is_swap_pte && TYPE == SWP_PTE_MARKER
`;

/** A smaller spec with a constant, a sub-field and a means list naming kinds that do not exist. */
export const T1 = `// test
spec x86 "desc"
word 64
format pte {
  bit 0 PRESENT
  bit 8 GLOBAL
  alias PROTNONE = GLOBAL
  bits 12..51 PFN
}
format swp { bits 9..58 OFFSET inverted; bits 59..63 TYPE }
format m extends swp { in OFFSET { bit 0 PTE_MARKER_UFFD_WP } }
swap {
  MAX_SWAPFILES_SHIFT = 5
  SWP_HWPOISON_NUM = 1 { SWP_HWPOISON }
}
const X = (1 << 3) - 1
predicate pte_none on pte = (word & ~0x60) == 0
predicate pte_present on pte = PRESENT || PROTNONE means present, protnone
kind none : pte when pte_none
kind swap : swp when !pte_none && !pte_present && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)
`;

/** Errors of every layout kind: a field outside the word, overlap, empty range, a missing '}', an unknown name,
 *  ambiguity, an exhausted swap budget, a group count mismatch, and input ending inside an expression. */
export const BAD = `spec bad "x"
word 64
format pte {
  bit 0 PRESENT
  bits 3..70 BIG
  bit 0 OTHER
  bits 9..5 REV
}
format swp { bits 9..58 OFFSET inverted; bits 59..63 TYPE
kind none : pte when (word & ~0x60) == 0
kind x : pte when PRESENT == NOPE
kind y : swp when TYPE < 3 && OFFSET == 0
kind z : swp when TYPE == 1
swap { MAX_SWAPFILES_SHIFT = 2 
  A = 3 { A1, A2, A3, A4 }
}
kind q : pte when PRESENT +
`;

/** A small baseline for mutated specs that `extends "base.pte"`. */
export const BASE = `spec base "small baseline"
word 64
format pte { bit 0 PRESENT; bits 12..51 PFN }
format swp { bit 0 PRESENT; bits 9..58 OFFSET inverted; bits 59..63 TYPE }
swap { MAX_SWAPFILES_SHIFT = 5
  SWP_PTE_MARKER_NUM = 1 { SWP_PTE_MARKER } }
predicate pte_none on pte = word == 0
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind swap : swp when !pte_none && !PRESENT && TYPE < MAX_SWAPFILES refs slot(TYPE, OFFSET)
kind pte_marker : swp when !pte_none && !PRESENT && TYPE == SWP_PTE_MARKER
`;

export const SEEDS: Readonly<Record<string, string>> = { T2, T1, BAD, BASE };
