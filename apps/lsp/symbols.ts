// Document symbols (the outline): a spec's header, formats with their fields, swap table, constants, predicates,
// kinds, fns, decisions and paths with their cases; a scenario file's scenarios.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type * as A from '../../grammar/ast.js';
import type { Range } from '../../core/source.js';
import { lspRange } from './convert.js';
import { lex } from './tokens.js';
import type { Analysis } from './workspace.js';

function sym(name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return { name: name || '?', kind, range: lspRange(range), selectionRange: lspRange(selection), ...(detail ? { detail } : {}), ...(children && children.length ? { children } : {}) };
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  return a.lang === 'scn' ? scenarioSymbols(a.text) : specSymbols(a.parsed.ast);
}

function fieldSymbols(ms: readonly A.FieldMember[]): DocumentSymbol[] {
  return ms.map((m) => {
    switch (m.type) {
      case 'SubFields':
        return sym(m.parent.name, SymbolKind.Field, m.range, m.parent.range, 'sub-fields', fieldSymbols(m.members));
      case 'AliasField':
        return sym(m.name.name, SymbolKind.Field, m.range, m.name.range, `alias of ${m.target.name}`);
      case 'BitField':
        return sym(m.name.name, SymbolKind.Field, m.range, m.name.range, m.hi === m.lo ? 'bit' : 'bits');
      case 'RemoveField':
        return sym(m.name.name, SymbolKind.Field, m.range, m.name.range, 'removed');
      case 'RenameField':
        return sym(m.to.name, SymbolKind.Field, m.range, m.to.range, `renamed from ${m.from.name}`);
    }
  });
}

function specSymbols(ast: A.SpecFile): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  if (ast.header) out.push(sym(ast.header.name.name, SymbolKind.Namespace, ast.header.range, ast.header.name.range, ast.header.extends ? `extends ${ast.header.extends.value}` : 'spec'));
  for (const it of ast.items) {
    switch (it.type) {
      case 'FormatDecl':
        out.push(sym(it.name.name, SymbolKind.Struct, it.range, it.name.range, 'format', fieldSymbols(it.members)));
        break;
      case 'SwapDecl':
        out.push(sym('swap', SymbolKind.Enum, it.range, it.range, 'swap types', it.entries.map((e) => sym(e.name.name, SymbolKind.EnumMember, e.range, e.name.range))));
        break;
      case 'ConstDecl':
        out.push(sym(it.name.name, SymbolKind.Constant, it.range, it.name.range, 'const'));
        break;
      case 'PredicateDecl':
        out.push(sym(it.name.name, SymbolKind.Boolean, it.range, it.name.range, `predicate on ${it.format.name}`));
        break;
      case 'KindDecl':
        out.push(sym(it.name.name, SymbolKind.Class, it.range, it.name.range, `kind : ${it.format.name}`));
        break;
      case 'FnDecl':
        out.push(sym(it.name.name, SymbolKind.Function, it.range, it.name.range, 'fn'));
        break;
      case 'DecisionDecl':
        out.push(sym(it.name.name, SymbolKind.Boolean, it.range, it.name.range, 'decision'));
        break;
      case 'PathDecl':
        out.push(
          sym(
            it.name.name,
            SymbolKind.Module,
            it.range,
            it.name.range,
            'path',
            it.cases.map((c) => sym(c.kinds.length > 0 ? `case ${c.kinds.map((k) => k.name).join(', ')}${c.binding ? ` as ${c.binding.name}` : ''}` : 'default', SymbolKind.Method, c.range, c.kinds[0]?.range ?? c.headRange, c.mode !== 'append' ? c.mode : undefined)),
          ),
        );
        break;
      default:
        break;
    }
  }
  return out;
}

/** `scenario "name" ... { ... }` spans, found from the tokens (a file with errors still gets its outline). */
function scenarioSymbols(text: string): DocumentSymbol[] {
  const tokens = lex(text, 'scn');
  const out: DocumentSymbol[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType.name !== 'Kw_scenario') continue;
    const kw = tokens[i]!;
    const name = tokens[i + 1]?.tokenType.name === 'StringLiteral' ? tokens[i + 1]! : kw;
    let j = i + 1;
    let depth = 0;
    for (; j < tokens.length; j++) {
      const n = tokens[j]!.tokenType.name;
      if (n === 'LBrace') depth++;
      else if (n === 'RBrace' && --depth <= 0) break;
      else if (n === 'Kw_scenario' && depth === 0) {
        j--;
        break;
      }
    }
    const end = tokens[Math.min(j, tokens.length - 1)]!;
    const pos = (t: typeof kw, after = false) => ({ offset: 0, line: t.startLine ?? 1, column: (t.startColumn ?? 1) + (after ? t.image.length : 0) });
    const range = { file: '', start: pos(kw), end: pos(end, true) };
    out.push(sym(name.image.replace(/^"|"$/g, ''), SymbolKind.Event, range, { file: '', start: pos(name), end: pos(name, true) }, 'scenario'));
  }
  return out;
}
