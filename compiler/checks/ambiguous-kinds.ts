// PTE030: two kinds classify the same value. The kernel would read such a PTE two ways (the classic hazard of a new
// encoding: a marker that is also a valid swap entry). Exact over all 2^word values, with the smallest witness.
import { count, intersect, isEmpty, witness } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { describeFields, hex } from '../describe.js';
import { sizeText } from './sizes.js';
import type { Check } from './context.js';

export const ambiguousKinds: Check = ({ spec, sets }) => {
  const out: Diagnostic[] = [];
  const kinds = [...spec.kinds.values()].sort((a, b) => a.index - b.index).filter((k) => !sets.broken.has(k.name));
  const sigs = kinds.map((k) => signature(sets.kinds.get(k.name)!));
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      const a = kinds[i]!;
      const b = kinds[j]!;
      const sa = sigs[i]!;
      const sb = sigs[j]!;
      if ((sa.mask & sb.mask & (sa.value ^ sb.value)) !== 0n) continue; // a bit both fix, differently: disjoint
      const both = intersect(sets.kinds.get(a.name)!, sets.kinds.get(b.name)!);
      if (isEmpty(both)) continue;
      const w = witness(both)!;
      out.push(
        diag('PTE030', b.nameRange, `kinds '${a.name}' and '${b.name}' both classify ${hex(w, spec.word)} (${describeFields(spec, b.format, w)}); ${sizeText(count(both, spec.word))} in common`, `narrow one condition, e.g. '&& !(...)' on '${b.name}', or 'override kind ${a.name}' to make room`, [{ range: a.nameRange, message: `'${a.name}' declared here` }]),
      );
    }
  }
  return out;
};

/** The bits every cube of a set fixes, and to the same value: a cheap test that two sets are disjoint. */
function signature(set: readonly { mask: bigint; value: bigint }[]): { mask: bigint; value: bigint } {
  if (set.length === 0) return { mask: 0n, value: 0n };
  let mask = set[0]!.mask;
  const value = set[0]!.value;
  for (const c of set) mask &= c.mask & ~(c.value ^ value);
  return { mask, value: value & mask };
}
