// Which form of the kernel's page-table API the patch sketch calls, by the kernel version the spec claims (issue #15
// item 6): a 5.19 spec's PMD and hugetlb cases must call 5.19's functions with 5.19's arguments, or the series would
// not build on the kernel it is for. Only what the emitter itself writes around a level's entry is versioned here
// (the writes, the re-read of the entry a `call` passes on); the spec's own helpers are the spec's, and the PTE
// level's primitives keep their one form (docs/patch.md, "The kernel's API per version").
//
// Facts (sources S43; read in the trees of docs/sources.md; restated, no kernel code):
// - set_huge_pte_at(): v5.19 include/asm-generic/hugetlb.h and include/linux/hugetlb.h take (mm, addr, ptep, pte);
//   Debian's 6.1 tree the same; the huge page size `sz` was added by mainline commit 935d4f0c6dc8 ("mm: hugetlb: add
//   huge page size param to set_huge_pte_at()", a fix merged during the 6.6 release candidates, Sept. 2023); v6.17
//   takes (mm, addr, ptep, pte, sz).
// - huge_ptep_get(): v5.19 asm-generic/hugetlb.h takes (ptep); v6.17 takes (mm, addr, ptep) (the mm and address were
//   added for v6.12).
// - huge_pte_clear(): (mm, addr, ptep, sz) in v5.19 (asm-generic/hugetlb.h) as in v6.17: not versioned.
// - pmdp_get(): absent from v5.19's and Debian 6.1's include/linux/pgtable.h, where mm/huge_memory.c reads the PMD
//   by dereferencing the pointer (*pmd); added beside ptep_get() with the 6.2 merge window (Peter Zijlstra's
//   "x86/mm/pae: Make pmd_t similar to pte_t" series, Oct. 2022); v6.17 has it.
// - set_pmd_at(mm, addr, pmdp, pmd) and pmd_clear(pmdp): the same in v5.19 and v6.17.
import type { IrSpec } from '../../ir/types.js';

/** A kernel version as major.minor. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** The newest kernel the bundled specs describe: a spec that claims no version gets its API. */
export const NEWEST_KERNEL: KernelVersion = { major: 6, minor: 17 };

/** One call whose signature changed: the first version with the new form. */
interface Since {
  readonly since: KernelVersion;
}

const API_SINCE = {
  /** set_huge_pte_at(mm, addr, ptep, pte, sz). */
  setHugePteAtSize: { since: { major: 6, minor: 6 } },
  /** huge_ptep_get(mm, addr, ptep). */
  hugePtepGetMmAddr: { since: { major: 6, minor: 12 } },
  /** pmdp_get(pmdp), else `*pmdp`. */
  pmdpGet: { since: { major: 6, minor: 2 } },
} as const satisfies Record<string, Since>;

export type KernelApi = { readonly version: KernelVersion } & { readonly [K in keyof typeof API_SINCE]: boolean };

function atLeast(v: KernelVersion, w: KernelVersion): boolean {
  return v.major !== w.major ? v.major > w.major : v.minor >= w.minor;
}

export function kernelApi(version: KernelVersion): KernelApi {
  const flags = Object.fromEntries(Object.entries(API_SINCE).map(([k, s]) => [k, atLeast(version, s.since)])) as { [K in keyof typeof API_SINCE]: boolean };
  return { version, ...flags };
}

/** `v5.19`. */
export function versionText(v: KernelVersion): string {
  return `v${v.major}.${v.minor}`;
}

// `x86_64_v5_19`, `examples/x86_64-v5.19.pte`, "Linux v5.19, x86_64": a `v` that starts a word (or follows `_`/`-`),
// then major and minor. A proposal's own name rarely says; its base's file does.
const VERSION = /(?:^|[^A-Za-z0-9])v(\d{1,2})[._](\d{1,3})(?![0-9])/;

/**
 * The kernel version a spec claims: from its name, its description, then the files of its extends chain (its own
 * first, then its base's...), the first that names one. Undefined when none does (the sketch then uses the newest
 * API, NEWEST_KERNEL).
 */
export function claimedVersion(ir: Pick<IrSpec, 'name' | 'description' | 'file' | 'chain'>): KernelVersion | undefined {
  // a file by its own name only: a folder of the machine says nothing of the spec
  const where = [ir.name, ir.description, ...[ir.file, ...[...ir.chain].reverse()].map((f) => f.slice(f.lastIndexOf('/') + 1))];
  for (const s of where) {
    const m = VERSION.exec(s);
    if (m) return { major: Number(m[1]), minor: Number(m[2]) };
  }
  return undefined;
}

/** The API a spec's sketch calls: its claimed version's, or the newest. */
export function specKernelApi(ir: Pick<IrSpec, 'name' | 'description' | 'file' | 'chain'>): KernelApi {
  return kernelApi(claimedVersion(ir) ?? NEWEST_KERNEL);
}
