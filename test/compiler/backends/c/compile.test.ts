// The C of every patch compiles: gcc -fsyntax-only -Wall -Werror against ptelab's shim header, for every bundled
// spec and every proposal. For a spec without a base the series adds every file's whole C, so the units are built
// from the patches themselves; a proposal's series (its delta) changes the base's C, so it is applied to the base's
// sketch (applySeries, as git apply --unidiff-zero would), must give the proposal's C exactly, and that is compiled.
// Every page-table level is in it: a spec's PMD and hugetlb C go into the same files, each in its own C namespace.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../../compiler/compile.js';
import { needIr, withEveryDecision } from '../../../helpers.js';
import { emitC, cFileText } from '../../../../compiler/backends/c/emit.js';
import { addedC, applySeries, compileUnits, sketchUnits } from './harness.js';
import { patchSeries } from '../../../../compiler/backends/c/patch.js';
import { specKernelApi } from '../../../../compiler/backends/c/kernel-api.js';
import { memoryHost } from '../../../../compiler/load.js';
import { allCases, gccSyntax, HAVE_GCC, tempDir } from './helpers.js';
import { unwrap } from '../../../../core/result.js';

const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';

describe('the C of every patch compiles against the shim (gcc -fsyntax-only -Wall -Werror)', () => {
  for (const s of allCases()) {
    it.skipIf(!HAVE_GCC)(`${s.file}${s.base ? ` (against its base ${s.base.name})` : ''}${NO_GCC}`, () => {
      const series = patchSeries(s.ir, s.base);
      const dir = tempDir('syntax');
      if (!s.base) {
        const units = compileUnits(addedC(series), specKernelApi(s.ir));
        expect(units.length).toBeGreaterThan(1);
        const r = gccSyntax(dir, units.map((u) => ({ name: u.name, source: u.source })));
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        return;
      }
      // The series applied to the base's C is the proposal's C, file for file, and that is what gcc checks.
      const base = emitC(s.base);
      const mine = emitC(s.ir);
      const applied = applySeries(new Map(base.files.map((f) => [f, cFileText(base, f)])), series);
      for (const f of mine.files) expect(applied.get(f), f).toBe(cFileText(mine, f));
      const patched = new Map(mine.files.map((f) => [f, applied.get(f)!]));
      const units = compileUnits(patched, mine.kernel);
      expect(units.map((u) => u.name)).toEqual(sketchUnits(mine).map((u) => u.name));
      const r = gccSyntax(dir, units.map((u) => ({ name: u.name, source: u.source })));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('every level is in what gcc checks: the PMD and hugetlb C of each spec with those levels', () => {
    for (const s of allCases().filter((c) => !c.base && c.ir.levels?.length)) {
      const units = compileUnits(addedC(patchSeries(s.ir)));
      const headers = units.find((u) => u.name === 'headers')!.source;
      for (const l of s.ir.levels!) {
        expect(headers, `${s.file} ${l.level}`).toContain(`enum ${l.level}_kind {`);
        // a level with paths has its dispatchers in the kernel files its paths live in (contract/table.ts)
        const file = l.level === 'pmd' ? 'mm/huge_memory.c' : 'mm/hugetlb.c';
        const unit = units.find((u) => u.name === file);
        if (l.paths.length) expect(unit?.source, `${s.file}: ${file}`).toMatch(l.level === 'pmd' ? /\nint ptelab_pmd_zap_huge_pmd\(/ : /\nint ptelab_huge___unmap_hugepage_range\(/);
        else expect(unit, `${s.file}: ${file}`).toBeUndefined();
      }
    }
  });

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
decision uffd_unregister_resets_wp = false
decision uffd_release_resets_wp = false
decision uffd_mremap_resets_wp = false
decision uffd_poison_supported = false
decision madv_guard_supported = false
decision vma_can_userfault_missing = vma.anon
decision vma_can_userfault_minor = false
decision uffd_can_move = false
decision uffd_continue_mode_wp = false
path zap_pte_range {
  case present as vma { warn "*/ x = 2; /* \" %d \n // ??= \\"; clear }
  case static as orig { set new(orig) }
  default { clear }
}
`;
    const c = unwrap(compileSpec('hostile.pte', memoryHost({ 'hostile.pte': withEveryDecision(text) })));
    expect(c.diagnostics.filter((d) => d.code !== 'PTE052' && d.severity === 'error')).toEqual([]);
    const series = patchSeries(needIr(c));
    const r = gccSyntax(tempDir('hostile'), compileUnits(addedC(series)).map((u) => ({ name: u.name, source: u.source })));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
