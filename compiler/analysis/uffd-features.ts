// Which userfaultfd features a spec's kernel offers. UFFDIO_API refuses a feature the kernel does not know
// (`features & ~UFFD_API_FEATURES` -> EINVAL), so a world whose setup asks for one describes a process that kernel
// never runs: the explorer reports such a world as not applicable to the spec instead of exploring it (a
// counterexample there would be a false alarm: its scenario cannot be replayed on the real kernel).
//
// - UFFD_FEATURE_EVENT_FORK (v4.11) is the runtime's business (dup_userfaultfd(): the child VMA keeps VM_UFFD_WP; the
//   spec sees it only as dst.uffd_wp): every spec offers it.
// - UFFD_FEATURE_EVENT_REMAP (v4.11) is the runtime's too (mremap_userfaultfd_prep(): the moved VMA keeps its
//   context; the spec sees it only as move.clear_uffd_wp being false): every spec offers it.
// - UFFD_FEATURE_WP_UNPOPULATED (v6.4, docs/sources.md S28) exists only through the spec: the runtime hands it over
//   as vma.uffd_wp_unpopulated and nothing else. A spec whose handlers, fns and decisions never read it behaves the
//   same with the feature on or off, i.e. it describes a kernel without the feature (5.10, 5.19 and the 2020
//   proposals); 6.17 reads it in change_pte_range (userfaultfd_wp_use_markers()).
import type { IrSpec } from '../ir/types.js';
import type { SpecFeatures, UffdFeature } from '../../contract/table.js';

export type { SpecFeatures } from '../../contract/table.js';

/** Does any handler, fn or decision of the spec read ctx.<object>.<prop>? (A walk over the IR as plain data.) */
export function readsContext(ir: IrSpec, object: string, prop: string): boolean {
  const seen = new Set<object>();
  const walk = (x: unknown): boolean => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return false;
    seen.add(x);
    if (Array.isArray(x)) return x.some(walk);
    const o = x as Record<string, unknown>;
    if (o['k'] === 'ctx' && o['object'] === object && o['prop'] === prop) return true;
    return Object.values(o).some(walk);
  };
  return walk(ir.paths) || walk(ir.fns) || walk(ir.decisions);
}

export function specUffdFeatures(ir: IrSpec): SpecFeatures {
  // UFFD_FEATURE_SIGBUS (v4.14) is handle_userfault()'s, i.e. the runtime's: every spec offers it.
  const offered: UffdFeature[] = ['event_fork', 'event_remap', 'sigbus'];
  const missing: { feature: UffdFeature; reason: string }[] = [];
  // UFFD_FEATURE_MOVE (v6.8): the spec says whether UFFDIO_MOVE exists through its decision uffd_can_move; the
  // literal `false` is a kernel without it (UFFDIO_MOVE is then EINVAL, an unknown ioctl, as UFFDIO_API refuses the
  // feature).
  const move = ir.decisions.find((d) => d.name === 'uffd_can_move');
  if (move && !(move.body.k === 'bool' && !move.body.value)) offered.push('move');
  else {
    missing.push({
      feature: 'move',
      reason: `spec ${ir.name}'s decision uffd_can_move is false: its kernel has no UFFDIO_MOVE (v6.8), and UFFDIO_API refuses UFFD_FEATURE_MOVE with EINVAL`,
    });
  }
  if (readsContext(ir, 'vma', 'uffd_wp_unpopulated')) offered.push('wp_unpopulated');
  else {
    missing.push({
      feature: 'wp_unpopulated',
      reason: `spec ${ir.name} never reads vma.uffd_wp_unpopulated: its kernel has no UFFD_FEATURE_WP_UNPOPULATED (v6.4), and UFFDIO_API refuses it with EINVAL`,
    });
  }
  // UFFD_FEATURE_WP_ASYNC (v6.7, d61ea1cb0095) likewise exists only through the spec: do_wp_page() reads it as
  // vma.uffd_wp_async (userfaultfd_wp_async()); 5.10 and 5.19 never read it
  if (readsContext(ir, 'vma', 'uffd_wp_async')) offered.push('wp_async');
  else {
    missing.push({
      feature: 'wp_async',
      reason: `spec ${ir.name} never reads vma.uffd_wp_async: its kernel has no UFFD_FEATURE_WP_ASYNC (v6.7), and UFFDIO_API refuses it with EINVAL`,
    });
  }
  return { offered, missing };
}
