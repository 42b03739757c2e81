// PTE033: values that classify as no kind. The kernel gives every PTE value a meaning (none, present, or some swap
// entry), so a gap is a value the spec cannot explain: a handler writing it would leave the simulation. Reported
// as ternary classes (x = any bit) with the smallest witness of each.
import { complement, count, isEmpty, union, witness, EMPTY, type CubeSet } from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { cubePicture, hex } from '../describe.js';
import { sizeText } from './sizes.js';
import type { Check } from './context.js';

const SHOWN = 4;

export const unclassifiedValues: Check = ({ spec, sets }) => {
  if (spec.kinds.size === 0 || sets.broken.size > 0) return [];
  let all: CubeSet = EMPTY;
  for (const s of sets.kinds.values()) all = union(all, s);
  const gaps = complement(all, spec.word);
  if (isEmpty(gaps)) return [];
  const classes = [...gaps].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const listed = classes
    .slice(0, SHOWN)
    .map((c) => `${cubePicture(c, spec.word)} (e.g. ${hex(c.value, spec.word)})`)
    .join('; ');
  const more = classes.length > SHOWN ? `; and ${classes.length - SHOWN} more class(es)` : '';
  const out: Diagnostic[] = [
    diag('PTE033', spec.headerRange, `${sizeText(count(gaps, spec.word))} classify as no kind, in ${classes.length} class(es): ${listed}${more}; smallest is ${hex(witness(gaps)!, spec.word)}`, 'add a kind for them, or widen a condition; the kernel gives every PTE value a meaning'),
  ];
  return out;
};
