// PTE020/PTE022: the swap-type budget. Every reserved type is taken from the top of the 2^MAX_SWAPFILES_SHIFT
// types (include/linux/swap.h), so MAX_SWAPFILES must stay >= 1, and the TYPE field of every swap-slot kind must
// hold every type number (MAX_SWAPFILES_CHECK() in arch pgtable headers).
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { Check } from './context.js';

export const swapBudget: Check = ({ spec }) => {
  const swap = spec.swap;
  if (!swap) return [];
  const out: Diagnostic[] = [];
  const reserved = swap.groups.reduce((s, g) => s + g.count, 0);
  if (swap.maxSwapfiles < 1) {
    out.push(diag('PTE020', swap.shiftRange, `MAX_SWAPFILES = ${2 ** swap.shift} - ${reserved} reserved = ${swap.maxSwapfiles}: no swap type is left for swap devices`, 'drop a reserved group, share a type between entries (as PTE markers do with offset bits), or raise MAX_SWAPFILES_SHIFT if the TYPE field allows it'));
  }
  for (const k of spec.kinds.values()) {
    if (k.refs?.target !== 'slot') continue;
    const field = spec.formats.get(k.format)?.fields.get(k.refs.type);
    if (!field) continue;
    if (field.width < swap.shift) {
      out.push(diag('PTE022', k.refs.range, `TYPE field '${field.name}' of '${k.format}' is ${field.width} bits wide but MAX_SWAPFILES_SHIFT is ${swap.shift}`, `types go up to ${2 ** swap.shift - 1}; widen the field or lower MAX_SWAPFILES_SHIFT`));
    }
  }
  return out;
};

/** The budget as people read it: "MAX_SWAPFILES = 24 (32 - 8 reserved: SWP_HWPOISON=24, ...)". */
export function budgetSummary(spec: import('../model.js').Spec): string | undefined {
  const swap = spec.swap;
  if (!swap) return undefined;
  const reserved = swap.groups.reduce((s, g) => s + g.count, 0);
  const types = swap.groups.flatMap((g) => g.types.map((t) => `${t.name}=${t.value}`)).join(', ');
  return `MAX_SWAPFILES = ${swap.maxSwapfiles} (2^${swap.shift} types - ${reserved} reserved${types ? `: ${types}` : ''})`;
}
