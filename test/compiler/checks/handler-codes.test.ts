// PTE040-PTE045 (handler elaboration) and PTE050-PTE053 (exhaustiveness), each pinned by code and location on a
// small delta of the bundled 6.17 spec, never by wording: the message may change, what is reported and where may not.
import { ENTRY_PATH_NAMES } from '../../../contract/table.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/package-root.js';
import { at, checkText, posOf } from '../../helpers.js';

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), 'examples', f), 'utf8');
const BASE = { 'x86_64-v6.17.pte': read('x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': read('mm/linux-v6.17.pte') };

/** A delta of 6.17; the returned text is what positions are taken in. */
function delta(body: string): { text: string; located: (code: string) => string[] } {
  const text = `spec delta extends "x86_64-v6.17.pte" "pinned codes"\n${body}\n`;
  const ds = checkText(text, BASE);
  return { text, located: (code) => ds.filter((d) => d.code === code && d.range.file === 'spec.pte').map(at) };
}

describe('handler elaboration codes, by code and location', () => {
  it('PTE040: a field read of something that is not a PTE value points at the read', () => {
    const d = delta('path zap_pte_range {\n  before case none when vma.anon.PFN { keep }\n}');
    expect(d.located('PTE040')).toEqual([posOf(d.text, 'vma.anon.PFN')]);
  });

  it('PTE041: a primitive called with the wrong number of arguments points at the call', () => {
    const d = delta('path zap_pte_range {\n  before case none { get_page() }\n}');
    expect(d.located('PTE041')).toEqual([posOf(d.text, 'get_page()')]);
  });

  it('PTE042: an unknown function points at the call', () => {
    const d = delta('path zap_pte_range {\n  before case none { frobnicate() }\n}');
    expect(d.located('PTE042')).toEqual([posOf(d.text, 'frobnicate')]);
  });

  it('PTE043: `copy` outside copy_page_range points at the statement', () => {
    const d = delta('path zap_pte_range {\n  before case present as p { copy p }\n}');
    expect(d.located('PTE043')).toEqual([posOf(d.text, 'copy p')]);
  });

  it('PTE044: an expression statement with no effect points at the expression', () => {
    const d = delta('path zap_pte_range {\n  before case none { vma.anon }\n}');
    expect(d.located('PTE044')).toEqual([posOf(d.text, 'vma.anon', '{ vma')]);
  });

  it('PTE045: a fn that calls itself points at the call that closes the cycle', () => {
    const d = delta('fn loop_forever(x: int) = loop_forever(x)\npath zap_pte_range {\n  before case none when loop_forever(1) { keep }\n}');
    expect(d.located('PTE045')).toEqual([posOf(d.text, 'loop_forever', '= ')]);
  });
});

describe('exhaustiveness codes, by code and location', () => {
  it('PTE050: a new kind is reported at every entry path without a case or default for it, and only there', () => {
    const text = `spec delta extends "x86_64-v6.17.pte" "pinned codes"\nkind ghost : swp when is_swap_pte && TYPE == 3 && OFFSET == 0\noverride kind swap : swp when is_swap_pte && TYPE < MAX_SWAPFILES && !(TYPE == 3 && OFFSET == 0) refs slot(TYPE, OFFSET)\n`;
    const ds = checkText(text, BASE).filter((d) => d.code === 'PTE050');
    const base = BASE['mm/linux-v6.17.pte'];
    // the six 6.17 entry paths with no `default` case (the others have one, which takes the new kind); UFFDIO_MOVE's
    // move_pages_pte (issue #14) names every kind, so a new one must be handled there too
    const bare = ['copy_page_range', 'zap_pte_range', 'change_pte_range', 'pagemap_pte', 'move_ptes', 'move_pages_pte'];
    expect(ds.map((d) => `${d.range.file}:${at(d)}`).sort()).toEqual(bare.map((p) => `mm/linux-v6.17.pte:${posOf(base, `path ${p} {`)}`).sort());
  });

  it('PTE051: a call that a kind reaches, to a path without a case for it, points at the call', () => {
    const d = delta('path zap_pte_range {\n  before case none { call only_present }\n}\npath only_present {\n  case present { keep }\n}');
    expect(d.located('PTE051')).toEqual([posOf(d.text, 'call only_present')]);
  });

  it('PTE052: a spec with handlers but without an entry path points at its header', () => {
    const text = 'spec tiny "no entry paths"\nformat pte { bit 0 PRESENT }\nkind none : pte when !PRESENT\nkind present : pte when PRESENT\npath zap_pte_range {\n  default { keep }\n}\n';
    const ds = checkText(text).filter((d) => d.code === 'PTE052');
    expect(ds.length).toBe(ENTRY_PATH_NAMES.length - 1); // every entry path but zap_pte_range
    expect(new Set(ds.map(at))).toEqual(new Set(['1:1']));
  });

  it('PTE053: a case after an unguarded case for the same kind points at the dead case', () => {
    const d = delta('path only_none {\n  case none { keep }\n  case none { clear }\n  default { keep }\n}\npath zap_pte_range {\n  before case none { call only_none }\n}');
    expect(d.located('PTE053')).toEqual([posOf(d.text, 'case none { clear }')]);
  });
});
