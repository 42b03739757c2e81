// Completion: in a spec, after `OBJECT.` the members of a context object (`vma.`, `zap.`, ...) or, after any other
// name, the fields of the spec's formats; elsewhere every name of the spec (kinds, formats, fields, predicates,
// decisions, fns, paths, constants), the primitives, the context objects and the keywords. In a scenario file, the
// keywords and the mm and file names declared in the scenario.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { Compiled } from '../../compiler/compile.js';
import { lex } from './tokens.js';
import { namesInScenario } from './scenario-names.js';
import { CONTEXT_OBJECTS, primitiveSignatures, SCENARIO_KEYWORDS, SPEC_KEYWORDS } from './vocabulary.js';
import type { Analysis } from './workspace.js';

export function completion(a: Analysis, compiled: Compiled | undefined, offset: number): CompletionItem[] {
  // The tokens before the cursor (the word being typed is replaced by the editor).
  const before = lex(a.text.slice(0, offset), a.lang);
  let i = before.length - 1;
  if (i >= 0 && /^\w+$/.test(before[i]!.image) && before[i]!.startOffset + before[i]!.image.length === offset) i--;
  if (a.lang === 'scn') {
    const names = namesInScenario(before, Math.max(0, i)).map((n) => ({ label: n.token.image, kind: CompletionItemKind.Variable, detail: n.what }));
    const seen = new Set<string>();
    return [...names.filter((n) => !seen.has(n.label) && seen.add(n.label)), ...SCENARIO_KEYWORDS.map((k) => ({ label: k, kind: CompletionItemKind.Keyword }))];
  }
  const spec = compiled?.spec;
  const dot = before[i]?.image === '.';
  if (dot) {
    const object = before[i - 1]?.image ?? '';
    const members = CONTEXT_OBJECTS[object];
    if (members) return Object.entries(members).map(([m, x]) => ({ label: m, kind: CompletionItemKind.Property, detail: x.ty, documentation: x.doc }));
    return spec ? fields(spec) : [];
  }
  const out: CompletionItem[] = [];
  if (spec) {
    for (const k of spec.kinds.values()) out.push({ label: k.name, kind: CompletionItemKind.EnumMember, detail: `kind : ${k.format}` });
    for (const f of spec.formats.values()) out.push({ label: f.name, kind: CompletionItemKind.Struct, detail: 'format' });
    for (const p of spec.predicates.values()) out.push({ label: p.name, kind: CompletionItemKind.Function, detail: `predicate on ${p.format}` });
    for (const d of spec.decisions.values()) out.push({ label: d.name, kind: CompletionItemKind.Function, detail: 'decision' });
    for (const f of spec.fns.values()) out.push({ label: f.name, kind: CompletionItemKind.Function, detail: 'fn' });
    for (const p of spec.paths.values()) out.push({ label: p.name, kind: CompletionItemKind.Module, detail: 'path' });
    for (const c of spec.consts.values()) out.push({ label: c.name, kind: CompletionItemKind.Constant, detail: `const = ${c.value}` });
    out.push(...fields(spec));
  }
  for (const p of primitiveSignatures()) out.push({ label: p.name, kind: CompletionItemKind.Function, detail: p.signature });
  for (const o of Object.keys(CONTEXT_OBJECTS)) out.push({ label: o, kind: CompletionItemKind.Variable, detail: 'context' });
  for (const k of SPEC_KEYWORDS) out.push({ label: k, kind: CompletionItemKind.Keyword });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.label) && seen.add(c.label));
}

function fields(spec: Compiled['spec']): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const f of spec.formats.values()) {
    for (const field of f.fields.values()) {
      if (seen.has(field.name)) continue;
      seen.add(field.name);
      out.push({ label: field.name, kind: CompletionItemKind.Field, detail: `field of ${f.name}` });
    }
  }
  return out;
}
