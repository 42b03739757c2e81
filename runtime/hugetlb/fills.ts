// UFFDIO_COPY, UFFDIO_CONTINUE, UFFDIO_ZEROPAGE and UFFDIO_POISON into a hugetlb VMA, and the migration of a hugetlb
// folio (issue #15, docs/runtime.md "hugetlb"), mirroring runtime/uffd/mfill.ts and ops.ts's migrateAt for base
// pages. The kernel (v6.17 mm/userfaultfd.c mfill_atomic -> mfill_atomic_hugetlb -> mm/hugetlb.c
// hugetlb_mfill_atomic_pte, commit 0291023e7330): ZEROPAGE is EINVAL ("no default zero huge page"); COPY brings a new
// folio with the data (a shared VMA adds it to the page cache: EEXIST if the index is cached, EFAULT beyond i_size;
// a private one gets an anon folio, no size check); CONTINUE maps the cached folio (EFAULT for a hole or beyond
// i_size); POISON needs no folio. The spec's huge_pte paths then install the entry or refuse it (mfill_eexist).
// Migration: try_to_migrate_one on every entry mapping the folio, a new folio with the same contents (and the page
// cache slot), remove_migration_pte on every migration entry (v6.17 mm/rmap.c, mm/migrate.c). Nothing here reads a
// bit of an entry.
import { makeContext, type Machine } from '../machine.js';
import { OK, type StepOutcome } from '../outcome.js';
import { ViolationError } from '../trace.js';
import { uffdByName } from '../uffd/contexts.js';
import type { MfillIoctl, MfillMode } from '../uffd/mfill.js';
import { findVma, vmaEnd } from '../vma.js';
import type { Mm, Vma } from '../world.js';
import type { LevelModule } from '../../contract/spec-module.js';
import { folio, putFolio, runHugetlbPath } from './machine.js';
import { levelOf, mappedFolio } from './ops.js';
import { allocFolio, type HugetlbFolio } from './state.js';
import { hugetlbWorld } from './machine.js';

const err = (errno: string): StepOutcome => ({ type: 'error', errno });

const isRegistered = (v: Vma): boolean => v.uffd_wp || v.uffd_missing || v.uffd_minor;

/**
 * mfill_atomic_hugetlb() after mfill_atomic()'s common checks (mfill.ts): ZEROPAGE refused, then huge page by huge
 * page; a failure after the first is EAGAIN (a partial copy), as for base pages.
 */
export function hugetlbMfill(m: Machine, mm: Mm, v: Vma, ioctl: MfillIoctl, start: number, pages: number, mode: MfillMode, value: number): StepOutcome {
  if (ioctl === 'zeropage') return err('EINVAL');
  if (!v.shared) v.anon_vma = true; // as mfill.ts for every private destination (v5.19 __mcopy_atomic_hugetlb: anon_vma_prepare)
  const level = levelOf(m);
  for (let i = 0; i < pages; i++) {
    const r = fillHugePage(m, level, mm, v, start + i, ioctl, mode, value);
    if (r) return i === 0 ? r : err('EAGAIN');
  }
  return OK;
}

function fillHugePage(m: Machine, level: LevelModule, mm: Mm, v: Vma, addr: number, ioctl: MfillIoctl, mode: MfillMode, value: number): StepOutcome | undefined {
  const h = hugetlbWorld(m);
  const file = v.file !== null ? h.files.get(v.file) : undefined;
  if (!file) throw new ViolationError(`UFFDIO_${ioctl.toUpperCase()} on a hugetlb VMA that maps no hugetlbfs file (a bug in ptelab's runtime)`);
  const index = v.pgoff + (addr - v.start);
  const cached = index >= 0 && index < file.size ? (file.slots[index] ?? null) : null;
  let f: HugetlbFolio;
  if (ioctl === 'continue') {
    if (cached === null) return err('EFAULT'); // filemap_lock_hugetlb_folio() found nothing (a hole, or beyond i_size)
    f = folio(m, cached, 'UFFDIO_CONTINUE');
    f.refcount++; // the lookup's reference, which becomes the mapping's
  } else if (v.shared) {
    if (cached !== null) return err('EEXIST'); // hugetlbfs_pagecache_present()
    if (index >= file.size) return err('EFAULT');
    f = allocFolio(h, { contents: value, anon: false, file: file.name, index }); // the new entry's reference
    file.slots[index] = f.hpfn;
    f.refcount++; // hugetlb_add_to_page_cache(): the page cache's
  } else {
    f = allocFolio(h, { contents: value, anon: true, file: null, index: 0 });
  }
  m.mfillRefused = false;
  const mfill = { copy: ioctl === 'copy', zeropage: false, continue: ioctl === 'continue', wp: mode.wp };
  runHugetlbPath(m, level, 'hugetlb_mfill_atomic_pte', { mm, vma: v, addr }, makeContext(mm, v, { mfill, args: { pfn: BigInt(f.hpfn) } }));
  if (!m.mfillRefused) return undefined;
  m.mfillRefused = false;
  // out_release_unlock: folio_put; a folio just added to the page cache stays there (folio_in_pagecache)
  putFolio(m, f, 'hugetlb_mfill_atomic_pte (EEXIST)');
  return err('EEXIST');
}

/**
 * UFFDIO_POISON into a hugetlb VMA (v6.6): mfill_atomic() (the range in one VMA registered with a context, any mode:
 * validate_dst_vma), then hugetlb_mfill_atomic_pte's POISON branch per huge page. No i_size check on hugetlb.
 */
export function hugetlbPoison(m: Machine, mm: Mm, v: Vma, start: number, end: number): StepOutcome {
  if (end > vmaEnd(v) || !isRegistered(v)) return err('ENOENT');
  const level = levelOf(m);
  for (let a = start; a < end; a++) {
    m.mfillRefused = false;
    runHugetlbPath(m, level, 'hugetlb_mfill_atomic_pte_poison', { mm, vma: v, addr: a }, makeContext(mm, v));
    if (m.mfillRefused) {
      m.mfillRefused = false;
      return err(a === start ? 'EEXIST' : 'EAGAIN');
    }
  }
  return OK;
}

/** The EBADF / EINVAL / ENOENT answers UFFDIO_POISON gives before it knows the VMA is hugetlb (ops-lost.ts's order). */
export function poisonPrecheck(m: Machine, mm: Mm, start: number, end: number, uffd: string | undefined): StepOutcome | Vma {
  if (!uffdByName(mm, uffd)) return err('EBADF');
  if (end <= start) return err('EINVAL');
  const v = findVma(mm.vmas, start);
  if (!v) return err('ENOENT');
  if (!m.module.decisions.uffd_poison_supported(makeContext(mm, v))) return err('EINVAL');
  return v;
}

/** Every hugetlb entry (mm, VMA, address) whose kind refers to folio n through a `refs` of the given target. */
function entriesNaming(m: Machine, level: LevelModule, n: number, target: 'page' | 'pfn'): { mm: Mm; vma: Vma; addr: number }[] {
  const out: { mm: Mm; vma: Vma; addr: number }[] = [];
  for (const [name, hm] of m.world.hugetlb?.mms ?? []) {
    const mm = m.world.mms.get(name);
    if (!mm) continue;
    for (const [addr, w] of hm.pt) {
      const kind = level.classify(w);
      const refs = kind === undefined ? undefined : level.kinds.find((k) => k.name === kind)?.refs;
      if (refs?.target !== target || Number(level.decode(kind!, w)[refs.field]) !== n) continue;
      const vma = findVma(mm.vmas, addr);
      if (vma) out.push({ mm, vma, addr });
    }
  }
  return out;
}

/**
 * migrate_pages() of the hugetlb folio mapped at (mm, addr): isolate it (a reference), try_to_migrate_one on every
 * entry mapping it, a new folio with its contents (taking its page-cache slot), remove_migration_pte on every
 * migration entry, then the old folio goes. Nothing mapped there: nothing to do.
 */
export function hugetlbMigrate(m: Machine, mm: Mm, addr: number): StepOutcome {
  const n = mappedFolio(m, mm, addr);
  if (n === undefined) return OK;
  const level = levelOf(m);
  const h = hugetlbWorld(m);
  const old = folio(m, n, 'migration');
  old.refcount++; // folio_isolate_hugetlb()
  for (const c of entriesNaming(m, level, n, 'page')) runHugetlbPath(m, level, 'try_to_migrate_one', c, makeContext(c.mm, c.vma));
  const fail = (what: string): never => {
    const site = m.trace.current;
    throw new ViolationError(`hugetlb migration of folio ${n}: ${what}`, site, site?.path);
  };
  if (old.mapcount !== 0) fail(`still mapped ${old.mapcount} time(s) after try_to_migrate_one`);
  const nf = allocFolio(h, { contents: old.contents, anon: old.anon, file: old.file, index: old.index });
  if (old.file !== null) {
    const file = h.files.get(old.file);
    if (file?.slots[old.index] === old.hpfn) {
      file.slots[old.index] = nf.hpfn; // the page cache now holds the new folio
      nf.refcount++;
      old.refcount--;
    }
  }
  const migrate = { dst_pfn: BigInt(nf.hpfn) };
  for (const c of entriesNaming(m, level, n, 'pfn')) runHugetlbPath(m, level, 'remove_migration_pte', c, makeContext(c.mm, c.vma, { migrate }));
  putFolio(m, nf, 'migration (new folio)');
  if (old.refcount !== 1) fail(`the old folio keeps ${old.refcount - 1} reference(s) besides the isolation's`);
  putFolio(m, old, 'migration (old folio)');
  return OK;
}
