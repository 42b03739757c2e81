import { it } from 'vitest';
import { Session, formatFailure } from '../../runtime/runner.js';
import type { Op, Step } from '../../runtime/scenario/types.js';
import { makeToyModule } from '../fixtures/toy-v617-module.js';
const toyV617 = makeToyModule((process.env.BUG || undefined) as any);
import { formatStep } from '../../runtime/format-step.js';

function rng(seed: number) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }

it('fuzz', () => {
  let fails = 0;
  const seen = new Map<string, number>(); const stats = new Map<string, number>();
  for (let seed = 1; seed <= Number(process.env.SEEDS ?? 3000); seed++) {
    const r = rng(seed);
    const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const s = new Session(toyV617);
    const hist: string[] = [];
    const setup: Op[] = [
      { op: 'file', name: 'F', pages: 2 },
      { op: 'mm', name: 'A' },
      { op: 'mmap', mm: 'A', vma: { type: 'anon', start: 0, pages: 2 } },
      { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: true, start: 4, pages: 2, pgoff: 0 } },
      { op: 'mmap', mm: 'A', vma: { type: 'file', file: 'F', shared: false, start: 8, pages: 2, pgoff: 0 } },
    ];
    setup.push({ op: 'uffd_open', mm: 'A', features: [...(r() < 0.5 ? ['event_fork' as const] : []), ...(r() < 0.5 ? ['wp_unpopulated' as const] : [])] });
    if (r() < 0.8) setup.push({ op: 'register', mm: 'A', addr: 0, pages: 12 });
    const live = ['A']; let next = 0;
    const ops: Op[] = [...setup];
    let i = 0;
    let failed = false;
    for (let n = 0; n < Number(process.env.LEN ?? 40) && !failed; n++) {
      const op = ops[i] ?? (() => {
        const mm = pick(live);
        const addr = pick([0, 1, 4, 5, 8, 9, 10]);
        const pages = pick([1, 1, 2]);
        const k = r() < 0.25 ? pick([3, 4, 5, 6, 1, 2]) : Math.floor(r() * 24);
        const o: Op[] = [
          { op: 'read', mm, addr }, { op: 'write', mm, addr, value: 1 + Math.floor(r() * 9) }, { op: 'write', mm, addr, value: 1 + Math.floor(r() * 9) },
          { op: 'register', mm, addr, pages }, { op: 'protect', mm, addr, pages }, { op: 'protect', mm, addr, pages }, { op: 'resolve', mm, addr, pages },
          { op: 'unregister', mm, addr, pages }, { op: 'madv_dontneed', mm, addr, pages }, { op: 'madv_pageout', mm, addr, pages },
          { op: 'punch_hole', file: 'F', index: pick([0, 1]), pages }, { op: 'evict', file: 'F', index: pick([0, 1]) },
          { op: 'reclaim', mm, addr }, { op: 'migrate', mm, addr }, { op: 'numa_scan', mm, addr, pages }, { op: 'swapoff' },
          { op: 'pagemap', mm, addr }, { op: 'pagemap', mm, addr }, { op: 'mprotect', mm, addr, pages, writable: r() < 0.5 },
          { op: 'munmap', mm, addr, pages: 1 }, { op: 'mremap', mm, addr, pages: 1, to: pick([2, 3, 6, 12]) },
          r() < 0.3 ? { op: 'uffd_close', mm } : { op: 'uffd_open', mm, features: r() < 0.5 ? ['wp_unpopulated'] : ['event_fork'] },
          live.length < 3 ? { op: 'fork', mm, child: `C${next}` } : { op: 'read', mm, addr },
          live.length > 1 ? { op: 'exit', mm } : { op: 'pagemap', mm, addr },
        ];
        return o[k]!;
      })();
      i++;
      if (op.op === 'uffd_open' && s.world.mms.get(op.mm)?.uffd) continue;
      if (op.op === 'fork') { live.push(op.child); next++; }
      if (op.op === 'exit') live.splice(live.indexOf(op.mm), 1);
      const res = s.step({ op } as Step, n);
      { const o = res.record.outcome; const k = op.op + ':' + (o ? (o.type === 'error' ? o.errno : o.type === 'pagemap' ? 'pm' + o.uffd_wp : o.type) : 'none'); stats.set(k, (stats.get(k) ?? 0) + 1); }
      hist.push(formatStep(op) + ' -> ' + JSON.stringify(res.record.outcome));
      if (res.failure) {
        failed = true;
        const key = res.failure.kind + ':' + res.failure.message.replace(/\d+/g, 'N').slice(0, 80);
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if ((seen.get(key) ?? 0) <= 1) { fails++; console.log(`seed ${seed}: ${formatFailure(res.failure)}\n  ` + hist.join('\n  ')); }
      }
    }
  }
  console.log([...seen.entries()]); console.log([...stats.entries()].sort().map(x=>x.join('=')).join(' '));
});
