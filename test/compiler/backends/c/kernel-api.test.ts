// The patch sketch calls the kernel's API as the version its spec claims has it (issue #15 item 6,
// compiler/backends/c/kernel-api.ts): a 5.19 series writes hugetlb entries with set_huge_pte_at(mm, addr, ptep, pte)
// and re-reads them with huge_ptep_get(ptep), reads a PMD by its pointer, and never calls a 6.17-only signature;
// a 6.17 series calls the 6.17 forms. The calls are counted in the series' own C (its added lines), so the test
// holds whatever paths the specs' levels have, and gcc checks the 5.19 C against a shim with 5.19's declarations.
import { describe, expect, it } from 'vitest';
import { emitC, cFileText } from '../../../../compiler/backends/c/emit.js';
import { claimedVersion, kernelApi, specKernelApi } from '../../../../compiler/backends/c/kernel-api.js';
import { patchSeries } from '../../../../compiler/backends/c/patch.js';
import { shimHeader } from '../../../../compiler/backends/c/shim.js';
import type { IrSpec } from '../../../../compiler/ir/types.js';
import { addedC, compileUnits } from './harness.js';
import { compileClean, gccSyntax, HAVE_GCC, tempDir } from './helpers.js';

/** Every call of `fn` in C text: its top-level argument count. */
function arities(c: string, fn: string): number[] {
  const out: number[] = [];
  const re = new RegExp(`\\b${fn}\\(`, 'g');
  for (let m = re.exec(c); m; m = re.exec(c)) {
    let depth = 1;
    let args = 1;
    let empty = true;
    for (let i = m.index + m[0].length; i < c.length && depth > 0; i++) {
      const ch = c[i]!;
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === ',' && depth === 1) args++;
      if (depth > 0 && !/\s/.test(ch)) empty = false;
    }
    out.push(empty ? 0 : args);
  }
  return out;
}

/** The C a spec's whole series adds, every file, every level. */
function seriesC(ir: IrSpec): string {
  return [...addedC(patchSeries(ir)).values()].join('\n');
}

/** A spec's IR as if it claimed another kernel (its name says so, which comes before its files; the levels follow). */
function claiming(ir: IrSpec, version: string): IrSpec {
  const say = { name: `spec_v${version.replace('.', '_')}`, description: `as Linux v${version}` };
  return { ...ir, ...say, ...(ir.levels ? { levels: ir.levels.map((l) => ({ ...l, ...say })) } : {}) };
}

const V519 = compileClean('examples/x86_64-v5.19.pte').ir;
const V617 = compileClean('examples/x86_64-v6.17.pte').ir;

describe('the kernel version a spec claims', () => {
  it('from its name, description or extends chain; none gives the newest API', () => {
    expect(claimedVersion(V519)).toEqual({ major: 5, minor: 19 });
    expect(claimedVersion(V617)).toEqual({ major: 6, minor: 17 });
    expect(claimedVersion({ name: 'my_idea', description: 'a proposal', file: 'p/my-idea.pte', chain: ['examples/x86_64-v5.10.pte', 'p/my-idea.pte'] })).toEqual({ major: 5, minor: 10 });
    // a folder's name is not the spec's claim
    expect(claimedVersion({ name: 'x', description: '', file: 'v4.9/x.pte', chain: ['v4.9/x.pte'] })).toBeUndefined();
    expect(specKernelApi({ name: 'x', description: '', file: 'x.pte', chain: ['x.pte'] })).toEqual(kernelApi({ major: 6, minor: 17 }));
  });

  it('the API switches where the kernel changed it: sz at 6.6, huge_ptep_get(mm, addr, ptep) at 6.12, pmdp_get at 6.2', () => {
    const at = (major: number, minor: number) => kernelApi({ major, minor });
    expect([at(5, 19), at(6, 1), at(6, 2), at(6, 6), at(6, 12), at(6, 17)].map((a) => [a.pmdpGet, a.setHugePteAtSize, a.hugePtepGetMmAddr])).toEqual([
      [false, false, false],
      [false, false, false],
      [true, false, false],
      [true, true, false],
      [true, true, true],
      [true, true, true],
    ]);
  });
});

describe('a 5.19 series calls 5.19 signatures, a 6.17 series 6.17 ones', () => {
  it('x86_64 v5.19: set_huge_pte_at with 4 arguments, huge_ptep_get with 1, huge_pte_clear with 4, no pmdp_get', () => {
    const c = seriesC(V519);
    const set = arities(c, 'set_huge_pte_at');
    expect(set.length, 'the 5.19 spec writes hugetlb entries').toBeGreaterThan(0);
    expect(new Set(set)).toEqual(new Set([4]));
    expect(new Set(arities(c, 'huge_ptep_get'))).toEqual(new Set(arities(c, 'huge_ptep_get').length ? [1] : []));
    expect(new Set(arities(c, 'huge_pte_clear'))).toEqual(new Set(arities(c, 'huge_pte_clear').length ? [4] : []));
    expect(arities(c, 'pmdp_get')).toEqual([]);
  });

  it('x86_64 v6.17: set_huge_pte_at with the size (5), huge_ptep_get with mm and address (3), pmdp_get', () => {
    const c = seriesC(V617);
    expect(new Set(arities(c, 'set_huge_pte_at'))).toEqual(new Set([5]));
    expect(new Set(arities(c, 'huge_ptep_get'))).toEqual(new Set([3]));
    expect(arities(c, 'pmdp_get').length).toBeGreaterThan(0);
  });

  it('every PMD and hugetlb path of v6.17, emitted for 5.19: 5.19 forms only, and it compiles against the 5.19 shim', () => {
    const ir = claiming(V617, '5.19');
    const sketch = emitC(ir);
    expect(sketch.kernel).toEqual(kernelApi({ major: 5, minor: 19 }));
    const c = sketch.files.map((f) => cFileText(sketch, f)).join('\n');
    expect(arities(c, 'pmdp_get')).toEqual([]);
    expect(c).toMatch(/\*pmdp\)/);
    expect(new Set(arities(c, 'set_huge_pte_at'))).toEqual(new Set([4]));
    expect(new Set(arities(c, 'huge_ptep_get'))).toEqual(new Set([1]));
    // no `sz` local is left unused where nothing takes it: every declared one is read
    for (const f of c.split('\n}\n')) if (f.includes('unsigned long sz =')) expect(f.match(/\bsz\b/g)!.length, f.slice(0, 200)).toBeGreaterThan(1);
    if (!HAVE_GCC) return;
    const r = gccSyntax(tempDir('api519'), compileUnits(new Map(sketch.files.map((f) => [f, cFileText(sketch, f)])), sketch.kernel).map((u) => ({ name: u.name, source: u.source })));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the shim declares each version its own form, so gcc refuses a 6.17 call in a 5.19 series', () => {
    const old = shimHeader(kernelApi({ major: 5, minor: 19 }));
    expect(old).toContain('void set_huge_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);');
    expect(old).toContain('pte_t huge_ptep_get(pte_t *ptep);');
    const now = shimHeader();
    expect(now).toContain('pte_t huge_ptep_get(struct mm_struct *mm, unsigned long addr, pte_t *ptep);');
    expect(now).toMatch(/void set_huge_pte_at\(struct mm_struct \*mm, unsigned long addr, pte_t \*ptep, pte_t pte,\n\t+ *unsigned long sz\);/);
  });
});
