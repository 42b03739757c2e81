// What the editor offers besides a spec's own names: the keywords of both languages and the handler vocabulary of
// the spec <-> runtime contract (context values, primitives), read from the tables the elaborator checks against, so
// completion offers exactly what `ptelab check` accepts.
import { CONTEXT, PRIMITIVES } from '../../compiler/ir/elaborate.js';
import { tyName } from '../../compiler/ir/types.js';
import { keywords as specKeywordTokens } from '../../grammar/lexer.js';
import { keywordNames as scenarioKeywordNames } from '../../runtime/scenario/lexer.js';

export const SPEC_KEYWORDS: readonly string[] = specKeywordTokens.map((t) => t.name.replace(/^Kw_/, ''));
export const SCENARIO_KEYWORDS: readonly string[] = [...scenarioKeywordNames];

/** Context objects (`vma`, `zap`, ...) and their members with their types. */
export const CONTEXT_OBJECTS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  Object.entries(CONTEXT).map(([o, members]) => [o, Object.fromEntries(Object.entries(members).map(([m, ty]) => [m, tyName(ty)]))]),
);

/** Primitives as `name(arg, ...): result`. */
export function primitiveSignatures(): { name: string; signature: string }[] {
  return Object.entries(PRIMITIVES).map(([name, p]) => ({ name, signature: `${name}(${p.args.map(tyName).join(', ')}): ${tyName(p.ret)}` }));
}

export function isPrimitive(name: string): boolean {
  return Object.hasOwn(PRIMITIVES, name);
}
