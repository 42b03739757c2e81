// lower(spec, sets) -> IR: fields as (shift, width, inverted), kinds as cubes with their constructor base, and the
// behaviour half type-checked into IR expressions and statements.
import { bindingFieldGaps } from '../analysis/case-groups.js';
import type { Range } from '../../core/source.js';
import { encode } from '../codec.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Spec } from '../model.js';
import type { SpecSets } from '../sets.js';
import { DECISION_NAMES } from '../../contract/table.js';
import { lowerCond } from './cond.js';
import { Elaborator, ElabError } from './elaborate.js';
import type { IrCase, IrDecision, IrFn, IrFormat, IrKind, IrPath, IrSpec, Ty } from './types.js';

export interface LowerResult {
  readonly ir: IrSpec;
  readonly diagnostics: readonly Diagnostic[];
}

/** Predicates the runtime's MMU needs from every spec that has handlers. */
export const REQUIRED_PREDICATES = ['mmu_read', 'mmu_write'] as const;

export function lower(spec: Spec, sets: SpecSets): LowerResult {
  const fnIr = new Map<string, IrFn>();
  const failedFns = new Set<string>();
  const elab: Elaborator = new Elaborator(spec, (name: string, at: Range): Ty | undefined => {
    const done = fnIr.get(name);
    if (done) return done.ty;
    if (failedFns.has(name)) return undefined;
    return elabFn(name, at);
  });
  /** Elaborate a fn once; a recursion error (PTE045) propagates to the call that closed the cycle. */
  const elabFn = (name: string, at: Range): Ty | undefined => {
    let r;
    try {
      r = elab.fnBody(name, at);
    } catch (e) {
      if (e instanceof ElabError && e.diagnostic.code !== 'PTE045') {
        failedFns.add(name);
        elab.report(e);
        return undefined;
      }
      throw e;
    }
    if (!r) return undefined;
    const def = spec.fns.get(name)!;
    fnIr.set(name, { name, params: def.params.map((p) => ({ name: p.name, ty: paramTy(p.type) })), body: r.body, ty: r.ty, site: site(def.range) });
    return r.ty;
  };

  for (const [name, def] of spec.fns) {
    if (fnIr.has(name) || failedFns.has(name)) continue;
    try {
      elabFn(name, def.nameRange);
    } catch (e) {
      if (!(e instanceof ElabError)) throw e;
      failedFns.add(name);
      elab.report(e);
    }
  }

  const decisions: IrDecision[] = [];
  for (const d of spec.decisions.values()) {
    try {
      decisions.push({ name: d.name, body: elab.cond(d.body, { locals: new Map() }), site: site(d.range) });
    } catch (e) {
      if (!(e instanceof ElabError)) throw e;
      elab.report(e);
    }
  }

  const paths: IrPath[] = [];
  for (const p of spec.paths.values()) {
    const cases: IrCase[] = [];
    p.cases.forEach((c, index) => {
      // a case for several kinds that reads a field one of them lacks is PTE055 (checks/case-binding-fields.ts) once,
      // not a type error per kind
      if (bindingFieldGaps(spec, c).length > 0) return;
      const kind = c.kind ? spec.kinds.get(c.kind) : undefined;
      if (c.kind && !kind) {
        elab.diagnostics.push(diag('PTE002', c.kindRange ?? c.headRange, `path '${p.name}': unknown kind '${c.kind}'`, `known kinds: ${[...spec.kinds.keys()].join(', ')}`));
        return;
      }
      const locals = new Map<string, Ty>();
      if (c.binding && kind) locals.set(c.binding, { pte: kind.format });
      let guard;
      try {
        guard = c.guard ? elab.cond(c.guard, { locals, path: p.name }) : undefined;
      } catch (e) {
        if (!(e instanceof ElabError)) throw e;
        elab.report(e);
      }
      const body = elab.stmts(c.body, { locals, path: p.name });
      cases.push({
        index,
        ...(c.kind ? { kind: c.kind } : {}),
        ...(c.group ? { group: c.group.kinds } : {}),
        ...(c.binding ? { binding: c.binding } : {}),
        ...(guard ? { guard } : {}),
        body,
        site: site(c.headRange),
        origin: c.origin,
      });
    });
    paths.push({ name: p.name, cases });
  }

  const ds = [...elab.diagnostics];
  // The runtime's MMU and decisions serve the PTE level. The huge_pte level's paths are run by runtime/hugetlb/, whose
  // MMU reads the level's own mmu_read/mmu_write (the decisions stay the PTE level's); the pmd level's by runtime/thp/.
  if (spec.paths.size > 0 && spec.level === 'huge_pte') {
    for (const name of REQUIRED_PREDICATES) {
      if (!spec.predicates.has(name)) {
        ds.push(diag('PTE046', spec.headerRange, `the level has handlers but no '${name}' predicate: the runtime's MMU needs it for hugetlb entries`, `add 'predicate ${name} on FORMAT = ...' after 'level huge_pte'`));
      }
    }
  }
  if (spec.paths.size > 0 && (spec.level === undefined || spec.level === 'pte')) {
    for (const name of REQUIRED_PREDICATES) {
      if (!spec.predicates.has(name)) {
        ds.push(diag('PTE046', spec.headerRange, `the spec has handlers but no '${name}' predicate: the runtime's MMU needs it`, `add 'predicate ${name} on FORMAT = ...' (what the hardware allows without a fault)`));
      }
    }
    for (const name of DECISION_NAMES) {
      if (!spec.decisions.has(name)) {
        ds.push(diag('PTE046', spec.headerRange, `the spec has handlers but no '${name}' decision: the runtime asks it`, `add 'decision ${name} = ...' (see docs/handlers.md)`));
      }
    }
  }

  const ir: IrSpec = {
    name: spec.name,
    description: spec.description,
    file: spec.file,
    chain: spec.chain,
    ...(spec.base ? { base: spec.base } : {}),
    word: spec.word,
    ...(spec.level && spec.level !== 'pte' ? { level: spec.level } : {}),
    ...(spec.swap ? { maxSwapfilesShift: spec.swap.shift, maxSwapfiles: spec.swap.maxSwapfiles } : {}),
    swapTypes: spec.swap?.groups.flatMap((g) => g.types.map((t) => ({ name: t.name, value: t.value, group: g.name }))) ?? [],
    consts: [...spec.consts.values()].map((c) => ({ name: c.name, value: c.value })),
    formats: [...spec.formats.values()].map(lowerFormat),
    kinds: lowerKinds(spec, sets),
    predicates: [...spec.predicates.values()].map((p) => {
      const body = sets.broken.has(p.name) ? undefined : lowerCond(spec, p.body, p.format);
      return { name: p.name, cubes: cubesOf(sets.predicates.get(p.name) ?? []), format: p.format, ...(body ? { body } : {}) };
    }),
    fns: [...spec.fns.keys()].flatMap((n) => fnIr.get(n) ?? []),
    decisions,
    paths,
  };
  return { ir, diagnostics: ds };
}

function paramTy(t: string): Ty {
  return t === 'int' ? 'int' : t === 'bool' ? 'bool' : t === 'page' ? 'page' : { pte: t };
}

function site(r: Range): { file: string; line: number } {
  return { file: r.file, line: r.start.line };
}

function lowerFormat(f: import('../model.js').FormatDef): IrFormat {
  return {
    name: f.name,
    ...(f.base ? { base: f.base } : {}),
    fields: [...f.fields.values()].map((x) => ({
      name: x.name,
      shift: x.bits[0]?.pos ?? 0,
      width: x.width,
      inverted: x.bits[0]?.inverted ?? false,
      ...(x.aliasOf ? { aliasOf: x.aliasOf } : {}),
      ...(x.parent ? { parent: x.parent } : {}),
    })),
  };
}

function cubesOf(set: readonly { mask: bigint; value: bigint }[]): (readonly [bigint, bigint])[] {
  return set.map((c) => [c.mask, c.value] as const);
}

function lowerKinds(spec: Spec, sets: SpecSets): IrKind[] {
  return [...spec.kinds.values()]
    .sort((a, b) => a.index - b.index)
    .map((k) => {
      const r = encode(spec, sets, k.name, new Map());
      const refs = k.refs
        ? k.refs.target === 'slot'
          ? { target: 'slot' as const, typeField: k.refs.type, offsetField: k.refs.offset }
          : { target: k.refs.target, field: k.refs.pfn }
        : undefined;
      const when = sets.broken.has(k.name) ? undefined : lowerCond(spec, k.when, k.format);
      return {
        name: k.name,
        format: k.format,
        ...(when ? { when } : {}),
        ...(refs ? { refs } : {}),
        cubes: cubesOf(sets.kinds.get(k.name) ?? []),
        base: r.ok ? r.value : 0n,
        site: site(k.nameRange),
      };
    });
}
