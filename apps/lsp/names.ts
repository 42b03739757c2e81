// What a name in a spec stands for: the declaration a word resolves to in the resolved spec (which spans the
// `extends` chain and imports, so a name declared in a base spec is found in the base file), and the files named by
// `extends` and `import` strings. Read by hover and go-to-definition.
import * as path from 'node:path';
import type * as A from '../../grammar/ast.js';
import { walkStmts } from '../../grammar/visit.js';
import type { Range } from '../../core/source.js';
import type { FieldDef, Spec } from '../../compiler/model.js';

export type Declaration =
  | { readonly what: 'kind' | 'format' | 'predicate' | 'decision' | 'fn' | 'path' | 'const'; readonly name: string; readonly range: Range }
  | { readonly what: 'field'; readonly name: string; readonly range: Range; readonly field: FieldDef; readonly format: string }
  | { readonly what: 'binding'; readonly name: string; readonly range: Range };

/** The declaration `name` stands for, in this order: a case binding or let around `offset`, then the spec's names. */
export function declarationOf(spec: Spec | undefined, ast: A.SpecFile | undefined, name: string, offset: number): Declaration | undefined {
  const local = ast ? localBinding(ast, name, offset) : undefined;
  if (local) return local;
  if (!spec) return undefined;
  const k = spec.kinds.get(name);
  if (k) return { what: 'kind', name, range: k.nameRange };
  const f = spec.formats.get(name);
  if (f) return { what: 'format', name, range: f.range };
  const p = spec.predicates.get(name);
  if (p) return { what: 'predicate', name, range: p.nameRange };
  const d = spec.decisions.get(name);
  if (d) return { what: 'decision', name, range: d.nameRange };
  const fn = spec.fns.get(name);
  if (fn) return { what: 'fn', name, range: fn.nameRange };
  const pa = spec.paths.get(name);
  if (pa) return { what: 'path', name, range: pa.range };
  const c = spec.consts.get(name);
  if (c) return { what: 'const', name, range: c.range };
  const field = fieldNamed(spec, name, ast, offset);
  if (field) return field;
  return undefined;
}

/** A field of that name: in the format of the kind or predicate around `offset` if it has one, else the first. */
function fieldNamed(spec: Spec, name: string, ast: A.SpecFile | undefined, offset: number): Declaration | undefined {
  const around = ast?.items.find((i) => i.range.start.offset <= offset && offset <= i.range.end.offset);
  const preferred = around && (around.type === 'KindDecl' || around.type === 'PredicateDecl') ? around.format.name : around?.type === 'FormatDecl' ? around.name.name : undefined;
  const formats = [...spec.formats.values()];
  if (preferred) formats.sort((a, b) => (a.name === preferred ? -1 : b.name === preferred ? 1 : 0));
  for (const f of formats) {
    const field = f.fields.get(name);
    if (field) return { what: 'field', name, range: field.range, field, format: f.name };
  }
  return undefined;
}

/** `case K as x` and `let x = ...` in the case around `offset`. */
function localBinding(ast: A.SpecFile, name: string, offset: number): Declaration | undefined {
  for (const item of ast.items) {
    if (item.type !== 'PathDecl' || offset < item.range.start.offset || offset > item.range.end.offset) continue;
    for (const c of item.cases) {
      if (offset < c.range.start.offset || offset > c.range.end.offset) continue;
      if (c.binding?.name === name) return { what: 'binding', name, range: c.binding.range };
      const lets: A.Ident[] = [];
      walkStmts(c.body, { stmt: (s) => s.type === 'LetStmt' && s.range.start.offset < offset && lets.push(s.name) });
      const l = lets.filter((x) => x.name === name).pop();
      if (l) return { what: 'binding', name, range: l.range };
    }
  }
  return undefined;
}

/** The file an `extends` or `import` string at `offset` names (relative to the spec's own folder), if any. */
export function fileNamedAt(ast: A.SpecFile, offset: number): string | undefined {
  const strings: A.StringLit[] = [];
  if (ast.header?.extends) strings.push(ast.header.extends);
  for (const i of ast.items) if (i.type === 'ImportDecl') strings.push(i.path);
  const s = strings.find((x) => x.range.start.offset <= offset && offset <= x.range.end.offset);
  return s ? path.join(path.dirname(ast.file), s.value) : undefined;
}
