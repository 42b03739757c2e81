// Page-table levels (`level pmd`): split a spec's extends chain into one chain of files per level, so that every
// level is resolved, checked and lowered by the same front end as a PTE spec, and every check is exact per level.
//
// What a level sees: the items of its own sections, plus the items every level shares — `word`, constants, the swap
// table and decisions (one machine, one swap-type numbering, one set of context decisions) — and the formats of the
// PTE level (a PMD swap entry is a swap entry: x86's and arm64's PMD swap/migration entries are read with the PTE's
// swp layout). Kinds, predicates, fns and paths are the level's own namespace, as pte_none / pmd_none are two
// functions in the kernel. Items before any `level`, and every item of a spec that has none, are of the PTE level,
// so the PTE level's chain is exactly what the front end read before levels existed.
import type * as A from '../grammar/ast.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { LEVEL_NAMES, LEVELS, type LevelName } from '../contract/table.js';

export interface LevelChain {
  readonly level: LevelName;
  /** The chain of files as the level sees it (base first), each with only the items the level sees. */
  readonly files: readonly A.SpecFile[];
  /** Formats declared in the level's own sections (the rest it sees are the PTE level's). */
  readonly ownFormats: ReadonlySet<string>;
}

export interface SplitLevels {
  /** The PTE level: every level-less item. */
  readonly pte: readonly A.SpecFile[];
  /** The other levels the chain declares items for, in LEVELS order. */
  readonly levels: readonly LevelChain[];
  readonly diagnostics: readonly Diagnostic[];
}

type Shared = A.WordDecl | A.ConstDecl | A.SwapDecl | A.DecisionDecl | A.ImportDecl;
function isShared(item: A.Item): item is Shared {
  return item.type === 'WordDecl' || item.type === 'ConstDecl' || item.type === 'SwapDecl' || item.type === 'DecisionDecl' || item.type === 'ImportDecl';
}

export function isLevelName(name: string): name is LevelName {
  return (LEVEL_NAMES as readonly string[]).includes(name);
}

/** Which level each item of one file belongs to (undefined: an unknown level, reported, its items dropped). */
export function itemLevels(file: A.SpecFile): (LevelName | undefined)[] {
  let current: LevelName | undefined = 'pte';
  return file.items.map((item) => {
    if (item.type === 'LevelDecl') current = isLevelName(item.name.name) ? item.name.name : undefined;
    return current;
  });
}

export function splitLevels(files: readonly A.SpecFile[]): SplitLevels {
  const ds: Diagnostic[] = [];
  const pte: A.SpecFile[] = [];
  const perLevel = new Map<LevelName, A.Item[][]>();
  const own = new Map<LevelName, Set<string>>();
  const pteFormats = new Set<string>();
  const levelOf = (name: string): LevelName | undefined => [...own].find(([, s]) => s.has(name))?.[0];
  const fileItems: { pte: A.Item[]; shared: A.Item[]; byLevel: Map<LevelName, A.Item[]> }[] = [];

  for (const file of files) {
    const levels = itemLevels(file);
    const mine = { pte: [] as A.Item[], shared: [] as A.Item[], byLevel: new Map<LevelName, A.Item[]>() };
    file.items.forEach((item, i) => {
      const level = levels[i];
      if (item.type === 'LevelDecl') {
        // (load.ts restores the importer's level after an import with a synthetic LevelDecl, whose name range is its
        // whole range: its unknown name was reported where it was written.)
        if (!isLevelName(item.name.name) && item.name.range !== item.range) {
          ds.push(diag('PTE070', item.name.range, `'${item.name.name}' is not a page-table level ptelab knows`, `the levels are ${LEVEL_NAMES.join(', ')}; the items up to the next 'level' are ignored`));
        }
        return;
      }
      if (level === undefined) return;
      if (isShared(item)) {
        // Shared by every level, wherever it is written; kept in place in the PTE chain.
        mine.pte.push(item);
        mine.shared.push(item);
        return;
      }
      if (item.type === 'FormatDecl') {
        const name = item.name.name;
        const owner = levelOf(name) ?? (pteFormats.has(name) ? 'pte' : undefined);
        if (item.override && owner !== undefined && owner !== level) {
          ds.push(diag('PTE071', item.name.range, `format '${name}' is of the ${owner} level, but this 'override format' is in a '${level}' section`, `move it after 'level ${owner}'${owner === 'pte' ? ' (or before any level)' : ''}: a format is changed where it is declared`));
          return;
        }
        if (level === 'pte') {
          if (!item.override) pteFormats.add(name);
          mine.pte.push(item);
          mine.shared.push(item);
          return;
        }
        if (!item.override) {
          const set = own.get(level) ?? new Set<string>();
          set.add(name);
          own.set(level, set);
        }
      }
      if (level === 'pte') {
        mine.pte.push(item);
        return;
      }
      const list = mine.byLevel.get(level) ?? [];
      list.push(item);
      mine.byLevel.set(level, list);
      if (!perLevel.has(level)) perLevel.set(level, []);
    });
    fileItems.push(mine);
  }

  files.forEach((file, i) => pte.push({ ...file, items: fileItems[i]!.pte }));
  const levels: LevelChain[] = [];
  for (const level of LEVEL_NAMES) {
    if (level === 'pte' || !perLevel.has(level)) continue;
    // Shared items and the level's own, in the order the file wrote them (a const may follow the item that uses it;
    // the resolver does not care, but diagnostics about order would).
    const chain = files.map((file, i): A.SpecFile => {
      const mine = fileItems[i]!;
      const wanted = new Set<A.Item>([...mine.shared, ...(mine.byLevel.get(level) ?? [])]);
      return { ...file, items: file.items.filter((it) => wanted.has(it)) };
    });
    levels.push({ level, files: chain, ownFormats: own.get(level) ?? new Set() });
  }
  return { pte, levels, diagnostics: ds };
}

/** "the pmd level" / "the PTE level", for messages. */
export function levelText(level: LevelName): string {
  return level === 'pte' ? 'the PTE level' : `the ${level} level (${LEVELS[level].kernel})`;
}
