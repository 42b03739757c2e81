// PTE055: a case written for kinds of different formats (`case present, protnone as p`) reads or updates, through its
// binding, a field that one of those formats does not have. The body runs for each kind with the binding typed by
// that kind's format (compiler/analysis/case-groups.ts), so only the field names every listed format has can be read;
// the kernel does the same when one branch serves several entry types (mm/memory.c's zap_pte_range treats
// device-private and device-exclusive entries in one branch, reading what both swap entries carry).
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { bindingFieldGaps, writtenCases } from '../analysis/case-groups.js';
import type { Check } from './context.js';

export const caseBindingFields: Check = ({ spec }) => {
  const out: Diagnostic[] = [];
  for (const p of spec.paths.values()) {
    for (const c of writtenCases(p.cases)) {
      for (const g of bindingFieldGaps(spec, c)) {
        const where = g.missingIn.map((m) => `'${m.kind}' (format ${m.format})`).join(', ');
        const formats = [...new Set(c.group!.kinds.map((k) => spec.kinds.get(k)?.format).filter((f) => f !== undefined))];
        out.push(
          diag(
            'PTE055',
            g.range,
            `'${c.binding}.${g.field}': '${c.binding}' binds kinds ${c.group!.kinds.join(', ')}, and ${where} ${g.missingIn.length > 1 ? 'have' : 'has'} no field '${g.field}'`,
            `read only fields that formats ${formats.join(', ')} all have, or give '${g.missingIn.map((m) => m.kind).join("', '")}' a case of ${g.missingIn.length > 1 ? 'their' : 'its'} own`,
          ),
        );
      }
    }
  }
  return out;
};
