// formatStep() writes the scenario language: parsing its text gives back the same op.
import { describe, expect, it } from 'vitest';
import { formatStep } from '../../runtime/format-step.js';
import type { Op } from '../../runtime/scenario/types.js';
import { scn } from './helpers.js';

const OPS: Op[] = [
  { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 0, pages: 2 } },
  { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: false, start: 4, pages: 1, pgoff: 1 } },
  { op: 'uffd_open', mm: 'A', features: ['event_fork', 'wp_unpopulated'] },
  { op: 'register', mm: 'A', addr: 0, pages: 2 },
  { op: 'write', mm: 'A', addr: 0, value: 1 },
  { op: 'read', mm: 'A', addr: 1 },
  { op: 'protect', mm: 'A', addr: 0, pages: 1 },
  { op: 'resolve', mm: 'A', addr: 0, pages: 2 },
  { op: 'pagemap', mm: 'A', addr: 0 },
  { op: 'mprotect', mm: 'A', addr: 0, pages: 2, writable: false },
  { op: 'madv_dontneed', mm: 'A', addr: 0, pages: 1 },
  { op: 'madv_pageout', mm: 'A', addr: 1, pages: 1 },
  { op: 'punch_hole', file: 'F', index: 0, pages: 2 },
  { op: 'evict', file: 'F', index: 1 },
  { op: 'reclaim', mm: 'A', addr: 0 },
  { op: 'migrate', mm: 'A', addr: 0 },
  { op: 'numa_scan', mm: 'A', addr: 0, pages: 2 },
  { op: 'swapoff' },
  { op: 'mremap', mm: 'A', addr: 0, pages: 1, to: 8 },
  { op: 'munmap', mm: 'A', addr: 8, pages: 1 },
  { op: 'unregister', mm: 'A', addr: 0, pages: 2 },
  { op: 'uffd_close', mm: 'A' },
  { op: 'fork', mm: 'A', child: 'B' },
  { op: 'exit', mm: 'B' },
];

describe('formatStep', () => {
  it('writes `A write 0 = 1`', () => {
    expect(formatStep({ op: 'write', mm: 'A', addr: 0, value: 1 })).toBe('A write 0 = 1');
    expect(formatStep({ op: 'protect', mm: 'A', addr: 3, pages: 2 })).toBe('A protect 3 pages 2');
    expect(formatStep({ op: 'uffd_close', mm: 'A' })).toBe('A close uffd');
  });

  it('round-trips every op through the scenario parser', () => {
    const text = `scenario "all" {\n  file F pages 2\n  mm A\n${OPS.map((o) => `  ${formatStep(o)}\n`).join('')}}`;
    const parsed = scn(text).steps.map((s) => s.op);
    expect(parsed).toEqual([{ op: 'file', name: 'F', pages: 2 }, { op: 'mm', name: 'A' }, ...OPS]);
  });
});
