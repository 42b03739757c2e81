// The other page-table levels of a TS module (issue #15): each level that has paths (`level huge_pte`) is emitted
// with the same Emitter as the PTE level, inside a function scope of its own, so its kinds, accessors, predicates,
// fns and paths keep the names the level gives them (huge_pte's `present` is not the PTE's) without clashing with
// the PTE level's. The scope returns the level's LevelModule (contract/spec-module.ts); the module object lists them.
import type { IrSpec } from '../../ir/types.js';
import type { Emitter, Stmts } from './emit.js';

export interface LevelTexts {
  /** The statements declaring `$level_<name>` for each level. */
  readonly stmts: Stmts;
  /** `name: $level_<name>` for the module object's `levels`. */
  readonly entries: readonly string[];
}

export function levelModules(levels: readonly IrSpec[], emitter: (l: IrSpec) => Emitter, printed: (g: Stmts) => string): LevelTexts {
  const stmts: Stmts = [];
  const entries: string[] = [];
  for (const l of levels) {
    const level = l.level ?? 'pte';
    const e = emitter(l);
    const body = [e.prelude(), e.constants(), e.fieldAccessors(), e.kindsAndClassify(), e.predicates(), e.fns(), e.sites(), ...l.paths.map((p) => e.path(p))].map(printed).join('');
    stmts.push(`// level ${level}\nconst $level_${level}: LevelModule = (() => {\n${body}\nreturn ${e.levelObject()};\n})();`);
    entries.push(`${level}: $level_${level}`);
  }
  return { stmts, entries };
}
