// What a case written for several kinds (`case a, b as x { ... }`) may read from its binding. The resolver gives such
// a case one CaseDef per kind, and the body is elaborated once per kind with `x` typed by that kind's format, so a
// field read gives each kind's logical value (PFN of a present PTE and of a protnone one, stored inverted, read alike).
// What the kinds share is the set of field names every listed kind's format has: a read (`x.F`) or an update
// (`x with { F = ... }`) of any other field is PTE055 (compiler/checks/case-binding-fields.ts), and the lowering skips
// such a case instead of reporting one type error per kind.
import type { Range } from '../../core/source.js';
import type * as A from '../../grammar/ast.js';
import { walkExpr, walkStmts } from '../../grammar/visit.js';
import type { CaseDef, Spec } from '../model.js';

export interface BindingFieldGap {
  readonly field: string;
  readonly range: Range;
  /** The listed kinds whose format has no such field, with that format. */
  readonly missingIn: readonly { readonly kind: string; readonly format: string }[];
}

/** The fields of `c`'s binding that some kind of its group cannot give (none for a case of one kind). */
export function bindingFieldGaps(spec: Spec, c: CaseDef): BindingFieldGap[] {
  const binding = c.binding;
  if (!c.group || !binding) return [];
  const kinds = c.group.kinds.flatMap((k) => {
    const kind = spec.kinds.get(k);
    return kind ? [{ kind: k, format: kind.format }] : []; // an unknown kind is PTE002 elsewhere
  });
  if (new Set(kinds.map((k) => k.format)).size <= 1) return [];
  const out: BindingFieldGap[] = [];
  const ask = (field: A.Ident): void => {
    const missingIn = kinds.filter((k) => !spec.formats.get(k.format)?.fields.has(field.name));
    if (missingIn.length > 0) out.push({ field: field.name, range: field.range, missingIn });
  };
  const isBinding = (e: A.Expr): boolean => e.type === 'NameRef' && e.name === binding;
  const visit = (e: A.Expr): void => {
    if (e.type === 'Member' && isBinding(e.object)) ask(e.property);
    if (e.type === 'With' && isBinding(e.base)) for (const f of e.fields) ask(f.name);
  };
  if (c.guard) walkExpr(c.guard, visit);
  walkStmts(c.body, { expr: visit });
  return out;
}

/** The first CaseDef of each written case of a path (a group's other members stand for the same source text). */
export function writtenCases(cases: readonly CaseDef[]): CaseDef[] {
  return cases.filter((c, i) => !c.group || cases.findIndex((x) => x.group === c.group) === i);
}
