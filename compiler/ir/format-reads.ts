// Which fields an arch helper (fn) or a predicate reads or writes through one of its PTE parameters, transitively.
// A value of one format passed where another format is declared is read at the declared format's bit positions:
// when the two formats place one of those fields differently, the helper silently reads the wrong bits (a
// half-applied layout change: kinds moved to a new format, helpers left on the old one). PTE047 is built on this.
import type * as A from '../../grammar/ast.js';
import { walkExpr } from '../../grammar/visit.js';
import type { FieldDef, Spec } from '../model.js';

export class FormatReads {
  private readonly memo = new Map<string, ReadonlySet<string>>();

  constructor(private readonly spec: Spec) {}

  /** Fields of the declared format that fn `name` touches through its parameter number `index`. */
  fnParam(name: string, index: number): ReadonlySet<string> {
    const key = `${name}#${index}`;
    const done = this.memo.get(key);
    if (done) return done;
    const out = new Set<string>();
    this.memo.set(key, out); // a recursive fn is its own error (PTE045); the partial set ends the walk
    const fn = this.spec.fns.get(name);
    const param = fn?.params[index];
    if (fn && param) this.walk(fn.body, param.name, out);
    return out;
  }

  /** Fields of its own format that predicate `name` reads (directly: nested predicates are sets of whole words). */
  predicate(name: string): ReadonlySet<string> {
    const key = `pred:${name}`;
    const done = this.memo.get(key);
    if (done) return done;
    const out = new Set<string>();
    const p = this.spec.predicates.get(name);
    const fields = p ? this.spec.formats.get(p.format)?.fields : undefined;
    if (p && fields) namesIn(p.body, (n) => fields.has(n) && out.add(n));
    this.memo.set(key, out);
    return out;
  }

  /** The fields `e` touches through `param`: `param.F`, `param with { F = .. }`, and what helpers it is passed to touch. */
  private walk(e: A.Expr, param: string, out: Set<string>): void {
    const rooted = (x: A.Expr): boolean => (x.type === 'NameRef' && x.name === param) || (x.type === 'With' && rooted(x.base));
    walkExpr(e, (x) => {
      if (x.type === 'Member' && x.object.type === 'NameRef' && x.object.name === param) out.add(x.property.name);
      else if (x.type === 'With' && rooted(x.base)) for (const f of x.fields) out.add(f.name.name);
      else if (x.type === 'Call') {
        const callee = x.callee.name;
        x.args.forEach((a, i) => {
          if (!rooted(a.value)) return;
          if (this.spec.fns.has(callee)) for (const f of this.fnParam(callee, i)) out.add(f);
          else if (this.spec.predicates.has(callee)) for (const f of this.predicate(callee)) out.add(f);
        });
      }
    });
  }
}

function namesIn(e: A.Expr, visit: (name: string) => void): void {
  walkExpr(e, (x) => x.type === 'NameRef' && visit(x.name));
}

/** "bit 10", "bits 12..51 inverted": where a field sits, as a user reads it. */
export function placement(f: FieldDef | undefined): string {
  if (!f) return 'absent';
  const pos = f.bits.map((b) => b.pos);
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  return `${lo === hi ? `bit ${lo}` : `bits ${lo}..${hi}`}${f.inverted ? ' inverted' : ''}`;
}

export function samePlacement(a: FieldDef | undefined, b: FieldDef | undefined): boolean {
  if (!a || !b) return a === b;
  return a.bits.length === b.bits.length && a.bits.every((x, i) => x.pos === b.bits[i]!.pos && x.inverted === b.bits[i]!.inverted);
}
