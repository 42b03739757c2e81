// PTE031: a kind whose condition no value satisfies. Such a kind can never be produced or classified; handlers
// for it are dead code, and usually the condition has a typo (a type number outside the TYPE field, A && !A).
import { isEmpty } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Check } from './context.js';

export const unreachableKinds: Check = ({ spec, sets }) => {
  const out: Diagnostic[] = [];
  for (const k of spec.kinds.values()) {
    if (sets.broken.has(k.name)) continue;
    if (isEmpty(sets.kinds.get(k.name)!)) {
      out.push(diag('PTE031', k.nameRange, `no ${spec.word}-bit value classifies as kind '${k.name}': its condition is unsatisfiable`, 'check the constants it compares against (do they fit in the field?) and the predicates it combines'));
    }
  }
  return out;
};
