// TS -> JS by blanking the type syntax with spaces: one parse, no transform, no printer. TypeScript's
// transpileModule spent most of loading a spec's module (about 0.6 s of CPU for a bundled spec, mostly its printer
// re-emitting 10k lines with their comments); a parse and a walk are a fifth of that. Only what a generated module
// writes is handled (type annotations, type arguments, `as`/`satisfies`, `!`, type-only imports); anything else
// (enums, namespaces, classes, parameter properties, `<T>x`...) returns undefined and the caller transpiles.
// Blanking keeps every line break and every other character where it was, so the JS means what the TS meant.
import { ts as typescript } from 'ts-morph';

// Read once: under vitest every access to a CommonJS package's export goes through a Proxy, and the walk below
// makes a few per node.
const ts = typescript;

class Unsupported extends Error {}

/** The JS of `tsText` with its types blanked, or undefined when it uses TS syntax this does not handle. */
export function stripTypes(tsText: string): string | undefined {
  const sf = ts.createSourceFile('module.ts', tsText, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  if ((sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length) return undefined;
  const out = tsText.split('');
  const blank = (from: number, to: number): void => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  const fail = (node: typescript.Node): never => {
    throw new Unsupported(ts.SyntaxKind[node.kind]);
  };
  /** `: T` (the colon is the token just before the type's full start). */
  const annotation = (type: typescript.TypeNode): void => {
    if (tsText[type.pos - 1] !== ':') fail(type);
    blank(type.pos - 1, type.end);
  };
  /** `<...>` around type arguments or parameters. */
  const angles = (list: typescript.NodeArray<typescript.Node>): void => {
    if (tsText[list.pos - 1] !== '<') fail(list[0]!);
    let close = list.end;
    while (/\s/.test(tsText[close] ?? '')) close++;
    if (tsText[close] !== '>') fail(list[0]!);
    blank(list.pos - 1, close + 1);
  };
  const TS_ONLY_MODIFIERS = new Set([
    ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword,
    ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.OverrideKeyword, ts.SyntaxKind.AccessorKeyword,
  ]);
  const visit = (node: typescript.Node): void => {
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => TS_ONLY_MODIFIERS.has(m.kind))) fail(node);
    if (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) fail(node);
    switch (node.kind) {
      case ts.SyntaxKind.ImportDeclaration: {
        const d = node as typescript.ImportDeclaration;
        if (!d.importClause?.isTypeOnly) fail(node);
        blank(d.getStart(sf), d.end);
        return;
      }
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        blank(node.getStart(sf), node.end);
        return;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.Decorator:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.ExpressionWithTypeArguments:
      case ts.SyntaxKind.JsxElement:
      case ts.SyntaxKind.JsxSelfClosingElement:
        return fail(node);
      case ts.SyntaxKind.VariableDeclaration: {
        const d = node as typescript.VariableDeclaration;
        if (d.exclamationToken) blank(d.exclamationToken.getStart(sf), d.exclamationToken.end);
        if (d.type) annotation(d.type);
        visit(d.name);
        if (d.initializer) visit(d.initializer);
        return;
      }
      case ts.SyntaxKind.Parameter: {
        const p = node as typescript.ParameterDeclaration;
        if (ts.isIdentifier(p.name) && p.name.text === 'this') fail(node);
        if (p.questionToken) blank(p.questionToken.getStart(sf), p.questionToken.end);
        if (p.type) annotation(p.type);
        visit(p.name);
        if (p.initializer) visit(p.initializer);
        return;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor: {
        const f = node as typescript.FunctionLikeDeclaration;
        if (!f.body || f.questionToken || f.exclamationToken) fail(node); // overloads, optional methods
        if (f.typeParameters) angles(f.typeParameters);
        if (f.type) {
          // no line break may come between an arrow function's parameters and its `=>`
          if (node.kind === ts.SyntaxKind.ArrowFunction && tsText.slice(f.type.pos - 1, f.type.end).includes('\n')) fail(node);
          annotation(f.type);
        }
        if (f.name) visit(f.name);
        f.parameters.forEach(visit);
        visit(f.body!);
        return;
      }
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression: {
        const c = node as typescript.CallExpression | typescript.NewExpression;
        if (c.typeArguments) angles(c.typeArguments);
        visit(c.expression);
        c.arguments?.forEach(visit);
        return;
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const t = node as typescript.TaggedTemplateExpression;
        if (t.typeArguments) angles(t.typeArguments);
        visit(t.tag);
        visit(t.template);
        return;
      }
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression: {
        const e = node as typescript.AsExpression | typescript.SatisfiesExpression | typescript.NonNullExpression;
        blank(e.expression.end, e.end);
        visit(e.expression);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  try {
    sf.statements.forEach(visit);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return out.join('');
}
