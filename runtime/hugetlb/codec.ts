// The hugetlb part of an explored state as int32s, for the explorer's state codec (runtime/explore/codec.ts) and
// its canonical fingerprint (canonical.ts): one place, so both read the same fields. A world without hugetlbfs
// files writes a single 0, so the states of every other world encode as before plus that one int.
import type { HugetlbFolio, HugetlbWorld } from './state.js';

const M32 = 0xffffffffn;

interface Sink {
  push(v: number): void;
}
interface NameCodes {
  encode(name: string): number;
  decode(code: number): string;
}

/** VMA flag bit of is_vm_hugetlb_page(), above the bits the codec already packs (0-7: runtime/uffd/flags.ts). */
export function vmaHugetlbBit(hugetlb: boolean): number {
  return hugetlb ? 256 : 0;
}

export function isHugetlbBit(flags: number): boolean {
  return (flags & 256) !== 0;
}

/** Every field, exactly; `value` maps a page's contents (the canonical form renumbers data values). */
export function encodeHugetlb(h: HugetlbWorld | undefined, names: NameCodes, out: Sink, value: (v: number) => number = (v) => v): void {
  if (!h) {
    out.push(0);
    return;
  }
  out.push(1);
  let live = 0;
  for (const f of h.folios) if (f) live++;
  out.push(h.folios.length);
  out.push(live);
  for (const f of h.folios) {
    if (!f) continue;
    out.push(f.hpfn);
    out.push(f.refcount);
    out.push(f.mapcount);
    out.push(value(f.contents));
    out.push((f.anon ? 1 : 0) | (f.anonExclusive ? 2 : 0) | (f.freed ? 4 : 0));
    out.push(f.file === null ? -1 : names.encode(f.file));
    out.push(f.index);
  }
  out.push(h.files.size);
  for (const f of h.files.values()) {
    out.push(names.encode(f.name));
    out.push(f.size);
    out.push(f.slots.length);
    for (const s of f.slots) out.push(s === null ? 0 : s);
  }
  out.push(h.mms.size);
  for (const [name, m] of h.mms) {
    out.push(names.encode(name));
    out.push(m.usage);
    const addrs = [...m.pt.keys()].sort((a, b) => a - b);
    out.push(addrs.length);
    for (const a of addrs) {
      const w = m.pt.get(a)!;
      out.push(a);
      out.push(Number(w & M32) | 0);
      out.push(Number((w >> 32n) & M32) | 0);
    }
  }
  out.push(h.quarantine.length);
  for (const x of h.quarantine) out.push(x);
}

export function decodeHugetlb(next: () => number, names: NameCodes): HugetlbWorld | undefined {
  if (next() === 0) return undefined;
  const folios: (HugetlbFolio | undefined)[] = new Array(next());
  const live = next();
  for (let i = 0; i < live; i++) {
    const hpfn = next();
    const refcount = next();
    const mapcount = next();
    const contents = next();
    const flags = next();
    const file = next();
    const index = next();
    folios[hpfn] = { hpfn, refcount, mapcount, contents, anon: (flags & 1) !== 0, anonExclusive: (flags & 2) !== 0, file: file === -1 ? null : names.decode(file), index, freed: (flags & 4) !== 0 };
  }
  const files: HugetlbWorld['files'] = new Map();
  const nFiles = next();
  for (let i = 0; i < nFiles; i++) {
    const name = names.decode(next());
    const size = next();
    const slots: (number | null)[] = new Array(next());
    for (let j = 0; j < slots.length; j++) {
      const s = next();
      slots[j] = s === 0 ? null : s;
    }
    files.set(name, { name, size, slots });
  }
  const mms: HugetlbWorld['mms'] = new Map();
  const nMms = next();
  for (let i = 0; i < nMms; i++) {
    const name = names.decode(next());
    const usage = next();
    const pt = new Map<number, bigint>();
    const n = next();
    for (let j = 0; j < n; j++) {
      const a = next();
      const lo = next();
      const hi = next();
      pt.set(a, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    }
    mms.set(name, { pt, usage });
  }
  const quarantine: number[] = new Array(next());
  for (let i = 0; i < quarantine.length; i++) quarantine[i] = next();
  return { folios, files, mms, quarantine };
}
