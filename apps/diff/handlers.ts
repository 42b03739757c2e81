// Section 4: the behaviour half, path by path. Cases are aligned by kind and guard (the i-th case with a given kind
// and guard in A goes with the i-th in B); an aligned pair whose bodies differ structurally (spec lines and local
// names ignored, see canon.ts) is "changed", and the rest are added or removed. Arch helper fns and
// decisions are compared the same way.
import type { IrCase, IrDecision, IrFn, IrPath, IrSpec } from '../../compiler/ir/types.js';
import { isPte, tyName } from '../../compiler/ir/types.js';
import { exprText, stmtLines, ty } from '../../compiler/ir/print.js';
import { Canon } from './canon.js';
import type { BodyLine, CaseChange, CaseSide, HandlersDiff, HelperChange, PathChange } from './model.js';
import type { DiffSide } from './side.js';

interface Keyed {
  readonly c: IrCase;
  readonly key: string;
  readonly body: string;
}

function keyed(c: IrCase): Keyed {
  const canon = new Canon();
  canon.bind(c.binding);
  const guard = c.guard ? canon.expr(c.guard) : '';
  return { c, key: `${c.kind ?? ''}\0${guard}`, body: canon.stmts(c.body) };
}

function caseSide(c: IrCase): CaseSide {
  return {
    index: c.index,
    site: c.site,
    ...(c.binding ? { binding: c.binding } : {}),
    ...(c.guard ? { guard: exprText(c.guard) } : {}),
  };
}

function head(c: IrCase): Pick<CaseChange, 'kind' | 'guard'> {
  return { ...(c.kind ? { kind: c.kind } : {}), ...(c.guard ? { guard: exprText(c.guard) } : {}) };
}

export function diffPath(name: string, pa: IrPath | undefined, pb: IrPath | undefined): PathChange | undefined {
  const ka = (pa?.cases ?? []).map(keyed);
  const kb = (pb?.cases ?? []).map(keyed);
  // Align: the n-th A case with a key meets the n-th B case with that key.
  const queue = new Map<string, number[]>();
  kb.forEach((x, j) => {
    const q = queue.get(x.key);
    if (q) q.push(j);
    else queue.set(x.key, [j]);
  });
  const partnerOfA: (number | undefined)[] = ka.map((x) => queue.get(x.key)?.shift());
  const partnerOfB: (number | undefined)[] = kb.map(() => undefined);
  partnerOfA.forEach((j, i) => {
    if (j !== undefined) partnerOfB[j] = i;
  });

  // B-only cases go after the A case matched to the nearest earlier matched B case (or first).
  const addsAfter = new Map<number, CaseChange[]>();
  kb.forEach((y, j) => {
    if (partnerOfB[j] !== undefined) return;
    let anchor = -1;
    for (let p = j - 1; p >= 0; p--) {
      if (partnerOfB[p] !== undefined) {
        anchor = partnerOfB[p]!;
        break;
      }
    }
    const list = addsAfter.get(anchor) ?? [];
    list.push({ ...head(y.c), status: 'added', b: caseSide(y.c) });
    addsAfter.set(anchor, list);
  });

  const cases: CaseChange[] = [...(addsAfter.get(-1) ?? [])];
  ka.forEach((x, i) => {
    const j = partnerOfA[i];
    if (j === undefined) cases.push({ ...head(x.c), status: 'removed', a: caseSide(x.c) });
    else if (kb[j]!.body !== x.body) {
      cases.push({ ...head(x.c), status: 'changed', a: caseSide(x.c), b: caseSide(kb[j]!.c), body: lineDiff(stmtLines(x.c.body), stmtLines(kb[j]!.c.body)) });
    }
    cases.push(...(addsAfter.get(i) ?? []));
  });

  const matched = partnerOfA.filter((j): j is number => j !== undefined);
  const orderChanged = matched.some((j, n) => n > 0 && j < matched[n - 1]!);
  if (pa && pb && cases.length === 0 && !orderChanged) return undefined;
  return { name, status: !pa ? 'added' : !pb ? 'removed' : 'changed', cases, orderChanged };
}

/** A line diff (longest common subsequence), unchanged lines kept for context; A's lines before B's at a change. */
export function lineDiff(a: readonly string[], b: readonly string[]): BodyLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: BodyLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  return out;
}

function fnText(f: IrFn): string {
  return `fn ${f.name}(${f.params.map((p) => `${p.name}: ${isPte(p.ty) ? p.ty.pte : tyName(p.ty)}`).join(', ')}) = ${exprText(f.body)}`;
}

function fnKey(f: IrFn): string {
  const canon = new Canon();
  for (const p of f.params) canon.bind(p.name);
  return JSON.stringify([f.params.map((p) => ty(p.ty)), ty(f.ty), canon.expr(f.body)]);
}

function decisionText(d: IrDecision): string {
  return `decision ${d.name} = ${exprText(d.body)}`;
}

function decisionKey(d: IrDecision): string {
  return new Canon().expr(d.body);
}

function diffHelpers<T extends { name: string; site: { file: string; line: number } }>(
  sort: 'fn' | 'decision',
  xs: readonly T[],
  ys: readonly T[],
  key: (t: T) => string,
  text: (t: T) => string,
): HelperChange[] {
  const out: HelperChange[] = [];
  const ym = new Map(ys.map((y) => [y.name, y]));
  const xm = new Map(xs.map((x) => [x.name, x]));
  for (const x of xs) {
    const y = ym.get(x.name);
    if (!y) out.push({ sort, name: x.name, status: 'removed', a: x.site, aText: text(x) });
    else if (key(x) !== key(y)) out.push({ sort, name: x.name, status: 'changed', a: x.site, b: y.site, aText: text(x), bText: text(y) });
  }
  for (const y of ys) if (!xm.has(y.name)) out.push({ sort, name: y.name, status: 'added', b: y.site, bText: text(y) });
  return out;
}

export function diffHandlers(a: DiffSide, b: DiffSide): HandlersDiff {
  return diffHandlersIr(a.ir, b.ir);
}

export function diffHandlersIr(a: IrSpec, b: IrSpec): HandlersDiff {
  const paths: PathChange[] = [];
  const bm = new Map(b.paths.map((p) => [p.name, p]));
  const am = new Map(a.paths.map((p) => [p.name, p]));
  for (const p of a.paths) {
    const c = diffPath(p.name, p, bm.get(p.name));
    if (c) paths.push(c);
  }
  for (const p of b.paths) if (!am.has(p.name)) paths.push(diffPath(p.name, undefined, p)!);
  const helpers = [...diffHelpers('fn', a.fns, b.fns, fnKey, fnText), ...diffHelpers('decision', a.decisions, b.decisions, decisionKey, decisionText)];
  return { has: { a: a.paths.length > 0, b: b.paths.length > 0 }, paths, helpers };
}
