// `case a, b [as x]` through every reader: the parser (one AST case, several kinds), fmt (canonical, idempotent;
// `remove case`, `override default`, `remove default` too), the TS back end (one `$k` test per run of alike members,
// the matched kind's own site), the C back end (one `kind == A || kind == B` test), and diff (a case split in one spec
// and merged in the other is no change).
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../apps/diff/diff.js';
import { formatSpecText } from '../../apps/fmt/format.js';
import { emitC, unitText } from '../../compiler/backends/c/emit.js';
import { emitTsText } from '../../compiler/backends/ts/emit.js';
import { parseSpec } from '../../grammar/parse.js';
import { inMemory } from '../apps/diff/helpers.js';
import { compileText, needIr } from '../helpers.js';

const LAYOUT = `spec h "case lists"
word 64
format pte { bit 0 PRESENT; bit 1 RW; bits 12..51 PFN }
format other_pte { bit 0 PRESENT; bit 1 RW; bits 2..8 TAG; bits 12..51 PFN inverted }
predicate pte_none on pte = word == 0
predicate mmu_read on pte = PRESENT
predicate mmu_write on pte = PRESENT && RW
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind other : other_pte when !PRESENT && !pte_none && TAG == 0
kind third : other_pte when !PRESENT && !pte_none && TAG != 0
`;

const SPLIT = `${LAYOUT}path zap_pte_range {
  case none { keep }
  case other as o { if o.RW { clear } }
  case third as t { if t.RW { clear } }
  case present { keep }
}
`;

const MERGED = `${LAYOUT}path zap_pte_range {
  case none { keep }
  case other, third as o { if o.RW { clear } }
  case present { keep }
}
`;

describe('case a, b', () => {
  it('parses to one case with its kinds in order', () => {
    const { ast } = parseSpec({ path: 'm.pte', text: MERGED });
    const path = ast.items.find((i) => i.type === 'PathDecl')!;
    if (path.type !== 'PathDecl') throw new Error('no path');
    expect(path.cases.map((c) => c.kinds.map((k) => k.name))).toEqual([['none'], ['other', 'third'], ['present']]);
  });

  it('fmt prints the canonical form, and `remove case`, `override default`, `remove default` as written', async () => {
    const messy = `${LAYOUT}path zap_pte_range {\n  case none { keep }\n  case other ,third   as o when o.RW{clear}\n  remove   case other,third\n  override   default { keep }\n  remove default\n}\n`;
    const r = await formatSpecText(messy);
    if (!r.ok) throw new Error('does not parse');
    expect(r.text).toContain('  case other, third as o when o.RW { clear }\n  remove case other, third\n  override default { keep }\n  remove default\n');
    const again = await formatSpecText(r.text);
    expect(again.ok && again.text).toBe(r.text);
  });

  it('the TS module tests the kinds of a run together and enters the matched kind\'s own site', () => {
    const ir = needIr(compileText(MERGED));
    const ts = emitTsText(ir, { runtimeImport: './x.js' });
    expect(ts).toMatch(/if \(\$k === "other" \|\| \$k === "third"\)/);
    expect(ts).toContain('$k === "other" ? 1 : 2');
    const zap = ir.paths.find((p) => p.name === 'zap_pte_range')!;
    expect(zap.cases.map((c) => c.kind)).toEqual(['none', 'other', 'third', 'present']);
  });

  it('a case whose kinds read a field through different placements stays one test per kind', () => {
    // PFN is inverted in other_pte: the members elaborate differently, so each gets its own test
    const text = MERGED.replace('case other, third as o { if o.RW { clear } }', 'case present, other as o { if o.PFN { clear } }').replace('  case present { keep }\n', '  case third { keep }\n');
    const ts = emitTsText(needIr(compileText(text)), { runtimeImport: './x.js' });
    expect(ts).toContain('if ($k === "present") {');
    expect(ts).toContain('if ($k === "other") {');
    expect(ts).toContain('case present, other as o (spec.pte:14, for other)');
  });

  it('the C sketch has one helper and one `||` test for the run', () => {
    const sketch = emitC(needIr(compileText(MERGED)));
    const c = sketch.units.flatMap((u) => unitText(u)).join('\n');
    expect(c).toMatch(/kind == PTE_KIND_OTHER \|\| kind == PTE_KIND_THIRD\)?\n?\s*return ptelab_zap_pte_range_other_1\(/);
    expect(c).not.toContain('ptelab_zap_pte_range_third_1');
  });

  it('diff: the same cases written apart in one spec and together in the other are no change', () => {
    const d = diffSpecs(inMemory('a.pte', SPLIT), inMemory('b.pte', MERGED));
    expect(d.handlers.paths.find((p) => p.name === 'zap_pte_range')).toBeUndefined();
    // and a real change to the merged case shows, once per kind it stands for
    const changed = diffSpecs(inMemory('a.pte', SPLIT), inMemory('b.pte', MERGED.replace('if o.RW { clear }', 'if o.RW { keep }')));
    const zap = changed.handlers.paths.find((p) => p.name === 'zap_pte_range');
    expect(zap?.cases.map((c) => c.kind)).toEqual(['other', 'third']);
  });
});
