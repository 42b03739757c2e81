// The canonical fingerprint sees every field of the state, found generically: every number, boolean and PTE word
// anywhere in the World and the oracle's state (Map values, array elements, object fields, whatever new fields the
// runtime grows) is changed in turn, and the fingerprint must change with it. A field the fingerprint forgot would
// merge states that differ, and the explorer would silently skip futures: this test fails instead. The only fields
// left out are the ones renumbered on purpose (canonical.ts: data values), listed below.
import { beforeAll, describe, expect, it } from 'vitest';
import { Canonicalizer } from '../../../runtime/explore/canonical.js';
import { Names } from '../../../runtime/explore/codec.js';
import { cloneOracle } from '../../../runtime/oracle.js';
import { Session } from '../../../runtime/runner.js';
import type { Op } from '../../../runtime/scenario/types.js';
import { cloneWorld } from '../../../runtime/world.js';
import { randomScenario } from '../random-ops.js';
import { spec, type TestSpec } from './helpers.js';

/** Data values: only their equalities count (canonical.ts renumbers them by first appearance). */
const VALUE_FIELDS = new Set(['contents', 'value', 'snaps', 'data']);
/** A page's pfn is its index in World.pages (the index is what the fingerprint reads). */
const INDEX_FIELDS = new Set(['pfn@page']);

type Leaf = number | boolean | bigint;

/** Every changeable leaf under x: a getter and a setter, and a name for messages. */
function leaves(x: unknown, path: string, out: { path: string; get: () => Leaf; set: (v: Leaf) => void }[], seen: Set<unknown>): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  const visit = (v: unknown, p: string, get: () => Leaf, set: (v: Leaf) => void): void => {
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push({ path: p, get, set });
    else leaves(v, p, out, seen);
  };
  if (x instanceof Map) {
    for (const k of x.keys()) visit(x.get(k), `${path}[${String(k)}]`, () => x.get(k) as Leaf, (v) => x.set(k, v));
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) visit(x[i], `${path}[${i}]`, () => x[i] as Leaf, (v) => (x[i] = v));
  } else {
    const o = x as Record<string, unknown>;
    const isPage = 'mapcount' in o;
    for (const k of Object.keys(o)) {
      if (VALUE_FIELDS.has(k) || (isPage && INDEX_FIELDS.has(`${k}@page`))) continue;
      visit(o[k], `${path}.${k}`, () => o[k] as Leaf, (v) => (o[k] = v));
    }
  }
}

function changed(v: Leaf): Leaf {
  return typeof v === 'boolean' ? !v : typeof v === 'bigint' ? v ^ 1n : v + 1;
}

function namesOf(ops: readonly Op[]): Names {
  const names: string[] = [];
  for (const op of ops) {
    if (op.op === 'file' || op.op === 'mm') names.push(op.name);
    if (op.op === 'fork') names.push(op.child);
  }
  return new Names(names, 'Q');
}

describe('the canonical fingerprint', () => {
  let s617: TestSpec;
  beforeAll(async () => {
    s617 = await spec('examples/x86_64-v6.17.pte');
  });

  it('changes with every field of the world and the oracle (but data values) on random walks', () => {
    let checked = 0;
    const fields = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const ops = randomScenario(seed, 30);
      const names = namesOf(ops);
      const session = new Session(s617.module);
      const canon = new Canonicalizer(s617.module, session.machine.entries, names, { pfns: false, slots: false });
      for (let i = 0; i < ops.length; i++) {
        if (session.step({ op: ops[i]! }, i).failure) break;
        if (i % 4 !== 3) continue;
        const world = cloneWorld(session.world);
        const oracle = cloneOracle(session.oracle);
        const base = [...canon.fingerprint(world, oracle)];
        const all: { path: string; get: () => Leaf; set: (v: Leaf) => void }[] = [];
        leaves(world, 'world', all, new Set());
        leaves(oracle, 'oracle', all, new Set());
        for (const l of all) {
          const v = l.get();
          l.set(changed(v));
          const fp = [...canon.fingerprint(world, oracle)];
          l.set(v);
          expect(fp, `seed ${seed} step ${i}: ${l.path} is not in the fingerprint`).not.toEqual(base);
          fields.add(l.path.replace(/\[[^\]]*\]/g, '[]'));
          checked++;
        }
        expect([...canon.fingerprint(world, oracle)]).toEqual(base);
      }
    }
    expect(checked).toBeGreaterThan(500);
    // the walk reached the parts of the state that matter (a guard against a walk that sees nothing)
    // (forked and lostKind: the oracle's PageAnonExclusive and lost-entry kind, which UFFDIO_MOVE's answer depends on)
    for (const f of ['world.pages[].refcount', 'world.mms[].pt[]', 'world.mms[].vmas[].uffd_wp', 'world.mms[].rss.swapents', 'oracle.mms[].cells[].prot', 'oracle.mms[].cells[].forked', 'oracle.mms[].cells[].lostKind']) {
      expect(fields, f).toContain(f);
    }
  });
});
