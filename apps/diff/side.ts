// One side of a diff: the IR (formats, kinds as exact cubes, handlers) plus the resolved model for what the IR
// flattens away (swap groups, including empty ones). Both come out of compileSpec(), and so do the texts of every
// file of the spec's extends chain (`sources`), from which the footprint compiles the spec's base without I/O.
import type { SourceFile } from '../../core/source.js';
import { levelDisplayIr, type Compiled } from '../../compiler/compile.js';
import type { IrSpec } from '../../compiler/ir/types.js';
import type { Spec } from '../../compiler/model.js';
import type { LevelName } from '../../contract/table.js';

export interface DiffSide {
  readonly ir: IrSpec;
  readonly spec: Spec;
  /** The files compileSpec() read (the extends chain and imports), by the names it read them under. */
  readonly sources?: ReadonlyMap<string, SourceFile>;
  /** The spec's other page-table levels (`level pmd`), each a side of its own. */
  readonly levels?: readonly (DiffSide & { readonly level: LevelName })[];
}

/** The side of a compiled spec; the front end must have run to the end (`ir` present). */
export function diffSide(c: Pick<Compiled, 'ir' | 'spec'> & Partial<Pick<Compiled, 'sources' | 'levels'>>): DiffSide {
  if (!c.ir) throw new Error(`spec ${c.spec.name} has no IR (the front end stopped early); check it first`);
  // A level is compared on what it draws: its own formats and those its kinds use, not the PTE formats it can see.
  const levels = (c.levels ?? []).flatMap((l) => {
    if (!l.ir) return [];
    const ir = levelDisplayIr(l.ir, l.ownFormats);
    const spec = { ...l.spec, formats: new Map([...l.spec.formats].filter(([n]) => ir.formats.some((f) => f.name === n))) };
    return [{ level: l.level, ir, spec }];
  });
  // `levels` is there (perhaps empty) whenever the caller had the compiled levels; a side built without them is
  // compared at the PTE level only.
  return { ir: c.ir, spec: c.spec, ...(c.sources ? { sources: c.sources } : {}), ...(c.levels ? { levels } : {}) };
}
