// Field-by-field copies of the runtime's flat records (pages, swap slots, VMAs, rss counters, the oracle's VMAs and
// cells), for the explorer's in-place reset (restoreWorld, restoreOracle). Object.assign is a generic builtin that
// V8 does not specialise: it was a tenth of the explorer's time. A field added to one of these records must be
// added here too: test/runtime/explore/records.test.ts copies every record of every bundled scenario onto a blank
// object and fails on any field left out (and restore.test.ts compares every reset state to a clone).
import type { OracleCell, OracleVma } from './oracle.js';
import type { Page, Rss, SwapSlot, Vma } from './world.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function copyPage(d: Page, s: Page): void {
  const x = d as Mutable<Page>;
  x.pfn = s.pfn;
  x.refcount = s.refcount;
  x.mapcount = s.mapcount;
  x.contents = s.contents;
  x.anon = s.anon;
  x.anonExclusive = s.anonExclusive;
  x.file = s.file;
  x.index = s.index;
  x.freed = s.freed;
  x.hwpoison = s.hwpoison;
  // (optional: absent while never pinned, so a copy has the key exactly when its source has it)
  if (s.pins !== undefined) x.pins = s.pins;
  else if (x.pins !== undefined) delete x.pins;
}

export function copySwapSlot(d: SwapSlot, s: SwapSlot): void {
  d.count = s.count;
  d.contents = s.contents;
  d.cache = s.cache;
  d.error = s.error;
}

export function copyVma(d: Vma, s: Vma): void {
  d.start = s.start;
  d.pages = s.pages;
  d.anon = s.anon;
  d.file = s.file;
  d.shared = s.shared;
  d.pgoff = s.pgoff;
  d.writable = s.writable;
  d.readable = s.readable;
  d.uffd_wp = s.uffd_wp;
  d.anon_vma = s.anon_vma;
  d.uffd_missing = s.uffd_missing;
  d.uffd_minor = s.uffd_minor;
  d.uffd_ctx = s.uffd_ctx;
  d.hugetlb = s.hugetlb;
  if (s.hugepage) d.hugepage = true;
  else delete d.hugepage;
}

export function copyRss(d: Rss, s: Rss): void {
  d.anon = s.anon;
  d.file = s.file;
  d.shmem = s.shmem;
  d.swapents = s.swapents;
}

export function copyOracleVma(d: OracleVma, s: OracleVma): void {
  const x = d as Mutable<OracleVma>;
  x.start = s.start;
  x.pages = s.pages;
  x.pgoff = s.pgoff;
  x.anon = s.anon;
  x.file = s.file;
  x.shared = s.shared;
  x.writable = s.writable;
  x.readable = s.readable;
  x.registered = s.registered;
  x.anonVma = s.anonVma;
  x.missing = s.missing;
  x.minor = s.minor;
  x.ctx = s.ctx;
  if (s.hugepage) (x as { hugepage?: boolean }).hugepage = true;
  else delete (x as { hugepage?: boolean }).hugepage;
}

/** (snaps is copied by reference: the caller copies the list.) */
export function copyOracleCell(d: OracleCell, s: OracleCell): void {
  d.value = s.value;
  d.snaps = s.snaps;
  d.populated = s.populated;
  d.prot = s.prot;
  d.guard = s.guard;
  d.lost = s.lost;
  d.mapped = s.mapped;
  d.zero = s.zero;
  d.forked = s.forked;
  d.maybeProt = s.maybeProt;
  d.lostKind = s.lostKind;
}
