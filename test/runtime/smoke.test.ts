import { it } from 'vitest';
import { run, describeResult } from './helpers.js';
import { toyV617, makeToyModule } from '../fixtures/toy-v617-module.js';
it('smoke', () => {
  const texts = [`scenario "shmem evict" {
  file F pages 1
  mm A { map F shared at 0; uffd; register 0 }
  A write 0 = 1
  A protect 0
  evict F 0
  A write 0 -> userfault wp
  A read 0 -> 1
  A pagemap 0 -> wp
  A madvise dontneed 0
  A pagemap 0 -> wp
  A resolve 0
  A write 0 = 2
  A read 0 -> 2
  A exit
}`, `scenario "anon swap" {
  mm A { map anon at 0 pages 2; uffd; register 0 pages 2 }
  A write 0 = 7
  A protect 0 pages 2
  reclaim A 0
  A pagemap 0 -> wp
  A read 0 -> 7
  A write 0 = 8 -> userfault wp
  A fork B
  B pagemap 0 -> !wp
  B read 0 -> 7
  B write 0 = 9
  migrate A 0
  swapoff
  A resolve 0
  A write 0 = 8
  A read 0 -> 8
  B read 0 -> 9
  A exit
  B exit
}`];
  for (const t of texts) {
    const r = run(toyV617, t);
    console.log(describeResult(r));
    for (const s of r.steps) console.log(s.index, s.text, JSON.stringify(s.outcome), JSON.stringify(s.oracle), s.ok);
  }
});
