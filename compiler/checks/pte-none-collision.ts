// PTE035: a kind other than `none` contains a value pte_none() accepts. Every walker that skips pte_none() entries
// (zap, fork, mprotect, khugepaged...) would silently skip it: the information the kind carries is lost. Hugh
// Dickins' point that swp_entry(0, 0) looks like "no entry" is this check (LKML, 2020-12-02).
import { intersect, isEmpty, witness, count } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { hex } from '../describe.js';
import { sizeText } from './sizes.js';
import type { Check } from './context.js';
import { LEVELS } from '../../contract/table.js';

export const pteNoneCollision: Check = ({ spec, sets }) => {
  // Per level: pmd_none() at the PMD level, huge_pte_none() at hugetlb's (contract/table.ts LEVELS).
  const noneName = LEVELS[spec.level ?? 'pte'].none;
  const none = sets.predicates.get(noneName);
  if (!none || sets.broken.has(noneName)) return [];
  const out: Diagnostic[] = [];
  for (const k of spec.kinds.values()) {
    if (k.name === 'none' || sets.broken.has(k.name)) continue;
    const both = intersect(none, sets.kinds.get(k.name)!);
    if (isEmpty(both)) continue;
    out.push(diag('PTE035', k.nameRange, `kind '${k.name}' includes ${hex(witness(both)!, spec.word)}, which ${noneName}() accepts (${sizeText(count(both, spec.word))})`, `every path that skips ${noneName}() entries would drop it; add '&& !${noneName}' to '${k.name}' or pick an encoding with a bit ${noneName}() sees`));
  }
  return out;
};
