// The diff as GitHub-flavoured markdown: one heading per section, tables for everything tabular, rulers and body
// diffs in code blocks. Deterministic (no dates, no absolute paths): docs/diffs/ is generated from it.
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
  seriesText,
  shortHex,
  siteText,
} from './fmt.js';
import type { ClassificationDiff, HandlersDiff, LayoutDiff, SpecDiff, ValueSet } from './model.js';

/** A table cell: pipes escaped (GitHub honours `\\|` inside code spans in tables too), newlines flattened. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives any content (a longer fence when the text has backticks). */
function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${s}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string[] {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${head.map(cell).join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const num = (n: number | undefined): string => (n === undefined ? '—' : String(n));

export function renderDiffMarkdown(d: SpecDiff): string {
  const out: string[] = [];
  const W = d.a.word;
  const wit = (s: ValueSet): string => (s.witness ? code(hex(s.witness.value, W)) : '—');
  const fieldsA = (s: ValueSet): string => (s.witness ? `${kindText(s.witness.a)}: ${fieldsText(s.witness.a)}` : '—');
  const fieldsB = (s: ValueSet): string => (s.witness ? `${kindText(s.witness.b)}: ${fieldsText(s.witness.b)}` : '—');

  out.push(`# ptelab diff: ${code(d.a.spec)} → ${code(d.b.spec)}`, '');
  out.push(...table(['', 'file', 'spec', 'description'], [
    ['A', code(d.a.file), code(d.a.spec), d.a.description],
    ['B', code(d.b.file), code(d.b.spec), d.b.description],
  ]));
  out.push('', `**${headline(d)}.**`);
  if (d.summary.length > 0) out.push('', '## In short', '', ...d.summary.map((l) => `- ${l}`));

  // ---------------------------------------------------------------- layout
  const layoutSection = (L: LayoutDiff, title: string): void => {
    out.push('', `## ${title}`, '');
    if (L.word.a !== L.word.b) out.push(`Word size: ${L.word.a} → ${L.word.b} bits.`, '');
    if (L.formats.length === 0 && L.consts.length === 0 && L.word.a === L.word.b) out.push('No differences.');
    for (const f of L.formats) {
      out.push(`### Format ${code(f.name)}${f.status === 'changed' ? '' : f.status === 'added' ? ' (only in B)' : ' (only in A)'}`, '');
      out.push(...table(['field', 'A', 'B', 'difference'], f.fields.map((x) => [code(x.name), fieldSideText(x, 'a', '—'), fieldSideText(x, 'b', '—'), aspectsText(x)])));
      out.push('', '```text', ...rulerLines(f.ruler, ''), '', ...legendLines(f.ruler, '', 100), '```', '');
    }
    if (L.consts.length > 0) {
      out.push('### Constants', '');
      out.push(...table(['constant', 'A', 'B', 'difference'], L.consts.map((x) => [code(x.name), x.a !== undefined ? code(shortHex(x.a)) : '—', x.b !== undefined ? code(shortHex(x.b)) : '—', x.status]), ['l', 'r', 'r', 'l']));
      out.push('');
    }
  };
  layoutSection(d.layout, 'Layout');

  // ---------------------------------------------------------------- swap budget
  const S = d.swap;
  out.push('', '## Swap budget', '');
  if (S.maxSwapfiles.a === undefined && S.maxSwapfiles.b === undefined) out.push('Neither spec has a swap table.');
  else {
    const flag = (same: boolean, what: string): string => (same ? '' : `**${what}**`);
    const rows: string[][] = [
      [code('MAX_SWAPFILES_SHIFT'), num(S.maxSwapfilesShift.a), num(S.maxSwapfilesShift.b), flag(S.maxSwapfilesShift.a === S.maxSwapfilesShift.b, 'changed')],
      [code('MAX_SWAPFILES'), num(S.maxSwapfiles.a), num(S.maxSwapfiles.b), flag(S.maxSwapfiles.a === S.maxSwapfiles.b, 'changed')],
      ...S.types.map((t) => [code(t.name), num(t.a), num(t.b), flag(t.status === 'same', t.status)]),
    ];
    out.push(...table(['', 'A', 'B', ''], rows, ['l', 'r', 'r', 'l']));
    const groups = S.groups.filter((g) => g.status !== 'same');
    if (groups.length > 0) {
      out.push('', '### Groups that differ', '');
      out.push(...table(['group', 'A', 'B', 'difference'], groups.map((g) => [
        code(g.name),
        g.a ? `${g.a.count}: ${g.a.types.map(code).join(', ') || '—'}` : '—',
        g.b ? `${g.b.count}: ${g.b.types.map(code).join(', ') || '—'}` : '—',
        g.status,
      ])));
    }
  }

  // ---------------------------------------------------------------- classification
  const classificationSection = (K: ClassificationDiff, title: string): void => {
    out.push('', `## ${title}`, '');
    if (!K.comparable) out.push(`Not compared: the words differ (${d.a.word} vs ${d.b.word} bits).`);
    else if (K.kinds.length === 0 && K.moves.length === 0 && K.predicates.length === 0) out.push('Every value classifies the same on both sides.');
    else out.push('Exact over all 2^' + W + ' values (cube algebra, no sampling); "smallest" is the smallest raw value of the set.');
    if (K.kinds.length > 0) {
      out.push('', '### Kinds', '');
      const side = (s: { format: string; refs?: string; count: bigint } | undefined): string => (s ? `${code(s.format)}${s.refs ? ` refs ${code(s.refs)}` : ''}, ${countText({ count: s.count })}` : '—');
      out.push(...table(['kind', 'status', 'A', 'B', 'only in A', 'only in B'], K.kinds.map((k) => [
        code(k.name),
        k.status + (k.decl.length ? ` (${k.decl.join(', ')})` : ''),
        side(k.a),
        side(k.b),
        k.status === 'changed' && k.aOnly.count > 0n ? `${countText(k.aOnly)}, smallest ${wit(k.aOnly)}` : '—',
        k.status === 'changed' && k.bOnly.count > 0n ? `${countText(k.bOnly)}, smallest ${wit(k.bOnly)}` : '—',
      ])));
    }
    if (K.renumbered) {
      out.push('', '### Renumbered only', '', `Same kinds, shifted type numbers: ${K.renumbered.types.map((t) => `${code(t.name)} ${t.a} → ${t.b}`).join(', ')}.${K.renumbered.kinds.length > 0 ? ` Kinds unchanged but for the numbering: ${K.renumbered.kinds.map(code).join(', ')}.` : ''}`);
    }
    const moves = K.renumbered?.moves ?? K.moves;
    if (moves.length > 0) {
      out.push('', K.renumbered ? '### Values classified differently, once A is renumbered as B' : '### Values classified differently', '');
      out.push(...table(['A kind', 'B kind', 'values', 'smallest', 'in A', 'in B'], moves.map((m) => [
        code(kindName(m.a)),
        code(kindName(m.b)),
        countText(m.set),
        wit(m.set),
        fieldsA(m.set),
        fieldsB(m.set),
      ])));
    }
    if (K.predicates.length > 0) {
      out.push('', '### Predicates', '');
      out.push(...table(['predicate', 'status', 'only in A', 'only in B'], K.predicates.map((p) => [
        code(p.name),
        p.status,
        p.aOnly.count > 0n ? `${countText(p.aOnly)}, smallest ${wit(p.aOnly)}` : '—',
        p.bOnly.count > 0n ? `${countText(p.bOnly)}, smallest ${wit(p.bOnly)}` : '—',
      ])));
    }
  };
  classificationSection(d.classification, 'Classification');

  // ---------------------------------------------------------------- handlers
  const handlersSection = (H: HandlersDiff, title: string): void => {
    out.push('', `## ${title}`, '');
    if (!H.has.a && !H.has.b && H.helpers.length === 0) out.push('Neither spec has path handlers.');
    else if (H.paths.length === 0 && H.helpers.length === 0) out.push('No differences.');
    const caseHead = (x: { kind?: string; guard?: string }): string => `${x.kind ? `case ${x.kind}` : 'default'}${x.guard ? ` when ${x.guard}` : ''}`;
    const oneSided = H.paths.filter((p) => p.status !== 'changed');
    if (oneSided.length > 0) {
      out.push('### Paths on one side only', '');
      out.push(...table(['path', 'only in', 'first case', 'cases'], oneSided.map((p) => {
        const first = p.cases[0]?.[p.status === 'added' ? 'b' : 'a'];
        return [code(p.name), p.status === 'added' ? 'B' : 'A', first ? siteText(first.site) : '—', p.cases.map((x) => code(caseHead(x))).join(', ') || '—'];
      })));
      out.push('');
    }
    for (const p of H.paths) {
      if (p.status !== 'changed') continue;
      out.push(`### Path ${code(p.name)}`, '');
      if (p.cases.length > 0) {
        out.push(...table(['case', 'status', 'A', 'B'], p.cases.map((x) => [
          code(caseHead(x)),
          x.status,
          x.a ? siteText(x.a.site) : '—',
          x.b ? siteText(x.b.site) : '—',
        ])));
      }
      if (p.orderChanged) out.push('', 'The cases both sides have run in a different order (the first matching case wins).');
      for (const x of p.cases) {
        if (!x.body) continue;
        out.push('', `${code(caseHead(x))} (A ${siteText(x.a?.site)}, B ${siteText(x.b?.site)}):`, '', '```diff');
        for (const l of x.body) out.push(`${l.op} ${l.text}`);
        out.push('```');
      }
      out.push('');
    }
    if (H.helpers.length > 0) {
      out.push('### Arch helpers and decisions', '');
      out.push(...table([' ', 'status', 'A', 'B'], H.helpers.map((h) => [
        `${h.sort} ${code(h.name)}`,
        h.status,
        h.aText !== undefined ? `${code(h.aText)} (${siteText(h.a)})` : '—',
        h.bText !== undefined ? `${code(h.bText)} (${siteText(h.b)})` : '—',
      ])));
    }
  };
  handlersSection(d.handlers, 'Handlers');

  // ---------------------------------------------------------------- other page-table levels, as the PTE level
  for (const l of d.levels) {
    if (l.only !== undefined) out.push('', `## ${l.level} level`, '', `Only in ${l.only.toUpperCase()} (${l.kinds} kinds).`);
    else if (!l.differs) out.push('', `## ${l.level} level`, '', 'No differences.');
    else {
      layoutSection(l.layout, `${l.level} level: layout`);
      classificationSection(l.classification, `${l.level} level: classification`);
      handlersSection(l.handlers, `${l.level} level: handlers`);
    }
  }

  // ---------------------------------------------------------------- behaviour, footprint
  if (d.behaviour.requested) {
    out.push('', '## Behaviour', '');
    const r = d.behaviour.result;
    if (!r) out.push(`Behaviour: ${BEHAVIOUR_UNAVAILABLE}.`);
    else if (r.scenarios.length === 0) out.push('No scenario applies to both specs.');
    else {
      out.push(...table(['scenario', 'same', 'A', 'B', 'first difference'], r.scenarios.map((s) => [
        code(s.scenario),
        s.same ? 'yes' : '**no**',
        s.a.summary,
        s.b.summary,
        s.firstDifference ? `step ${s.firstDifference.step} ${s.firstDifference.text}: A ${s.firstDifference.a}; B ${s.firstDifference.b}` : '—',
      ])));
    }
    if (r && r.worlds.length) {
      out.push('', `Explore verdicts on the bundled worlds, to depth ${r.exploreDepth} (\`ptelab explore\`):`, '');
      out.push(...table(['world', 'same', 'A', 'B'], r.worlds.map((w) => [`${w.world} (${code(w.file)})`, w.same ? 'yes' : '**no**', w.a, w.b])));
    }
  }
  out.push('', '## Patch footprint', '');
  const fp = d.footprint.result;
  out.push(
    "The kernel patch series each design needs, as `ptelab build` writes it (a design that extends a spec: against that spec), and B's against A's (what turns A's sketch into B's). Lines added and removed, and hunks.",
    '',
  );
  const series = (label: string, s: typeof fp.a): string[] => [label, code(s.spec), s.against ? code(s.against) : 'nothing (whole spec)', seriesText(s, '−') + (s.note ? ` (${s.note})` : '')];
  out.push(...table(['series', 'sketch of', 'against', 'footprint'], [series('A', fp.a), series('B', fp.b), series('A → B', fp.aToB)]));
  const side = (x: Parameters<typeof footprintText>[0]): string => footprintText(x, '—', '−');
  if (fp.files.length) out.push('', ...table(['kernel file', 'A', 'B', 'A → B'], fp.files.map((f) => [code(f.file), side(f.a), side(f.b), side(f.aToB)])));
  if (fp.paths.length) out.push('', ...table(['path', 'A', 'B', 'A → B'], fp.paths.map((p) => [code(p.path), side(p.a), side(p.b), side(p.aToB)])));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
