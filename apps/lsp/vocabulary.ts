// What the editor offers besides a spec's own names: the keywords of both languages and the handler vocabulary of
// the spec <-> runtime contract (context values, primitives), read from contract/table.ts, the table the elaborator
// checks against, so completion and hover offer exactly what `ptelab check` accepts.
import { CONTEXT, PRIMITIVES } from '../../contract/table.js';
import { keywords as specKeywordTokens } from '../../grammar/lexer.js';
import { keywordNames as scenarioKeywordNames } from '../../runtime/scenario/lexer.js';

export const SPEC_KEYWORDS: readonly string[] = specKeywordTokens.map((t) => t.name.replace(/^Kw_/, ''));
export const SCENARIO_KEYWORDS: readonly string[] = [...scenarioKeywordNames];

export interface ContextMember {
  readonly ty: string;
  /** What the kernel reads for it. */
  readonly doc: string;
}

/** Context objects (`vma`, `zap`, ...) and their members. */
export const CONTEXT_OBJECTS: Readonly<Record<string, Readonly<Record<string, ContextMember>>>> = CONTEXT;

/** Primitives as `name(arg, ...): result`. */
export function primitiveSignatures(): { name: string; signature: string }[] {
  return Object.entries(PRIMITIVES).map(([name, p]) => ({ name, signature: `${name}(${p.args.join(', ')}): ${p.ret}` }));
}
