// PTE054: a kind named twice where one name is all a case list can mean. A kind repeated in one case's list
// (`case a, b, a`) is a slip; and when a case listing several kinds shares a kind with another case of the same
// path, written in the same file, the earlier of the two unguarded takes every such entry, so the later one never
// runs for it: merging cases into `case a, b` made them overlap. (Two cases of one kind, the first guarded, stay the
// normal way to split a kind; an unguarded duplicate of a one-kind case stays PTE053's warning.)
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Check } from './context.js';

export const caseKindLists: Check = ({ spec }) => {
  const out: Diagnostic[] = [];
  for (const p of spec.paths.values()) {
    const seenGroups = new Set<unknown>();
    for (const c of p.cases) {
      if (!c.group || seenGroups.has(c.group)) continue;
      seenGroups.add(c.group);
      c.group.written.forEach((k, i) => {
        if (c.group!.written.findIndex((x) => x.name === k.name) < i) {
          out.push(diag('PTE054', k.range, `kind '${k.name}' is listed twice in this case`, `drop the second '${k.name}'`));
        }
      });
    }
    p.cases.forEach((later, j) => {
      if (later.kind === undefined) return;
      const earlier = p.cases.findIndex(
        (e, i) => i < j && !e.guard && e.kind === later.kind && e.group !== later.group && (e.group || later.group) && e.range.file === later.range.file,
      );
      if (earlier < 0) return;
      const e = p.cases[earlier]!;
      out.push(
        diag(
          'PTE054',
          later.kindRange ?? later.headRange,
          `kind '${later.kind}' already has a case in path '${p.name}' (line ${e.headRange.start.line}), which takes every '${later.kind}' entry: this case never runs for it`,
          `list '${later.kind}' in one case only${e.group ? ` (or guard the case at line ${e.headRange.start.line})` : ''}`,
          [{ range: e.kindRange ?? e.headRange, message: 'the case that takes it' }],
        ),
      );
    });
  }
  return out;
};
