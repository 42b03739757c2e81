// The semantic checks, in the order their findings are most useful to read.
import { ambiguousKinds } from './ambiguous-kinds.js';
import { caseBindingFields } from './case-binding-fields.js';
import { caseKindLists } from './case-kind-lists.js';
import type { Check } from './context.js';
import { exhaustiveHandlers } from './exhaustive-handlers.js';
import { fieldRoundTrip } from './field-roundtrip.js';
import { overlappingFields } from './overlapping-fields.js';
import { pfnRange } from './pfn-range.js';
import { predicateMeans } from './predicate-means.js';
import { pteNoneCollision } from './pte-none-collision.js';
import { swapBudget } from './swap-budget.js';
import { unclassifiedValues } from './unclassified-values.js';
import { unreachableKinds } from './unreachable-kinds.js';

export const layoutChecks: readonly Check[] = [
  overlappingFields,
  fieldRoundTrip,
  swapBudget,
  unreachableKinds,
  ambiguousKinds,
  pteNoneCollision,
  predicateMeans,
  pfnRange,
  unclassifiedValues,
  exhaustiveHandlers,
  caseKindLists,
  caseBindingFields,
];
