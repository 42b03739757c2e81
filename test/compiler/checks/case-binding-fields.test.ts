// PTE055: a case for kinds of different formats may read, through its binding, only the fields every listed format
// has; each kind then reads its own format (a protnone PFN is stored inverted and read as the logical value).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/package-root.js';
import { at, checkText, compileText, needIr, one, posOf } from '../../helpers.js';

const read = (f: string): string => fs.readFileSync(path.join(packageRoot(), 'examples', f), 'utf8');
const BASE = { 'x86_64-v6.17.pte': read('x86_64-v6.17.pte'), 'mm/linux-v6.17.pte': read('mm/linux-v6.17.pte') };
const head = 'spec delta extends "x86_64-v6.17.pte" "binding fields"\n';

describe('PTE055: fields of a binding for several kinds', () => {
  it('a field one listed format lacks is reported once, at the read, naming the kind and its format', () => {
    const text = `${head}path new_helper {\n  case present, swap as x { if x.PFN { clear } }\n  default { keep }\n}\n`;
    const ds = checkText(text, BASE);
    const d = one(ds, 'PTE055');
    expect(at(d)).toBe(posOf(text, 'PFN {'));
    expect(d.message).toContain("'swap' (format swp)");
    // one finding, not a type error per kind as well
    expect(ds.filter((x) => x.code === 'PTE040' && x.range.file === 'spec.pte')).toEqual([]);
  });

  it('`with` on the binding is held to the same rule', () => {
    const text = `${head}path new_helper {\n  case present, swap as x { set x with { TYPE = 1 } }\n  default { keep }\n}\n`;
    expect(at(one(checkText(text, BASE), 'PTE055'))).toBe(posOf(text, 'TYPE ='));
  });

  it('a field every format has is read through each kind\'s own format', () => {
    const text = `${head}path new_helper {\n  case present, protnone as p { if p.PFN { clear } }\n  default { keep }\n}\n`;
    const c = compileText(text, BASE);
    expect(c.diagnostics.filter((d) => d.severity === 'error' && d.range.file === 'spec.pte')).toEqual([]);
    const cases = needIr(c).paths.find((p) => p.name === 'new_helper')!.cases;
    const reads = cases.slice(0, 2).map((x) => JSON.stringify(x.body).match(/"format":"(\w+)","field":"PFN"/)?.[1]);
    expect(reads).toEqual(['pte', 'protnone_pte']);
    expect(cases.slice(0, 2).map((x) => x.group)).toEqual([['present', 'protnone'], ['present', 'protnone']]);
  });
});
