// PTE054: a kind named twice in one case list, or in a case for several kinds and another case of the same path that
// always takes it. Pinned by code and location on small deltas of the bundled 6.17 spec.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/package-root.js';
import { at, checkText, posOf } from '../../helpers.js';

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), 'examples', f), 'utf8');
const BASE = { 'x86_64-v6.17.pte': read('x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': read('mm/linux-v6.17.pte') };

function delta(body: string): { text: string; located: (code: string) => string[] } {
  const text = `spec delta extends "x86_64-v6.17.pte" "case lists"\n${body}\n`;
  const ds = checkText(text, BASE);
  return { text, located: (code) => ds.filter((d) => d.code === code && d.range.file === 'spec.pte').map(at) };
}

describe('PTE054: a kind named twice', () => {
  it('a kind repeated in one case list is reported at the repeat', () => {
    const d = delta('path zap_pte_range {\n  before case swap, present, swap when vma.anon { keep }\n}');
    expect(d.located('PTE054')).toEqual([posOf(d.text, 'swap when')]);
  });

  it('a case for several kinds after an unguarded case of one of them is reported at that kind', () => {
    const d = delta('path new_helper {\n  case swap { keep }\n  case present, swap { clear }\n  default { keep }\n}');
    expect(d.located('PTE054')).toEqual([posOf(d.text, 'swap {', 'present, ')]);
  });

  it('an unguarded case for several kinds before a case of one of them is reported at the later case', () => {
    const d = delta('path new_helper {\n  case present, swap { clear }\n  case swap { keep }\n  default { keep }\n}');
    expect(d.located('PTE054')).toEqual([posOf(d.text, 'swap { keep')]);
  });

  it('a guarded case for several kinds, then one case per kind, is the normal split and clean', () => {
    const d = delta('path new_helper {\n  case present, swap when vma.anon { clear }\n  case swap { keep }\n  case present { keep }\n  default { keep }\n}');
    expect(d.located('PTE054')).toEqual([]);
    expect(d.located('PTE053')).toEqual([]);
  });
});
