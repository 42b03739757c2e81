// IR -> the TypeScript simulation module of a spec, built with ts-morph and formatted with prettier. The module
// imports only types from the runtime, so it can also be transpiled and loaded on its own (`ptelab run`).
// Spec text never becomes code: names are validated identifiers (reserved words get a `$` suffix, our own helpers
// all start with `$`), strings go through JSON.stringify, and comments are flattened to one safe line.
import { createHash } from 'node:crypto';
import { irKey } from '../../ir/key.js';
import { lastResults } from '../../../core/last-results.js';
import { caseRuns } from '../../ir/case-runs.js';
import { Project, StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';
import type { IrCase, IrExpr, IrFormat, IrKind, IrPath, IrSpec, IrStmt, Ty } from '../../ir/types.js';
import { isPte, typeOf } from '../../ir/types.js';
import { generatedHeader, safeComment } from '../generated-header.js';
import { specUffdFeatures } from '../../analysis/uffd-features.js';
import { symmetryFor } from '../../analysis/symmetry.js';
import { DECISION_NAMES, PRIMITIVES, RSS_COUNTER_NAMES } from '../../../contract/table.js';

export interface EmitOptions {
  /** Import path of contract/spec-module.js as seen from the emitted file. */
  readonly runtimeImport: string;
}

const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity')
    .split(' '),
);

/** A spec name as a TS identifier. */
export function id(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`emit: '${name}' is not an identifier`);
  return RESERVED.has(name) ? `${name}$` : name;
}

function big(v: bigint): string {
  return v < 0n ? `-${big(-v)}` : v < 1024n ? `${v}n` : `0x${v.toString(16)}n`;
}

function fieldKey(format: string, field: string): string {
  return `${format}_${field}`;
}

export function emitTsText(ir: IrSpec, opts: EmitOptions): string {
  const project = new Project({ useInMemoryFileSystem: true });
  // ts-morph re-parses the whole file after each addStatements call, so adding the groups one by one to one file
  // was quadratic in the module's size; each group is printed into a file of its own and the texts are joined, as
  // appending them one after another laid them out.
  const printed = (g: Stmts): string => {
    const f = project.createSourceFile('group.ts', '', { overwrite: true });
    f.addStatements(g);
    return f.getFullText();
  };
  const sf = project.createSourceFile('module.ts', '', { overwrite: true });
  sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: opts.runtimeImport, namedImports: typeImports(ir) });
  // The header goes first, before the imports ts-morph places at the top.
  return `${generatedHeader(ir.file, '//')}\n${[sf.getFullText(), ...moduleGroups(ir, printed).map(printed)].join('')}`;
}

/**
 * The same module's statements one after another, without ts-morph's layout (a third of the CPU of loading a spec):
 * for running it (apps/load-module.ts), never for a file anyone reads; emitTsText is what `ptelab build` writes.
 */
export function emitTsPlain(ir: IrSpec, opts: EmitOptions): string {
  const printed = (g: Stmts): string => `${g.map(plainStatement).join('\n')}\n`;
  const head = `import type { ${typeImports(ir).join(', ')} } from ${JSON.stringify(opts.runtimeImport)};\n`;
  return `${generatedHeader(ir.file, '//')}\n${[head, ...moduleGroups(ir, printed).map(printed)].join('')}`;
}

function typeImports(ir: IrSpec): string[] {
  return ['CaseSite', 'HandlerContext', 'HandlerEnv', 'KindInfo', ...(ir.levels?.length ? ['LevelModule'] : []), 'Outcome', 'Pfn', 'SpecModule', 'Word'];
}

/** The module's statements in groups (a level's module prints its own body with `printed`). */
function moduleGroups(ir: IrSpec, printed: (g: Stmts) => string): Stmts[] {
  const e = new Emitter(ir);
  return [e.prelude(), e.constants(), e.fieldAccessors(), e.kindsAndClassify(), e.predicates(), e.fns(), e.decisions(), e.sites(), ...ir.paths.map((p) => e.path(p)), ...(ir.levels ?? []).map((l) => levelModule(l, printed)), e.moduleObject()];
}

/** A statement as text: the emitter's structures are only `const` statements (Emitter.constants). */
function plainStatement(s: Stmts[number]): string {
  if (typeof s === 'string') return s;
  if (s.kind !== StructureKind.VariableStatement || s.declarationKind !== VariableDeclarationKind.Const) throw new Error(`emitTsPlain: no plain form for a structure of kind ${s.kind}`);
  const decls = s.declarations.map((d) => {
    if (typeof d.initializer !== 'string' || d.type !== undefined) throw new Error(`emitTsPlain: no plain form for the declaration of ${d.name}`);
    return `${d.name} = ${d.initializer}`;
  });
  return `${s.isExported ? 'export ' : ''}const ${decls.join(', ')};`;
}

/** Format with prettier (deterministic: fixed options, no config lookup). */
export function formatTs(text: string): Promise<string> {
  // Kept by text: prettier takes over a second for a bundled spec's module, and one process often builds one spec
  // twice (build, then a check that a second build is unchanged; the generated/ freshness test and the build tests
  // sharing a worker).
  const key = createHash('sha256').update(text).digest('hex');
  return formatted(key, () => import('prettier').then((prettier) => prettier.format(text, { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all' })));
}

const formatted = lastResults<string>(16);

/**
 * Kept by IR and import, so a second build of one spec in a process skips ts-morph too (formatTs keeps prettier's
 * part); the text is a pure function of both.
 */
export function emitTs(ir: IrSpec, opts: EmitOptions): Promise<string> {
  return emitted(`${irKey(ir)}:${opts.runtimeImport}`, () => formatTs(emitTsText(ir, opts)));
}

const emitted = lastResults<string>(16);

type Stmts = (string | StatementStructures)[];

class Emitter {
  private readonly formats: Map<string, IrFormat>;
  private readonly kinds: Map<string, IrKind>;

  constructor(
    private readonly ir: IrSpec,
    /** false inside a level's function: nothing is exported from there. */
    private readonly exported = true,
  ) {
    this.formats = new Map(ir.formats.map((f) => [f.name, f]));
    this.kinds = new Map(ir.kinds.map((k) => [k.name, k]));
  }

  prelude(): Stmts {
    return [
      `const $WORD_MASK = ${big((1n << BigInt(this.ir.word)) - 1n)};`,
      `const $DONE: Outcome = { type: 'done' };`,
      `const $RETRY: Outcome = { type: 'retry' };`,
      `const $OUTCOMES = {
        userfault_wp: { type: 'userfault', mode: 'wp' },
        userfault_missing: { type: 'userfault', mode: 'missing' },
        userfault_minor: { type: 'userfault', mode: 'minor' },
        sigbus: { type: 'sigbus' },
        sigsegv: { type: 'sigsegv' },
        hwpoison: { type: 'hwpoison' },
      } as const satisfies Record<string, Outcome>;`,
      `/** A page argument that is none: reported as a WARN (an invariant violation) instead of crashing the run. */
      function $page(env: HandlerEnv, p: Pfn | null, what: string): Pfn {
        if (p === null) {
          env.prim.warn(\`\${what}: no page (NULL)\`);
          return -1n;
        }
        return p;
      }`,
      `/** A kind constructor must produce its kind; if the fields pushed it elsewhere, say so. */
      function $make(env: HandlerEnv, kind: string, w: Word): Word {
        const got = $classify(w);
        if (got !== kind) env.prim.warn(\`constructor \${kind}(...) produced \${got ?? 'no kind'} (0x\${w.toString(16)})\`);
        return w;
      }`,
    ];
  }

  constants(): Stmts {
    const out: Stmts = [];
    if (this.ir.maxSwapfiles !== undefined) out.push(`// swap budget: MAX_SWAPFILES = ${this.ir.maxSwapfiles}`);
    for (const c of this.ir.consts) {
      out.push({
        kind: StructureKind.VariableStatement,
        isExported: this.exported,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: id(c.name), initializer: big(c.value) }],
      });
    }
    return out;
  }

  fieldAccessors(): Stmts {
    const out: Stmts = [];
    for (const f of this.ir.formats) {
      out.push(`// format ${f.name}${f.base ? ` extends ${f.base}` : ''}`);
      for (const x of f.fields) {
        const mask = (1n << BigInt(x.width)) - 1n;
        const k = fieldKey(f.name, x.name);
        const inv = x.inverted ? ` ^ ${big(mask)}` : '';
        out.push(
          `function $get_${k}(w: Word): bigint { return ((w >> ${big(BigInt(x.shift))}) & ${big(mask)})${inv}; } // bits ${x.shift}..${x.shift + x.width - 1}${x.inverted ? ' inverted' : ''}`,
          `function $set_${k}(w: Word, v: bigint): Word { return (w & ${big(((1n << BigInt(this.ir.word)) - 1n) ^ (mask << BigInt(x.shift)))}) | ((((v & ${big(mask)})${inv})) << ${big(BigInt(x.shift))}); }`,
        );
      }
    }
    return out;
  }

  kindsAndClassify(): Stmts {
    const kinds = this.ir.kinds.map((k) => {
      const refs = k.refs
        ? k.refs.target === 'slot'
          ? `refs: { target: 'slot', typeField: ${JSON.stringify(k.refs.typeField)}, offsetField: ${JSON.stringify(k.refs.offsetField)} }, `
          : `refs: { target: ${JSON.stringify(k.refs.target)}, field: ${JSON.stringify(k.refs.field)} }, `
        : '';
      const cubes = k.cubes.map(([m, v]) => `[${big(m)}, ${big(v)}]`).join(', ');
      return `{ name: ${JSON.stringify(k.name)}, format: ${JSON.stringify(k.format)}, ${refs}cubes: [${cubes}] }`;
    });
    const tests = this.ir.kinds.map((k) => {
      const cond = k.cubes.length === 0 ? 'false' : k.cubes.map(([m, v]) => `(w & ${big(m)}) === ${big(v)}`).join(' || ');
      return `  if (${cond}) return ${JSON.stringify(k.name)}; // ${safeComment(`${k.site.file}:${k.site.line}`)}`;
    });
    const decodeCases = this.ir.kinds.map((k) => {
      const f = this.formats.get(k.format)!;
      const fields = f.fields.map((x) => `${JSON.stringify(x.name)}: $get_${fieldKey(f.name, x.name)}(w)`).join(', ');
      return `    case ${JSON.stringify(k.name)}: return { ${fields} };`;
    });
    return [
      `${this.exported ? 'export ' : ''}const KINDS: readonly KindInfo[] = [\n${kinds.join(',\n')}\n];`,
      `/** The kind of a PTE value: exact, from the kinds' cubes (ternary patterns over the word). */\nfunction $classify_cubes(w: Word): string | undefined {\n${tests.join('\n')}\n  return undefined;\n}`,
      // Memoised: every handler classifies its entry, and each cube test allocates a BigInt; the explorer meets the
      // same few hundred words millions of times. null stands for "no kind" in the memo.
      `const $KIND_MEMO = new Map<Word, string | null>();\n/** The kind of a PTE value (memoised $classify_cubes). */\nfunction $classify(w: Word): string | undefined {\n  let k = $KIND_MEMO.get(w);\n  if (k === undefined) {\n    k = $classify_cubes(w) ?? null;\n    if ($KIND_MEMO.size >= 65536) $KIND_MEMO.clear();\n    $KIND_MEMO.set(w, k);\n  }\n  return k ?? undefined;\n}`,
      `function $decode(kind: string, w: Word): Readonly<Record<string, bigint>> {\n  switch (kind) {\n${decodeCases.join('\n')}\n    default: return {};\n  }\n}`,
    ];
  }

  predicates(): Stmts {
    return this.ir.predicates.map((p) => {
      const cond = p.cubes.length === 0 ? 'false' : p.cubes.map(([m, v]) => `(w & ${big(m)}) === ${big(v)}`).join(' || ');
      return `function $pred_${p.name}(w: Word): boolean { return ${cond}; }`;
    });
  }

  fns(): Stmts {
    return this.ir.fns.map((f) => {
      const params = f.params.map((p) => `${id(p.name)}: ${tsType(p.ty)}`).join(', ');
      return `// ${safeComment(`${f.site.file}:${f.site.line}`)}\n${this.exported ? 'export ' : ''}function ${id(f.name)}(${params}): ${tsType(f.ty)} { return ${this.expr(f.body, 'fn')}; }`;
    });
  }

  decisions(): Stmts {
    const entries = this.ir.decisions.map(
      (d) => `  // ${safeComment(`${d.site.file}:${d.site.line}`)}\n  ${id(d.name)}: ($ctx: HandlerContext): boolean => ${this.expr(d.body, 'decision')},`,
    );
    return [`const $decisions = {\n${entries.join('\n')}\n};`];
  }

  sites(): Stmts {
    const paths = this.ir.paths.map((p) => {
      const sites = p.cases.map(
        (c) => `{ path: ${JSON.stringify(p.name)}, index: ${c.index}, kind: ${JSON.stringify(c.kind ?? 'default')}, file: ${JSON.stringify(c.site.file)}, line: ${c.site.line} }`,
      );
      return `  ${id(p.name)}: [${sites.join(', ')}],`;
    });
    return [`const $SITES: Readonly<Record<string, readonly CaseSite[]>> = {\n${paths.join('\n')}\n};`];
  }

  path(p: IrPath): Stmts {
    const body: string[] = ['const $w = $env.pte;', 'const $k = $classify($w);', 'const $ctx = $env.ctx;', 'void $ctx;'];
    for (const run of caseRuns(p.cases)) body.push(this.caseCode(p, run));
    body.push(`$env.prim.warn(${JSON.stringify(`${p.name}: no case for kind `)} + String($k));`, 'return $DONE;');
    return [`// path ${p.name}\nfunction ${pathFn(p.name)}($env: HandlerEnv): Outcome {\n${body.join('\n')}\n}`];
  }

  /** One case, or a case written for several kinds (`case a, b`) as one test when every kind elaborated alike. */
  private caseCode(p: IrPath, run: readonly IrCase[]): string {
    const c = run[0]!;
    const kinds = c.group ?? (c.kind ? [c.kind] : []);
    const written = kinds.length > 0 ? kinds.join(', ') : 'default';
    const forKind = c.group && run.length === 1 ? `, for ${c.kind}` : '';
    const head = `case ${written}${c.binding ? ` as ${c.binding}` : ''}${c.guard ? ' when ...' : ''} (${c.site.file}:${c.site.line}${forKind})`;
    const inner: string[] = [];
    if (c.binding) inner.push(`const ${id(c.binding)} = $w;`);
    // the site entered is the matched kind's own (blame and coverage stay per kind)
    const index = run.slice(0, -1).reduceRight((rest, x) => `$k === ${JSON.stringify(x.kind)} ? ${x.index} : ${rest}`, String(run[run.length - 1]!.index));
    const stmts = [`$env.enter($SITES[${JSON.stringify(p.name)}]![${index}]!);`, ...this.stmts(c.body), 'return $DONE;'];
    if (c.guard) inner.push(`if (${this.expr(c.guard, 'handler')}) {\n${stmts.join('\n')}\n}`);
    else inner.push(...stmts);
    const test = c.kind ? run.map((x) => `$k === ${JSON.stringify(x.kind)}`).join(' || ') : 'true';
    return `// ${safeComment(head)}\nif (${test}) {\n${inner.join('\n')}\n}`;
  }

  private stmts(list: readonly IrStmt[]): string[] {
    return list.map((s) => this.stmt(s));
  }

  private stmt(s: IrStmt): string {
    switch (s.s) {
      case 'set':
        return `$env.set(${this.expr(s.value, 'handler')});`;
      case 'copy':
        return `$env.copy(${this.expr(s.value, 'handler')});`;
      case 'clear':
        return '$env.set(0n);';
      case 'keep':
        return '// keep';
      case 'let':
        return `const ${id(s.name)} = ${this.expr(s.value, 'handler')};`;
      case 'if': {
        const els = s.else.length ? ` else {\n${this.stmts(s.else).join('\n')}\n}` : '';
        return `if (${this.expr(s.cond, 'handler')}) {\n${this.stmts(s.then).join('\n')}\n}${els}`;
      }
      case 'call': {
        const args = s.args.map((a) => `${JSON.stringify(a.name)}: ${this.expr(a.value, 'handler')}`).join(', ');
        return `return $env.call(${JSON.stringify(s.path)}, { ${args} });`;
      }
      case 'retry':
        return 'return $RETRY;';
      case 'return':
        return 'return $DONE;';
      case 'outcome':
        return `return $OUTCOMES.${s.outcome};`;
      case 'warn':
        return `$env.prim.warn(${JSON.stringify(s.message)});`;
      case 'do':
        return `${this.expr(s.expr, 'handler')};`;
    }
  }

  /** `where`: handlers have $env and $ctx, decisions only $ctx, fns neither. */
  expr(e: IrExpr, where: 'handler' | 'decision' | 'fn'): string {
    const x = (y: IrExpr) => this.expr(y, where);
    switch (e.k) {
      case 'int':
        return big(e.value);
      case 'bool':
        return String(e.value);
      case 'const':
        return id(e.name);
      case 'local':
        return id(e.name);
      case 'field':
        return `$get_${fieldKey(e.format, e.field)}(${x(e.base)})`;
      case 'with':
        return e.sets.reduce((acc, s) => `$set_${fieldKey(e.format, s.field)}(${acc}, ${x(s.value)})`, x(e.base));
      case 'make': {
        const base = this.kinds.get(e.kind)!.base;
        const w = e.sets.reduce((acc, s) => `$set_${fieldKey(e.format, s.field)}(${acc}, ${x(s.value)})`, big(base));
        return where === 'handler' ? `$make($env, ${JSON.stringify(e.kind)}, ${w})` : w;
      }
      case 'ctx':
        return `$ctx.${e.object}.${e.prop}`;
      case 'arg':
        return `($ctx.args[${JSON.stringify(e.name)}] ?? 0n)`;
      case 'prim': {
        if (e.name === 'page_pfn') return `$page($env, ${x(e.args[0]!)}, "page_pfn")`; // a page is named by its pfn
        const args = e.args.map((a, i) => (primArgIsPage(e.name, i) ? `$page($env, ${x(a)}, ${JSON.stringify(e.name)})` : x(a)));
        return `$env.prim.${e.name}(${args.join(', ')})`;
      }
      case 'fn':
        return `${id(e.name)}(${e.args.map(x).join(', ')})`;
      case 'pred':
        return `$pred_${e.name}(${x(e.arg)})`;
      case 'counter':
        return JSON.stringify(e.name);
      case 'pmflag':
        return JSON.stringify(e.name);
      case 'truthy': {
        const t = typeOf(e.operand);
        return t === 'page' ? `(${x(e.operand)} !== null)` : `(${x(e.operand)} !== 0n)`;
      }
      case 'toInt':
        return `(${x(e.operand)} ? 1n : 0n)`;
      case 'unary':
        if (e.op === '~') return `($WORD_MASK & ~${x(e.operand)})`;
        return `${e.op}${x(e.operand)}`;
      case 'binary':
        return `(${x(e.left)} ${e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op} ${x(e.right)})`;
    }
  }

  moduleObject(): Stmts {
    const has = (n: string) => this.ir.predicates.some((p) => p.name === n);
    const paths = this.ir.paths.map((p) => `    ${id(p.name)}: ${pathFn(p.name)},`);
    const missing = DECISION_NAMES.filter((d) => !this.ir.decisions.some((x) => x.name === d));
    const decisions = missing.length ? `{ ...$decisions, ${missing.map((d) => `${d}: () => false`).join(', ')} }` : '$decisions';
    // The other levels (issue #15): each a LevelModule built by its own function, so their names do not meet ours.
    const lv = (this.ir.levels ?? []).filter((l) => l.level !== undefined);
    const levels = lv.length ? `\n  levels: { ${lv.map((l) => `${l.level}: ${levelFn(l.level!)}()`).join(', ')} },` : '';
    return [
      `export const module: SpecModule = {
  name: ${JSON.stringify(this.ir.name)},
  description: ${JSON.stringify(this.ir.description)},
  word: ${this.ir.word},
  kinds: KINDS,
  classify: $classify,
  decode: $decode,
  mmu_read: ${has('mmu_read') ? '$pred_mmu_read' : '() => false'},
  mmu_write: ${has('mmu_write') ? '$pred_mmu_write' : '() => false'},
  paths: {
${paths.join('\n')}
  },
  decisions: ${decisions},
  uffdFeatures: ${JSON.stringify(specUffdFeatures(this.ir))},
  symmetry: ${JSON.stringify(symmetryFor(this.ir))},
  decisionSites: {${this.ir.decisions.map((d) => ` ${id(d.name)}: { file: ${JSON.stringify(d.site.file)}, line: ${d.site.line} }`).join(',')} },${levels}
};`,
      'export default module;',
    ];
  }
}

function levelFn(level: string): string {
  return `$level_${level}`;
}

/**
 * One other level of the spec (`level pmd`) as a function returning its LevelModule: the level's constants, field
 * accessors, kinds, predicates, fns and paths are the PTE level's code for another IR, kept inside the function so
 * that `pmd_none` and `pte_none`, or two levels' `KINDS`, never meet.
 */
function levelModule(ir: IrSpec, printed: (g: Stmts) => string): Stmts {
  const e = new Emitter(ir, false);
  const body = [e.prelude(), e.constants(), e.fieldAccessors(), e.kindsAndClassify(), e.predicates(), e.fns(), e.sites(), ...ir.paths.map((p) => e.path(p))].map(printed).join('');
  const consts = ir.consts.map((c) => `${JSON.stringify(c.name)}: ${id(c.name)}`).join(', ');
  const paths = ir.paths.map((p) => `${id(p.name)}: ${pathFn(p.name)}`).join(', ');
  // The level's MMU walk, when it declares one (a PMD leaf is used by the MMU as a PTE is).
  const mmu = ['mmu_read', 'mmu_write'].filter((n) => ir.predicates.some((p) => p.name === n)).map((n) => `, ${n}: $pred_${n}`).join('');
  return [
    `// level ${ir.level}\nfunction ${levelFn(ir.level ?? 'pte')}(): LevelModule {\n${body}\nreturn { level: ${JSON.stringify(ir.level)}, kinds: KINDS, classify: $classify, decode: $decode, consts: { ${consts} }, paths: { ${paths} }${mmu} };\n}`,
  ];
}

function pathFn(name: string): string {
  return `path_${name}`;
}

function primArgIsPage(name: string, i: number): boolean {
  return (PRIMITIVES as Readonly<Record<string, { readonly args: readonly string[] }>>)[name]?.args[i] === 'page';
}

function tsType(t: Ty): string {
  if (isPte(t)) return 'Word';
  switch (t) {
    case 'int':
      return 'bigint';
    case 'bool':
      return 'boolean';
    case 'page':
      return 'Pfn | null';
    case 'counter':
      return RSS_COUNTER_NAMES.map((c) => `'${c}'`).join(' | ');
    case 'pmflag':
      return 'string';
    case 'void':
      return 'void';
  }
}

