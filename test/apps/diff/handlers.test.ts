// The handler section: cases aligned by kind and guard, bodies compared structurally (spec lines, local names and the
// formats values are read through do not count), sites of both sides, arch helpers and decisions.
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../../apps/diff/diff.js';
import { renderDiffMarkdown } from '../../../apps/diff/render-markdown.js';
import { renderDiffText } from '../../../apps/diff/render-text.js';
import { bundled, inMemory } from './helpers.js';

const LAYOUT = `spec h "handlers"
word 64
format pte { bit 0 PRESENT; bit 1 RW; bits 12..51 PFN }
predicate pte_none on pte = word == 0
predicate mmu_read on pte = PRESENT
predicate mmu_write on pte = PRESENT && RW
kind none : pte when pte_none
kind present : pte when PRESENT refs page(PFN)
kind other : pte when !PRESENT && !pte_none
decision vma_needs_copy = vma.anon_vma
decision should_fault_around = false
decision vma_can_userfault_wp = vma.anon
decision uffd_unregister_resets_wp = false
decision uffd_release_resets_wp = false
decision uffd_mremap_resets_wp = false
decision vma_can_userfault_missing = vma.anon
decision vma_can_userfault_minor = false
decision uffd_can_move = false
decision uffd_continue_mode_wp = false
`;

const A = `${LAYOUT}fn pte_write(p: pte) = p.RW
path zap_pte_range {
  case none { keep }
  case present as p {
    let page = vm_normal_page(p.PFN)
    clear
    if page { put_page(page) }
  }
  case other as o when o.RW { clear }
  case other { keep }
  default { warn "zap: unexpected"; clear }
}
path pagemap_pte {
  default { keep }
}
`;

// Same logic with other names and other lines; one guarded case changed, one case added, default removed.
const B = `${LAYOUT}
// a comment moves every line down

fn pte_write(q: pte) = q.PRESENT && q.RW
decision extra = vma.shared
path zap_pte_range {
  case none { keep }
  case present as entry {
    let pg = vm_normal_page(entry.PFN)
    clear
    if pg { put_page(pg) }
  }
  case other as x when x.RW { keep }
  case other { keep }
  case present when vma.shared { clear }
}
path change_pte_range {
  default { keep }
}
`;

describe('handlers: aligned by kind and guard', () => {
  const a = inMemory('a.pte', A);
  const b = inMemory('b.pte', B);
  const d = diffSpecs(a, b);
  const zap = d.handlers.paths.find((p) => p.name === 'zap_pte_range')!;

  it('renamed bindings and locals, and moved lines, are no change', () => {
    expect(zap.cases.find((c) => c.kind === 'present' && c.guard === undefined)).toBeUndefined();
    expect(zap.cases.find((c) => c.kind === 'none')).toBeUndefined();
  });

  it('a guarded case with another body is changed, with both sites and a line diff', () => {
    const c = zap.cases.find((x) => x.kind === 'other' && x.guard !== undefined)!;
    expect(c.status).toBe('changed');
    expect(c.guard).toBe('o.RW');
    expect(c.a).toMatchObject({ index: 2, site: { file: 'a.pte', line: A.split('\n').findIndex((l) => l.includes('case other as o')) + 1 }, binding: 'o', guard: 'o.RW' });
    expect(c.b).toMatchObject({ index: 2, site: { file: 'b.pte', line: B.split('\n').findIndex((l) => l.includes('case other as x')) + 1 }, binding: 'x', guard: 'x.RW' });
    expect(c.body).toEqual([
      { op: '-', text: 'clear' },
      { op: '+', text: 'keep' },
    ]);
  });

  it('added and removed cases; the unguarded other case matches its twin', () => {
    expect(zap.cases.map((c) => `${c.status} ${c.kind ?? 'default'}${c.guard ? ` when ${c.guard}` : ''}`)).toEqual([
      'changed other when o.RW',
      // An added case stands after the case it follows in B (here the unguarded `other`, matched in A).
      'added present when vma.shared',
      'removed default',
    ]);
    expect(zap.cases.find((c) => c.status === 'removed')!.a!.site.file).toBe('a.pte');
    expect(zap.orderChanged).toBe(false);
  });

  it('paths on one side only, and arch helpers / decisions', () => {
    expect(d.handlers.paths.map((p) => `${p.status} ${p.name}`)).toEqual(['changed zap_pte_range', 'removed pagemap_pte', 'added change_pte_range']);
    expect(d.handlers.helpers.map((h) => `${h.status} ${h.sort} ${h.name}`)).toEqual(['changed fn pte_write', 'added decision extra']);
    const fn = d.handlers.helpers[0]!;
    expect(fn.aText).toBe('fn pte_write(p: pte) = p.RW');
    expect(fn.bText).toBe('fn pte_write(q: pte) = q.PRESENT && q.RW');
  });

  it('text and markdown show the case with its sites and the body diff', () => {
    const t = renderDiffText(d);
    expect(t).toMatch(/~ case other when o\.RW\s+A a\.pte:\d+\s+B b\.pte:\d+/);
    expect(t).toContain('        + keep');
    expect(t).toContain('        - clear');
    expect(t).toContain('- path pagemap_pte (only in A');
    const md = renderDiffMarkdown(d);
    expect(md).toContain('### Path `zap_pte_range`');
    expect(md).toMatch(/\| `case other when o\.RW` \| changed \| a\.pte:\d+ \| b\.pte:\d+ \|/);
    expect(md).toContain('```diff\n- clear\n+ keep\n```');
  });

  it('a reordering of cases is reported (first match wins)', () => {
    const swapped = A.replace('  case none { keep }\n', '').replace('  default {', '  case none { keep }\n  default {');
    const r = diffSpecs(a, inMemory('c.pte', swapped));
    const p = r.handlers.paths.find((x) => x.name === 'zap_pte_range')!;
    expect(p.cases).toEqual([]);
    expect(p.orderChanged).toBe(true);
    expect(r.differs).toBe(true);
  });

  it('a spec against itself: no handler difference', () => {
    const r = diffSpecs(a, inMemory('a2.pte', A));
    expect(r.handlers.paths).toEqual([]);
    expect(r.handlers.helpers).toEqual([]);
    expect(r.differs).toBe(false);
  });
});

describe('handlers of the bundled specs', () => {
  it('every changed case shows at least one changed line (no invisible changes)', () => {
    for (const [x, y] of [
      ['x86_64-v6.17', 'arm64-v6.17'],
      ['x86_64-v5.19', 'x86_64-v6.17'],
    ] as const) {
      const d = diffSpecs(bundled(x), bundled(y));
      for (const p of d.handlers.paths) {
        for (const c of p.cases.filter((c) => c.status === 'changed')) {
          expect(c.body!.some((l) => l.op !== ' '), `${x} vs ${y}: ${p.name} case ${c.kind}`).toBe(true);
        }
      }
    }
  });
});
