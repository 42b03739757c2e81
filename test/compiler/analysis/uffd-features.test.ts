// Userfaultfd features per spec (compiler/analysis/uffd-features.ts, runtime/explore/applicable.ts): a world that asks for a feature the spec's kernel
// does not have is not applicable (UFFDIO_API would refuse it), never explored into a false alarm.
import { describe, expect, it } from 'vitest';
import { readsContext, specUffdFeatures } from '../../../compiler/analysis/uffd-features.js';
import { unsupportedBy } from '../../../runtime/explore/applicable.js';
import { bundledWorld, spec } from '../../runtime/explore/helpers.js';

describe('userfaultfd features of a spec', () => {
  it('6.17 and arm64 6.17 offer WP_UNPOPULATED (change_pte_range reads it); 5.19 and 5.10 do not', async () => {
    for (const file of ['examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte']) {
      const f = specUffdFeatures((await spec(file)).ir);
      expect(f.offered).toEqual(['event_fork', 'event_remap', 'sigbus', 'move', 'wp_unpopulated', 'wp_async']);
      expect(f.missing).toEqual([]);
    }
    for (const file of ['examples/x86_64-v5.19.pte', 'examples/x86_64-v5.10.pte']) {
      const f = specUffdFeatures((await spec(file)).ir);
      expect(f.offered).toEqual(['event_fork', 'event_remap', 'sigbus']);
      expect(f.missing.map((m) => m.feature)).toEqual(['move', 'wp_unpopulated', 'wp_async']);
      expect(f.missing[0]!.reason).toMatch(/uffd_can_move is false.*UFFDIO_MOVE \(v6\.8\).*EINVAL/);
      expect(f.missing[1]!.reason).toMatch(/never reads vma\.uffd_wp_unpopulated.*EINVAL/);
      expect(f.missing[2]!.reason).toMatch(/never reads vma\.uffd_wp_async.*WP_ASYNC \(v6\.7\)/);
    }
  });

  it('finds a context read anywhere in the handlers, and not a name that is only similar', async () => {
    const ir = (await spec('examples/x86_64-v6.17.pte')).ir;
    expect(readsContext(ir, 'vma', 'uffd_wp')).toBe(true);
    expect(readsContext(ir, 'zap', 'drop_markers')).toBe(true);
    expect(readsContext(ir, 'vma', 'uffd_wp_unpopulated_not_a_field')).toBe(false);
    expect(readsContext(ir, 'dst', 'uffd_wp_unpopulated')).toBe(false);
  });

  it('says why a WP_UNPOPULATED world is not applicable to 5.19, and lets the others through', async () => {
    const f = specUffdFeatures((await spec('examples/x86_64-v5.19.pte')).ir);
    const wp = bundledWorld('anon.scn', 'anon, event_fork + wp_unpopulated');
    expect(unsupportedBy(f, wp.setup)).toMatch(/^the world asks for UFFD_FEATURE_WP_UNPOPULATED: spec x86_64_v5_19 never reads/);
    expect(unsupportedBy(f, bundledWorld('anon.scn', 'anon, event_fork').setup)).toBeUndefined();
    const f617 = specUffdFeatures((await spec('examples/x86_64-v6.17.pte')).ir);
    expect(unsupportedBy(f617, wp.setup)).toBeUndefined();
  });
});
