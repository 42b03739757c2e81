// Exact, compact encoding of an explored state (the runtime's World and the oracle's state) as int32s, so a BFS
// frontier of millions of states fits in memory and crosses to worker threads as one transferable buffer. Decoding
// gives back plain objects equal to the originals (same fields, same Map and array order: the runtime's behaviour
// may depend on iteration order), which test/runtime/explore/codec.test.ts checks field by field on random walks.
//
// Names (mms, files, named userfaultfd contexts) are numbers: the setup's names by index, fork children (named PREFIX<n> by the explorer) as
// CHILD_BASE + n, so every thread encodes them the same way without sharing a table.
import type { OracleCell, OracleFile, OracleMm, OracleState, OracleVma } from '../oracle.js';
import { NO_NAMED_UFFDS, type FileSlot, type Mm, type Page, type ShmemFile, type SwapSlot, type Vma, type World } from '../world.js';
import type { IntArena } from './arena.js';
import { cellModeBits, cellMoveFields, uffdCode, uffdFromCode, vmaModeBits, type UffdCtx } from '../uffd/flags.js';
import { decodeHugetlb, encodeHugetlb, isHugetlbBit, vmaHugetlbBit } from '../hugetlb/codec.js';
import { isHugepageBit, vmaHugepageBit } from '../thp/model.js';

export const CHILD_BASE = 1 << 24;

export class Names {
  private readonly index = new Map<string, number>();

  constructor(
    /** The world's own names (mms and files of the setup), in a fixed order. */
    readonly fixed: readonly string[],
    /** Fork children are PREFIX<n>. */
    readonly childPrefix: string,
  ) {
    fixed.forEach((n, i) => this.index.set(n, i));
  }

  childName(n: number): string {
    return `${this.childPrefix}${n}`;
  }

  /** The number of a child's name, or -1 for a setup name. */
  childNumber(name: string): number {
    if (this.index.has(name) || !name.startsWith(this.childPrefix)) return -1;
    const n = Number(name.slice(this.childPrefix.length));
    return Number.isInteger(n) && n >= 0 ? n : -1;
  }

  /** Codes of every name seen (children included), so that encoding is one lookup. */
  private readonly codes = new Map<string, number>();

  encode(name: string): number {
    const c = this.codes.get(name);
    if (c !== undefined) return c;
    const i = this.index.get(name);
    let code: number;
    if (i !== undefined) code = i;
    else {
      const n = this.childNumber(name);
      if (n < 0) throw new Error(`codec: unknown name '${name}'`);
      code = CHILD_BASE + n;
    }
    this.codes.set(name, code);
    return code;
  }

  /** Is this the name of a fork child (not a setup name)? */
  isChild(name: string): boolean {
    return this.encode(name) >= CHILD_BASE;
  }

  decode(code: number): string {
    if (code >= CHILD_BASE) return this.childName(code - CHILD_BASE);
    const n = this.fixed[code];
    if (n === undefined) throw new Error(`codec: bad name code ${code}`);
    return n;
  }
}

function int(v: number, what: string): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new Error(`codec: ${what} ${v} does not fit 32 bits`);
  return v;
}

const M32 = 0xffffffffn;

// Several userfaultfds per mm and long-term pins (issue #14): packed above the bits the codec used before, so a state
// without them encodes exactly as before (no int more). The mm's uffd word: uffdCode (bits 0-5), MMF_HAS_PINNED as
// set-or-absent (6) and its value (7), whether the mm has a pin list (8), the number of named contexts (9 up).
export const UFFD_MASK = 63;
export const MM_PINNED_SET = 64;
export const MM_PINNED = 128;
export const MM_HAS_PINS = 256;
export const NAMED_SHIFT = 9;
/** A VMA's context in its flags word: 0 the mm's first, else the name's code + 1 (bits 0-9 are the flags). */
export const CTX_SHIFT = 10;
/** A page's pin count in its flags word: whether `pins` is set (bit 4), the count (5 up). */
const PAGE_HAS_PINS = 16;
const PAGE_PINS_SHIFT = 5;

function mmPinBits(pinned: boolean | undefined, hasPins: boolean): number {
  return (pinned === undefined ? 0 : MM_PINNED_SET | (pinned ? MM_PINNED : 0)) | (hasPins ? MM_HAS_PINS : 0);
}

function pagePinBits(pins: number | undefined): number {
  return pins === undefined ? 0 : PAGE_HAS_PINS | (pins << PAGE_PINS_SHIFT);
}

function ctxBits(ctx: string, names: Names): number {
  return ctx === '' ? 0 : (names.encode(ctx) + 1) << CTX_SHIFT;
}

// ------------------------------------------------------------------------------------------------- encode

export function encodeState(world: World, oracle: OracleState, names: Names, out: IntArena): void {
  encodeWorld(world, names, out);
  encodeOracle(oracle, names, out);
}

function encodeWorld(w: World, names: Names, out: IntArena): void {
  const pages = w.pages;
  out.push(pages.length);
  let live = 0;
  for (let i = 0; i < pages.length; i++) if (pages[i]) live++;
  out.push(live);
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i];
    if (!p) continue;
    out.push(p.pfn);
    out.push(p.refcount);
    out.push(p.mapcount);
    out.push(int(p.contents, 'page contents'));
    out.push((p.anon ? 1 : 0) | (p.anonExclusive ? 2 : 0) | (p.freed ? 4 : 0) | (p.hwpoison ? 8 : 0) | pagePinBits(p.pins));
    out.push(p.file === null ? -1 : names.encode(p.file));
    out.push(p.index);
  }
  out.push(w.files.size);
  for (const f of w.files.values()) {
    out.push(names.encode(f.name));
    out.push(f.size);
    out.push(f.huge ? 1 : 0);
    out.push(f.slots.length);
    for (const s of f.slots) {
      if (s === null) out.push(0);
      else if (s.type === 'page') {
        out.push(s.large ? 3 : 1);
        out.push(s.pfn);
      } else {
        out.push(2);
        out.push(s.offset);
      }
    }
  }
  const slots = w.swap.slots;
  out.push(slots.length);
  for (const s of slots) {
    if (s === null) out.push(0);
    else {
      out.push((s.cache ? 2 : 1) | (s.error ? 4 : 0));
      out.push(s.count);
      out.push(int(s.contents, 'swap contents'));
    }
  }
  out.push(w.mms.size);
  for (const mm of w.mms.values()) {
    out.push(names.encode(mm.name));
    out.push(mm.rss.anon);
    out.push(mm.rss.file);
    out.push(mm.rss.shmem);
    out.push(mm.rss.swapents);
    // the first context, the pin bookkeeping and the number of named contexts in one int (a world without pins
    // or named contexts encodes as before)
    const pins = mm.pins;
    out.push(uffdCode(mm.uffd) | mmPinBits(mm.pinned, pins !== undefined) | (mm.namedUffds.size << NAMED_SHIFT));
    if (pins !== undefined) {
      out.push(pins.length);
      for (const x of pins) {
        out.push(x.addr);
        out.push(x.pfn);
      }
    }
    for (const n of mm.namedUffds.keys()) {
      const u = mm.namedUffds.get(n)!;
      out.push(names.encode(n));
      out.push(uffdCode(u));
    }
    out.push(mm.vmas.length);
    for (const v of mm.vmas) {
      out.push(v.start);
      out.push(v.pages);
      out.push(v.pgoff);
      out.push(v.file === null ? -1 : names.encode(v.file));
      out.push((v.anon ? 1 : 0) | (v.shared ? 2 : 0) | (v.writable ? 4 : 0) | (v.uffd_wp ? 8 : 0) | (v.anon_vma ? 16 : 0) | (v.readable ? 0 : 32) | vmaModeBits(v.uffd_missing, v.uffd_minor) | vmaHugetlbBit(v.hugetlb) | vmaHugepageBit(v.hugepage) | ctxBits(v.uffd_ctx, names));
    }
    out.push(mm.pt.size);
    for (const addr of mm.pt.keys()) {
      const word = mm.pt.get(addr)!;
      out.push(addr);
      out.push(Number(word & M32) | 0);
      out.push(Number((word >> 32n) & M32) | 0);
    }
    // THP (runtime/thp/): the PMD leaves, as the PTEs
    out.push(mm.pmd.size);
    for (const addr of mm.pmd.keys()) {
      const word = mm.pmd.get(addr)!;
      out.push(addr);
      out.push(Number(word & M32) | 0);
      out.push(Number((word >> 32n) & M32) | 0);
    }
  }
  const q = w.quarantine;
  out.push(q.pfns.length);
  for (const x of q.pfns) out.push(x);
  out.push(q.slots.length);
  for (const x of q.slots) out.push(x);
  encodeHugetlb(w.hugetlb, names, out);
}

function encodeOracle(o: OracleState, names: Names, out: IntArena): void {
  out.push(o.files.size);
  for (const name of o.files.keys()) {
    const f = o.files.get(name)!;
    out.push(names.encode(name));
    out.push(f.size);
    out.push(f.hugetlb ? 1 : 0);
    out.push(f.data.length);
    for (const x of f.data) out.push(int(x, 'file data'));
    for (const x of f.cache) out.push(x);
  }
  out.push(o.mms.size);
  for (const name of o.mms.keys()) {
    const mm = o.mms.get(name)!;
    out.push(names.encode(name));
    out.push(uffdCode(mm.uffd) | (mm.namedUffds.size << NAMED_SHIFT));
    for (const n of mm.namedUffds.keys()) {
      const u = mm.namedUffds.get(n)!;
      out.push(names.encode(n));
      out.push(uffdCode(u));
    }
    out.push(mm.vmas.length);
    for (const v of mm.vmas) {
      out.push(v.start);
      out.push(v.pages);
      out.push(v.pgoff);
      out.push(v.file === null ? -1 : names.encode(v.file));
      out.push((v.anon ? 1 : 0) | (v.shared ? 2 : 0) | (v.writable ? 4 : 0) | (v.registered ? 8 : 0) | (v.anonVma ? 16 : 0) | (v.readable ? 0 : 32) | vmaModeBits(v.missing, v.minor) | vmaHugepageBit(v.hugepage) | ctxBits(v.ctx, names));
    }
    out.push(mm.cells.size);
    for (const addr of mm.cells.keys()) {
      const c = mm.cells.get(addr)!;
      out.push(addr);
      out.push(c.value === null ? -1 : int(c.value, 'cell value'));
      if (c.snaps === null) out.push(-1);
      else {
        out.push(c.snaps.length);
        for (const x of c.snaps) out.push(int(x, 'snapshot value'));
      }
      out.push((c.populated ? 1 : 0) | (c.prot ? 2 : 0) | (c.guard ? 4 : 0) | (c.lost << 3) | cellModeBits(c.mapped, c.zero, c.forked, c.maybeProt, c.lostKind));
    }
  }
}

// ------------------------------------------------------------------------------------------------- decode

/** Reads a state written by encodeState from `data` at `pos`; `end()` tells where it stopped. */
export class StateReader {
  pos: number;

  constructor(
    private readonly data: Int32Array,
    start: number,
    private readonly names: Names,
  ) {
    this.pos = start;
  }

  private next(): number {
    return this.data[this.pos++]!;
  }

  read(): { world: World; oracle: OracleState } {
    const world = this.world();
    const oracle = this.oracle();
    return { world, oracle };
  }

  private world(): World {
    const names = this.names;
    const pages: (Page | undefined)[] = new Array(this.next());
    const live = this.next();
    for (let i = 0; i < live; i++) {
      const pfn = this.next();
      const refcount = this.next();
      const mapcount = this.next();
      const contents = this.next();
      const flags = this.next();
      const file = this.next();
      const index = this.next();
      const page: Page = {
        pfn,
        refcount,
        mapcount,
        contents,
        anon: (flags & 1) !== 0,
        anonExclusive: (flags & 2) !== 0,
        file: file === -1 ? null : names.decode(file),
        index,
        freed: (flags & 4) !== 0,
        hwpoison: (flags & 8) !== 0,
      };
      if ((flags & PAGE_HAS_PINS) !== 0) page.pins = flags >>> PAGE_PINS_SHIFT;
      pages[pfn] = page;
    }
    const files = new Map<string, ShmemFile>();
    const nFiles = this.next();
    for (let i = 0; i < nFiles; i++) {
      const name = names.decode(this.next());
      const size = this.next();
      const huge = this.next() === 1;
      const n = this.next();
      const slots: FileSlot[] = new Array(n);
      for (let j = 0; j < n; j++) {
        const tag = this.next();
        slots[j] = tag === 0 ? null : tag === 1 ? { type: 'page', pfn: this.next() } : tag === 3 ? { type: 'page', pfn: this.next(), large: true } : { type: 'swap', offset: this.next() };
      }
      files.set(name, { name, size, slots, ...(huge ? { huge: true as const } : {}) });
    }
    const nSlots = this.next();
    const swapSlots: (SwapSlot | null)[] = new Array(nSlots);
    for (let i = 0; i < nSlots; i++) {
      const tag = this.next();
      if (tag === 0) swapSlots[i] = null;
      else {
        const count = this.next();
        const contents = this.next();
        swapSlots[i] = { count, contents, cache: (tag & 3) === 2, error: (tag & 4) !== 0 };
      }
    }
    const mms = new Map<string, Mm>();
    const nMms = this.next();
    for (let i = 0; i < nMms; i++) {
      const name = names.decode(this.next());
      const rss = { anon: this.next(), file: this.next(), shmem: this.next(), swapents: this.next() };
      const u = this.next();
      let pins: { readonly addr: number; readonly pfn: number }[] | undefined;
      if ((u & MM_HAS_PINS) !== 0) {
        pins = new Array(this.next());
        for (let j = 0; j < pins.length; j++) pins[j] = { addr: this.next(), pfn: this.next() };
      }
      const namedUffds = this.namedUffds(u >>> NAMED_SHIFT);
      const nVmas = this.next();
      const vmas: Vma[] = new Array(nVmas);
      for (let j = 0; j < nVmas; j++) {
        const start = this.next();
        const pages = this.next();
        const pgoff = this.next();
        const file = this.next();
        const f = this.next();
        vmas[j] = {
          start,
          pages,
          anon: (f & 1) !== 0,
          file: file === -1 ? null : names.decode(file),
          shared: (f & 2) !== 0,
          pgoff,
          writable: (f & 4) !== 0,
          readable: (f & 32) === 0,
          uffd_wp: (f & 8) !== 0,
          anon_vma: (f & 16) !== 0,
          uffd_missing: (f & 64) !== 0,
          uffd_minor: (f & 128) !== 0,
          uffd_ctx: this.ctxName(f),
          hugetlb: isHugetlbBit(f),
          ...(isHugepageBit(f) ? { hugepage: true } : {}),
        };
      }
      const pt = new Map<number, bigint>();
      const nPt = this.next();
      for (let j = 0; j < nPt; j++) {
        const addr = this.next();
        const lo = this.next();
        const hi = this.next();
        pt.set(addr, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      }
      const pmd = new Map<number, bigint>();
      const nPmd = this.next();
      for (let j = 0; j < nPmd; j++) {
        const addr = this.next();
        const lo = this.next();
        const hi = this.next();
        pmd.set(addr, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      }
      const mm: Mm = { name, vmas, pt, rss, uffd: uffdFromCode(u & UFFD_MASK), namedUffds, pmd };
      // (optional fields: present exactly when the encoded mm had them, as cloneWorld keeps them)
      if ((u & MM_PINNED_SET) !== 0) mm.pinned = (u & MM_PINNED) !== 0;
      if (pins !== undefined) mm.pins = pins;
      mms.set(name, mm);
    }
    const pfns: number[] = new Array(this.next());
    for (let i = 0; i < pfns.length; i++) pfns[i] = this.next();
    const qslots: number[] = new Array(this.next());
    for (let i = 0; i < qslots.length; i++) qslots[i] = this.next();
    const world: World = { pages, files, swap: { slots: swapSlots }, mms, quarantine: { pfns, slots: qslots } };
    const hugetlb = decodeHugetlb(() => this.next(), names);
    if (hugetlb) world.hugetlb = hugetlb;
    return world;
  }

  /** The named contexts of an mm (n pairs: name code, uffdCode), in their Map order. */
  private namedUffds<T extends UffdCtx>(n: number): ReadonlyMap<string, T> {
    if (n === 0) return NO_NAMED_UFFDS;
    const m = new Map<string, T>();
    for (let i = 0; i < n; i++) {
      const name = this.names.decode(this.next());
      m.set(name, uffdFromCode(this.next()) as T);
    }
    return m;
  }

  /** A VMA's context from its flags word ('' the mm's first). */
  private ctxName(flags: number): string {
    const c = flags >>> CTX_SHIFT;
    return c === 0 ? '' : this.names.decode(c - 1);
  }

  private oracle(): OracleState {
    const names = this.names;
    const files = new Map<string, OracleFile>();
    const nFiles = this.next();
    for (let i = 0; i < nFiles; i++) {
      const name = names.decode(this.next());
      const size = this.next();
      const hugetlb = this.next() === 1;
      const data: number[] = new Array(this.next());
      for (let j = 0; j < data.length; j++) data[j] = this.next();
      const cache: number[] = new Array(data.length);
      for (let j = 0; j < data.length; j++) cache[j] = this.next();
      files.set(name, { size, hugetlb, data, cache });
    }
    const mms = new Map<string, OracleMm>();
    const nMms = this.next();
    for (let i = 0; i < nMms; i++) {
      const name = names.decode(this.next());
      const u = this.next();
      const namedUffds = this.namedUffds(u >>> NAMED_SHIFT);
      const vmas: OracleVma[] = new Array(this.next());
      for (let j = 0; j < vmas.length; j++) {
        const start = this.next();
        const pages = this.next();
        const pgoff = this.next();
        const file = this.next();
        const f = this.next();
        vmas[j] = {
          start,
          pages,
          pgoff,
          anon: (f & 1) !== 0,
          file: file === -1 ? null : names.decode(file),
          shared: (f & 2) !== 0,
          writable: (f & 4) !== 0,
          readable: (f & 32) === 0,
          registered: (f & 8) !== 0,
          anonVma: (f & 16) !== 0,
          missing: (f & 64) !== 0,
          minor: (f & 128) !== 0,
          ctx: this.ctxName(f),
          ...(isHugepageBit(f) ? { hugepage: true } : {}),
        };
      }
      const cells = new Map<number, OracleCell>();
      const nCells = this.next();
      for (let j = 0; j < nCells; j++) {
        const addr = this.next();
        const v = this.next();
        const ns = this.next();
        let snaps: number[] | null = null;
        if (ns >= 0) {
          snaps = new Array(ns);
          for (let k = 0; k < ns; k++) snaps[k] = this.next();
        }
        const f = this.next();
        cells.set(addr, { value: v === -1 ? null : v, snaps, populated: (f & 1) !== 0, prot: (f & 2) !== 0, guard: (f & 4) !== 0, lost: ((f >> 3) & 3) as OracleCell['lost'], mapped: (f & 32) !== 0, zero: (f & 64) !== 0, ...cellMoveFields(f) });
      }
      mms.set(name, { vmas, cells, uffd: uffdFromCode(u & UFFD_MASK), namedUffds });
    }
    return { files, mms };
  }
}

export function decodeState(data: Int32Array, start: number, names: Names): { world: World; oracle: OracleState } {
  return new StateReader(data, start, names).read();
}
