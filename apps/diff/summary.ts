// "In short": the change in a few lines, one per concern, at the top of every diff rendering. A bit move reads as
// "UFFD_WP bit 10 -> bit 57", a freed swap type as "MAX_SWAPFILES 24 -> 25 ...", never as eighteen fields "added" or
// seven renumbered types "classified differently". Derived only from the sections diff.ts computed, plus the helpers
// whose text is the same but whose meaning moved with the layout (a field read through a format follows it).
import { FormatReads } from '../../compiler/ir/format-reads.js';
import { callersText, predicateCallers } from '../../compiler/ir/predicate-callers.js';
import { shapeText } from './layout.js';
import type { ClassificationDiff, FieldChange, HandlersDiff, LayoutDiff, PredicateChange, SwapDiff } from './model.js';
import type { Renumbering } from './renumber.js';
import type { DiffSide } from './side.js';

export interface Summary {
  readonly lines: readonly string[];
  /** Arch helpers (fn) whose text is unchanged but that read or write a field that moved: they follow the layout. */
  readonly followingHelpers: readonly string[];
}

function fieldText(x: FieldChange): string {
  if (x.status === 'added') return `${x.name} (${shapeText(x.b!)}) added`;
  if (x.status === 'removed') return `${x.name} (${shapeText(x.a!)}) removed`;
  const verb = x.aspects.length === 1 && x.aspects[0] === 'position' ? 'moved' : x.aspects.includes('width') ? 'resized' : 'changed';
  return `${x.name} ${verb}: ${shapeText(x.a!)} -> ${shapeText(x.b!)}`;
}

export function summarize(a: DiffSide, b: DiffSide, layout: LayoutDiff, swap: SwapDiff, cls: ClassificationDiff, handlers: HandlersDiff, ren: Renumbering | undefined): Summary {
  const lines: string[] = [];
  // Layout: formats with the same field changes share one line (a format that extends a changed one repeats them).
  const byChange = new Map<string, string[]>();
  for (const f of layout.formats) {
    const what = f.status === 'changed' ? [...f.fields].sort((x, y) => order(x) - order(y)).map(fieldText).join('; ') : f.status === 'added' ? 'new format' : 'format removed';
    byChange.set(what, [...(byChange.get(what) ?? []), f.name]);
  }
  for (const [what, names] of byChange) lines.push(`${names.length > 1 ? 'formats' : 'format'} ${names.join(', ')}: ${what}`);

  if (swap.differs) {
    const parts = [`MAX_SWAPFILES ${swap.maxSwapfiles.a ?? '-'} -> ${swap.maxSwapfiles.b ?? '-'}`];
    for (const g of swap.groups) {
      if (g.status === 'removed') parts.push(`${g.name} removed (${g.a!.types.join(', ') || 'no types'})`);
      else if (g.status === 'added') parts.push(`${g.name} added (${g.b!.types.join(', ') || 'no types'})`);
      else if (g.status === 'changed') parts.push(`${g.name} ${g.a!.count} -> ${g.b!.count}`);
    }
    for (const m of ren?.typeMoves ?? []) parts.push(`${m.kind} moved from ${m.a.join(', ') || 'no reserved type'} into ${m.b.join(', ') || 'no reserved type'}`);
    if (ren && ren.shifted.length > 0) parts.push(`${ren.shifted.length} reserved type${ren.shifted.length === 1 ? '' : 's'} renumbered (same kinds)`);
    lines.push(`swap types: ${parts.join('; ')}`);
  }

  const moved = new Set((ren?.typeMoves ?? []).map((m) => m.kind));
  const moves = (cls.renumbered?.moves ?? cls.moves).filter((m) => !(m.a && moved.has(m.a)));
  if (moves.length > 0) {
    const shown = moves.slice(0, 4).map((m) => `${m.a ?? 'no kind'} -> ${m.b ?? 'no kind'}${m.set.witness ? ` (e.g. 0x${m.set.witness.value.toString(16)})` : ''}`);
    lines.push(`reclassified: ${shown.join(', ')}${moves.length > 4 ? `, and ${moves.length - 4} more` : ''}`);
  }
  const preds = cls.predicates.filter((p: PredicateChange) => p.status === 'changed').map((p) => p.name);
  if (preds.length > 0) {
    const callers = predicateCallers(b.ir);
    const text = preds.map((p) => {
      const c = callers.get(p) ?? [];
      return c.length > 0 ? `${p} (${callersText(c)})` : p;
    });
    lines.push(`kernel predicates whose meaning changed, callers to audit: ${text.join('; ')}`);
  }

  const followingHelpers = helpersFollowingLayout(b, layout, handlers);
  const changedHelpers = handlers.helpers.map((h) => `${h.name} (${h.status})`);
  if (changedHelpers.length > 0) lines.push(`helpers rewritten: ${changedHelpers.join(', ')}`);
  if (followingHelpers.length > 0) lines.push(`helpers that follow the moved fields unchanged: ${followingHelpers.join(', ')}`);
  const paths = handlers.paths.map((p) => `${p.name} (${p.cases.length} case${p.cases.length === 1 ? '' : 's'})`);
  if (paths.length > 0) lines.push(`paths changed: ${paths.join(', ')}`);
  return { lines, followingHelpers };
}

/** Fields first by kind of change: moves and resizes, then removals, then additions. */
function order(x: FieldChange): number {
  return x.status === 'changed' ? 0 : x.status === 'removed' ? 1 : 2;
}

function helpersFollowingLayout(b: DiffSide, layout: LayoutDiff, handlers: HandlersDiff): string[] {
  const changed = new Map<string, Set<string>>();
  for (const f of layout.formats) {
    if (f.status !== 'changed') continue;
    changed.set(f.name, new Set(f.fields.filter((x) => x.status === 'changed').map((x) => x.name)));
  }
  if (changed.size === 0) return [];
  const rewritten = new Set(handlers.helpers.map((h) => h.name));
  const reads = new FormatReads(b.spec);
  const out: string[] = [];
  for (const fn of b.spec.fns.values()) {
    if (rewritten.has(fn.name)) continue;
    const hit = fn.params.some((p, i) => {
      const fields = changed.get(p.type);
      return fields !== undefined && [...reads.fnParam(fn.name, i)].some((f) => fields.has(f));
    });
    if (hit) out.push(fn.name);
  }
  return out;
}
