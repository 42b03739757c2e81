// Section 6 of `ptelab diff`: the patch footprint, i.e. how much of the kernel patch sketch each design needs.
//
// HOOK, NOT YET IMPLEMENTED. The C back end (kernel patch sketches) does not exist yet; until it does,
// patchFootprintDiff() returns undefined and every renderer prints "patch footprint: not available". No numbers are
// estimated in the meantime.
//
// To fill it in: build both sides' patch sketches and return one FootprintFile per kernel file either sketch touches.
// Keep it synchronous (writeDiffReports() in reports.ts is a pure synchronous generator); the renderers already
// print a FootprintDiff of this shape, and any file whose counts differ makes the diff exit 1.
import type { DiffSide } from './side.js';

export interface FootprintFile {
  /** Kernel file, e.g. include/linux/swapops.h. */
  readonly file: string;
  /** Lines the sketch adds/removes in that file for A and for B (undefined: the sketch does not touch it). */
  readonly a?: { readonly added: number; readonly removed: number };
  readonly b?: { readonly added: number; readonly removed: number };
}

export interface FootprintDiff {
  readonly files: readonly FootprintFile[];
}

/** The patch footprints of two designs, or undefined while there is no C back end (see above). */
export function patchFootprintDiff(a: DiffSide, b: DiffSide): FootprintDiff | undefined {
  void a;
  void b;
  return undefined;
}
