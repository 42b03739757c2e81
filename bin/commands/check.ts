// ptelab check SPEC...: diagnostics and the swap budget of each spec.
import { budgetSummary } from '../../compiler/checks/swap-budget.js';
import { baseFile } from '../../compiler/ir/base-file.js';
import { compileCached } from '../compile-cache.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../core/diagnostics/render.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, colorOn, type CliIo, type CommandArgs } from '../io.js';


export async function checkCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError('check needs at least one SPEC');
  const json = flags.has('json');
  const results: object[] = [];
  let code = EXIT_OK;
  for (const file of positionals) {
    const compiled = await compileCached(file, io.cwd);
    if (!compiled.ok) {
      io.err(`ptelab: ${compiled.error}\n`);
      code = EXIT_USAGE;
      results.push({ file, error: compiled.error });
      continue;
    }
    const r = compiled.value;
    const errors = hasErrors(r.diagnostics);
    if (errors && code === EXIT_OK) code = EXIT_FINDINGS;
    const budget = budgetSummary(r.spec);
    if (json) {
      const swap = r.spec.swap;
      results.push({
        file,
        spec: r.spec.name,
        ok: !errors,
        ...(swap
          ? {
              swap: {
                MAX_SWAPFILES_SHIFT: swap.shift,
                MAX_SWAPFILES: swap.maxSwapfiles,
                types: Object.fromEntries(swap.groups.flatMap((g) => g.types.map((t) => [t.name, t.value]))),
              },
            }
          : {}),
        kinds: [...r.spec.kinds.keys()],
        ...(r.levels.length > 0 ? { levels: Object.fromEntries(r.levels.map((l) => [l.level, { kinds: [...l.spec.kinds.keys()] }])) } : {}),
        diagnostics: toJson(r.diagnostics),
      });
      continue;
    }
    io.out(renderText(r.diagnostics, r.sources, { color: colorOn(io, 'out') }));
    const counts = ['error', 'warning'].map((s) => {
      const n = r.diagnostics.filter((d) => d.severity === s).length;
      return `${n} ${s}${n === 1 ? '' : 's'}`;
    });
    io.out(`${file}: spec ${r.spec.name}: ${r.spec.kinds.size} kinds, ${counts.join(', ')}\n`);
    if (budget) io.out(`  swap budget: ${budget}\n`);
    for (const l of r.levels) io.out(`  ${l.level} level: ${l.spec.kinds.size} kinds (${[...l.spec.kinds.keys()].join(', ')})\n`);
    // A proposal that changes what a kernel predicate means changes the dispatch of every case that asks it.
    const bf = r.ok ? baseFile(r.ir) : undefined;
    // The front end is loaded only for a spec that extends another: a plain check of a cached spec starts fast.
    const compiledBase = bf !== undefined ? (await import('../../compiler/compile.js')).compileSpec(bf) : undefined;
    const base = compiledBase?.ok && compiledBase.value.ok ? compiledBase.value : undefined;
    if (r.ok && base) {
      // Loaded only for a spec that extends another, so a plain check starts fast.
      const [{ changedPredicates, dispatchText }, { renumbering }, { diffSide }] = await Promise.all([
        import('../../apps/dispatch.js'),
        import('../../apps/diff/renumber.js'),
        import('../../apps/diff/side.js'),
      ]);
      // Predicates whose values moved only with renumbered swap types mean what they meant.
      const ren = renumbering(diffSide(base), diffSide(r));
      const changed = changedPredicates(base.ir, r.ir).filter((p) => !ren?.renumberedPredicates.includes(p.name));
      if (changed.length > 0) io.out(`  dispatch: predicates whose meaning changes, with the kernel paths that test them: ${dispatchText(changed)}\n`);
    }
  }
  if (json) io.out(JSON.stringify({ results }, null, 2) + '\n');
  return code;
}
