// The canonical fingerprint of an explored state (World + oracle state) with the symmetries of the model reduced:
//
// - data values: page contents, swap-slot contents and the oracle's values are renumbered by first appearance in a
//   canonical traversal (0 stays 0: it is what untouched memory reads). Always sound: no spec can read a value (the
//   spec sees PTE words; data only moves through copy_page and the runtime), and the runtime and the oracle only
//   copy values and compare them for equality.
// - fork children: named by rank in creation order, not by name (the explorer names them by depth).
// - pfns and swap offsets (when `pfns` / `slots` is on): renumbered by first appearance in the traversal (mms in
//   order, their entries by address, then the files' slots), and the referring field is masked out of every PTE
//   word. Sound only if the spec treats those numbers as identities (compiler/analysis/symmetry.ts decides it from the IR);
//   the runtime's lowest-free allocation is then just "some fresh number".
//
// Everything else is included exactly: page counts, flags and pins, file slots, swap counts, VMAs and their flags
// (the context that registered each), rss, every uffd context of every mm and its features, each mm's pins and
// MMF_HAS_PINNED, every PTE word (minus the renamed field), the oracle's VMAs and cells. Equal fingerprints therefore
// mean isomorphic states (up to a 64-bit hash collision, fingerprint.ts), whose futures are isomorphic.
import type { EntryTable } from '../entries.js';
import type { OracleCell, OracleState } from '../oracle.js';
import type { SpecModule, Word } from '../../contract/spec-module.js';
import { FIRST_PFN, type World } from '../world.js';
import { CHILD_BASE, CTX_SHIFT, type Names } from './codec.js';
import { cellModeBits, uffdCode, vmaModeBits, type UffdCtx } from '../uffd/flags.js';
import { fingerprintInts } from './fingerprint.js';
import { encodeHugetlb, vmaHugetlbBit } from '../hugetlb/codec.js';
import { vmaHugepageBit } from '../thp/model.js';

// Maps are walked by keys() and get(), here and in the reset (world.ts, oracle.ts): a `[key, value]` entry iterator
// allocates an array per entry, and these run for every transition (docs/explore.md, "What a transition costs").

/** The canonical form as ints, then hashed: a typed-array append is cheaper than a hash round per value. */
class IntSink {
  buf: Int32Array = new Int32Array(1024);
  n = 0;

  reset(): void {
    this.n = 0;
  }

  /** Room for k more values: put() then checks nothing (each section reserves its exact bound first). */
  reserve(k: number): void {
    const need = this.n + k;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const b = new Int32Array(cap);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }

  put(v: number): void {
    this.buf[this.n++] = v;
  }
}

export type { SymmetryOptions } from '../../contract/table.js';
import type { SymmetryOptions } from '../../contract/table.js';

interface WordInfo {
  readonly kind: number; // index in module.kinds, -1 unclassified
  readonly lo: number; // the word, renamed field masked out when the symmetry is on
  readonly hi: number;
  readonly ref: 0 | 1 | 2; // 0 nothing renamed, 1 pfn, 2 swap offset
  readonly num: number; // the pfn or offset
}

const M32 = 0xffffffffn;
const MEMO_LIMIT = 1 << 16;
const SMALL_VALUES = 4096;
/** Names remembered by identity (a world has a handful: its mms, files and fork children). */
const NAME_CACHE = 16;

/**
 * The bits of `field` in `kind`'s format, found through the module's decode (the runtime knows no bit number: a bit
 * belongs to the field when flipping it changes the field's value).
 */
export function fieldMask(module: SpecModule, kind: string, field: string): bigint {
  const k = module.kinds.find((x) => x.name === kind);
  const base = k?.cubes[0]?.[1] ?? 0n;
  const v0 = module.decode(kind, base)[field];
  let mask = 0n;
  for (let b = 0; b < module.word; b++) {
    const bit = 1n << BigInt(b);
    if (module.decode(kind, base ^ bit)[field] !== v0) mask |= bit;
  }
  return mask;
}

export class Canonicalizer {
  private readonly fp = new IntSink();
  /** encodeHugetlb's sink (runtime/hugetlb/codec.ts pushes one value at a time): every push reserves its own room. */
  private readonly hugetlbSink = { push: (v: number): void => { this.fp.reserve(1); this.fp.put(v); } };
  // encodeHugetlb's names and values (made once: the fingerprint runs for every transition), for `world`
  private world: World | undefined;
  private readonly hugetlbNames = { encode: (n: string): number => (this.world!.mms.has(n) ? this.mmCode(n) : this.code(n)), decode: (): string => '' };
  private readonly hugetlbValue = (v: number): number => this.value(v);
  private readonly words = new Map<Word, WordInfo>();
  private readonly kindIndex = new Map<string, number>();
  /** Per kind: the mask of the renamed field, and what it names. */
  private readonly kindMask: { mask: bigint; ref: 0 | 1 | 2 }[] = [];
  // Per-call renaming tables, reused: an id is valid when its stamp is the current call's.
  private stamp = 0;
  private pfnStamp: Int32Array = new Int32Array(64);
  private pfnIds: Int32Array = new Int32Array(64);
  private readonly pfnOrder: number[] = [];
  private pfnN = 0;
  private slotStamp: Int32Array = new Int32Array(64);
  private slotIds: Int32Array = new Int32Array(64);
  private readonly slotOrder: number[] = [];
  private slotN = 0;
  private readonly valueIds = new Map<number, number>();
  // this call's mms: names and codes, in world order (a handful: a scan beats a Map)
  private readonly mmNames: string[] = [];
  private readonly mmCodeOf: number[] = [];
  private mmN = 0;
  private readonly addrs: number[] = [];
  private readonly ptWords: Word[] = [];
  private readonly cells: OracleCell[] = [];
  // data values below SMALL_VALUES are renumbered through a stamped table, larger ones through valueIds
  private readonly valueStamp = new Int32Array(SMALL_VALUES);
  private readonly valueSmall = new Int32Array(SMALL_VALUES);
  private valueCount = 0;
  private readonly nameKeys: string[] = [];
  private readonly nameCodes: number[] = [];
  readonly out = new Int32Array(2);

  constructor(
    module: SpecModule,
    private readonly entries: EntryTable,
    private readonly names: Names,
    readonly symmetry: SymmetryOptions,
  ) {
    module.kinds.forEach((k, i) => {
      this.kindIndex.set(k.name, i);
      let mask = 0n;
      let ref: 0 | 1 | 2 = 0;
      if (k.refs && (k.refs.target === 'page' || k.refs.target === 'pfn') && symmetry.pfns) {
        mask = fieldMask(module, k.name, k.refs.field);
        ref = 1;
      } else if (k.refs && k.refs.target === 'slot' && symmetry.slots) {
        mask = fieldMask(module, k.name, k.refs.offsetField);
        ref = 2;
      }
      this.kindMask.push({ mask, ref });
    });
  }

  private word(w: Word): WordInfo {
    let info = this.words.get(w);
    if (info !== undefined) return info;
    const e = this.entries.info(w);
    const kind = e.kind === undefined ? -1 : (this.kindIndex.get(e.kind) ?? -1);
    const km = kind >= 0 ? this.kindMask[kind]! : { mask: 0n, ref: 0 as const };
    const masked = w & ~km.mask;
    const num = km.ref === 1 ? e.pfn : km.ref === 2 ? e.slotOffset : 0;
    info = { kind, lo: Number(masked & M32) | 0, hi: Number((masked >> 32n) & M32) | 0, ref: km.ref, num };
    if (this.words.size >= MEMO_LIMIT) this.words.clear();
    this.words.set(w, info);
    return info;
  }

  /** The code of an mm of this call's world, or -2 (an oracle mm the world lacks: never equal to a code). */
  private mmCode(name: string): number {
    for (let i = 0; i < this.mmN; i++) if (this.mmNames[i] === name) return this.mmCodeOf[i]!;
    return -2;
  }

  private pfnId(pfn: number): number {
    if (!this.symmetry.pfns || pfn < FIRST_PFN) return pfn; // the zero page (and nonsense) keep their number
    if (pfn >= this.pfnStamp.length) {
      const n = Math.max(pfn + 1, this.pfnStamp.length * 2);
      this.pfnStamp = grow(this.pfnStamp, n);
      this.pfnIds = grow(this.pfnIds, n);
    }
    if (this.pfnStamp[pfn] === this.stamp) return this.pfnIds[pfn]!;
    const id = this.pfnN + 2; // ids start where pfns do, clear of the zero page's
    this.pfnStamp[pfn] = this.stamp;
    this.pfnIds[pfn] = id;
    this.pfnOrder[this.pfnN++] = pfn;
    return id;
  }

  private slotId(off: number): number {
    if (!this.symmetry.slots || off < 1) return off; // offset 0 is the swap header: never allocated
    if (off >= this.slotStamp.length) {
      const n = Math.max(off + 1, this.slotStamp.length * 2);
      this.slotStamp = grow(this.slotStamp, n);
      this.slotIds = grow(this.slotIds, n);
    }
    if (this.slotStamp[off] === this.stamp) return this.slotIds[off]!;
    const id = this.slotN + 1;
    this.slotStamp[off] = this.stamp;
    this.slotIds[off] = id;
    this.slotOrder[this.slotN++] = off;
    return id;
  }

  private value(v: number): number {
    if (v === 0) return 0;
    if (v > 0 && v < SMALL_VALUES) {
      if (this.valueStamp[v] === this.stamp) return this.valueSmall[v]!;
      this.valueStamp[v] = this.stamp;
      return (this.valueSmall[v] = ++this.valueCount);
    }
    let id = this.valueIds.get(v);
    if (id === undefined) {
      id = ++this.valueCount;
      this.valueIds.set(v, id);
    }
    return id;
  }

  /** A name's code (names.encode): the few names of a run are found by identity before the Map. */
  private code(name: string): number {
    const keys = this.nameKeys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === name) return this.nameCodes[i]!;
    const c = this.names.encode(name);
    if (keys.length < NAME_CACHE) {
      keys.push(name);
      this.nameCodes.push(c);
    }
    return c;
  }

  /** Fingerprint of the state into `this.out` ([lo, hi]). */
  fingerprint(world: World, oracle: OracleState): Int32Array {
    const fp = this.fp;
    fp.reset();
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.pfnStamp.fill(-1);
      this.slotStamp.fill(-1);
      this.valueStamp.fill(-1);
    }
    this.pfnN = 0;
    this.slotN = 0;
    this.valueCount = 0;
    if (this.valueIds.size > 0) this.valueIds.clear();
    this.mmN = 0;

    // mms: setup mms by their index, children by rank (Map order is creation order); each section reserves its
    // exact bound, then puts without checks
    let rank = 0;
    fp.reserve(1);
    fp.put(world.mms.size);
    for (const name of world.mms.keys()) {
      const mm = world.mms.get(name)!;
      const c = this.code(name);
      const mmCode = c >= CHILD_BASE ? 100_000 + rank++ : c;
      this.mmNames[this.mmN] = name;
      this.mmCodeOf[this.mmN++] = mmCode;
      const vmas = mm.vmas;
      const pins = mm.pins;
      fp.reserve(8 + 5 * vmas.length + 6 * mm.pt.size + 2 * mm.namedUffds.size + (pins === undefined ? 0 : 1 + 2 * pins.length));
      fp.put(mmCode);
      const r = mm.rss;
      fp.put(r.anon);
      fp.put(r.file);
      fp.put(r.shmem);
      fp.put(r.swapents);
      // the first context, MMF_HAS_PINNED, and the other contexts (several userfaultfds per mm, issue #14)
      fp.put(uffdCode(mm.uffd) | (mm.pinned ? 64 : 0) | (mm.namedUffds.size << 9));
      if (mm.namedUffds.size > 0) this.putNamedUffds(mm.namedUffds);
      fp.put(vmas.length);
      for (let i = 0; i < vmas.length; i++) {
        const v = vmas[i]!;
        fp.put(v.start);
        fp.put(v.pages);
        fp.put(v.pgoff);
        fp.put(v.file === null ? -1 : this.code(v.file));
        fp.put((v.anon ? 1 : 0) | (v.shared ? 2 : 0) | (v.writable ? 4 : 0) | (v.uffd_wp ? 8 : 0) | (v.anon_vma ? 16 : 0) | (v.readable ? 0 : 32) | vmaModeBits(v.uffd_missing, v.uffd_minor) | vmaHugetlbBit(v.hugetlb) | vmaHugepageBit(v.hugepage) | this.ctxBits(v.uffd_ctx));
      }
      const addrs = this.addrs;
      const words = this.ptWords;
      let n = 0;
      let sorted = true;
      for (const a of mm.pt.keys()) {
        const w = mm.pt.get(a)!;
        if (n > 0 && a < addrs[n - 1]!) sorted = false;
        addrs[n] = a;
        words[n++] = w;
      }
      if (!sorted) sortBy(addrs, words, n);
      fp.put(n);
      for (let j = 0; j < n; j++) {
        const info = this.word(words[j]!);
        fp.put(addrs[j]!);
        fp.put(info.kind);
        fp.put(info.lo);
        fp.put(info.hi);
        if (info.ref === 1) fp.put(this.pfnId(info.num));
        else if (info.ref === 2) fp.put(this.slotId(info.num));
      }
      // long-term pins (runtime/ops-pin.ts), in the order taken (unpin drops the first at an address): the address
      // and the page, renamed like the entries' pfns
      if (pins !== undefined && pins.length > 0) {
        fp.put(pins.length);
        for (let j = 0; j < pins.length; j++) {
          fp.put(pins[j]!.addr);
          fp.put(this.pfnId(pins[j]!.pfn));
        }
      }
    }
    // files: their slots name pages and swap slots
    fp.reserve(1);
    fp.put(world.files.size);
    for (const f of world.files.values()) {
      const fs = f.slots;
      fp.reserve(3 + 2 * fs.length);
      fp.put(this.code(f.name));
      fp.put(f.huge ? -f.size : f.size);
      fp.put(fs.length);
      for (let i = 0; i < fs.length; i++) {
        const s = fs[i]!;
        if (s === null) fp.put(0);
        else if (s.type === 'page') {
          fp.put(s.large ? 3 : 1);
          fp.put(this.pfnId(s.pfn));
        } else {
          fp.put(2);
          fp.put(this.slotId(s.offset));
        }
      }
    }
    // pages: in canonical order (first appearance, then any page nothing named, by pfn)
    const pages = world.pages;
    let live = 0;
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      if (!p) continue;
      live++;
      if (this.symmetry.pfns) this.pfnId(p.pfn);
    }
    // THP (runtime/thp/): a PMD names its folio by a raw pfn (put raw below), so with PMDs in the world the
    // renumbering is tied to the raw pfns: sound, only less reduction. So is it with a PMD-size shmem folio in a
    // file (runtime/thp/file.ts): its pages sit at an aligned head pfn and the next ones
    let thp = false;
    for (const mm of world.mms.values()) if (mm.pmd.size > 0) thp = true;
    for (const f of world.files.values()) {
      if (!f.huge) continue;
      for (const s of f.slots) if (s !== null && s.type === 'page' && s.large) thp = true;
    }
    fp.reserve(1);
    fp.put(thp ? 1 : 0);
    if (thp) {
      fp.reserve(2 * pages.length);
      for (let i = 0; i < pages.length; i++) {
        if (!pages[i]) continue;
        fp.put(i);
        fp.put(this.pfnId(i));
      }
      for (const mm of world.mms.values()) {
        fp.reserve(1 + 3 * mm.pmd.size);
        fp.put(mm.pmd.size);
        for (const a of [...mm.pmd.keys()].sort((x, y) => x - y)) {
          const w = mm.pmd.get(a)!;
          fp.put(a);
          fp.put(Number(w & 0xffffffffn) | 0);
          fp.put(Number((w >> 32n) & 0xffffffffn) | 0);
        }
      }
    }
    // (7 a page, and every pfn an entry or a file slot named: each is at most one emitPage)
    fp.reserve(1 + 7 * Math.max(live, this.pfnN));
    fp.put(live);
    if (this.symmetry.pfns) {
      const order = this.pfnOrder;
      for (let i = 0; i < this.pfnN; i++) this.emitPage(world, order[i]!); // (the order grows no more here)
    } else for (let i = 0; i < pages.length; i++) if (pages[i]) this.emitPage(world, i);
    // swap slots: likewise
    const slots = world.swap.slots;
    let used = 0;
    for (let off = 1; off < slots.length; off++) {
      if (!slots[off]) continue;
      used++;
      if (this.symmetry.slots) this.slotId(off);
    }
    fp.reserve(2 + 4 * Math.max(used, this.slotN));
    fp.put(used);
    if (this.symmetry.slots) {
      const order = this.slotOrder;
      for (let i = 0; i < this.slotN; i++) this.emitSlot(world, order[i]!);
    } else for (let off = 1; off < slots.length; off++) if (slots[off]) this.emitSlot(world, off);
    const q = world.quarantine;
    fp.put(q.pfns.length + q.slots.length); // empty between steps
    // hugetlb (runtime/hugetlb/): exact, folio numbers included (they are not renumbered), child mms by rank; its
    // length depends on the hugetlb state, so each value reserves its own room
    this.world = world;
    encodeHugetlb(world.hugetlb, this.hugetlbNames, this.hugetlbSink, this.hugetlbValue);

    // the oracle
    fp.reserve(1);
    fp.put(oracle.files.size);
    for (const name of oracle.files.keys()) {
      const f = oracle.files.get(name)!;
      const data = f.data;
      const cache = f.cache;
      fp.reserve(2 + data.length + cache.length);
      fp.put(this.code(name));
      fp.put(f.size * 2 + (f.hugetlb ? 1 : 0)); // a hugetlb file follows hugetlb's rules in the oracle (fills, faults)
      for (let i = 0; i < data.length; i++) fp.put(this.value(data[i]!));
      for (let i = 0; i < cache.length; i++) fp.put(cache[i]!);
    }
    fp.reserve(1);
    fp.put(oracle.mms.size);
    for (const name of oracle.mms.keys()) {
      const mm = oracle.mms.get(name)!;
      const vmas = mm.vmas;
      fp.reserve(4 + 5 * vmas.length + 2 * mm.namedUffds.size);
      fp.put(this.mmCode(name));
      fp.put(uffdCode(mm.uffd) | (mm.namedUffds.size << 9));
      if (mm.namedUffds.size > 0) this.putNamedUffds(mm.namedUffds);
      fp.put(vmas.length);
      for (let i = 0; i < vmas.length; i++) {
        const v = vmas[i]!;
        fp.put(v.start);
        fp.put(v.pages);
        fp.put(v.pgoff);
        fp.put(v.file === null ? -1 : this.code(v.file));
        fp.put((v.anon ? 1 : 0) | (v.shared ? 2 : 0) | (v.writable ? 4 : 0) | (v.registered ? 8 : 0) | (v.anonVma ? 16 : 0) | (v.readable ? 0 : 32) | vmaModeBits(v.missing, v.minor) | vmaHugepageBit(v.hugepage) | this.ctxBits(v.ctx));
      }
      const addrs = this.addrs;
      const cells = this.cells;
      let n = 0;
      let sorted = true;
      for (const a of mm.cells.keys()) {
        const c = mm.cells.get(a)!;
        if (c.value === null && !c.snaps && !c.populated && !c.prot && !c.guard && c.lost === 0 && !c.mapped && !c.zero && !c.forked && !c.maybeProt && c.lostKind === 0) continue; // an empty cell is no cell
        if (n > 0 && a < addrs[n - 1]!) sorted = false;
        addrs[n] = a;
        cells[n++] = c;
      }
      if (!sorted) sortBy(addrs, cells, n);
      fp.put(n);
      for (let j = 0; j < n; j++) {
        const c = cells[j]!;
        const snaps = c.snaps;
        fp.reserve(4 + (snaps === null ? 0 : snaps.length));
        fp.put(addrs[j]!);
        fp.put(c.value === null ? -1 : this.value(c.value));
        if (snaps === null) fp.put(-1);
        else {
          fp.put(snaps.length);
          for (let i = 0; i < snaps.length; i++) fp.put(this.value(snaps[i]!));
        }
        fp.put((c.populated ? 1 : 0) | (c.prot ? 2 : 0) | (c.guard ? 4 : 0) | (c.lost << 3) | cellModeBits(c.mapped, c.zero, c.forked, c.maybeProt, c.lostKind));
      }
    }
    fingerprintInts(fp.buf, fp.n, this.out);
    return this.out;
  }

  /** The named contexts (the caller reserved 2 each), by name code: the order they were opened in is no state. */
  private putNamedUffds(m: ReadonlyMap<string, UffdCtx>): void {
    const fp = this.fp;
    const codes = [...m.keys()].map((k) => [this.code(k), uffdCode(m.get(k)!)] as const).sort((a, b) => a[0] - b[0]);
    for (const [c, u] of codes) {
      fp.put(c);
      fp.put(u);
    }
  }

  /** A VMA's context ('' the mm's first: 0, so one-context states put what they put before). */
  private ctxBits(ctx: string): number {
    return ctx === '' ? 0 : (this.code(ctx) + 1) << CTX_SHIFT;
  }

  /** (the caller reserved 7) */
  private emitPage(world: World, pfn: number): void {
    const fp = this.fp;
    const p = world.pages[pfn];
    if (!p) {
      fp.put(-1); // named by an entry but not a page (an invariant failure: never expanded)
      return;
    }
    fp.put(this.pfnId(pfn));
    fp.put(p.refcount);
    fp.put(p.mapcount);
    fp.put(this.value(p.contents));
    fp.put((p.anon ? 1 : 0) | (p.anonExclusive ? 2 : 0) | (p.freed ? 4 : 0) | (p.hwpoison ? 8 : 0) | ((p.pins ?? 0) << 4));
    fp.put(p.file === null ? -1 : this.code(p.file));
    fp.put(p.index);
  }

  /** (the caller reserved 4) */
  private emitSlot(world: World, off: number): void {
    const fp = this.fp;
    const s = world.swap.slots[off];
    if (!s) {
      fp.put(-1);
      return;
    }
    fp.put(this.slotId(off));
    fp.put(s.count);
    fp.put(this.value(s.contents));
    fp.put((s.cache ? 1 : 0) | (s.error ? 2 : 0));
  }
}

/** Sort keys[0..n) ascending (distinct addresses, a handful: insertion sort), moving vals along. */
function sortBy<T>(keys: number[], vals: T[], n: number): void {
  for (let j = 1; j < n; j++) {
    const a = keys[j]!;
    const v = vals[j]!;
    let k = j - 1;
    while (k >= 0 && keys[k]! > a) {
      keys[k + 1] = keys[k]!;
      vals[k + 1] = vals[k]!;
      k--;
    }
    keys[k + 1] = a;
    vals[k + 1] = v;
  }
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n).fill(-1);
  b.set(a);
  return b;
}
