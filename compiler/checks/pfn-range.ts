// PTE039: every kind that refers to a page by its pfn (`refs page(F)`, `refs pfn(F)`) must be able to hold every pfn
// the machine can have. The bound is the spec's pfn-range fact: pfns are below 2^(MAX_PHYSMEM_BITS - PAGE_SHIFT)
// (v6.17 include/linux/swapops.h: SWP_PFN_BITS = MAX_PHYSMEM_BITS - PAGE_SHIFT; x86_64 v6.17
// arch/x86/include/asm/sparsemem.h: MAX_PHYSMEM_BITS is 52 with 5-level paging, 46 without). A proposal that tags
// some values of such a kind with a bit of the pfn field ("an offset bit above any possible pfn") is checked here:
// the claim holds exactly when no pfn below the bound lands on the tag. Specs that do not state both constants make
// no claim and get no finding.
import * as C from '../bits/cube-set.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { fieldBits } from '../sets.js';
import type { Check } from './context.js';
import { levelPageShift } from '../../contract/table.js';

export const pfnRange: Check = ({ spec, sets }) => {
  const out: Diagnostic[] = [];
  const phys = spec.consts.get('MAX_PHYSMEM_BITS')?.value;
  const shift = spec.consts.get('PAGE_SHIFT')?.value;
  if (phys === undefined || shift === undefined || phys <= shift) return out;
  // At a level whose `refs page` names a huge frame (contract LEVELS[level].pageShift: a PMD leaf holds
  // pmd_pfn() >> HPAGE_PMD_ORDER), a page reference needs MAX_PHYSMEM_BITS - PMD_SHIFT bits; `refs pfn` (a PMD
  // migration entry holds the head page's pfn) still needs every pfn.
  const shiftName = levelPageShift(spec.level);
  const hugeShift = shiftName ? spec.consts.get(shiftName)?.value : undefined;
  const bits = (target: 'page' | 'pfn'): { pfnBits: number; bound: string } => {
    const sh = target === 'page' && hugeShift !== undefined ? hugeShift : shift;
    const name = target === 'page' && hugeShift !== undefined ? shiftName! : 'PAGE_SHIFT';
    const n = Number(phys - sh);
    return { pfnBits: n, bound: `MAX_PHYSMEM_BITS - ${name} = ${phys} - ${sh} = ${n} bits` };
  };
  const all = (1n << BigInt(spec.word)) - 1n;
  for (const k of spec.kinds.values()) {
    const r = k.refs;
    if (!r || r.target === 'slot' || sets.broken.has(k.name)) continue;
    const f = spec.formats.get(k.format)?.fields.get(r.pfn);
    if (!f) continue; // reported by resolve (PTE038)
    const { pfnBits, bound } = bits(r.target);
    const at = r.range;
    if (f.width < pfnBits) {
      out.push(diag('PTE039', at, `kind '${k.name}' refers to a pfn in '${r.pfn}', which is ${f.width} bits wide, but pfns take ${bound}`, `widen '${r.pfn}' to at least ${pfnBits} bits, or check MAX_PHYSMEM_BITS and PAGE_SHIFT`));
      continue;
    }
    let fieldMask = 0n;
    for (const b of f.bits) fieldMask |= 1n << BigInt(b.pos);
    const held = C.existsBits(sets.kinds.get(k.name)!, all & ~fieldMask);
    const wanted = C.fieldCompare(fieldBits(f), '<', 1n << BigInt(pfnBits), spec.word);
    // The smallest missing pfn in logical terms (an inverted field's physical minimum is its logical maximum).
    let inv = 0n;
    for (const b of f.bits) if (b.inverted) inv |= 1n << BigInt(b.pos);
    const missing = C.subtract(wanted, held).map((c) => ({ mask: c.mask, value: c.value ^ (inv & c.mask) }));
    const lw = C.witness(missing);
    if (lw === undefined) continue;
    const w = lw ^ inv;
    const pfn = C.fieldValue(fieldBits(f), w);
    const top = pfn === 0n ? 0 : pfn.toString(2).length - 1;
    out.push(diag('PTE039', at, `kind '${k.name}' cannot hold pfn 0x${pfn.toString(16)} in '${r.pfn}' (no ${k.name} value has ${r.pfn} = 0x${pfn.toString(16)}), yet pfns take ${bound}`, `whatever tells these values apart (bit ${top} of ${r.pfn}?) must lie at or above bit ${pfnBits} of ${r.pfn}, above every possible pfn`));
  }
  return out;
};
