// Per-step bookkeeping for reports: which handler cases ran (the trail) and which case last touched each entry,
// page, swap slot and mm, so that a violation found after the step can name the case that caused it. Kept out of
// the World so that the world stays plain, cloneable state.
import type { CaseSite } from '../contract/spec-module.js';

export interface Violation {
  readonly message: string;
  /** The handler case that last wrote the offending entry (or touched the offending page/slot/counter). */
  readonly site?: CaseSite;
  /** The path that was running, when no case is known. */
  readonly path?: string;
}

/** Thrown by primitives and operations when the kernel would BUG/WARN or the bookkeeping breaks mid-step. */
export class ViolationError extends Error {
  constructor(
    message: string,
    readonly site?: CaseSite,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ViolationError';
  }
}

export interface TrailEntry {
  readonly path: string;
  readonly site: CaseSite;
}

export function formatSite(s: CaseSite): string {
  // a decision is blamed as a site with index -1 (runtime/uffd-wp-state.ts decisionSite)
  if (s.index < 0) return `decision ${s.path} at ${s.file}:${s.line}`;
  return `${s.path} case #${s.index} (${s.kind}) at ${s.file}:${s.line}`;
}

/** The case that last wrote an entry, and in which step. */
export interface WriterNote {
  readonly site: CaseSite;
  readonly step: number;
}

export class Trace {
  readonly trail: TrailEntry[] = [];
  /** The step being run (set by the runner), for WriterNote. */
  step = 0;
  /** The case currently running (innermost), and its path. */
  current: CaseSite | undefined;
  currentPath: string | undefined;
  /** Kept across steps: an oracle divergence is often caused by whoever wrote the entry steps earlier. */
  readonly entryWriters = new Map<string, WriterNote>();
  readonly pageSites = new Map<number, CaseSite>();
  readonly slotSites = new Map<number, CaseSite>();
  readonly mmSites = new Map<string, CaseSite>();
  /** The last case that ran on each entry during this step (it may have kept the entry without writing it). */
  readonly entryVisits = new Map<string, CaseSite>();
  readonly warnings: { readonly message: string; readonly site?: CaseSite; readonly path?: string }[] = [];
  /**
   * Keep the blame notes (entry writers and visits, page/slot/mm sites). The explorer turns them off: no behaviour
   * depends on them, only the wording of a report, and a counterexample is replayed with them on (runner.ts).
   */
  detailed = true;

  /** Start a step: per-step notes go; entry writers stay. */
  reset(step: number): void {
    this.step = step;
    this.trail.length = 0;
    this.current = undefined;
    this.currentPath = undefined;
    if (this.pageSites.size > 0) this.pageSites.clear();
    if (this.slotSites.size > 0) this.slotSites.clear();
    if (this.mmSites.size > 0) this.mmSites.clear();
    if (this.entryVisits.size > 0) this.entryVisits.clear();
    if (this.warnings.length > 0) this.warnings.length = 0;
  }

  enter(path: string, site: CaseSite, mm: string, addr: number): void {
    this.current = site;
    this.currentPath = path;
    if (this.trail.length < 1000) this.trail.push({ path, site });
    if (this.detailed) this.entryVisits.set(entryKey(mm, addr), site);
  }

  /** The case to blame for the state of an entry: the last one that ran on it this step, else its last writer. */
  blame(mm: string, addr: number): CaseSite | undefined {
    return this.entryVisits.get(entryKey(mm, addr)) ?? this.entrySite(mm, addr);
  }

  notePage(pfn: number): void {
    if (this.current && this.detailed) this.pageSites.set(pfn, this.current);
  }

  noteSlot(offset: number): void {
    if (this.current && this.detailed) this.slotSites.set(offset, this.current);
  }

  noteMm(mm: string): void {
    if (this.current && this.detailed) this.mmSites.set(mm, this.current);
  }

  noteEntry(mm: string, addr: number): void {
    if (this.current && this.detailed) this.entryWriters.set(entryKey(mm, addr), { site: this.current, step: this.step });
  }

  entrySite(mm: string, addr: number): CaseSite | undefined {
    return this.entryWriters.get(entryKey(mm, addr))?.site;
  }

  entryWriter(mm: string, addr: number): WriterNote | undefined {
    return this.entryWriters.get(entryKey(mm, addr));
  }
}

export function entryKey(mm: string, addr: number): string {
  return `${mm}:${addr}`;
}
