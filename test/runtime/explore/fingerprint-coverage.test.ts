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
import { cloneWorld, type World } from '../../../runtime/world.js';
import type { OracleState } from '../../../runtime/oracle.js';
import { randomScenario, randomSeveralScenario } from '../random-ops.js';
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
    if (op.op === 'uffd_open' && op.uffd !== undefined && !names.includes(op.uffd)) names.push(op.uffd);
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

  // Several userfaultfds per mm and pins (issue #14): the numbers and booleans as above, and the fields that are
  // names (which context registered a VMA, which contexts are open), changed by hand: a VMA moved to another open
  // context or to none, a named context closed.
  it('changes with every context of every mm, the VMAs\' contexts and the pins, on walks with two contexts', () => {
    let checked = 0;
    const fields = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const ops = randomSeveralScenario(seed, 30);
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
        for (const [what, change] of nameChanges(world, oracle)) {
          const undo = change();
          expect([...canon.fingerprint(world, oracle)], `seed ${seed} step ${i}: ${what} is not in the fingerprint`).not.toEqual(base);
          undo();
          fields.add(what.replace(/ .*/, ''));
          checked++;
        }
        expect([...canon.fingerprint(world, oracle)]).toEqual(base);
      }
    }
    expect(checked).toBeGreaterThan(100);
    // the walks reached the new fields (a guard against walks that never open U2 or never pin)
    for (const f of ['world.mms[].namedUffds[].event_fork', 'oracle.mms[].namedUffds[].event_fork', 'world.pages[].pins', 'world.mms[].pins[].addr',
      'world.mms[].pins[].pfn', 'world.mms[].pinned', 'world.vma.uffd_ctx', 'oracle.vma.ctx', 'world.namedUffds', 'oracle.namedUffds']) {
      expect(fields, f).toContain(f);
    }
  });
});

/** Changes of the name-valued fields (each returns its undo): every VMA's context, and each named context closed. */
function nameChanges(world: World, oracle: OracleState): [string, () => () => void][] {
  const out: [string, () => () => void][] = [];
  const holders = [...[...world.mms.values()].map((mm) => ['world', mm] as const), ...[...oracle.mms.values()].map((mm) => ['oracle', mm] as const)];
  for (const [side, mm] of holders) {
    const open = ['', ...mm.namedUffds.keys()];
    for (const v of mm.vmas as { uffd_ctx?: string; ctx?: string }[]) {
      const key = side === 'world' ? 'uffd_ctx' : 'ctx';
      const cur = v[key]!;
      for (const other of open) {
        if (other === cur) continue;
        out.push([`${side}.vma.${key} ${cur || '(first)'} -> ${other || '(first)'}`, () => {
          v[key] = other;
          return () => (v[key] = cur);
        }]);
      }
    }
    for (const name of mm.namedUffds.keys()) {
      out.push([`${side}.namedUffds ${name} closed`, () => {
        const before = mm.namedUffds;
        const m = new Map(before);
        m.delete(name);
        mm.namedUffds = m;
        return () => (mm.namedUffds = before);
      }]);
    }
  }
  return out;
}
