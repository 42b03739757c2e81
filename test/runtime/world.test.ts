// The world is plain data: clones are independent, keys are canonical, freed pfns and slots are reused only after
// the step that freed them (so a stale reference is still caught).
import { describe, expect, it } from 'vitest';
import { Session } from '../../runtime/runner.js';
import {
  FIRST_PFN,
  allocPage,
  allocSwapSlot,
  cloneWorld,
  createWorld,
  endStep,
  freePage,
  freeSwapSlot,
  worldKey,
} from '../../runtime/world.js';
import { toyV617 } from '../fixtures/toy-v617-module.js';
import { scn } from './helpers.js';

const page = { contents: 0, anon: true, file: null, index: 0, refcount: 1 };

describe('world', () => {
  it('reuses a freed pfn only after endStep', () => {
    const w = createWorld();
    const a = allocPage(w, page);
    expect(a.pfn).toBe(FIRST_PFN);
    freePage(w, a);
    expect(allocPage(w, page).pfn).toBe(FIRST_PFN + 1);
    endStep(w);
    expect(allocPage(w, page).pfn).toBe(FIRST_PFN);
  });

  it('never allocates swap offset 0 (the header) and reuses freed offsets after endStep', () => {
    const w = createWorld();
    expect(allocSwapSlot(w, 5)).toBe(1);
    expect(allocSwapSlot(w, 6)).toBe(2);
    freeSwapSlot(w, 1);
    expect(allocSwapSlot(w, 7)).toBe(3);
    endStep(w);
    expect(allocSwapSlot(w, 8)).toBe(1);
    expect(w.swap.slots[0]).toBeNull();
  });

  it('clones independently and keys canonically', () => {
    const s = new Session(toyV617);
    scn(`
scenario "state" {
  file F pages 1
  mm A { map anon at 0 pages 2; map F shared at 4; uffd; register 0 pages 2 }
  A write 1 = 3
  A write 0 = 2
  A write 4 = 9
  A protect 0
  reclaim A 1
}`).steps.forEach((st, i) => expect(s.step(st, i).failure).toBeUndefined());
    const before = s.key();
    const c = s.clone();
    expect(c.key()).toBe(before);
    expect(c.step({ op: { op: 'write', mm: 'A', addr: 1, value: 4 } }, 99).failure).toBeUndefined();
    expect(c.key()).not.toBe(before);
    expect(s.key()).toBe(before);
    // the clone's world shares no mutable object with the original
    const w2 = cloneWorld(s.world);
    w2.mms.get('A')!.rss.anon = 42;
    w2.pages.find((p) => p)!.refcount = 42;
    expect(worldKey(s.world)).toBe(worldKey(cloneWorld(s.world)));
    expect(worldKey(w2)).not.toBe(worldKey(s.world));
  });

  it('gives equal keys to equal states reached in different orders', () => {
    const a = new Session(toyV617);
    const b = new Session(toyV617);
    const setup = scn(`scenario "s" { mm A { map anon at 0 pages 2 } }`).steps;
    setup.forEach((st, i) => { a.step(st, i); b.step(st, i); });
    a.step({ op: { op: 'write', mm: 'A', addr: 0, value: 1 } }, 2);
    a.step({ op: { op: 'write', mm: 'A', addr: 1, value: 1 } }, 3);
    b.step({ op: { op: 'write', mm: 'A', addr: 1, value: 1 } }, 2);
    b.step({ op: { op: 'write', mm: 'A', addr: 0, value: 1 } }, 3);
    // pfns differ (allocation order), so the worlds differ; the oracle states agree
    expect(a.key().split('\n#\n')[1]).toBe(b.key().split('\n#\n')[1]);
    a.step({ op: { op: 'munmap', mm: 'A', addr: 0, pages: 2 } }, 4);
    b.step({ op: { op: 'munmap', mm: 'A', addr: 0, pages: 2 } }, 4);
    expect(a.key()).toBe(b.key());
  });
});
