// The base of a spec for its kernel patch sketch: the spec its header `extends`, compiled on its own, so the series
// of a proposal shows only what it changes. The IR records the extends chain (`chain`, base-most first); the base is
// the entry's direct parent, the file before the entry. Reads files through the front end's host, like compileSpec().
import { compileSpec, type CompileOutcome } from '../compile.js';
import { renderText } from '../../core/diagnostics/render.js';
import type { IrSpec } from '../ir/types.js';
import { nodeHost, type SpecHost } from '../load.js';

/** The file of the spec `ir` extends (as the chain names it: relative to where the entry was named), if any. */
export function baseFile(ir: IrSpec): string | undefined {
  return ir.chain.length > 1 ? ir.chain[ir.chain.length - 2] : undefined;
}

export type BaseOutcome =
  /** The spec extends nothing. */
  | { readonly kind: 'none' }
  | { readonly kind: 'base'; readonly file: string; readonly ir: IrSpec }
  /** The base does not compile to IR on its own, or has errors: the message says why. */
  | { readonly kind: 'error'; readonly file: string; readonly message: string };

export type CompileFn = (file: string) => CompileOutcome;

/**
 * Compile the base of `ir`. A base with errors is refused (its sketch would be misleading as the "before" of a
 * series). `compile` is compileSpec() by default; a caller that compiles many specs passes cachedCompile().
 */
export function compileBase(ir: IrSpec, compile: CompileFn = (f) => compileSpec(f)): BaseOutcome {
  const file = baseFile(ir);
  if (file === undefined) return { kind: 'none' };
  const c = compile(file);
  if ('ioError' in c) return { kind: 'error', file, message: c.ioError };
  if (!c.ok || !c.ir) return { kind: 'error', file, message: `${file}, which ${ir.file} extends, has errors:\n${renderText(c.diagnostics, c.sources)}` };
  return { kind: 'base', file, ir: c.ir };
}

/** A compile function that compiles each file once. */
export function cachedCompile(host: SpecHost = nodeHost): CompileFn {
  const cache = new Map<string, CompileOutcome>();
  return (file) => {
    let c = cache.get(file);
    if (!c) {
      c = compileSpec(file, host);
      cache.set(file, c);
    }
    return c;
  };
}
