// Hover: what the word under the cursor is. A kind or a format shows its bit ruler (the picture `ptelab show`
// prints); a number written in hex or binary shows the kind it decodes to and its fields (as `ptelab decode`); other
// names show their declaration; context values and primitives their types.
import type { Hover } from 'vscode-languageserver';
import { layoutText } from '../../compiler/backends/svg/text.js';
import { classify } from '../../compiler/codec.js';
import type { Compiled } from '../../compiler/compile.js';
import { hex } from '../../compiler/describe.js';
import { bitRuler } from '../../compiler/ruler.js';
import { declarationOf } from './names.js';
import { scenarioDeclaration } from './scenario-names.js';
import { isWord, tokenAt } from './tokens.js';
import { CONTEXT_OBJECTS, primitiveSignatures } from './vocabulary.js';
import type { Analysis, SpecAnalysis } from './workspace.js';

const code = (s: string) => '```\n' + s.replace(/\n+$/, '') + '\n```';

export function hover(a: Analysis, compiled: Compiled | undefined, offset: number): Hover | null {
  const at = tokenAt(a.text, a.lang, offset);
  if (!at) return null;
  const t = at.token;
  if (a.lang === 'scn') {
    if (!isWord(t)) return null;
    const d = scenarioDeclaration(at.tokens, at.index);
    return d ? { contents: { kind: 'markdown', value: `${d.what} \`${d.token.image}\`, declared on line ${d.token.startLine}` } } : null;
  }
  const value = t.tokenType.name === 'NumberLiteral' ? numberHover(compiled, t.image) : undefined;
  if (value) return { contents: { kind: 'markdown', value } };
  if (!isWord(t)) return null;
  const prev = at.tokens[at.index - 1];
  const object = prev?.image === '.' ? at.tokens[at.index - 2]?.image : undefined;
  const text = nameHover(a, compiled, t.image, offset, object);
  return text ? { contents: { kind: 'markdown', value: text } } : null;
}

/** `0x...` or `0b...`: the kind it decodes to and its fields. */
function numberHover(compiled: Compiled | undefined, image: string): string | undefined {
  if (!/^0[xXbB]/.test(image) || !compiled) return undefined;
  const { spec, sets } = compiled;
  const value = BigInt(image.replace(/_/g, ''));
  if (value >= 1n << BigInt(spec.word)) return `${image} does not fit in the ${spec.word}-bit word`;
  let kind: string | undefined;
  try {
    kind = classify(spec, sets, value);
  } catch {
    return undefined; // a spec whose kinds do not compile yet: nothing sure to say
  }
  if (!kind) return `${hex(value, spec.word)} classifies as no kind of spec ${spec.name}`;
  const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
  return `${hex(value, spec.word)} is kind \`${kind}\` (format ${format.name})\n\n${code(bitRuler(spec, format, value))}`;
}

function nameHover(a: SpecAnalysis, compiled: Compiled | undefined, name: string, offset: number, object: string | undefined): string | undefined {
  const member = object !== undefined ? CONTEXT_OBJECTS[object]?.[name] : undefined;
  if (member) return `${code(`${object}.${name}: ${member.ty}`)}\n\n${member.doc}`;
  if (CONTEXT_OBJECTS[name] !== undefined && object === undefined) {
    return `context \`${name}\`\n\n${code(Object.entries(CONTEXT_OBJECTS[name]).map(([m, x]) => `${name}.${m}: ${x.ty}  // ${x.doc}`).join('\n'))}`;
  }
  const spec = compiled?.spec;
  const d = declarationOf(spec, a.parsed.ast, name, offset);
  if (!d) {
    const p = primitiveSignatures().find((x) => x.name === name);
    return p ? `primitive\n\n${code(p.signature)}` : undefined;
  }
  const where = `${d.range.file}:${d.range.start.line}`;
  const ir = compiled?.ir;
  switch (d.what) {
    case 'kind': {
      const k = spec!.kinds.get(name)!;
      const picture = ir && ir.kinds.some((x) => x.name === name) ? `\n\n${code(layoutText(ir, { kind: name }))}` : '';
      return `kind \`${name}\` : \`${k.format}\` (${where})${picture}`;
    }
    case 'format': {
      const f = spec!.formats.get(name)!;
      const picture = ir && ir.formats.some((x) => x.name === name) ? `\n\n${code(layoutText(ir, { format: name }))}` : '';
      return `format \`${name}\`${f.base ? ` extends \`${f.base}\`` : ''} (${where})${picture}`;
    }
    case 'field': {
      const pos = d.field.bits.map((b) => b.pos);
      const bits = pos.length === 1 ? `bit ${pos[0]}` : `bits ${Math.min(...pos)}..${Math.max(...pos)}`;
      const notes = [d.field.inverted ? 'inverted' : '', d.field.aliasOf ? `alias of ${d.field.aliasOf}` : '', d.field.parent ? `in ${d.field.parent}` : ''].filter(Boolean);
      return code(`${bits} ${name}${notes.length ? `  (${notes.join(', ')})` : ''}  in format ${d.format}`) + `\n\n(${where})`;
    }
    case 'predicate': {
      const p = spec!.predicates.get(name)!;
      return `predicate \`${name}\` on \`${p.format}\`${p.means.length ? `, means ${p.means.map((m) => `\`${m.name}\``).join(', ')}` : ''} (${where})`;
    }
    case 'const': {
      const c = spec!.consts.get(name)!;
      return code(`const ${name} = ${c.value} (0x${c.value.toString(16)})`) + `\n\n(${where})`;
    }
    case 'fn': {
      const f = spec!.fns.get(name)!;
      return code(`fn ${name}(${f.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`) + `\n\n(${where})`;
    }
    case 'path': {
      const p = spec!.paths.get(name)!;
      return `path \`${name}\`: ${p.cases.length} case(s) (${where})`;
    }
    case 'decision':
      return `decision \`${name}\` (${where})`;
    case 'binding':
      return `\`${name}\`, bound on line ${d.range.start.line}`;
  }
}
