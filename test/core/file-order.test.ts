import { describe, expect, it } from 'vitest';
import { compareFileNames } from '../../core/file-order.js';

describe('compareFileNames', () => {
  it('orders numbered files by their numbers, the rest byte-wise', () => {
    const names = ['10-guard-regions.scn', '2-wp-fork.scn', '9-mremap.scn', '1-seed-thread.scn', 'anon.scn', '13-uffd-ioctls.scn', 'Anon.scn', '01-x.scn'];
    expect([...names].sort(compareFileNames)).toEqual(['01-x.scn', '1-seed-thread.scn', '2-wp-fork.scn', '9-mremap.scn', '10-guard-regions.scn', '13-uffd-ioctls.scn', 'Anon.scn', 'anon.scn']);
  });
});
