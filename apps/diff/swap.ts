// Section 2: the swap-type budget. MAX_SWAPFILES and every reserved type's number on each side (a type "moves" when
// its number changes, as SWP_PTE_MARKER 30 -> 31 between 5.19 and 6.17), and each group's count and members.
import type { SwapTable } from '../../compiler/model.js';
import type { SwapDiff, SwapGroupRow, SwapGroupSide, SwapTypeRow } from './model.js';
import type { DiffSide } from './side.js';

export function diffSwap(a: DiffSide, b: DiffSide): SwapDiff {
  const sa = a.spec.swap;
  const sb = b.spec.swap;
  const typesA = typeMap(sa);
  const typesB = typeMap(sb);
  const groupsA = new Map((sa?.groups ?? []).map((g) => [g.name, g]));
  const groupsB = new Map((sb?.groups ?? []).map((g) => [g.name, g]));
  const groupOrder = [...groupsA.keys(), ...[...groupsB.keys()].filter((g) => !groupsA.has(g))];

  const types: SwapTypeRow[] = [];
  const seen = new Set<string>();
  const row = (name: string, group: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const x = typesA.get(name)?.value;
    const y = typesB.get(name)?.value;
    const status = x === undefined ? 'added' : y === undefined ? 'removed' : x === y ? 'same' : 'moved';
    types.push({ name, group, ...(x !== undefined ? { a: x } : {}), ...(y !== undefined ? { b: y } : {}), status });
  };
  for (const g of groupOrder) {
    for (const t of groupsA.get(g)?.types ?? []) row(t.name, g);
    for (const t of groupsB.get(g)?.types ?? []) row(t.name, typesA.get(t.name)?.group ?? g);
  }

  const groups: SwapGroupRow[] = groupOrder.map((name) => {
    const x = groupsA.get(name);
    const y = groupsB.get(name);
    const side = (g: typeof x): SwapGroupSide | undefined => (g ? { count: g.count, types: g.types.map((t) => t.name) } : undefined);
    const ga = side(x);
    const gb = side(y);
    const status = !ga ? 'added' : !gb ? 'removed' : ga.count === gb.count && ga.types.join() === gb.types.join() ? 'same' : 'changed';
    return { name, ...(ga ? { a: ga } : {}), ...(gb ? { b: gb } : {}), status };
  });

  const maxSwapfilesShift = { ...(sa ? { a: sa.shift } : {}), ...(sb ? { b: sb.shift } : {}) };
  const maxSwapfiles = { ...(sa ? { a: sa.maxSwapfiles } : {}), ...(sb ? { b: sb.maxSwapfiles } : {}) };
  const differs =
    maxSwapfilesShift.a !== maxSwapfilesShift.b ||
    maxSwapfiles.a !== maxSwapfiles.b ||
    types.some((t) => t.status !== 'same') ||
    groups.some((g) => g.status !== 'same');
  return { differs, maxSwapfilesShift, maxSwapfiles, types, groups };
}

function typeMap(s: SwapTable | undefined): Map<string, { value: number; group: string }> {
  const out = new Map<string, { value: number; group: string }>();
  for (const g of s?.groups ?? []) for (const t of g.types) out.set(t.name, { value: t.value, group: g.name });
  return out;
}
