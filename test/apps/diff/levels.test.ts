// `ptelab diff` shows every page-table level as it shows the PTE level (issue #15 item 2): a level's layout,
// classification and handlers, as sections of their own after the PTE level's, in text, markdown and JSON. The
// fixture changes one case of one PMD path and nothing else, chosen from the compiled base (whichever paths the
// bundled spec has), so the diff must find it at the PMD level and nowhere else. In npm run test:slow (a whole diff
// with its patch footprint is ~1.8 s of CPU); npm test checks the level sections on diff.test.ts's v5.19 -> v6.17.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../../apps/diff/diff.js';
import { diffToJson } from '../../../apps/diff/render-json.js';
import { renderDiffMarkdown } from '../../../apps/diff/render-markdown.js';
import { renderDiffText } from '../../../apps/diff/render-text.js';
import { diffSide } from '../../../apps/diff/side.js';
import { compileSpec } from '../../../compiler/compile.js';
import { nodeHost } from '../../../compiler/load.js';
import { unwrap } from '../../../core/result.js';
import { repoRoot } from '../../helpers/repo.js';
import { bundled } from './helpers.js';

const BASE = 'x86_64-v6.17';
const base = bundled(BASE);
const pmd = base.levels!.find((l) => l.level === 'pmd')!;
// The first PMD path with a case for a kind: the fixture overrides that case with a body no bundled case has.
const target = pmd.ir.paths.find((p) => p.cases.some((c) => c.kind !== undefined))!;
const kind = target.cases.find((c) => c.kind !== undefined)!.kind!;
const FILE = '/virtual/pmd-delta.pte';
const TEXT = `spec pmd_delta extends "${BASE}" "one PMD case changed"\n\nlevel pmd\n\npath ${target.name} {\n  override case ${kind} { warn "pmd delta" }\n}\n`;

function pmdDelta() {
  const host = { readFile: (f: string) => (f === FILE ? TEXT : nodeHost.readFile(path.isAbsolute(f) ? f : path.join(repoRoot, f))) };
  const c = unwrap(compileSpec(FILE, host));
  expect(c.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return diffSide(c);
}

describe('a change at the PMD level only', () => {
  const d = diffSpecs(base, pmdDelta());

  it('differs, and says so at the PMD level, not at the PTE level', () => {
    expect(d.differs).toBe(true);
    expect(d.handlers.paths).toEqual([]);
    expect(d.classification.moves).toEqual([]);
    expect(d.summary).toEqual([`pmd level: paths changed: ${target.name} (1 case)`]);
  });

  it('the PMD level has its sections: no layout or classification change, the changed case in its handlers', () => {
    const l = d.levels.find((x) => x.level === 'pmd')!;
    if (l.only !== undefined) throw new Error('the pmd level is on both sides');
    expect(l.differs).toBe(true);
    expect(l.layout.formats).toEqual([]);
    expect(l.classification.kinds).toEqual([]);
    expect(l.handlers.paths.map((p) => [p.name, p.status, p.cases.map((c) => [c.kind, c.status])])).toEqual([[target.name, 'changed', [[kind, 'changed']]]]);
    const other = d.levels.filter((x) => x.level !== 'pmd');
    expect(other.length).toBeGreaterThan(0);
    for (const o of other) expect(o.only === undefined && !o.differs, o.level).toBe(true);
  });

  it('text, markdown and JSON show the PMD handlers section with the changed case body', () => {
    const text = renderDiffText(d);
    const pmdText = text.slice(text.indexOf('\npmd level: handlers\n'));
    expect(pmdText).toContain(`~ path ${target.name}`);
    expect(pmdText).toContain('+ warn "pmd delta"');
    expect(text).toContain('\npmd level: layout\n  no differences\n');
    expect(text).toContain('\nhuge_pte level: no differences\n');
    const md = renderDiffMarkdown(d);
    expect(md).toContain('## pmd level: handlers');
    expect(md.slice(md.indexOf('## pmd level: handlers'))).toContain(`### Path \`${target.name}\``);
    expect(md).toContain('## huge_pte level\n\nNo differences.');
    const json = diffToJson(d) as { levels: { level: string; differs: boolean; handlers: { paths: { name: string }[] } | null }[] };
    const jp = json.levels.find((x) => x.level === 'pmd')!;
    expect(jp.differs).toBe(true);
    expect(jp.handlers!.paths.map((p) => p.name)).toEqual([target.name]);
  });
});
