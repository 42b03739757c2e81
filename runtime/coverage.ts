// Coverage: which kinds the simulation ever wrote into a page table and which handler cases ever ran. A verdict is
// only as good as what it exercised: "38/38 passed" says nothing about a kind no scenario creates. Labels are kind
// names, plus `kind(FLAG)` for each one-bit sub-field set in the written value (pte_marker(PTE_MARKER_POISONED)),
// so that marker bits a proposal relies on are counted apart. Encoding-free: the sub-fields per kind are given by the
// application from the spec's IR; the runtime only classifies and decodes through the spec module.
import type { CaseSite, SpecModule, Word } from '../contract/spec-module.js';

export class Coverage {
  /** Label -> number of writes that created it. */
  readonly created = new Map<string, number>();
  /** The cases entered, by identity (a case's site is one object of the module: no key built per entry). */
  private readonly entered = new Set<CaseSite>();
  private readonly ranKeys = new Set<string>();

  /** flags: for each kind, its one-bit sub-fields that get a label of their own. */
  constructor(private readonly flags: ReadonlyMap<string, readonly string[]> = new Map()) {}

  noteWrite(module: SpecModule, w: Word): void {
    const kind = w === 0n ? module.classify(0n) : module.classify(w);
    if (kind === undefined) return;
    this.bump(kind);
    const flags = this.flags.get(kind);
    if (!flags || flags.length === 0) return;
    const fields = module.decode(kind, w);
    for (const f of flags) if (fields[f]) this.bump(`${kind}(${f})`);
  }

  noteCase(site: CaseSite): void {
    this.entered.add(site);
  }

  /** `path#index` of every case entered. */
  get ran(): Set<string> {
    for (const s of this.entered) this.ranKeys.add(caseKey(s.path, s.index));
    this.entered.clear();
    return this.ranKeys;
  }

  private bump(label: string): void {
    this.created.set(label, (this.created.get(label) ?? 0) + 1);
  }
}

export function caseKey(path: string, index: number): string {
  return `${path}#${index}`;
}
