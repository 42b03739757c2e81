// The hugetlb part of the runtime's world (issue #15, docs/runtime.md "hugetlb"): hugetlbfs files and their page
// cache, hugetlb folios, and per mm the huge_pte entries and hugetlb_usage. Kept apart from the base-page world
// (world.ts): hugetlb pages are never on the LRU, never swapped, counted in mm->hugetlb_usage instead of the rss
// counters, and their entries are read by the spec's huge_pte level, not its PTE level.
//
// The abstraction: one model page of a hugetlb VMA is one huge page (HPAGE_MODEL_PAGES = 1). A huge page has one
// entry (huge_ptep_get) and every operation of the kernel acts on whole huge pages (hugetlb_vm_op_split refuses an
// unaligned split with EINVAL, __unmap_hugepage_range and hugetlb_change_protection BUG on unaligned ranges, the
// fault handler aligns the address down), so the entry state the spec decides, the folio's counts and the
// userfaultfd contract are per huge page; its contents are one value, as COW copies and zero-fill act on the whole
// folio. Plain data, like world.ts, so that clone and key stay structural.
import type { Word } from '../../contract/spec-module.js';

/** Base pages of a huge page in the model's address space (see the header). */
export const HPAGE_MODEL_PAGES = 1;
/** Hugetlb folios get numbers (their "pfn" in huge_pte entries) from here upwards, lowest free first. */
export const FIRST_HPFN = 1;

export interface HugetlbFolio {
  readonly hpfn: number;
  refcount: number; // folio_ref_count(): mappings + the page cache + references held during an op
  mapcount: number; // folio_mapcount(): entries mapping it (hugetlb_add_file_rmap / hugetlb_add_new_anon_rmap)
  contents: number;
  anon: boolean; // folio_test_anon(): a MAP_PRIVATE fault or COW allocated it
  anonExclusive: boolean; // PageAnonExclusive
  /** The hugetlbfs file and index whose page cache holds it, or null (anon). */
  file: string | null;
  index: number;
  /** Freed during the current step: kept until the step's invariants ran, so stale references are caught. */
  freed: boolean;
}

export interface HugetlbFile {
  readonly name: string;
  readonly size: number; // huge pages; a fault at or beyond it is SIGBUS
  /** The page cache: index -> folio number, null = hole. */
  slots: (number | null)[];
}

export interface HugetlbMm {
  /** huge_pte entries by the huge page's address; a missing address is huge_pte_none. */
  pt: Map<number, Word>;
  /** mm->hugetlb_usage, in huge pages. */
  usage: number;
}

export interface HugetlbWorld {
  folios: (HugetlbFolio | undefined)[];
  files: Map<string, HugetlbFile>;
  mms: Map<string, HugetlbMm>;
  /** Folios freed during the current step. */
  quarantine: number[];
}

export function createHugetlbWorld(): HugetlbWorld {
  return { folios: [], files: new Map(), mms: new Map(), quarantine: [] };
}

/** The mm's hugetlb part, created on first use. */
export function hugetlbMm(h: HugetlbWorld, mm: string): HugetlbMm {
  let x = h.mms.get(mm);
  if (!x) {
    x = { pt: new Map(), usage: 0 };
    h.mms.set(mm, x);
  }
  return x;
}

export function allocFolio(h: HugetlbWorld, init: { contents: number; anon: boolean; file: string | null; index: number }): HugetlbFolio {
  let n = FIRST_HPFN;
  while (n < h.folios.length && h.folios[n] !== undefined) n++;
  const f: HugetlbFolio = { hpfn: n, refcount: 1, mapcount: 0, contents: init.contents, anon: init.anon, anonExclusive: false, file: init.file, index: init.index, freed: false };
  h.folios[n] = f;
  return f;
}

export function cloneHugetlb(h: HugetlbWorld): HugetlbWorld {
  const folios: (HugetlbFolio | undefined)[] = new Array(h.folios.length);
  for (let i = 0; i < h.folios.length; i++) {
    const f = h.folios[i];
    if (f) folios[i] = { ...f };
  }
  const files = new Map<string, HugetlbFile>();
  for (const [k, f] of h.files) files.set(k, { name: f.name, size: f.size, slots: f.slots.slice() });
  const mms = new Map<string, HugetlbMm>();
  for (const [k, m] of h.mms) mms.set(k, { pt: new Map(m.pt), usage: m.usage });
  return { folios, files, mms, quarantine: h.quarantine.slice() };
}

/** End of a step: freed folios become reusable; an mm with nothing left is dropped (equal states, equal keys). */
export function endHugetlbStep(h: HugetlbWorld, liveMms: ReadonlySet<string> | ReadonlyMap<string, unknown>): void {
  for (const n of h.quarantine) if (h.folios[n]?.freed) h.folios[n] = undefined;
  h.quarantine.length = 0;
  while (h.folios.length > 0 && h.folios[h.folios.length - 1] === undefined) h.folios.length--;
  for (const [k, m] of [...h.mms]) if (!liveMms.has(k) || (m.pt.size === 0 && m.usage === 0)) h.mms.delete(k);
}

/** Deterministic text of the hugetlb state (world.ts worldKey appends it). */
export function hugetlbKey(h: HugetlbWorld): string {
  const out: string[] = [];
  for (const f of h.folios) {
    if (!f) continue;
    out.push(`h${f.hpfn}:${f.refcount}/${f.mapcount}=${f.contents}${f.anon ? 'a' : ''}${f.anonExclusive ? 'x' : ''}${f.file !== null ? `@${f.file}:${f.index}` : ''}${f.freed ? '!' : ''}`);
  }
  for (const name of [...h.files.keys()].sort()) {
    const f = h.files.get(name)!;
    out.push(`hf${name}/${f.size}:${f.slots.map((s) => (s === null ? '-' : `h${s}`)).join(',')}`);
  }
  for (const name of [...h.mms.keys()].sort()) {
    const m = h.mms.get(name)!;
    const addrs = [...m.pt.keys()].sort((a, b) => a - b);
    out.push(`hm${name}:${m.usage}${addrs.map((a) => `|${a}=${m.pt.get(a)!.toString(16)}`).join('')}`);
  }
  return out.join('\n');
}
