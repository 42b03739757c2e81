// Many harness programs (harness.ts) as one C program, so that gcc compiles the C they share once. gcc at -O0 costs
// about a millisecond per function, and 200 generated proposals over four bases are mostly the same functions: one
// translation unit per proposal was 200 x ~150 functions, 25-30 s of CPU (test/compiler/backends/c/equiv-generated.test.ts).
//
// Each program's own part (what follows the common prelude) is cut into top-level definitions, and every name it
// defines is renamed after the content of its definition: `name_<hash>`, the hash taken over the definition's text
// and the new names of the names it uses (so over everything it depends on). Two programs' definitions that are the
// same C down to their dependencies get the same name and are written once; any difference anywhere below gives new
// names. A definition is written after those it uses, so a program's use of a function it defines later (the
// harness defines swp_type() after the layout that calls it) is satisfied by writing that definition first.
// Whatever this misreads fails loudly: a name it does not rename, defined differently by two programs, is a
// redefinition gcc rejects; a name it renames is renamed in all of that program's text.
import { createHash } from 'node:crypto';
import { HARNESS_PRELUDE } from './harness.js';

export interface HarnessSet {
  /** One translation unit per group: the prelude once, then the groups' programs, their shared definitions once. */
  readonly units: readonly string[];
  /**
   * The dispatcher's translation unit: `harness N` runs program i on in<i>.txt (the current directory) for i < N,
   * and prints `#i` after each program's output. Exit status: 0 when every program returned 0.
   */
  readonly main: string;
}

const KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
    'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool ' +
    '_Static_assert __attribute__ bool').split(' '),
);

/** C tokens as far as renaming needs them: strings and chars (kept whole), numbers, identifiers, anything else. */
const TOKEN = /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\d[\w.]*|[A-Za-z_]\w*|\s+|./g;
const IDENT = /^[A-Za-z_]\w*$/;

function withoutComments(text: string): string {
  return text.replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (t) => (t.startsWith('/') ? t.replace(/[^\n]/g, '') : t));
}

/** The top-level definitions of C text: preprocessor lines (with their continuations), declarations, functions. */
function topLevel(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let depth = 0;
  let macro = false;
  for (const line of withoutComments(text).split('\n')) {
    if (cur.length === 0 && line.trim() === '') continue;
    cur.push(line);
    if (macro || (depth === 0 && cur.length === 1 && line.startsWith('#'))) {
      macro = line.endsWith('\\');
      if (!macro) (out.push(cur.join('\n')), (cur = []));
      continue;
    }
    if (/[{}]/.test(line)) for (const t of line.match(TOKEN) ?? []) depth += t === '{' ? 1 : t === '}' ? -1 : 0;
    if (depth === 0 && /[;}]\s*$/.test(line)) (out.push(cur.join('\n')), (cur = []));
  }
  if (cur.some((l) => l.trim() !== '')) throw new Error(`harness set: C text ends inside a definition:\n${cur.join('\n')}`);
  return out;
}

/** The file-scope names one top-level definition introduces. */
function definedNames(def: string): string[] {
  if (def.startsWith('#')) {
    const m = /^#\s*define\s+([A-Za-z_]\w*)/.exec(def);
    if (!m) throw new Error(`harness set: only #define is expected in a program's own part, not:\n${def}`);
    return [m[1]!];
  }
  const tokens = (def.match(TOKEN) ?? []).filter((t) => !/^\s/.test(t));
  const names: string[] = [];
  // An enum's body (not a function's that mentions an enum): `enum` before the first `{`, no `(` before it.
  const head = tokens.slice(0, tokens.indexOf('{') < 0 ? 0 : tokens.indexOf('{'));
  const isEnum = head.includes('enum') && !head.includes('(');
  let depth = 0;
  let declarator: string | undefined;
  let prev = '';
  for (const [i, t] of tokens.entries()) {
    // (a declarator has a type before it: `static_assert(...)` at the top is a use of the shim's macro)
    if (depth === 0 && declarator === undefined && '([={;'.includes(t) && i > 1 && IDENT.test(prev) && !KEYWORDS.has(prev)) declarator = prev;
    // a typedef names what stands before its last `;`
    if (depth === 0 && t === ';' && tokens[0] === 'typedef' && IDENT.test(prev)) declarator = prev;
    // enumerators: the identifiers that open an item of an enum's body
    if (isEnum && depth === 1 && (prev === '{' || prev === ',') && IDENT.test(t)) names.push(t);
    if ('({['.includes(t)) depth++;
    if (')}]'.includes(t)) depth--;
    prev = t;
  }
  return declarator === undefined ? names : [declarator, ...names];
}

interface Def {
  readonly text: string;
  /** Its tokens, white space included: the text is their concatenation. */
  readonly tokens: readonly string[];
  /** The identifiers it uses (its own names too), each once, in order. */
  readonly idents: readonly string[];
  readonly names: readonly string[];
}

/** A definition, from `parsed` when it was seen before (most recur from program to program). */
function def(text: string, parsed: Map<string, Def>): Def {
  let d = parsed.get(text);
  if (!d) {
    const tokens = text.match(TOKEN) ?? [];
    d = { text, tokens, idents: [...new Set(tokens.filter((t) => IDENT.test(t)))], names: definedNames(text) };
    parsed.set(text, d);
  }
  return d;
}

/** Write one group's programs into one unit; returns it and each program's renamed main. */
function unit(programs: readonly string[], salt: string, parsed: Map<string, Def>): { text: string; mains: string[] } {
  const written = new Set<string>();
  const body: string[] = [];
  const mains = programs.map((program, p) => {
    if (!program.startsWith(HARNESS_PRELUDE)) throw new Error(`harness set: program ${p} does not start with the harness prelude`);
    const defs = topLevel(program.slice(HARNESS_PRELUDE.length)).map((t) => def(t, parsed));
    const owner = new Map<string, number>();
    defs.forEach((d, i) =>
      d.names.forEach((n) => {
        if (owner.has(n)) throw new Error(`harness set: program ${p} defines ${n} twice`);
        owner.set(n, i);
      }),
    );
    const alias = new Map<string, string>();
    const state: ('open' | 'done' | undefined)[] = [];
    const emit = (i: number): void => {
      if (state[i] === 'done') return;
      if (state[i] === 'open') throw new Error(`harness set: program ${p}: definitions that use each other:\n${defs[i]!.text}`);
      state[i] = 'open';
      const d = defs[i]!;
      const own = new Set(d.names);
      const uses = d.idents.filter((t) => !own.has(t) && owner.has(t));
      for (const t of uses) emit(owner.get(t)!);
      // Its text and what the names it uses stand for (their hashes cover what they depend on in turn).
      const hash = createHash('sha1')
        .update(`${salt}\0${d.text}\0${uses.map((t) => alias.get(t)).join(' ')}`)
        .digest('hex')
        .slice(0, 12);
      for (const n of d.names) alias.set(n, `${n}_${hash}`);
      if (!written.has(hash)) {
        written.add(hash);
        body.push(d.tokens.map((t) => alias.get(t) ?? t).join(''));
      }
      state[i] = 'done';
    };
    defs.forEach((_d, i) => emit(i));
    const main = alias.get('main');
    if (main === undefined) throw new Error(`harness set: program ${p} has no main()`);
    return main;
  });
  return { text: `${HARNESS_PRELUDE}\n${body.join('\n\n')}\n`, mains };
}

/** The programs as one program; groups[g] lists the programs of unit g (each program in exactly one group). */
export function harnessSet(programs: readonly string[], groups: readonly (readonly number[])[]): HarnessSet {
  const all = groups.flat();
  if (all.length !== programs.length || new Set(all).size !== programs.length || all.some((i) => !(i >= 0 && i < programs.length))) {
    throw new Error('harness set: the groups must hold each program exactly once');
  }
  const mains: string[] = [];
  const parsed = new Map<string, Def>();
  // The salt keeps the units' names apart (their non-static functions would otherwise clash at link time).
  const units = groups.map((g, u) => {
    const r = unit(
      g.map((i) => programs[i]!),
      `unit${u}`,
      parsed,
    );
    g.forEach((i, k) => (mains[i] = r.mains[k]!));
    return r.text;
  });
  const main = [
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '',
    ...[...new Set(mains)].map((m) => `int ${m}(void);`),
    '',
    `static int (*const programs[${programs.length}])(void) = {`,
    ...mains.map((m) => `\t${m},`),
    '};',
    '',
    'int main(int argc, char **argv)',
    '{',
    '\tint n = argc > 1 ? atoi(argv[1]) : 0, status = 0;',
    '',
    `\tfor (int i = 0; i < n && i < ${programs.length}; i++) {`,
    '\t\tchar name[32];',
    '',
    '\t\tsnprintf(name, sizeof(name), "in%d.txt", i);',
    '\t\tif (!freopen(name, "r", stdin))',
    '\t\t\treturn 2;',
    '\t\tif (programs[i]())',
    '\t\t\tstatus = 1;',
    '\t\tprintf("#%d\\n", i);',
    '\t}',
    '\treturn status;',
    '}',
    '',
  ].join('\n');
  return { units, main };
}
