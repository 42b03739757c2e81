// The bundled worlds parse, and their setups run clean on the bundled 6.17 specs.
import { describe, expect, it } from 'vitest';
import { runSetup } from '../../../runtime/explore/world.js';
import { bundledWorlds } from '../../../runtime/explore/worlds.js';
import { spec } from './helpers.js';

describe('bundled worlds', () => {
  it('cover anon, shmem shared, shmem MAP_PRIVATE, the uffd features, two mms and fault-around', () => {
    const names = bundledWorlds().map((w) => w.name);
    for (const n of ['anon', 'anon, event_fork + wp_unpopulated', 'shmem shared', 'shmem shared, event_fork', 'shmem private',
      'shmem private, wp_unpopulated', 'two mms share a file', 'shmem shared, 2 pages']) {
      expect(names).toContain(n);
    }
  });

  it('set up without a failure on x86_64-v6.17 and arm64-v6.17', async () => {
    for (const f of ['examples/x86_64-v6.17.pte', 'examples/arm64-v6.17.pte']) {
      const s = await spec(f);
      for (const w of bundledWorlds()) expect({ world: w.name, failure: runSetup(s.module, w).failure }).toEqual({ world: w.name, failure: undefined });
    }
  });
});
