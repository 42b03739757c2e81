// The base of a spec for its kernel patch sketch: the spec its header `extends`, compiled on its own, so the series
// of a proposal shows only what it changes. The IR records the extends chain (`chain`, base-most first); the base is
// the entry's direct parent, the file before the entry. Reads files through the front end's host, like compileSpec().
import { compileSpec, type CompileOutcome } from '../compile.js';
import { renderText } from '../../core/diagnostics/render.js';
import { err, ok, type Result } from '../../core/result.js';
import type { IrSpec } from '../ir/types.js';
import { nodeHost, type SpecHost } from '../load.js';
import { baseFile } from '../ir/base-file.js';

export { baseFile };

export interface Base {
  readonly file: string;
  readonly ir: IrSpec;
}

/** Why a spec's base cannot serve: it does not read, or has errors (the message says which). */
export interface BaseError {
  readonly file: string;
  readonly message: string;
}

/** The base, undefined for a spec that extends nothing, or why the base cannot serve. */
export type BaseOutcome = Result<Base | undefined, BaseError>;

export type CompileFn = (file: string) => CompileOutcome;

/**
 * Compile the base of `ir`. A base with errors is refused (its sketch would be misleading as the "before" of a
 * series). `compile` is compileSpec() by default; a caller that compiles many specs passes cachedCompile().
 */
export function compileBase(ir: IrSpec, compile: CompileFn = (f) => compileSpec(f)): BaseOutcome {
  const file = baseFile(ir);
  if (file === undefined) return ok(undefined);
  const r = compile(file);
  if (!r.ok) return err({ file, message: r.error });
  const c = r.value;
  if (!c.ok) return err({ file, message: `${file}, which ${ir.file} extends, has errors:\n${renderText(c.diagnostics, c.sources)}` });
  return ok({ file, ir: c.ir });
}

/** The base's IR when there is a usable one (coverage and the dispatch summary compare against it if they can). */
export function baseIr(b: BaseOutcome): IrSpec | undefined {
  return b.ok ? b.value?.ir : undefined;
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
