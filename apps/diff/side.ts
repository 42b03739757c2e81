// One side of a diff: the IR (formats, kinds as exact cubes, handlers) plus the resolved model for what the IR
// flattens away (swap groups, including empty ones). Both come out of compileSpec(), and so do the texts of every
// file of the spec's extends chain (`sources`), from which the footprint compiles the spec's base without I/O.
import type { SourceFile } from '../../core/source.js';
import type { Compiled } from '../../compiler/compile.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import type { Spec } from '../../compiler/model.js';

export interface DiffSide {
  readonly ir: IrSpec;
  readonly spec: Spec;
  /** The files compileSpec() read (the extends chain and imports), by the names it read them under. */
  readonly sources?: ReadonlyMap<string, SourceFile>;
}

/** The side of a compiled spec; the front end must have run to the end (`ir` present). */
export function diffSide(c: Pick<Compiled, 'ir' | 'spec'> & Partial<Pick<Compiled, 'sources'>>): DiffSide {
  if (!c.ir) throw new Error(`spec ${c.spec.name} has no IR (the front end stopped early); check it first`);
  return { ir: c.ir, spec: c.spec, ...(c.sources ? { sources: c.sources } : {}) };
}
