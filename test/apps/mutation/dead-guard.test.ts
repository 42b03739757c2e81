// A dispatch-order case whose guard the layout makes false for every value of its kind is dead (an equivalent
// mutant, proven, not reviewed); a guard on a field, or one a proposal makes satisfiable again, is not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deadGuard } from '../../../apps/mutation/dead-guard.js';
import { compileClean } from '../../../compiler/compile.js';
import { nodeHost } from '../../../compiler/load.js';
import type { IrSpec } from '../../../compiler/ir/types.js';
import { unwrap } from '../../../core/result.js';
import { repoRoot } from '../../helpers/repo.js';

function compile(file: string, text?: string): IrSpec {
  const full = path.join(repoRoot, file);
  const host = text === undefined ? nodeHost : { readFile: (f: string) => (f === full ? text : nodeHost.readFile(f)) };
  const c = unwrap(compileClean(full, host));
  if (!c.ok) throw new Error(`${file} does not compile`);
  return c.ir;
}

const cases = (ir: IrSpec, path: string, kind: string) => ir.paths.find((p) => p.name === path)!.cases.filter((c) => c.kind === kind);

describe('dead guards (mutation test)', () => {
  let ir: IrSpec;
  beforeAll(() => {
    ir = compile('examples/x86_64-v6.17.pte');
  });

  it("6.17 zap_pte_range's dispatch-order hwpoison case is dead, its plain hwpoison case is not", () => {
    const [ordered, plain] = cases(ir, 'zap_pte_range', 'hwpoison');
    expect(ordered!.guard).toBeDefined();
    const why = deadGuard(ir, ordered!);
    expect(why).toMatch(/^its guard is false for every hwpoison entry \(/);
    expect(why).toContain('is_hwpoison_entry is true');
    expect(deadGuard(ir, plain!)).toBeUndefined(); // no guard
  });

  it('a guard on a field of the entry (the guard-marker case) is not decided', () => {
    const guard = cases(ir, 'zap_pte_range', 'pte_marker').find((c) => JSON.stringify(c.guard).includes('PTE_MARKER_GUARD'))!;
    expect(guard).toBeDefined();
    expect(deadGuard(ir, guard)).toBeUndefined();
  });

  it("every guarded case of the 6.17 change_pte_range and move_ptes is dead or reads more than the kernel's predicates", () => {
    for (const name of ['change_pte_range', 'move_ptes']) {
      for (const c of ir.paths.find((p) => p.name === name)!.cases.filter((x) => x.guard)) {
        const body = JSON.stringify(c.body);
        // the dispatch-order cases are the ones whose body is only a warn (docs/handlers.md, Kernel dispatch order)
        if (c.body.length === 1 && c.body[0]!.s === 'warn') expect(deadGuard(ir, c), `${name} ${c.kind} ${body}`).toBeDefined();
      }
    }
  });

  it("free-swap-type with the kernel's type-only is_pte_marker_entry() kept: zap_pte_range's ordered hwpoison case can run", () => {
    const file = 'examples/proposals/free-swap-type.pte';
    const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    const kept = text.replace(/override predicate is_pte_marker [^\n]*\n/, 'override predicate is_pte_marker on swp = is_swap_pte && TYPE == SWP_HWPOISON means hwpoison, pte_marker\n');
    expect(kept).not.toBe(text);
    const ordered = (x: IrSpec) => cases(x, 'zap_pte_range', 'hwpoison').find((c) => c.guard !== undefined)!;
    const asWritten = compile(file);
    const widened = compile(file, kept);
    expect(deadGuard(asWritten, ordered(asWritten))).toMatch(/is_pte_marker is false/);
    expect(deadGuard(widened, ordered(widened))).toBeUndefined();
  });
});
