// PTE034: `predicate P ... means K1, K2` states which kinds the kernel predicate is true for; the two sets must be
// equal. This is how a proposal learns that e.g. its marker is not a non_swap_entry() the way the kernel defines it.
import { subtract, isEmpty, union, witness, EMPTY, contains, type CubeSet } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { hex } from '../describe.js';
import type { Check } from './context.js';

export const predicateMeans: Check = ({ spec, sets }) => {
  const out: Diagnostic[] = [];
  for (const p of spec.predicates.values()) {
    if (p.means.length === 0 || sets.broken.has(p.name)) continue;
    const named = p.means.filter((m) => spec.kinds.has(m.name));
    if (named.length !== p.means.length || named.some((m) => sets.broken.has(m.name))) continue;
    const pred = sets.predicates.get(p.name)!;
    let kinds: CubeSet = EMPTY;
    for (const m of named) kinds = union(kinds, sets.kinds.get(m.name)!);
    const extra = subtract(pred, kinds);
    const missing = subtract(kinds, pred);
    const kindOf = (w: bigint) => [...spec.kinds.keys()].find((k) => contains(sets.kinds.get(k)!, w));
    if (!isEmpty(extra)) {
      const w = witness(extra)!;
      const k = kindOf(w);
      out.push(diag('PTE034', p.nameRange, `${p.name}() is true for ${hex(w, spec.word)}, which is ${k ? `kind '${k}'` : 'no kind'}, not one of ${named.map((m) => m.name).join(', ')}`, k ? `add '${k}' to the means list, or narrow the predicate` : 'narrow the predicate, or add a kind for these values'));
    }
    if (!isEmpty(missing)) {
      const w = witness(missing)!;
      out.push(diag('PTE034', p.nameRange, `${p.name}() is false for ${hex(w, spec.word)}, yet that value is kind '${kindOf(w)}', listed in means`, 'widen the predicate, or drop the kind from the means list'));
    }
  }
  return out;
};
