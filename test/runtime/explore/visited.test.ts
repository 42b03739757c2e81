import { describe, expect, it } from 'vitest';
import { INSERT_DUP, INSERT_LOWERED, INSERT_NEW, allocTable, rehash, tableInsert, tableOwner } from '../../../runtime/explore/table.js';
import { lcg } from '../random-ops.js';

describe('shared visited table', () => {
  it('holds 200k fingerprints, finds each with its lowest owner, and nothing else', () => {
    const t = allocTable(1 << 19);
    const r = lcg(7);
    const keys: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) keys.push([((r() * 2 ** 32) | 0) || 1, ((r() * 2 ** 32) | 0) || 1]);
    let fresh = 0;
    keys.forEach(([lo, hi], i) => {
      if (tableInsert(t, lo, hi, 1000 + i) === INSERT_NEW) fresh++;
    });
    expect(fresh).toBeGreaterThan(199_990); // a handful of duplicates from the generator at most
    let wrong = 0;
    keys.forEach(([lo, hi], i) => {
      if (tableInsert(t, lo, hi, 1000 + i) !== INSERT_DUP || tableOwner(t, lo, hi)! > 1000 + i) wrong++;
    });
    expect(wrong).toBe(0);
    expect(tableOwner(t, 12345, 678)).toBeUndefined();
  });

  it('lowers the owner to the lowest parent, and rehash drops the current level', () => {
    const t = allocTable(16);
    expect(tableInsert(t, 5, 6, 10)).toBe(INSERT_NEW);
    expect(tableInsert(t, 5, 6, 12)).toBe(INSERT_DUP);
    expect(tableInsert(t, 5, 6, 7)).toBe(INSERT_LOWERED);
    expect(tableOwner(t, 5, 6)).toBe(7);
    expect(tableInsert(t, 9, 9, 2)).toBe(INSERT_NEW);
    const { table, count } = rehash(t, 1 << 14, 5);
    expect(count).toBe(1);
    expect(tableOwner(table, 9, 9)).toBe(2);
    expect(tableOwner(table, 5, 6)).toBeUndefined();
  });
});
