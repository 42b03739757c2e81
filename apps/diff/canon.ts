// A canonical form of IR bodies for comparing them structurally: spec lines dropped, locals renamed by binding
// order, constants by name. (The IR printer is compiler/ir/print.ts.)
import type { IrExpr, IrStmt } from '../../compiler/ir/types.js';
import { ty } from '../../compiler/ir/print.js';

// ---------------------------------------------------------------------------------------------------------- canonical

/**
 * A string equal for two bodies exactly when they are the same IR up to spec lines, the names of locals (the `as`
 * binding, `let`s and fn parameters are numbered in binding order), the values of named constants and the formats
 * values are read through. Constants compare by name and PTE values by field name, not by layout: a body is
 * "changed" when its logic is, while a changed constant, bit position or kind format is reported once, in the
 * layout, swap or classification section, instead of in every body that reads it (the generic mm handlers shared
 * by x86_64 and arm64 are then the same on both).
 */
export class Canon {
  private readonly names = new Map<string, string>();
  private next = 0;

  bind(name: string | undefined): void {
    if (name !== undefined) this.names.set(name, `$${this.next++}`);
  }

  expr(e: IrExpr): string {
    return JSON.stringify(this.norm(e));
  }

  stmts(list: readonly IrStmt[]): string {
    return JSON.stringify(this.normStmts(list));
  }

  private normStmts(list: readonly IrStmt[]): unknown[] {
    const saved = new Map(this.names);
    const out = list.map((s) => this.normStmt(s));
    // Block scope: a `let` inside a branch does not rename uses after the branch.
    this.names.clear();
    for (const [k, v] of saved) this.names.set(k, v);
    return out;
  }

  private normStmt(s: IrStmt): unknown {
    switch (s.s) {
      case 'set':
      case 'copy':
        return [s.s, this.norm(s.value)];
      case 'clear':
      case 'keep':
      case 'retry':
      case 'return':
        return [s.s];
      case 'let': {
        const v = this.norm(s.value);
        this.bind(s.name);
        return ['let', this.names.get(s.name), v];
      }
      case 'if':
        return ['if', this.norm(s.cond), this.normStmts(s.then), this.normStmts(s.else)];
      case 'call':
        return ['call', s.path, s.args.map((a) => [a.name, this.norm(a.value)])];
      case 'outcome':
        return ['outcome', s.outcome];
      case 'warn':
        return ['warn', s.message];
      case 'do':
        return ['do', this.norm(s.expr)];
    }
  }

  private norm(e: IrExpr): unknown {
    switch (e.k) {
      case 'int':
        return ['int', e.value.toString()];
      case 'bool':
        return ['bool', e.value];
      case 'const':
        return ['const', e.name];
      case 'local':
        return ['local', this.names.get(e.name) ?? e.name, ty(e.ty)];
      case 'field':
        return ['field', this.norm(e.base), e.field];
      case 'with':
        return ['with', this.norm(e.base), e.sets.map((s) => [s.field, this.norm(s.value)])];
      case 'make':
        return ['make', e.kind, e.sets.map((s) => [s.field, this.norm(s.value)])];
      case 'ctx':
        return ['ctx', e.object, e.prop];
      case 'arg':
        return ['arg', e.name];
      case 'prim':
      case 'fn':
        return [e.k, e.name, e.args.map((x) => this.norm(x)), ty(e.ty)];
      case 'pred':
        return ['pred', e.name, this.norm(e.arg)];
      case 'counter':
      case 'pmflag':
        return [e.k, e.name];
      case 'truthy':
      case 'toInt':
        return [e.k, this.norm(e.operand)];
      case 'unary':
        return ['unary', e.op, this.norm(e.operand), ty(e.ty)];
      case 'binary':
        return ['binary', e.op, this.norm(e.left), this.norm(e.right), ty(e.ty)];
    }
  }
}

