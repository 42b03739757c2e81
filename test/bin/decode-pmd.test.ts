// `ptelab decode --level pmd --json` (issue #15, "Done when"): the same JSON shape as the PTE level (kind, fields;
// `level` added), for a present PMD (a page-table pointer), a trans-huge leaf, a NUMA-hinting (protnone) leaf, a PMD
// migration entry and a swap PMD of x86_64 v6.17. The values are built here the way the kernel's macros build them
// (arch/x86/include/asm/pgtable.h, pgtable_64.h, pgtable-invert.h, include/linux/swapops.h, v6.17), in our own words,
// independently of the spec; test/compiler/pmd-known-answers.test.ts checks the predicates on many more values.
import { describe, expect, it } from 'vitest';
import { main } from '../../bin/main.js';
import { repoRoot } from '../helpers/repo.js';

async function decode(...argv: string[]): Promise<{ code: number; json: Record<string, unknown>[] }> {
  let out = '';
  let err = '';
  const code = await main(['decode', '--json', ...argv], { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: repoRoot });
  expect(err).toBe('');
  return { code, json: out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const M64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => '0x' + v.toString(16);
// _PAGE_* (pgtable_types.h): PRESENT 0, RW 1, USER 2, ACCESSED 5, DIRTY 6, PSE 7, PROTNONE 8 (= GLOBAL), UFFD_WP 10, NX 63
const PRESENT = 1n, RW = 2n, USER = 4n, ACCESSED = 0x20n, DIRTY = 0x40n, PSE = 0x80n, PROTNONE = 0x100n, NX = 1n << 63n;
const PAGE_TABLE = PRESENT | RW | USER | ACCESSED | DIRTY; // _PAGE_TABLE, what pmd_populate() writes with the table's pfn
const PMD_PAGE_MASK = ((1n << 52n) - 1n) & ~((1n << 21n) - 1n); // a PSE leaf's pfn bits, 21..51
// pfn_pmd(): the pfn bits are inverted when the entry is not present (protnone_mask, __pte_needs_invert)
const pfnPmd = (pfn: bigint, prot: bigint): bigint => (((pfn << 12n) ^ ((prot & PRESENT) === 0n ? M64 : 0n)) & PMD_PAGE_MASK) | prot;
// __swp_entry(): the type in bits 59..63, the inverted offset from bit 9; swp_entry_to_pmd keeps the word
const swpEntry = (type: bigint, offset: bigint): bigint => (type << 59n) | ((((~offset & M64) << 14n) & M64) >> 5n);
const SWP_MIGRATION_WRITE = 27n; // MAX_SWAPFILES (24) + SWP_HWPOISON_NUM (1) + 2 (include/linux/swap.h)
const SWP_UFFD_WP = 4n; // _PAGE_SWP_UFFD_WP = _PAGE_USER (pmd_swp_mkuffd_wp)

const THP_PFN = 0x400n; // a 2 MiB-aligned pfn: HUGE_PFN = pfn >> HPAGE_PMD_ORDER (9) = 2

describe('ptelab decode --level pmd --json on x86_64 v6.17', () => {
  const SPEC = 'examples/x86_64-v6.17.pte';
  const values = {
    table: (0x1234n << 12n) | PAGE_TABLE,
    trans_huge: pfnPmd(THP_PFN, PAGE_TABLE | PSE | NX),
    protnone: pfnPmd(THP_PFN, PSE | PROTNONE | ACCESSED | DIRTY), // pmd_modify(.., PAGE_NONE): PRESENT gone, PROTNONE set
    migration_write: swpEntry(SWP_MIGRATION_WRITE, THP_PFN) | SWP_UFFD_WP, // set_pmd_migration_entry of a uffd-wp THP
    swap: swpEntry(3n, 0x1234n),
  };

  it('gives kind and fields for present, trans-huge, protnone, migration and swap PMDs', async () => {
    const r = await decode('--level', 'pmd', SPEC, ...Object.values(values).map(hex));
    expect(r.code).toBe(0);
    expect(r.json.map((j) => j['kind'])).toEqual(Object.keys(values));
    expect(r.json.map((j) => j['value'])).toEqual(Object.values(values).map(hex));
    const f = r.json.map((j) => j['fields'] as Record<string, string>);
    expect([f[0]!['PFN'], f[0]!['PSE']]).toEqual(['0x1234', '0x0']);
    expect([f[1]!['HUGE_PFN'], f[1]!['PSE'], f[1]!['RW'], f[1]!['NX'], f[1]!['UFFD_WP']]).toEqual(['0x2', '0x1', '0x1', '0x1', '0x0']);
    expect([f[2]!['HUGE_PFN'], f[2]!['PRESENT'], f[2]!['PROTNONE']]).toEqual(['0x2', '0x0', '0x1']); // the inverted pfn read back
    expect([f[3]!['TYPE'], f[3]!['OFFSET'], f[3]!['SWP_UFFD_WP']]).toEqual(['0x1b', '0x400', '0x1']); // offset = the pfn
    expect([f[4]!['TYPE'], f[4]!['OFFSET']]).toEqual(['0x3', '0x1234']);
  });

  it('has the PTE level\'s JSON shape, plus the level', async () => {
    const pte = (await decode(SPEC, hex(PAGE_TABLE | NX))).json[0]!;
    const pmd = (await decode('--level', 'pmd', SPEC, hex(values.trans_huge))).json[0]!;
    expect(Object.keys(pte)).toEqual(['spec', 'value', 'kind', 'fields']);
    expect(Object.keys(pmd)).toEqual(['spec', 'level', 'value', 'kind', 'fields']);
    expect(pmd['level']).toBe('pmd');
    for (const j of [pte, pmd]) for (const v of Object.values(j['fields'] as object)) expect(v).toMatch(/^0x[0-9a-f]+$/);
    // one value, two levels: the same word is a different thing (0x80: a PTE swap entry, an invalidated THP)
    const [p, m] = [(await decode(SPEC, '0x80')).json[0]!, (await decode('--level', 'pmd', SPEC, '0x80')).json[0]!];
    expect([p['kind'], m['kind']]).toEqual(['swap', 'invalid']);
  });
});
