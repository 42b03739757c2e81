// `ptelab diff A B` as one function: two compiled designs in, every difference out (model.ts), in the report's order.
import type { BehaviourDiff } from './behaviour.js';
import { diffClassification } from './classification.js';
import { patchFootprintDiff } from './footprint.js';
import { diffHandlers } from './handlers.js';
import { diffLayout } from './layout.js';
import type { BehaviourSection, ClassificationDiff, HandlersDiff, LayoutDiff, LevelDiff, SideInfo, SpecDiff } from './model.js';
import type { DiffSide } from './side.js';
import { renumbering } from './renumber.js';
import { summarize } from './summary.js';
import { diffSwap } from './swap.js';

export interface DiffOptions {
  /**
   * Section 5. Absent: not requested (the section is left out). `{ requested: true }` without a result prints
   * "not available yet"; the caller computes the result with the async behaviourDiff() hook (behaviour.ts).
   */
  readonly behaviour?: { readonly requested: true; readonly result?: BehaviourDiff };
}

function info(s: DiffSide): SideInfo {
  return { file: s.ir.file, spec: s.ir.name, description: s.ir.description, word: s.ir.word };
}

export function diffSpecs(a: DiffSide, b: DiffSide, opts: DiffOptions = {}): SpecDiff {
  const layout = diffLayout(a, b);
  const swap = diffSwap(a, b);
  const { classification, ren } = classificationOf(a, b);
  const handlers = diffHandlers(a, b);
  const behaviour: BehaviourSection = opts.behaviour ? { requested: true, ...(opts.behaviour.result ? { result: opts.behaviour.result } : {}) } : { requested: false };
  const fp = patchFootprintDiff(a, b);
  const footprint = { result: fp };
  const differs =
    layoutEtcDiffer(layout, classification, handlers) ||
    swap.differs ||
    (behaviour.requested && behaviour.result !== undefined && (behaviour.result.scenarios.some((s) => !s.same) || behaviour.result.worlds.some((w) => !w.same))) ||
    fp.files.some((f) => f.a?.added !== f.b?.added || f.a?.removed !== f.b?.removed);
  const levels = levelDiffs(a, b);
  const summary = [...summarize(a, b, layout, swap, classification, handlers, ren).lines, ...levels.flatMap((l) => l.lines)];
  const levelsDiffer = levels.some((l) => l.diff.only !== undefined || l.diff.differs);
  return { a: info(a), b: info(b), differs: differs || levelsDiffer, summary, layout, swap, classification, handlers, levels: levels.map((l) => l.diff), behaviour, footprint };
}

/** Whether a level's layout, classification or handlers differ (the PTE level adds its swap table and the rest). */
function layoutEtcDiffer(layout: LayoutDiff, classification: ClassificationDiff, handlers: HandlersDiff): boolean {
  return (
    layout.word.a !== layout.word.b ||
    layout.formats.length > 0 ||
    layout.consts.length > 0 ||
    !classification.comparable ||
    classification.kinds.length > 0 ||
    classification.moves.length > 0 ||
    classification.predicates.length > 0 ||
    handlers.paths.length > 0 ||
    handlers.helpers.length > 0
  );
}

/**
 * Every other page-table level, compared as the PTE level is (formats, kinds as exact sets, predicates, helpers,
 * handlers): its sections, and its "in short" lines, each prefixed by its level (`pmd level: reclassified: ...`).
 * The swap table is shared and reported once, for the PTE level.
 */
function levelDiffs(a: DiffSide, b: DiffSide): { readonly diff: LevelDiff; readonly lines: readonly string[] }[] {
  if (!a.levels || !b.levels) return [];
  const names = [...new Set([...a.levels, ...b.levels].map((l) => l.level))];
  return names.map((level) => {
    const la = a.levels?.find((l) => l.level === level);
    const lb = b.levels?.find((l) => l.level === level);
    if (!la || !lb) {
      const only = (la ?? lb)!;
      return { diff: { level, only: la ? 'a' : 'b', kinds: only.ir.kinds.length }, lines: [`${level} level: only in ${la ? 'A' : 'B'} (${only.ir.kinds.length} kinds)`] };
    }
    const layout = diffLayout(la, lb);
    const swap = diffSwap(la, lb);
    const { classification, ren } = classificationOf(la, lb);
    const handlers = diffHandlers(la, lb);
    const lines = summarize(la, lb, layout, swap, classification, handlers, ren)
      .lines.filter((l) => !l.startsWith('swap types:'))
      .map((l) => `${level} level: ${l}`);
    return { diff: { level, differs: layoutEtcDiffer(layout, classification, handlers), layout, classification, handlers }, lines };
  });
}

/** The classification section, with renumbered reserved types reported apart (the same for every level). */
function classificationOf(a: DiffSide, b: DiffSide): { classification: SpecDiff['classification']; ren: ReturnType<typeof renumbering> } {
  const plain = diffClassification(a, b);
  const ren = plain.comparable ? renumbering(a, b) : undefined;
  // Renumbered reserved types are reported apart; `renumbered.moves` is the semantic reclassification (`moves` stays
  // the exact value-by-value partition).
  const classification = ren
    ? {
        ...plain,
        kinds: plain.kinds
          .filter((k) => !ren.renumberedKinds.includes(k.name))
          .map((k) => {
            const carried = ren.kindChanges.find((x) => x.name === k.name);
            return carried && k.decl.length === 0 ? { ...carried, a: { ...carried.a!, ...(k.a?.refs ? { refs: k.a.refs } : {}) }, b: { ...carried.b!, ...(k.b?.refs ? { refs: k.b.refs } : {}) } } : k;
          }),
        predicates: plain.predicates.filter((p) => !ren.renumberedPredicates.includes(p.name)),
        renumbered: { types: ren.shifted, kinds: ren.renumberedKinds, moves: ren.semantic },
      }
    : plain;
  return { classification, ren };
}
