// What every semantic check reads: the resolved spec and the exact value sets of its predicates and kinds.
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Spec } from '../model.js';
import type { SpecSets } from '../sets.js';

export interface CheckContext {
  readonly spec: Spec;
  readonly sets: SpecSets;
}

/** A check is a plain function from the spec to its findings. */
export type Check = (ctx: CheckContext) => Diagnostic[];
