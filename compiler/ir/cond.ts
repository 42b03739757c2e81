// A kind's `when` or a predicate's body -> IrCond: the condition as written, with its names resolved (fields of the
// format, the word, predicates, constants with their values). The same forms sets.ts compiles to exact cubes; a
// form it rejects gives undefined here (the kind or predicate is broken and has a diagnostic already).
import type * as A from '../../grammar/ast.js';
import { ConstError, evalConst } from '../const-eval.js';
import type { FormatDef, Spec } from '../model.js';
import type { IrCond, IrConst } from './types.js';

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FLIP: Readonly<Record<string, '==' | '!=' | '<' | '<=' | '>' | '>='>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

class NotCond extends Error {}

export function lowerCond(spec: Spec, e: A.Expr, formatName: string): IrCond | undefined {
  const format = spec.formats.get(formatName);
  if (!format) return undefined;
  try {
    return cond(spec, e, format);
  } catch (err) {
    if (err instanceof NotCond || err instanceof ConstError) return undefined;
    throw err;
  }
}

function isConst(spec: Spec, e: A.Expr, format: FormatDef): boolean {
  switch (e.type) {
    case 'NumberLit':
      return true;
    case 'NameRef':
      return !format.fields.has(e.name) && e.name !== 'word' && spec.consts.has(e.name) && !spec.poisonedConsts.has(e.name);
    case 'Unary':
      return e.op !== '!' && isConst(spec, e.operand, format);
    case 'Binary':
      return !CMP.has(e.op) && e.op !== '&&' && e.op !== '||' && isConst(spec, e.left, format) && isConst(spec, e.right, format);
    default:
      return false;
  }
}

function constOf(spec: Spec, e: A.Expr): IrConst {
  const value = evalConst(e, spec.word, (n) => (spec.consts.has(n) ? spec.consts.get(n)!.value : 'unknown'));
  return e.type === 'NameRef' ? { value, name: e.name } : { value };
}

function view(spec: Spec, e: A.Expr, format: FormatDef): { field?: string; mask?: IrConst } | undefined {
  if (e.type === 'NameRef') {
    if (format.fields.has(e.name)) return { field: e.name };
    if (e.name === 'word') return {};
    return undefined;
  }
  if (e.type === 'Binary' && e.op === '&') {
    for (const [v, m] of [[e.left, e.right], [e.right, e.left]] as const) {
      const inner = view(spec, v, format);
      if (inner && inner.mask === undefined && isConst(spec, m, format)) return { ...inner, mask: constOf(spec, m) };
    }
  }
  return undefined;
}

function cond(spec: Spec, e: A.Expr, format: FormatDef): IrCond {
  switch (e.type) {
    case 'Binary': {
      if (e.op === '&&' || e.op === '||') {
        const k = e.op === '&&' ? 'all' : 'any';
        const items = [cond(spec, e.left, format), cond(spec, e.right, format)].flatMap((x) => (x.k === k ? x.items : [x]));
        return { k, items };
      }
      if (CMP.has(e.op)) {
        let op = e.op as '==' | '!=' | '<' | '<=' | '>' | '>=';
        let v = view(spec, e.left, format);
        let c = v && isConst(spec, e.right, format) ? e.right : undefined;
        if (!v || !c) {
          v = view(spec, e.right, format);
          c = v && isConst(spec, e.left, format) ? e.left : undefined;
          op = FLIP[op]!;
        }
        if (!v || !c) throw new NotCond();
        return { k: 'cmp', ...(v.field !== undefined ? { field: v.field } : {}), ...(v.mask ? { mask: v.mask } : {}), op, value: constOf(spec, c) };
      }
      break;
    }
    case 'Unary':
      if (e.op === '!') return { k: 'not', operand: cond(spec, e.operand, format) };
      break;
    case 'NameRef':
      if (format.fields.has(e.name)) return { k: 'cmp', field: e.name, op: '!=', value: { value: 0n } };
      if (e.name === 'word') return { k: 'cmp', op: '!=', value: { value: 0n } };
      if (spec.predicates.has(e.name)) return { k: 'pred', name: e.name };
      break;
    default:
      break;
  }
  throw new NotCond();
}
