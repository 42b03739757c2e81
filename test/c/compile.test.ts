// The C of every patch compiles: gcc -fsyntax-only -Wall -Werror against ptelab's shim header, for every bundled
// spec and every proposal. For a spec without a base the series adds every file's whole C, so the units are built
// from the patches themselves; a proposal's patches change the base's C, so its units are the proposal's whole C
// (the base series with the proposal's applied) and every block the patches add must be part of it.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../compiler/compile.js';
import { emitC, cFileText } from '../../compiler/backends/c/emit.js';
import { addedC, compileUnits, sketchUnits } from '../../compiler/backends/c/harness.js';
import { patchSeries } from '../../compiler/backends/c/patch.js';
import { memoryHost } from '../../compiler/load.js';
import { allCases, gccSyntax, HAVE_GCC, tempDir } from './helpers.js';

const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';

/** The blocks of added lines of each hunk, per file. */
function addedBlocks(series: ReadonlyMap<string, string>): { file: string; block: string }[] {
  const out: { file: string; block: string }[] = [];
  for (const [name, text] of series) {
    if (name.startsWith('0000-')) continue;
    let file = '';
    let cur: string[] | undefined;
    for (const line of text.split('\n')) {
      const d = /^diff --git a\/(\S+) b\//.exec(line);
      if (d) file = d[1]!;
      if (line.startsWith('@@ ') || line.startsWith('diff --git') || line === '-- ') {
        if (cur?.length) out.push({ file, block: cur.join('\n') });
        cur = line.startsWith('@@ ') ? [] : undefined;
        continue;
      }
      if (cur && line.startsWith('+')) cur.push(line.slice(1));
    }
  }
  return out;
}

describe('the C of every patch compiles against the shim (gcc -fsyntax-only -Wall -Werror)', () => {
  for (const s of allCases()) {
    it.skipIf(!HAVE_GCC)(`${s.file}${s.base ? ` (against its base ${s.base.name})` : ''}${NO_GCC}`, () => {
      const series = patchSeries(s.ir, s.base);
      const dir = tempDir('syntax');
      if (!s.base) {
        const units = compileUnits(addedC(series));
        expect(units.length).toBeGreaterThan(1);
        const r = gccSyntax(dir, units.map((u) => ({ name: u.name, source: u.source })));
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        return;
      }
      const sketch = emitC(s.ir);
      const r = gccSyntax(dir, sketchUnits(sketch).map((u) => ({ name: u.name, source: u.source })));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const { file, block } of addedBlocks(series)) {
        expect(cFileText(sketch, file).includes(block), `${file}: an added block is not in the proposal's C:\n${block}`).toBe(true);
      }
    });
  }

  it.skipIf(!HAVE_GCC)(`a hostile spec (comment terminators, quotes, % and newlines in its strings) builds inert C${NO_GCC}`, () => {
    const text = String.raw`
spec delete "*/ int x = 1; /* \" \n // %s %n ??/"
word 64
format pte { bit 0 PRESENT; bits 12..51 PFN }
const int = 3
predicate pte_none on pte = word == 0
predicate mmu_read on pte = PRESENT
predicate mmu_write on pte = PRESENT
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind static : pte when !PRESENT && !pte_none
fn new(p: pte) = p with { PRESENT = 1 }
decision vma_needs_copy = vma.anon_vma
decision should_fault_around = false
decision vma_can_userfault_wp = vma.anon
path zap_pte_range {
  case present as vma { warn "*/ x = 2; /* \" %d \n // ??= \\"; clear }
  case static as orig { set new(orig) }
  default { clear }
}
`;
    const c = compileSpec('hostile.pte', memoryHost({ 'hostile.pte': text }));
    if ('ioError' in c) throw new Error(c.ioError);
    expect(c.diagnostics.filter((d) => d.code !== 'PTE052' && d.severity === 'error')).toEqual([]);
    const series = patchSeries(c.ir!);
    const r = gccSyntax(tempDir('hostile'), compileUnits(addedC(series)).map((u) => ({ name: u.name, source: u.source })));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
