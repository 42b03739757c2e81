// Which file a spec extends, from its IR alone (no front end loaded: `ptelab check` asks this on its fast path).
import type { IrSpec } from './types.js';

/** The file of the spec `ir` extends (as the chain names it: relative to where the entry was named), if any. */
export function baseFile(ir: IrSpec): string | undefined {
  return ir.chain.length > 1 ? ir.chain[ir.chain.length - 2] : undefined;
}
