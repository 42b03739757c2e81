// The diff for a terminal: sections in the report's order, colour (ANSI) only when asked (the CLI asks on a TTY).
import {
  aspectsText,
  BEHAVIOUR_UNAVAILABLE,
  countText,
  fieldSideText,
  fieldsText,
  footprintText,
  headline,
  hex,
  kindName,
  kindText,
  legendLines,
  rulerLines,
  seriesName,
  seriesText,
  shortHex,
  siteText,
} from './fmt.js';
import type { CaseChange, ClassificationDiff, HandlersDiff, KindSide, LayoutDiff, SpecDiff, Status, ValueSet } from './model.js';

export interface TextOptions {
  readonly color?: boolean;
}

type Paint = (s: string) => string;
interface Palette {
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly bold: Paint;
  readonly dim: Paint;
}

const id: Paint = (s) => s;
const PLAIN: Palette = { red: id, green: id, yellow: id, bold: id, dim: id };
const ANSI: Palette = {
  red: (s) => `\x1b[31m${s}\x1b[0m`,
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
};

const MARK: Record<Status, string> = { added: '+', removed: '-', changed: '~' };

export function renderDiffText(d: SpecDiff, opts: TextOptions = {}): string {
  const c = opts.color ? ANSI : PLAIN;
  const paintStatus = (st: Status | 'moved', s: string): string => (st === 'added' ? c.green(s) : st === 'removed' ? c.red(s) : c.yellow(s));
  const mark = (st: Status): string => paintStatus(st, MARK[st]);
  const out: string[] = [];
  const section = (title: string): void => {
    out.push('', c.bold(title));
  };

  out.push(`${c.bold('ptelab diff')}`);
  out.push(`  A  ${d.a.file}  (spec ${d.a.spec})`);
  out.push(`  B  ${d.b.file}  (spec ${d.b.spec})`);
  if (d.summary.length > 0) {
    section('in short');
    for (const l of d.summary) out.push(`  ${l}`);
  }

  // ---------------------------------------------------------------- layout
  const layoutSection = (L: LayoutDiff, title: string): void => {
    section(title);
    if (L.word.a !== L.word.b) out.push(`  word: ${L.word.a} -> ${L.word.b} bits`);
    if (L.formats.length === 0 && L.consts.length === 0 && L.word.a === L.word.b) out.push('  no differences');
    for (const f of L.formats) {
      const what = f.status === 'changed' ? `${f.fields.length} field${f.fields.length === 1 ? '' : 's'} differ${f.fields.length === 1 ? 's' : ''}` : f.status === 'added' ? 'only in B' : 'only in A';
      out.push(`  ${mark(f.status)} format ${c.bold(f.name)}: ${what}`);
      const nameW = Math.max(...f.fields.map((x) => x.name.length), 4);
      const aW = Math.max(...f.fields.map((x) => fieldSideText(x, 'a').length), 1);
      for (const x of f.fields) {
        const cols = `${x.name.padEnd(nameW)}  ${fieldSideText(x, 'a').padEnd(aW)}  ->  ${fieldSideText(x, 'b')}`;
        out.push(`    ${mark(x.status)} ${cols}${x.status === 'changed' ? `  (${aspectsText(x)})` : ''}`);
      }
      out.push('');
      for (const line of rulerLines(f.ruler, '      ')) out.push(line.includes('^') && opts.color ? line.replace(/\^/g, c.yellow('^')) : line);
      out.push(...legendLines(f.ruler, '      ').map(c.dim));
    }
    if (L.consts.length > 0) {
      out.push(`  constants`);
      const w = Math.max(...L.consts.map((x) => x.name.length));
      for (const x of L.consts) {
        out.push(`    ${mark(x.status)} ${x.name.padEnd(w)}  ${x.a !== undefined ? shortHex(x.a) : '-'} -> ${x.b !== undefined ? shortHex(x.b) : '-'}`);
      }
    }
  };
  layoutSection(d.layout, 'layout');

  // ---------------------------------------------------------------- swap budget
  const S = d.swap;
  const num = (n: number | undefined): string => (n === undefined ? '-' : String(n));
  section(`swap budget: MAX_SWAPFILES ${num(S.maxSwapfiles.a)}${S.maxSwapfiles.a === S.maxSwapfiles.b ? ' on both sides' : ` -> ${num(S.maxSwapfiles.b)}`}`);
  if (S.maxSwapfiles.a === undefined && S.maxSwapfiles.b === undefined) out.push('  neither spec has a swap table');
  else {
    const names = ['MAX_SWAPFILES_SHIFT', 'MAX_SWAPFILES', ...S.types.map((t) => t.name)];
    const w = Math.max(...names.map((n) => n.length));
    out.push(c.dim(`    ${''.padEnd(w)}     A     B`));
    const line = (name: string, a: number | undefined, b: number | undefined, status: string): void => {
      const s = `    ${name.padEnd(w)}  ${num(a).padStart(4)}  ${num(b).padStart(4)}${status ? `  ${status}` : ''}`;
      out.push(status ? paintStatus(status === 'moved' || status === 'changed' ? 'changed' : (status as Status), s) : s);
    };
    line('MAX_SWAPFILES_SHIFT', S.maxSwapfilesShift.a, S.maxSwapfilesShift.b, S.maxSwapfilesShift.a === S.maxSwapfilesShift.b ? '' : 'changed');
    line('MAX_SWAPFILES', S.maxSwapfiles.a, S.maxSwapfiles.b, S.maxSwapfiles.a === S.maxSwapfiles.b ? '' : 'changed');
    for (const t of S.types) line(t.name, t.a, t.b, t.status === 'same' ? '' : t.status);
    const groups = S.groups.filter((g): g is typeof g & { status: Status } => g.status !== 'same');
    if (groups.length > 0) {
      out.push('  groups');
      for (const g of groups) {
        out.push(`    ${mark(g.status)} ${g.name}: ${g.a ? g.a.count : '-'} -> ${g.b ? g.b.count : '-'}`);
        if (g.a) out.push(`        A { ${g.a.types.join(', ')} }`);
        if (g.b) out.push(`        B { ${g.b.types.join(', ')} }`);
      }
    }
  }

  // ---------------------------------------------------------------- classification
  const classificationSection = (K: ClassificationDiff, title: string): void => {
    section(title);
    const witness = (s: ValueSet, indent: string): void => {
      const w = s.witness;
      if (!w) return;
      out.push(`${indent}smallest ${hex(w.value, d.a.word)}`);
      out.push(`${indent}  A ${kindText(w.a)}: ${fieldsText(w.a)}`);
      out.push(`${indent}  B ${kindText(w.b)}: ${fieldsText(w.b)}`);
    };
    if (!K.comparable) out.push(`  not compared: the words differ (${d.a.word} vs ${d.b.word} bits)`);
    else if (K.kinds.length === 0 && K.moves.length === 0 && K.predicates.length === 0) out.push('  every value classifies the same on both sides');
    if (K.kinds.length > 0) {
      out.push('  kinds');
      const decl = (s: KindSide): string => `${s.format}${s.refs ? `, refs ${s.refs}` : ''}`;
      for (const k of K.kinds) {
        const same = k.a && k.b && k.decl.length === 0;
        const side = (s: KindSide | undefined): string => (s ? `${same ? '' : `${decl(s)}, `}${countText({ count: s.count })}` : '-');
        out.push(`    ${mark(k.status)} ${c.bold(k.name)}  A: ${side(k.a)}  B: ${side(k.b)}${same ? `  (${decl(k.a!)})` : ''}`);
        if (k.decl.length > 0) out.push(`        declaration differs: ${k.decl.join(', ')}`);
        if (k.status !== 'changed') continue;
        const only = (label: string, v: ValueSet, other: 'a' | 'b'): void => {
          if (!v.witness) return;
          const o = v.witness[other];
          out.push(`        only in ${label}: ${countText(v)}, smallest ${hex(v.witness.value, d.a.word)} (${other.toUpperCase()}: ${kindName(o.kind)})`);
        };
        only('A', k.aOnly, 'b');
        only('B', k.bOnly, 'a');
      }
    }
    if (K.renumbered) {
      out.push(`  renumbered only (same kinds, shifted type numbers): ${K.renumbered.types.map((t) => `${t.name} ${t.a} -> ${t.b}`).join(', ')}`);
      if (K.renumbered.kinds.length > 0) out.push(`    kinds unchanged but for the numbering: ${K.renumbered.kinds.join(', ')}`);
    }
    const moves = K.renumbered?.moves ?? K.moves;
    if (moves.length > 0) {
      out.push(K.renumbered ? '  values classified differently once A is renumbered as B (A kind -> B kind)' : '  values classified differently (A kind -> B kind)');
      for (const m of moves) {
        out.push(`    ${c.bold(`${kindName(m.a)} -> ${kindName(m.b)}`)}: ${countText(m.set)}`);
        witness(m.set, '      ');
      }
    }
    if (K.predicates.length > 0) {
      out.push('  predicates');
      for (const p of K.predicates) {
        const parts = [p.aOnly.count > 0n ? `only in A: ${countText(p.aOnly)}` : '', p.bOnly.count > 0n ? `only in B: ${countText(p.bOnly)}` : ''].filter(Boolean);
        out.push(`    ${mark(p.status)} ${p.name}${parts.length ? `  ${parts.join('; ')}` : ''}`);
        if (p.aOnly.witness) out.push(`        e.g. ${hex(p.aOnly.witness.value, d.a.word)} (only in A)`);
        if (p.bOnly.witness) out.push(`        e.g. ${hex(p.bOnly.witness.value, d.a.word)} (only in B)`);
      }
    }
  };
  classificationSection(d.classification, 'classification');

  // ---------------------------------------------------------------- handlers
  const handlersSection = (H: HandlersDiff, title: string): void => {
    section(title);
    if (!H.has.a && !H.has.b && H.helpers.length === 0) out.push('  neither spec has path handlers');
    else if (H.paths.length === 0 && H.helpers.length === 0) out.push('  no differences');
    const caseHead = (x: CaseChange): string => `${x.kind ? `case ${x.kind}` : 'default'}${x.guard ? ` when ${x.guard}` : ''}`;
    for (const p of H.paths) {
      if (p.status !== 'changed') {
        // A path on one side only: one line, its cases by head.
        const side = p.status === 'added' ? 'B' : 'A';
        const first = p.cases[0]?.[p.status === 'added' ? 'b' : 'a'];
        out.push(`  ${mark(p.status)} path ${c.bold(p.name)} (only in ${side}${first ? `, ${siteText(first.site)}` : ''}): ${p.cases.map(caseHead).join('; ') || 'no cases'}`);
        continue;
      }
      out.push(`  ${mark(p.status)} path ${c.bold(p.name)}`);
      for (const x of p.cases) {
        const sites = [x.a ? `A ${siteText(x.a.site)}` : '', x.b ? `B ${siteText(x.b.site)}` : ''].filter(Boolean).join('  ');
        out.push(`    ${mark(x.status)} ${caseHead(x)}  ${c.dim(sites)}`);
        for (const l of x.body ?? []) {
          const s = `        ${l.op} ${l.text}`;
          out.push(l.op === '+' ? c.green(s) : l.op === '-' ? c.red(s) : c.dim(s));
        }
      }
      if (p.orderChanged) out.push(`    ! the cases both sides have run in a different order (the first matching case wins)`);
    }
    for (const h of H.helpers) {
      if (h.status !== 'changed') {
        out.push(`  ${mark(h.status)} ${h.aText ?? h.bText}  ${c.dim(`${h.status === 'added' ? 'B' : 'A'} ${siteText(h.a ?? h.b)}`)}`);
        continue;
      }
      out.push(`  ${mark(h.status)} ${h.sort} ${c.bold(h.name)}  ${c.dim(`A ${siteText(h.a)}  B ${siteText(h.b)}`)}`);
      out.push(c.red(`        - ${h.aText}`));
      out.push(c.green(`        + ${h.bText}`));
    }
  };
  handlersSection(d.handlers, 'handlers');

  // ---------------------------------------------------------------- other page-table levels, as the PTE level
  for (const l of d.levels) {
    if (l.only !== undefined) section(`${l.level} level: only in ${l.only.toUpperCase()} (${l.kinds} kinds)`);
    else if (!l.differs) section(`${l.level} level: no differences`);
    else {
      layoutSection(l.layout, `${l.level} level: layout`);
      classificationSection(l.classification, `${l.level} level: classification`);
      handlersSection(l.handlers, `${l.level} level: handlers`);
    }
  }

  // ---------------------------------------------------------------- behaviour, footprint
  if (d.behaviour.requested) {
    const r = d.behaviour.result;
    if (!r) out.push('', `${c.bold('behaviour')}: ${BEHAVIOUR_UNAVAILABLE}`);
    else {
      section('behaviour');
      if (r.scenarios.length === 0) out.push('  no scenario applies to both specs');
      for (const s of r.scenarios) {
        out.push(`  ${s.same ? ' ' : c.yellow('~')} ${s.scenario}: A ${s.a.summary}; B ${s.b.summary}`);
        if (s.firstDifference) {
          const f = s.firstDifference;
          out.push(`      step ${f.step} ${f.text}: A ${f.a}; B ${f.b}`);
        }
      }
      if (r.worlds.length) out.push('', `  explore, to depth ${r.exploreDepth}:`);
      for (const w of r.worlds) out.push(`  ${w.same ? ' ' : c.yellow('~')} world "${w.world}": A ${w.a}; B ${w.b}`);
    }
  }
  const fp = d.footprint.result;
  section('patch footprint');
  const rows: [string, typeof fp.a][] = [['A', fp.a], ['B', fp.b], ['A -> B', fp.aToB]];
  for (const [label, sr] of rows) out.push(`  ${label.padEnd(6)}  ${seriesName(sr)}: ${seriesText(sr)}${sr.note ? ` (${sr.note})` : ''}`);
  const grid = (head: string, items: readonly { name: string; a?: Parameters<typeof footprintText>[0]; b?: Parameters<typeof footprintText>[0]; aToB?: Parameters<typeof footprintText>[0] }[]): void => {
    if (items.length === 0) return;
    const cols = items.map((x) => [x.name, footprintText(x.a), footprintText(x.b), footprintText(x.aToB)]);
    const w = [head, 'A', 'B', 'A -> B'].map((h, i) => Math.max(h.length, ...cols.map((r) => r[i]!.length)));
    const line = (r: readonly string[]): string => `    ${r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(w[i]!))).join('  ')}`.trimEnd();
    out.push('', line([head, 'A', 'B', 'A -> B']));
    for (const r of cols) out.push(line(r));
  };
  grid('kernel file', fp.files.map((f) => ({ name: f.file, ...f })));
  grid('path', fp.paths.map((p) => ({ name: p.path, ...p })));

  out.push('', headline(d));
  return out.join('\n') + '\n';
}
