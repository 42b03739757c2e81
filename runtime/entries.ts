// What a PTE word refers to, as far as the runtime may know: its kind (module.classify) and the kind's `refs`
// clause read through module.decode. Memoised per word: the same few words recur millions of times in exploration.
import type { KindInfo, SpecModule, Word } from '../contract/spec-module.js';

/** The canonical name of the empty entry (docs/language.md): fault-around fills only entries of this kind. */
export const KIND_NONE = 'none';

export interface EntryInfo {
  readonly word: Word;
  /** undefined: no kind classifies the word (a gap, reported as an invariant violation). */
  readonly kind: string | undefined;
  /** page: maps a page; pfn: names a page without mapping it; slot: holds a swap count; null: refers to nothing. */
  readonly refs: 'page' | 'pfn' | 'slot' | null;
  /** For refs page/pfn: the pfn (-1 when it does not fit a safe integer). */
  readonly pfn: number;
  /** For refs slot. */
  readonly slotType: number;
  readonly slotOffset: number;
}

const CACHE_LIMIT = 1 << 16;

export function toSmall(b: bigint): number {
  return b >= 0n && b <= 9007199254740991n ? Number(b) : -1;
}

export class EntryTable<M extends Pick<SpecModule, 'kinds' | 'classify' | 'decode'> = SpecModule> {
  private readonly cache = new Map<Word, EntryInfo>();
  private readonly kinds = new Map<string, KindInfo>();

  constructor(readonly module: M) {
    for (const k of module.kinds) this.kinds.set(k.name, k);
  }

  kindInfo(name: string): KindInfo | undefined {
    return this.kinds.get(name);
  }

  info(w: Word): EntryInfo {
    let e = this.cache.get(w);
    if (e === undefined) {
      e = this.compute(w);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(w, e);
    }
    return e;
  }

  private compute(w: Word): EntryInfo {
    const kind = this.module.classify(w);
    const refs = kind !== undefined ? this.kinds.get(kind)?.refs : undefined;
    if (kind === undefined || !refs) return { word: w, kind, refs: null, pfn: -1, slotType: -1, slotOffset: -1 };
    const fields = this.module.decode(kind, w);
    if (refs.target === 'slot') {
      return {
        word: w,
        kind,
        refs: 'slot',
        pfn: -1,
        slotType: toSmall(fields[refs.typeField] ?? -1n),
        slotOffset: toSmall(fields[refs.offsetField] ?? -1n),
      };
    }
    return { word: w, kind, refs: refs.target, pfn: toSmall(fields[refs.field] ?? -1n), slotType: -1, slotOffset: -1 };
  }
}
