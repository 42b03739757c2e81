// A seeded random walk over scenario ops, for property tests: a spec that is right must never diverge from the
// oracle, and a broken one is found. (The explorer will do this exhaustively; this is a cheap stand-in.)
import type { Op, UffdFeature } from '../../runtime/scenario/types.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Setup: file F (2 pages); mm A with anon [0,2), F shared [4,6), F private [8,10); a uffd; mostly registered. */
export function randomScenario(seed: number, length: number): Op[] {
  const r = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const features: UffdFeature[] = [];
  if (r() < 0.5) features.push('event_fork');
  if (r() < 0.5) features.push('wp_unpopulated');
  const ops: Op[] = [
    { op: 'file', name: 'F', pages: 2 },
    { op: 'mm', name: 'A' },
    { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 0, pages: 2 } },
    { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 4, pages: 2, pgoff: 0 } },
    { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: false, start: 8, pages: 2, pgoff: 0 } },
    { op: 'uffd_open', mm: 'A', features },
  ];
  if (r() < 0.8) ops.push({ op: 'register', mm: 'A', addr: 0, pages: 12 });
  const live = ['A'];
  const hasUffd = new Set(['A']);
  let children = 0;
  while (ops.length < length) {
    const mm = pick(live);
    const addr = pick([0, 1, 4, 5, 8, 9]);
    const pages = r() < 0.7 ? 1 : 2;
    const value = 1 + Math.floor(r() * 9);
    const roll = r();
    let op: Op;
    if (roll < 0.15) op = { op: 'write', mm, addr, value };
    else if (roll < 0.25) op = { op: 'read', mm, addr };
    else if (roll < 0.35) op = { op: 'protect', mm, addr, pages };
    else if (roll < 0.4) op = { op: 'resolve', mm, addr, pages };
    else if (roll < 0.47) op = { op: 'pagemap', mm, addr };
    else if (roll < 0.5) op = { op: 'register', mm, addr, pages };
    else if (roll < 0.52) op = { op: 'unregister', mm, addr, pages };
    else if (roll < 0.57) op = { op: 'madv_dontneed', mm, addr, pages };
    else if (roll < 0.6) op = { op: 'madv_pageout', mm, addr, pages };
    else if (roll < 0.63) op = { op: 'punch_hole', file: 'F', index: pick([0, 1]), pages };
    else if (roll < 0.66) op = { op: 'evict', file: 'F', index: pick([0, 1]) };
    else if (roll < 0.7) op = { op: 'reclaim', mm, addr };
    else if (roll < 0.73) op = { op: 'migrate', mm, addr };
    else if (roll < 0.75) op = { op: 'numa_scan', mm, addr, pages };
    else if (roll < 0.77) op = { op: 'swapoff' };
    else if (roll < 0.8) op = { op: 'mprotect', mm, addr, pages, writable: r() < 0.5 };
    else if (roll < 0.82) op = { op: 'munmap', mm, addr, pages: 1 };
    else if (roll < 0.85) op = { op: 'mremap', mm, addr, pages: 1, to: pick([2, 3, 6, 12]) };
    else if (roll < 0.88) {
      if (hasUffd.has(mm)) {
        op = { op: 'uffd_close', mm };
        hasUffd.delete(mm);
      } else {
        op = { op: 'uffd_open', mm, features: r() < 0.5 ? ['wp_unpopulated'] : ['event_fork'] };
        hasUffd.add(mm);
      }
    } else if (roll < 0.95 && live.length < 3) {
      const child = `C${children++}`;
      op = { op: 'fork', mm, child };
      live.push(child);
      // the child has a uffd only if the parent's has EVENT_FORK and some VMA is registered: let the runtime say;
      // a later uffd_open on a child that has one would be a scenario error, so children never open one here.
      hasUffd.add(child);
    } else if (live.length > 1) {
      op = { op: 'exit', mm };
      live.splice(live.indexOf(mm), 1);
    } else {
      op = { op: 'read', mm, addr };
    }
    ops.push(op);
  }
  return ops;
}

/**
 * Several userfaultfds per mm and long-term pins (issue #14), for the explorer's codec, fingerprint and restore guards:
 * file F (2 pages); mm A with anon [0,2) registered with its first context (MISSING + WP or WP), F shared [4,6)
 * registered with U2, F private [8,10) unregistered; the contexts' features random. The walk goes through either
 * context (`via`), closes and reopens each, pins and unpins (a shared page, or an anon page right after writing it:
 * GUP's unsharing is not modelled), forks and exits. A step the runtime refuses ends the walk (the callers stop there).
 */
export function randomSeveralScenario(seed: number, length: number): Op[] {
  const r = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const features = (): UffdFeature[] => (['event_fork', 'wp_unpopulated', 'sigbus'] as const).filter(() => r() < 0.5);
  const ops: Op[] = [
    { op: 'file', name: 'F', pages: 2 },
    { op: 'mm', name: 'A' },
    { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 0, pages: 2 } },
    { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 4, pages: 2, pgoff: 0 } },
    { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: false, start: 8, pages: 2, pgoff: 0 } },
    { op: 'uffd_open', mm: 'A', features: features() },
    { op: 'uffd_open', mm: 'A', uffd: 'U2', features: features() },
    { op: 'register', mm: 'A', addr: 0, pages: 2, ...(r() < 0.5 ? { modes: ['missing', 'wp'] as const } : {}) },
    { op: 'register', mm: 'A', uffd: 'U2', addr: 4, pages: 2 },
  ];
  const live = ['A'];
  // contexts open per mm (a child gets those whose VMAs it kept: the runtime decides; reopening is tried anyway)
  const open = new Map<string, Set<string>>([['A', new Set(['', 'U2'])]]);
  const pins = new Map<string, number[]>([['A', []]]);
  let children = 0;
  const viaAny = (): { uffd?: string } => (r() < 0.5 ? {} : { uffd: 'U2' });
  while (ops.length < length) {
    const mm = pick(live);
    const addr = pick([0, 1, 4, 5, 8, 9]);
    const value = 1 + Math.floor(r() * 9);
    const roll = r();
    if (roll < 0.15) ops.push({ op: 'write', mm, addr, value });
    else if (roll < 0.22) ops.push({ op: 'read', mm, addr });
    else if (roll < 0.32) ops.push({ op: 'protect', mm, ...viaAny(), addr, pages: 1 });
    else if (roll < 0.37) ops.push({ op: 'resolve', mm, ...viaAny(), addr, pages: 1 });
    else if (roll < 0.42) ops.push({ op: 'pagemap', mm, addr });
    else if (roll < 0.46) ops.push({ op: 'register', mm, ...viaAny(), addr, pages: 1 });
    else if (roll < 0.5) ops.push({ op: 'unregister', mm, ...viaAny(), addr, pages: 1 });
    else if (roll < 0.54) ops.push({ op: 'madv_dontneed', mm, addr, pages: 1 });
    else if (roll < 0.57) ops.push({ op: 'reclaim', mm, addr });
    else if (roll < 0.6) ops.push({ op: 'evict', file: 'F', index: pick([0, 1]) });
    else if (roll < 0.66) {
      const a = pick([0, 1, 4, 5]);
      if (a < 2) ops.push({ op: 'write', mm, addr: a, value }); // an exclusive anon page to pin
      ops.push({ op: 'pin', mm, addr: a });
      pins.get(mm)!.push(a);
    } else if (roll < 0.72 && pins.get(mm)!.length > 0) {
      const p = pins.get(mm)!;
      ops.push({ op: 'unpin', mm, addr: p.splice(Math.floor(r() * p.length), 1)[0]! });
    } else if (roll < 0.8) {
      const name = pick(['', 'U2']);
      const o = open.get(mm)!;
      if (o.has(name)) {
        ops.push({ op: 'uffd_close', mm, ...(name ? { uffd: name } : {}) });
        o.delete(name);
      } else if (mm === 'A') {
        ops.push({ op: 'uffd_open', mm, ...(name ? { uffd: name } : {}), features: features() });
        o.add(name);
      }
    } else if (roll < 0.88 && live.length < 3) {
      const child = `C${children++}`;
      ops.push({ op: 'fork', mm, child });
      live.push(child);
      open.set(child, new Set()); // whatever the child kept is closed only through the runtime's own bookkeeping
      pins.set(child, []);
    } else if (roll < 0.92 && live.length > 1 && mm !== 'A') {
      ops.push({ op: 'exit', mm });
      live.splice(live.indexOf(mm), 1);
    } else ops.push({ op: 'read', mm, addr });
  }
  return ops;
}
