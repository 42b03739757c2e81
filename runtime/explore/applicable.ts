// Whether a world can exist on a spec's kernel: UFFDIO_API refuses a feature the kernel does not know
// (`features & ~UFFD_API_FEATURES` -> EINVAL), so a world whose setup asks for one describes a process that kernel
// never runs. The explorer reports such a world as not applicable instead of exploring it (a counterexample there
// would be a false alarm: its scenario cannot be replayed on the real kernel). The spec module carries what its
// kernel offers (SpecModule.uffdFeatures, from the compiler's analysis).
import { UFFD_FEATURES, type SpecFeatures, type UffdFeature } from '../../contract/table.js';

/** The kernel's name of a feature. */
export function featureName(f: UffdFeature): string {
  return UFFD_FEATURES[f].kernel;
}

/** Why a world cannot exist on the spec's kernel (the first feature its setup asks for that the kernel lacks), if so. */
export function unsupportedBy(features: SpecFeatures | undefined, setup: readonly { readonly op: { readonly op: string; readonly features?: readonly UffdFeature[] } }[]): string | undefined {
  if (!features) return undefined;
  for (const { op } of setup) {
    if (op.op !== 'uffd_open') continue;
    for (const f of op.features ?? []) {
      const m = features.missing.find((x) => x.feature === f);
      if (m) return `the world asks for ${featureName(f)}: ${m.reason}`;
    }
  }
  return undefined;
}
