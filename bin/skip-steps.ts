// `ptelab run --skip OPS`: which ops' steps to leave out (runScenario's `skip`; the matrix's "without pagemap steps"
// table, for one spec). Kept steps keep their own step numbers, so output and blame still point into the file.
import type { Op } from '../runtime/scenario/types.js';
import { UsageError } from './io.js';

/** Every op a scenario step can be: the names `--skip` accepts. */
const OPS = [
  'file', 'mm', 'mmap', 'munmap', 'read', 'write', 'fork', 'exit', 'uffd_open', 'register', 'unregister', 'protect',
  'resolve', 'uffd_close', 'mprotect', 'madv_dontneed', 'madv_pageout', 'punch_hole', 'mremap', 'pagemap', 'reclaim',
  'evict', 'migrate', 'numa_scan', 'swapoff',
  'uffd_copy', 'uffd_zeropage', 'uffd_continue', 'uffd_wake', 'uffd_move',
  'uffd_poison', 'madv_hwpoison', 'madv_guard_install', 'madv_guard_remove', 'swap_error',
  'pagemap_scan', 'pin', 'unpin',
  'collapse',
] as const satisfies readonly Op['op'][];
// The list above is every op: a new op in the scenario language fails to compile here until it is added.
const everyOp: [Exclude<Op['op'], (typeof OPS)[number]>] extends [never] ? true : false = true;
void everyOp;

export function parseSkip(v: string | true | undefined): ReadonlySet<string> {
  if (v === undefined) return new Set();
  if (v === true || v.trim() === '') throw new UsageError('--skip needs a comma list of ops, e.g. pagemap');
  const ops = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ops.filter((o) => !(OPS as readonly string[]).includes(o));
  if (unknown.length > 0) throw new UsageError(`--skip: unknown op ${unknown.map((o) => `'${o}'`).join(', ')} (ops: ${OPS.join(', ')})`);
  return new Set(ops);
}
