// The diff as JSON for machines. Every object is built here key by key, so the key order is fixed (docs/diff.md
// documents it); absent values are null, never missing keys; 64-bit values are hex strings and set sizes decimal
// strings (JSON numbers cannot hold them exactly).
import { sizeText } from '../../compiler/checks/sizes.js';
import { hex } from '../../compiler/describe.js';
import type { Site } from '../../compiler/ir/types.js';
import type { FootprintCount, FootprintSeries } from './footprint.js';
import type { ClassificationDiff, Decoded, FieldShape, HandlersDiff, LayoutDiff, SpecDiff, ValueSet } from './model.js';

export const DIFF_JSON_SCHEMA = 'ptelab-diff/1';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const opt = <T>(v: T | undefined, f: (x: T) => Json): Json => (v === undefined ? null : f(v));
const hx = (v: bigint): string => '0x' + v.toString(16);

function field(f: FieldShape): Json {
  return {
    shift: f.shift,
    width: f.width,
    bits: f.width === 1 ? `${f.shift}` : `${f.shift}..${f.shift + f.width - 1}`,
    inverted: f.inverted,
    aliasOf: f.aliasOf ?? null,
    parent: f.parent ?? null,
  };
}

function decoded(d: Decoded): Json {
  return { kind: d.kind ?? null, format: d.format ?? null, fields: Object.fromEntries(d.fields.map((f) => [f.name, hx(f.value)])) };
}

function valueSet(s: ValueSet, word: number): Json {
  return {
    count: s.count.toString(),
    size: s.count === 0n ? '0 values' : sizeText(s.count),
    witness: s.witness ? { value: hex(s.witness.value, word), a: decoded(s.witness.a), b: decoded(s.witness.b) } : null,
  };
}

function site(s: Site): Json {
  return { file: s.file, line: s.line };
}

export function diffToJson(d: SpecDiff): Json {
  const W = d.a.word;
  const side = (s: SpecDiff['a']): Json => ({ file: s.file, spec: s.spec, description: s.description, word: s.word });
  return {
    schema: DIFF_JSON_SCHEMA,
    a: side(d.a),
    b: side(d.b),
    differs: d.differs,
    summary: [...d.summary],
    layout: layoutJson(d.layout),
    swap: {
      differs: d.swap.differs,
      MAX_SWAPFILES_SHIFT: { a: d.swap.maxSwapfilesShift.a ?? null, b: d.swap.maxSwapfilesShift.b ?? null },
      MAX_SWAPFILES: { a: d.swap.maxSwapfiles.a ?? null, b: d.swap.maxSwapfiles.b ?? null },
      types: d.swap.types.map((t) => ({ name: t.name, group: t.group, a: t.a ?? null, b: t.b ?? null, status: t.status })),
      groups: d.swap.groups.map((g) => ({
        name: g.name,
        status: g.status,
        a: opt(g.a, (x) => ({ count: x.count, types: [...x.types] })),
        b: opt(g.b, (x) => ({ count: x.count, types: [...x.types] })),
      })),
    },
    classification: classificationJson(d.classification, W),
    handlers: handlersJson(d.handlers),
    // every other page-table level, as the PTE level (the swap table is the PTE level's)
    levels: d.levels.map((l) =>
      l.only !== undefined
        ? { level: l.level, only: l.only, kinds: l.kinds, differs: true, layout: null, classification: null, handlers: null }
        : { level: l.level, only: null, kinds: null, differs: l.differs, layout: layoutJson(l.layout), classification: classificationJson(l.classification, W), handlers: handlersJson(l.handlers) },
    ),
    behaviour: !d.behaviour.requested
      ? { requested: false, available: false, scenarios: null, exploreDepth: null, worlds: null }
      : {
          requested: true,
          available: d.behaviour.result !== undefined,
          scenarios: opt(d.behaviour.result, (r) =>
            r.scenarios.map((s) => ({
              scenario: s.scenario,
              same: s.same,
              a: { ok: s.a.ok, summary: s.a.summary },
              b: { ok: s.b.ok, summary: s.b.summary },
              firstDifference: opt(s.firstDifference, (f) => ({ step: f.step, text: f.text, a: f.a, b: f.b })),
            })),
          ),
          exploreDepth: opt(d.behaviour.result, (r) => r.exploreDepth),
          worlds: opt(d.behaviour.result, (r) => r.worlds.map((w) => ({ world: w.world, file: w.file, same: w.same, a: w.a, b: w.b }))),
        },
    footprint: {
      available: true,
      a: footprintSeries(d.footprint.result.a),
      b: footprintSeries(d.footprint.result.b),
      aToB: footprintSeries(d.footprint.result.aToB),
      files: d.footprint.result.files.map((f) => ({ file: f.file, a: footprintCount(f.a), b: footprintCount(f.b), aToB: footprintCount(f.aToB) })),
      paths: d.footprint.result.paths.map((p) => ({ path: p.path, a: footprintCount(p.a), b: footprintCount(p.b), aToB: footprintCount(p.aToB) })),
    },
  };
}

function layoutJson(L: LayoutDiff): Json {
  return {
    word: { a: L.word.a, b: L.word.b },
    formats: L.formats.map((f) => ({
      name: f.name,
      status: f.status,
      fields: f.fields.map((x) => ({ name: x.name, status: x.status, aspects: [...x.aspects], a: opt(x.a, field), b: opt(x.b, field) })),
      ruler: {
        word: f.ruler.word,
        a: f.ruler.a ?? null,
        b: f.ruler.b ?? null,
        marks: f.ruler.marks,
        legend: f.ruler.legend.map((l) => ({ symbol: l.symbol, field: l.field, rows: l.rows })),
      },
    })),
    consts: L.consts.map((c) => ({ name: c.name, status: c.status, a: opt(c.a, hx), b: opt(c.b, hx) })),
  };
}

function classificationJson(K: ClassificationDiff, W: number): Json {
  return {
    comparable: K.comparable,
    kinds: K.kinds.map((k) => {
      const ks = (s: NonNullable<typeof k.a>): Json => ({ format: s.format, refs: s.refs ?? null, count: s.count.toString(), size: sizeText(s.count) });
      return { name: k.name, status: k.status, decl: [...k.decl], a: opt(k.a, ks), b: opt(k.b, ks), aOnly: valueSet(k.aOnly, W), bOnly: valueSet(k.bOnly, W) };
    }),
    moves: K.moves.map((m) => ({ a: m.a ?? null, b: m.b ?? null, ...(valueSet(m.set, W) as { [k: string]: Json }) })),
    renumbered: opt(K.renumbered, (r) => ({ types: r.types.map((t) => ({ name: t.name, a: t.a, b: t.b })), kinds: [...r.kinds], moves: r.moves.map((m) => ({ a: m.a ?? null, b: m.b ?? null, ...(valueSet(m.set, W) as { [k: string]: Json }) })) })),
    predicates: K.predicates.map((p) => ({ name: p.name, status: p.status, aOnly: valueSet(p.aOnly, W), bOnly: valueSet(p.bOnly, W) })),
  };
}

function handlersJson(H: HandlersDiff): Json {
  return {
    has: { a: H.has.a, b: H.has.b },
    paths: H.paths.map((p) => ({
      name: p.name,
      status: p.status,
      orderChanged: p.orderChanged,
      cases: p.cases.map((c) => {
        const cs = (s: NonNullable<typeof c.a>): Json => ({ index: s.index, file: s.site.file, line: s.site.line, binding: s.binding ?? null, guard: s.guard ?? null });
        return {
          kind: c.kind ?? null,
          guard: c.guard ?? null,
          status: c.status,
          a: opt(c.a, cs),
          b: opt(c.b, cs),
          body: c.body ? c.body.map((l) => ({ op: l.op, text: l.text })) : null,
        };
      }),
    })),
    helpers: H.helpers.map((h) => ({
      sort: h.sort,
      name: h.name,
      status: h.status,
      a: opt(h.a, site),
      b: opt(h.b, site),
      aText: h.aText ?? null,
      bText: h.bText ?? null,
    })),
  };
}

function footprintSeries(s: FootprintSeries): Json {
  return { spec: s.spec, against: s.against ?? null, note: s.note ?? null, patches: s.patches, hunks: s.hunks, files: s.files, added: s.added, removed: s.removed, comments: footprintCount(s.comments) };
}

function footprintCount(c: FootprintCount | undefined): Json {
  return opt(c, (x) => ({ added: x.added, removed: x.removed, hunks: x.hunks }));
}

export function renderDiffJson(d: SpecDiff): string {
  return JSON.stringify(diffToJson(d), null, 2) + '\n';
}
