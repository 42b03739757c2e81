// C names for a spec: one registry per sketch so that spec names (constants, predicates, fns, decisions) keep
// their kernel spelling unless they collide with C or the shim, and every generated helper gets a unique name.
// Claims are made in a fixed order, so the same spec always gets the same names.
import { SHIM_NAMES } from './shim.js';

export const C_KEYWORDS: ReadonlySet<string> = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local asm typeof ' +
    '__attribute__ __typeof__ __asm__ __inline__ __extension__ __builtin_va_list main')
    .split(' '),
);

export class Names {
  private readonly taken = new Set<string>([...C_KEYWORDS, ...SHIM_NAMES]);

  /**
   * `want` if free, else `ptelab_want`, else with a numeric suffix. Another page-table level's emitter shares the
   * PTE level's registry and gives its own prefix (`ptelab_pmd_`): its `mmu_read` is then `ptelab_pmd_mmu_read`.
   */
  claim(want: string, prefix = 'ptelab_'): string {
    for (const candidate of candidates(want, prefix)) {
      if (!this.taken.has(candidate)) {
        this.taken.add(candidate);
        return candidate;
      }
    }
    throw new Error('unreachable');
  }

  /**
   * A family of names built from one stem (`__S_SHIFT`, `ptelab_s`, ...): the first suffix for which every member
   * is free ('', then `second` if given, then _3, _4, ...).
   */
  claimFamily(make: (suffix: string) => readonly string[], second?: string): readonly string[] {
    for (let i = 1; ; i++) {
      const names = make(i === 1 ? '' : i === 2 && second ? second : `_${i}`);
      if (names.every((n) => !this.taken.has(n)) && new Set(names).size === names.length) {
        for (const n of names) this.taken.add(n);
        return names;
      }
    }
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

function* candidates(want: string, prefix: string): Generator<string> {
  yield want;
  yield `${prefix}${want}`;
  for (let i = 2; ; i++) yield `${prefix}${want}_${i}`;
}

/** Local names inside one C function: never a keyword, a file-scope name or another local. */
export class LocalNames {
  private readonly taken: Set<string>;

  constructor(private readonly globals: Names, reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  claim(want: string): string {
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? want : `${want}${i}`;
      if (!this.taken.has(candidate) && !this.globals.has(candidate) && !C_KEYWORDS.has(candidate)) {
        this.taken.add(candidate);
        return candidate;
      }
    }
  }
}

/**
 * The macro stem of a field: the field name when it already carries the format's leading word(s)
 * (`swp.SWP_UFFD_WP` -> SWP_UFFD_WP, `pte_marker_entry.PTE_MARKER_GUARD` -> PTE_MARKER_GUARD), else FORMAT_FIELD
 * (`pte.UFFD_WP` -> PTE_UFFD_WP, `swp.TYPE` -> SWP_TYPE).
 */
export function fieldStem(format: string, field: string): string {
  const f = format.toUpperCase().split('_');
  const x = field.toUpperCase().split('_');
  return f[0] === x[0] ? field.toUpperCase() : `${format.toUpperCase()}_${field.toUpperCase()}`;
}
