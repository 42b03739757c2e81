// A case written for several kinds (`case a, b`) is one IrCase per kind (compiler/ir/types.ts: group). The back ends
// emit such a case as one test when its members sit in a row and elaborated alike; this is where they find them.
import type { IrCase } from './types.js';

/**
 * The cases of a path in order, the members of a case written for several kinds that sit in a row and elaborated
 * to the same guard and body (one format, or fields placed alike) taken together; any other case alone.
 */
export function caseRuns(cases: readonly IrCase[]): IrCase[][] {
  const same = (a: IrCase, b: IrCase): boolean =>
    a.group !== undefined && a.group === b.group && a.site.line === b.site.line && a.binding === b.binding && shape(a) === shape(b);
  const out: IrCase[][] = [];
  for (const c of cases) {
    const last = out[out.length - 1];
    if (last && same(last[0]!, c)) last.push(c);
    else out.push([c]);
  }
  return out;
}

function shape(c: IrCase): string {
  return JSON.stringify([c.guard ?? null, c.body], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
