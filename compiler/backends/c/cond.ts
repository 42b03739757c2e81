// A spec condition (IrCond) in the simplest form that means the same: nested && / || flattened, repeats dropped,
// double negation removed, a negated comparison turned around (`!(TYPE < MAX)` -> `TYPE >= MAX`). The C back end
// prints this form; test/compiler/backends/c/cond.test.ts proves it equal to the kind's or predicate's exact set.
import type { IrCond } from '../../ir/types.js';

const NEGATE: Readonly<Record<string, '==' | '!=' | '<' | '<=' | '>' | '>='>> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

function key(c: IrCond): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function simplifyCond(c: IrCond): IrCond {
  switch (c.k) {
    case 'all':
    case 'any': {
      const seen = new Set<string>();
      const items: IrCond[] = [];
      for (const x of c.items.map(simplifyCond).flatMap((y) => (y.k === c.k ? y.items : [y]))) {
        const k = key(x);
        if (seen.has(k)) continue;
        seen.add(k);
        items.push(x);
      }
      return items.length === 1 ? items[0]! : { k: c.k, items };
    }
    case 'not': {
      const inner = simplifyCond(c.operand);
      if (inner.k === 'not') return inner.operand;
      if (inner.k === 'cmp') return { ...inner, op: NEGATE[inner.op]! };
      return { k: 'not', operand: inner };
    }
    default:
      return c;
  }
}
