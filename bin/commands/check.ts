// ptelab check SPEC...: diagnostics and the swap budget of each spec.
import { budgetSummary } from '../../compiler/checks/swap-budget.js';
import { changedPredicates, dispatchText } from '../../apps/dispatch.js';
import { baseFile } from '../../compiler/backends/base.js';
import { renumbering } from '../../apps/diff/renumber.js';
import { diffSide } from '../../apps/diff/side.js';
import { compileSpec } from '../../compiler/compile.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../core/diagnostics/render.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, type CliIo } from '../io.js';

export const checkUsage = 'ptelab check [--json] SPEC...';

export function checkCommand(argv: readonly string[], io: CliIo): number {
  const { flags, positionals } = parseArgs(argv, [], ['json']);
  if (positionals.length === 0) throw new UsageError('check needs at least one SPEC');
  const json = flags.has('json');
  const results: object[] = [];
  let code = EXIT_OK;
  for (const file of positionals) {
    const r = compileSpec(file);
    if ('ioError' in r) {
      io.err(`ptelab: ${r.ioError}\n`);
      code = EXIT_USAGE;
      results.push({ file, error: r.ioError });
      continue;
    }
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
        diagnostics: toJson(r.diagnostics),
      });
      continue;
    }
    io.out(renderText(r.diagnostics, r.sources, { color: io.isTTY }));
    const counts = ['error', 'warning'].map((s) => {
      const n = r.diagnostics.filter((d) => d.severity === s).length;
      return `${n} ${s}${n === 1 ? '' : 's'}`;
    });
    io.out(`${file}: spec ${r.spec.name}: ${r.spec.kinds.size} kinds, ${counts.join(', ')}\n`);
    if (budget) io.out(`  swap budget: ${budget}\n`);
    // A proposal that changes what a kernel predicate means changes the dispatch of every case that asks it.
    const bf = !errors && r.ir ? baseFile(r.ir) : undefined;
    const base = bf !== undefined ? compileSpec(bf) : undefined;
    if (base && !('ioError' in base) && base.ok && base.ir) {
      // Predicates whose values moved only with renumbered swap types mean what they meant.
      const ren = renumbering(diffSide(base), diffSide(r));
      const changed = changedPredicates(base.ir, r.ir!).filter((p) => !ren?.renumberedPredicates.includes(p.name));
      if (changed.length > 0) io.out(`  dispatch: predicates whose meaning changes, with the kernel paths that test them: ${dispatchText(changed)}\n`);
    }
  }
  if (json) io.out(JSON.stringify({ results }, null, 2) + '\n');
  return code;
}
