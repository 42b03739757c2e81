// resolve(files) -> Spec: flatten the extends chain (base first), bind names, lay out fields and swap types,
// evaluate constants. Name errors (unknown, duplicate, override of nothing) are reported here; the semantic checks
// run on the result.
import type * as A from '../grammar/ast.js';
import type { Range } from '../core/source.js';
import { ConstError, evalConst } from './const-eval.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type {
  CaseDef, ConstDef, DecisionDef, FieldDef, FnDef, FormatDef, KindDef, PathDef, PhysBit, PredicateDef, RefsDef, Spec,
  SwapGroupDef, SwapTable,
} from './model.js';

export interface ResolveResult {
  readonly spec: Spec;
  readonly diagnostics: readonly Diagnostic[];
}

const DEFAULT_WORD = 64;
const MAX_SHIFT = 32;

export function resolve(files: readonly A.SpecFile[]): ResolveResult {
  return new Resolver(files).run();
}

interface PendingConst {
  readonly name: string;
  readonly range: Range;
  readonly compute: () => bigint;
}

class Resolver {
  private readonly ds: Diagnostic[] = [];
  private word = DEFAULT_WORD;
  private readonly formatDecls = new Map<string, { decl: A.FormatDecl; spec: string }>();
  /** `override format F { ... }` deltas, in chain order: applied on top of F's declaration. */
  private readonly formatDeltas = new Map<string, A.FormatDecl[]>();
  /** Kinds a `remove kind` dropped (and no later layer declared again): their inherited cases and `means` go too. */
  private readonly removedKinds = new Set<string>();
  private readonly formats = new Map<string, FormatDef>();
  private readonly pendingConsts = new Map<string, PendingConst>();
  private readonly constValues = new Map<string, bigint | undefined>(); // undefined while being evaluated / failed
  /** Constants without a value because of an error reported elsewhere: uses of them report nothing more. */
  private readonly poisoned = new Set<string>();
  private readonly predicates = new Map<string, PredicateDef>();
  private readonly kinds = new Map<string, KindDef>();
  private kindCounter = 0;
  private readonly fns = new Map<string, FnDef>();
  private readonly decisions = new Map<string, DecisionDef>();
  private readonly paths = new Map<string, { def: PathDef; cases: CaseDef[] }>();
  /** Number of cases of each path that earlier layers (specs this one extends) contributed. */
  private inheritedCount = new Map<string, number>();

  constructor(private readonly files: readonly A.SpecFile[]) {}

  run(): ResolveResult {
    const entry = this.files[this.files.length - 1];
    if (!entry) throw new Error('resolve: no files');
    const header = entry.header;
    if (!header) {
      this.ds.push(diag('PTE005', startRange(entry), 'the spec has no header', "start the file with 'spec NAME \"description\"'"));
    }
    this.resolveWord();
    const swapEntries: { entry: A.SwapEntry; spec: string }[] = [];
    for (const f of this.files) {
      const specName = f.header?.name.name ?? f.file;
      // Cases written by earlier layers are what `override case` / `before case` in this layer refer to.
      this.inheritedCount = new Map([...this.paths].map(([k, v]) => [k, v.cases.length]));
      for (const item of f.items) {
        switch (item.type) {
          case 'FormatDecl':
            if (item.override) this.declareFormatDelta(item);
            else this.declareFormat(item, specName);
            break;
          case 'RemoveDecl':
            this.remove(item);
            break;
          case 'SwapDecl':
            for (const e of item.entries) swapEntries.push({ entry: e, spec: specName });
            break;
          case 'ConstDecl':
            this.declareConst(item.name.name, item.name.range, () => this.evalExpr(item.value));
            break;
          case 'PredicateDecl':
            this.declarePredicate(item);
            break;
          case 'KindDecl':
            this.declareKind(item);
            break;
          case 'FnDecl':
            this.declareFn(item);
            break;
          case 'DecisionDecl':
            this.declareDecision(item);
            break;
          case 'PathDecl':
            this.declarePath(item, specName);
            break;
          case 'WordDecl':
          case 'ImportDecl':
            break;
        }
      }
    }
    for (const [name, deltas] of this.formatDeltas) {
      if (!this.formatDecls.has(name)) {
        for (const d of deltas) this.ds.push(diag('PTE008', d.name.range, `'override format ${name}' changes nothing: no such format is inherited`, knownHint('formats', this.formatDecls.keys())));
      }
    }
    for (const name of this.formatDecls.keys()) this.formatFor(name, []);
    this.dropRemovedKindUses();
    const swap = this.resolveSwap(swapEntries);
    const consts = new Map<string, ConstDef>();
    for (const [name, p] of this.pendingConsts) {
      const v = this.constValue(name);
      if (v !== undefined) consts.set(name, { name, value: v, range: p.range });
    }
    this.checkPredicateAndKindRefs();
    const spec: Spec = {
      name: header?.name.name ?? 'unnamed',
      description: header?.description?.value ?? '',
      file: entry.file,
      chain: this.files.map((f) => f.file),
      ...(this.files.length > 1 ? { base: this.files[this.files.length - 2]!.header?.name.name ?? this.files[this.files.length - 2]!.file } : {}),
      word: this.word,
      headerRange: header?.range ?? startRange(entry),
      formats: this.formats,
      ...(swap ? { swap } : {}),
      consts,
      poisonedConsts: this.poisoned,
      predicates: this.predicates,
      kinds: this.kinds,
      fns: this.fns,
      decisions: this.decisions,
      paths: new Map([...this.paths].map(([k, v]) => [k, { ...v.def, cases: v.cases }])),
    };
    return { spec, diagnostics: this.ds };
  }

  // ------------------------------------------------------------------ word
  private resolveWord(): void {
    let found: A.WordDecl | undefined;
    for (const f of this.files) {
      for (const item of f.items) {
        if (item.type !== 'WordDecl') continue;
        const bits = Number(item.bits.value);
        if (!found) {
          if (bits < 1 || bits > 64) {
            this.ds.push(diag('PTE005', item.bits.range, `word size ${item.bits.value} is not between 1 and 64 bits`, 'PTEs are 64-bit on x86_64 and arm64: write `word 64`'));
          } else {
            this.word = bits;
          }
          found = item;
        } else if (item.bits.value !== found.bits.value) {
          this.ds.push(diag('PTE005', item.bits.range, `word size ${item.bits.value} differs from ${found.bits.value} declared earlier in the chain`, 'a proposal inherits the word size; drop this line', [{ range: found.range, message: 'declared here' }]));
        }
      }
    }
    if (!found) {
      const entry = this.files[this.files.length - 1]!;
      this.ds.push(diag('PTE005', entry.header?.range ?? startRange(entry), 'the spec does not declare its word size', 'add `word 64` after the header'));
    }
  }

  // ------------------------------------------------------------------ formats and fields
  private declareFormat(decl: A.FormatDecl, spec: string): void {
    const prev = this.formatDecls.get(decl.name.name);
    if (prev) {
      this.ds.push(diag('PTE003', decl.name.range, `format '${decl.name.name}' is already declared`, `write 'override format ${decl.name.name} { ... }' to move, resize, add, remove or rename its fields (every kind, predicate and fn on it follows)`, [{ range: prev.decl.name.range, message: 'first declared here' }]));
      return;
    }
    this.formatDecls.set(decl.name.name, { decl, spec });
  }

  private declareFormatDelta(decl: A.FormatDecl): void {
    if (decl.extends) {
      this.ds.push(diag('PTE008', decl.extends.range, `'override format ${decl.name.name}' changes its fields, not what it extends`, 'drop `extends ...` here; to base a format on another, declare a new format'));
    }
    const list = this.formatDeltas.get(decl.name.name) ?? [];
    list.push(decl);
    this.formatDeltas.set(decl.name.name, list);
  }

  private formatFor(name: string, stack: string[]): FormatDef | undefined {
    const done = this.formats.get(name);
    if (done) return done;
    const entry = this.formatDecls.get(name);
    if (!entry) return undefined;
    const { decl } = entry;
    if (stack.includes(name)) {
      this.ds.push(diag('PTE006', decl.name.range, `format '${name}' extends itself (${[...stack, name].join(' -> ')})`, 'break the cycle'));
      return undefined;
    }
    const fields = new Map<string, FieldDef>();
    if (decl.extends) {
      const base = this.formatFor(decl.extends.name, [...stack, name]);
      if (!base) {
        if (!stack.includes(decl.extends.name) && decl.extends.name !== name) {
          this.ds.push(diag('PTE002', decl.extends.range, `unknown format '${decl.extends.name}'`, knownHint('formats', this.formatDecls.keys())));
        }
      } else {
        for (const [k, v] of base.fields) fields.set(k, v);
      }
    }
    this.layoutMembers(decl.members, fields, name, undefined, new Set());
    // A delta is laid out over the fields as they stand: `override` moves or resizes a field wherever it was declared.
    for (const d of this.formatDeltas.get(name) ?? []) this.layoutMembers(d.members, fields, name, undefined, new Set());
    const def: FormatDef = { name, ...(decl.extends ? { base: decl.extends.name } : {}), fields, range: decl.range };
    this.formats.set(name, def);
    return def;
  }

  /** `declaredNow`: the fields this block of members declared (they do not move when an inherited field does). */
  private layoutMembers(members: readonly A.FieldMember[], fields: Map<string, FieldDef>, format: string, parent: FieldDef | undefined, declaredNow: Set<string>): void {
    for (const m of members) {
      if (m.type === 'SubFields') {
        const p = fields.get(m.parent.name);
        if (!p) {
          this.ds.push(diag('PTE002', m.parent.range, `format '${format}' has no field '${m.parent.name}' to subdivide`, knownHint('fields', fields.keys())));
          continue;
        }
        this.layoutMembers(m.members, fields, format, p, declaredNow);
        continue;
      }
      if (m.type === 'RemoveField') {
        this.removeField(fields, m, format);
        continue;
      }
      if (m.type === 'RenameField') {
        this.renameField(fields, m, format);
        continue;
      }
      const name = m.name.name;
      const existing = fields.get(name);
      const isOverride = m.type === 'BitField' && m.override;
      if (existing && !isOverride) {
        const inherited = existing.declaredIn !== format;
        this.ds.push(diag(inherited ? 'PTE008' : 'PTE003', m.name.range, inherited ? `field '${name}' is inherited from '${existing.declaredIn}'` : `field '${name}' is already declared in format '${format}'`, inherited ? `write 'override bit(s) ... ${name}' to replace it` : 'rename one of them, or use `alias` for a second name of the same bits', [{ range: existing.range, message: 'declared here' }]));
        continue;
      }
      if (isOverride && !existing) {
        this.ds.push(diag('PTE008', m.name.range, `'override' of field '${name}', which '${format}' does not inherit`, 'drop `override`'));
      }
      if (m.type === 'AliasField') {
        const target = fields.get(m.target.name);
        if (!target) {
          this.ds.push(diag('PTE002', m.target.range, `alias '${name}' names unknown field '${m.target.name}'`, knownHint('fields', fields.keys())));
          continue;
        }
        fields.set(name, { ...target, name, aliasOf: target.aliasOf ?? target.name, declaredIn: format, range: m.range });
        continue;
      }
      const lo = Number(m.lo.value);
      const hi = Number(m.hi.value);
      if (m.lo.value > m.hi.value) {
        this.ds.push(diag('PTE011', m.range, `bit range ${m.lo.value}..${m.hi.value} of '${name}' is empty`, 'write the low bit first: bits LO..HI'));
        continue;
      }
      let bits: PhysBit[];
      if (parent) {
        if (m.hi.value >= BigInt(parent.width)) {
          this.ds.push(diag('PTE013', m.range, `sub-field '${name}' (bits ${m.lo.value}..${m.hi.value}) lies outside '${parent.name}', which is ${parent.width} bits wide`, `sub-field bits are numbered within ${parent.name}'s value, 0..${parent.width - 1}`));
          continue;
        }
        bits = parent.bits.slice(lo, hi + 1).map((b) => ({ pos: b.pos, inverted: b.inverted !== m.inverted }));
      } else {
        if (m.hi.value >= BigInt(this.word)) {
          this.ds.push(diag('PTE011', m.range, `field '${name}' (bits ${m.lo.value}..${m.hi.value}) lies outside the ${this.word}-bit word`, `bits are numbered 0..${this.word - 1}`));
          continue;
        }
        bits = [];
        for (let i = lo; i <= hi; i++) bits.push({ pos: i, inverted: m.inverted });
      }
      const def: FieldDef = {
        name,
        bits,
        width: bits.length,
        inverted: parent ? parent.inverted !== m.inverted : m.inverted,
        ...(parent ? { parent: parent.name } : {}),
        declaredIn: format,
        range: m.range,
      };
      fields.set(name, def);
      declaredNow.add(name);
      if (existing && isOverride) this.moveSubFields(fields, existing, def, declaredNow);
    }
  }

  /** `remove F`: the field, the sub-fields inside it and the aliases of it go. */
  private removeField(fields: Map<string, FieldDef>, m: A.RemoveField, format: string): void {
    const f = fields.get(m.name.name);
    if (!f) {
      this.ds.push(diag('PTE009', m.name.range, `'remove ${m.name.name}': format '${format}' has no such field`, knownHint('fields', fields.keys())));
      return;
    }
    const gone = new Set([f.name]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const x of fields.values()) {
        if (gone.has(x.name)) continue;
        if ((x.parent && gone.has(x.parent)) || (x.aliasOf && gone.has(x.aliasOf))) {
          gone.add(x.name);
          grew = true;
        }
      }
    }
    for (const n of gone) fields.delete(n);
  }

  /** `rename OLD as NEW`: the same bits under another name; sub-fields and aliases follow. */
  private renameField(fields: Map<string, FieldDef>, m: A.RenameField, format: string): void {
    const f = fields.get(m.from.name);
    if (!f) {
      this.ds.push(diag('PTE009', m.from.range, `'rename ${m.from.name}': format '${format}' has no such field`, knownHint('fields', fields.keys())));
      return;
    }
    const clash = fields.get(m.to.name);
    if (clash) {
      this.ds.push(diag('PTE003', m.to.range, `'rename ${m.from.name} as ${m.to.name}': format '${format}' already has a field '${m.to.name}'`, `remove '${m.to.name}' first, or pick another name`, [{ range: clash.range, message: 'declared here' }]));
      return;
    }
    const from = f.name;
    const to = m.to.name;
    const next = new Map<string, FieldDef>();
    for (const [k, x] of fields) {
      const renamed: FieldDef = {
        ...x,
        ...(k === from ? { name: to, range: m.range } : {}),
        ...(x.parent === from ? { parent: to } : {}),
        ...(x.aliasOf === from ? { aliasOf: to } : {}),
      };
      next.set(k === from ? to : k, renamed);
    }
    fields.clear();
    for (const [k, x] of next) fields.set(k, x);
  }

  /**
   * An overridden field takes its inherited sub-fields and aliases along: sub-field bit i of the old field is bit i
   * of the new, and an alias names the new bits.
   */
  private moveSubFields(fields: Map<string, FieldDef>, old: FieldDef, now: FieldDef, declaredNow: ReadonlySet<string>): void {
    for (const [k, f] of fields) {
      if (f.aliasOf === old.name && !declaredNow.has(k)) {
        // An inherited alias names the field's bits, whatever they are now.
        fields.set(k, { ...now, name: f.name, aliasOf: now.name, declaredIn: f.declaredIn, range: f.range });
        continue;
      }
      if (f.parent !== old.name || declaredNow.has(k)) continue;
      const idx = f.bits.map((b) => old.bits.findIndex((o) => o.pos === b.pos));
      if (idx.some((i) => i < 0 || i >= now.width)) {
        this.ds.push(diag('PTE013', now.range, `overriding '${now.name}' leaves its inherited sub-field '${f.name}' outside it`, `re-declare '${f.name}' inside 'in ${now.name} { ... }', or keep ${now.name} at least ${Math.max(...idx) + 1} bits wide`));
        fields.delete(k);
        continue;
      }
      const bits = f.bits.map((b, j) => {
        const i = idx[j]!;
        return { pos: now.bits[i]!.pos, inverted: now.bits[i]!.inverted !== (b.inverted !== old.bits[i]!.inverted) };
      });
      fields.set(k, { ...f, bits, inverted: bits[0]?.inverted ?? false });
    }
  }

  // ------------------------------------------------------------------ swap types
  private resolveSwap(entries: readonly { entry: A.SwapEntry; spec: string }[]): SwapTable | undefined {
    if (entries.length === 0) return undefined;
    let shift: { value: number; range: Range } | undefined;
    const groups: { def: Omit<SwapGroupDef, 'types'> & { typeIdents: readonly A.Ident[] }; countExpr: A.Expr }[] = [];
    for (const { entry, spec } of entries) {
      const name = entry.name.name;
      if (entry.mode === 'remove' || !entry.value) {
        const at = groups.findIndex((x) => x.def.name === name);
        if (at < 0) {
          this.ds.push(diag('PTE009', entry.name.range, `'remove ${name}': no swap-type group '${name}' is inherited`, name === 'MAX_SWAPFILES_SHIFT' ? 'MAX_SWAPFILES_SHIFT cannot be removed; override it with `override MAX_SWAPFILES_SHIFT = n`' : knownHint('groups', groups.map((x) => x.def.name))));
        } else {
          groups.splice(at, 1);
        }
        continue;
      }
      if (name === 'MAX_SWAPFILES_SHIFT') {
        if (entry.types) {
          this.ds.push(diag('PTE024', entry.range, 'MAX_SWAPFILES_SHIFT takes a number, not a list of types'));
          continue;
        }
        const v = this.tryEval(entry.value);
        if (v === undefined) continue;
        // Swap types are numbered exactly as small integers; 32 is far beyond any TYPE field a PTE has room for.
        if (v < 1n || v > BigInt(Math.min(this.word, MAX_SHIFT))) {
          this.ds.push(diag('PTE024', entry.value.range, `MAX_SWAPFILES_SHIFT = ${v} is out of range (1..${Math.min(this.word, MAX_SHIFT)})`, 'Linux uses 5 (include/linux/swap.h)'));
          continue;
        }
        shift = { value: Number(v), range: entry.range };
        continue;
      }
      if (!entry.types) {
        this.ds.push(diag('PTE021', entry.range, `swap-type group '${name}' lists no types`, `write '${name} = n { TYPE_A, ... }' (a config option that is off is '${name} = 0 { }')`));
        continue;
      }
      const dupAt = groups.findIndex((g) => g.def.name === name);
      const dup = groups[dupAt];
      if (dup && entry.mode !== 'override') {
        this.ds.push(diag('PTE003', entry.name.range, `swap-type group '${name}' is already declared`, `write 'override ${name} = n { ... }' to replace it in place, or 'remove ${name}'`, [{ range: dup.def.range, message: 'declared here' }]));
        continue;
      }
      if (!dup && entry.mode === 'override') {
        this.ds.push(diag('PTE008', entry.name.range, `'override ${name}' replaces nothing: no such swap-type group is inherited`, `drop 'override' to add the group; ${knownHint('groups', groups.map((x) => x.def.name))}`));
      }
      const g = { def: { name, count: 0, range: entry.range, addedBy: spec, typeIdents: entry.types }, countExpr: entry.value };
      if (dup && !entry.before) {
        // An override keeps the group's place in the kernel's order (its types keep their relative numbering).
        groups[dupAt] = g;
        continue;
      }
      if (dup) groups.splice(dupAt, 1);
      if (entry.before) {
        const at = groups.findIndex((x) => x.def.name === entry.before!.name);
        if (at < 0) {
          this.ds.push(diag('PTE002', entry.before.range, `unknown swap-type group '${entry.before.name}'`, knownHint('groups', groups.map((x) => x.def.name))));
          groups.push(g);
        } else {
          groups.splice(at, 0, g);
        }
      } else {
        groups.push(g);
      }
    }
    if (!shift) {
      this.ds.push(diag('PTE024', entries[0]!.entry.range, 'the swap table does not set MAX_SWAPFILES_SHIFT', 'add `MAX_SWAPFILES_SHIFT = 5` (include/linux/swap.h)'));
      shift = { value: 5, range: entries[0]!.entry.range };
    }
    // Counts first (they may be written as constants), then numbering upwards from MAX_SWAPFILES.
    const counted = groups.map((g) => {
      const v = this.tryEval(g.countExpr);
      let count = v === undefined ? g.def.typeIdents.length : Number(v);
      if (v !== undefined && v !== BigInt(g.def.typeIdents.length)) {
        this.ds.push(diag('PTE021', g.countExpr.range, `${g.def.name} = ${v} but the group lists ${g.def.typeIdents.length} type(s)`, 'the count is the number of reserved types in the group; list one name per type'));
        count = g.def.typeIdents.length;
      }
      return { ...g, count };
    });
    const total = counted.reduce((s, g) => s + g.count, 0);
    const maxSwapfiles = 2 ** shift.value - total;
    this.declareConst('MAX_SWAPFILES_SHIFT', shift.range, () => BigInt(shift!.value));
    this.declareConst('MAX_SWAPFILES', shift.range, () => {
      // A negative budget is reported once, by the swap-budget check; here it only poisons the constant.
      if (maxSwapfiles < 0) throw new PoisonedConst();
      return BigInt(maxSwapfiles);
    });
    let next = maxSwapfiles;
    const defs: SwapGroupDef[] = [];
    for (const g of counted) {
      this.declareConst(g.def.name, g.def.range, () => BigInt(g.count));
      const types = g.def.typeIdents.map((t) => {
        const value = next++;
        this.declareConst(t.name, t.range, () => {
          if (value < 0) throw new PoisonedConst();
          return BigInt(value);
        });
        return { name: t.name, value, range: t.range };
      });
      const { typeIdents: _unused, ...rest } = g.def;
      defs.push({ ...rest, count: g.count, types });
    }
    return { shift: shift.value, shiftRange: shift.range, groups: defs, maxSwapfiles };
  }

  // ------------------------------------------------------------------ constants
  private declareConst(name: string, range: Range, compute: () => bigint): void {
    const prev = this.pendingConsts.get(name);
    if (prev) {
      this.ds.push(diag('PTE003', range, `constant '${name}' is already defined`, 'constants are defined once in the chain', [{ range: prev.range, message: 'defined here' }]));
      return;
    }
    this.pendingConsts.set(name, { name, range, compute });
  }

  private constValue(name: string): bigint | undefined {
    if (this.constValues.has(name)) return this.constValues.get(name);
    const p = this.pendingConsts.get(name);
    if (!p) return undefined;
    this.constValues.set(name, undefined); // marks "in progress": a self-reference reads undefined
    try {
      const v = p.compute();
      this.constValues.set(name, v);
      return v;
    } catch (e) {
      if (e instanceof PoisonedConst) {
        this.poisoned.add(name);
        return undefined;
      }
      if (e instanceof ConstError) {
        this.ds.push(e.diagnostic);
        return undefined;
      }
      throw e;
    }
  }

  private evalExpr(e: A.Expr): bigint {
    return evalConst(e, this.word, (n) => (this.pendingConsts.has(n) ? this.constValue(n) : 'unknown'));
  }

  private tryEval(e: A.Expr): bigint | undefined {
    try {
      return this.evalExpr(e);
    } catch (err) {
      if (err instanceof ConstError) {
        this.ds.push(err.diagnostic);
        return undefined;
      }
      throw err;
    }
  }

  // ------------------------------------------------------------------ removal
  private remove(d: A.RemoveDecl): void {
    const name = d.name.name;
    const table: Map<string, unknown> = d.what === 'kind' ? this.kinds : d.what === 'predicate' ? this.predicates : this.fns;
    if (!table.delete(name)) {
      this.ds.push(diag('PTE009', d.name.range, `'remove ${d.what} ${name}': no such ${d.what} is inherited`, knownHint(`${d.what}s`, table.keys())));
      return;
    }
    if (d.what === 'kind') this.removedKinds.add(name);
  }

  /** A removed kind takes its inherited handler cases and its place in `means` lists along. */
  private dropRemovedKindUses(): void {
    const gone = [...this.removedKinds].filter((k) => !this.kinds.has(k));
    if (gone.length === 0) return;
    for (const [name, p] of this.predicates) {
      const means = p.means.filter((m) => !gone.includes(m.name));
      if (means.length !== p.means.length) this.predicates.set(name, { ...p, means });
    }
    for (const p of this.paths.values()) {
      const kept = p.cases.filter((c) => !c.kind || !gone.includes(c.kind));
      p.cases.splice(0, p.cases.length, ...kept);
    }
  }

  // ------------------------------------------------------------------ predicates and kinds
  private declarePredicate(d: A.PredicateDecl): void {
    const name = d.name.name;
    const prev = this.predicates.get(name);
    if (prev && !d.override) {
      this.ds.push(diag('PTE008', d.name.range, `predicate '${name}' is already defined`, 'write `override predicate` to replace an inherited one', [{ range: prev.nameRange, message: 'defined here' }]));
      return;
    }
    if (!prev && d.override) {
      this.ds.push(diag('PTE008', d.name.range, `'override predicate ${name}' replaces nothing: no such predicate is inherited`, 'drop `override`'));
    }
    this.predicates.set(name, { name, format: d.format.name, body: d.body, means: d.means, range: d.range, nameRange: d.name.range, formatRange: d.format.range });
  }

  private declareKind(d: A.KindDecl): void {
    const name = d.name.name;
    const prev = this.kinds.get(name);
    if (prev && !d.override) {
      this.ds.push(diag('PTE008', d.name.range, `kind '${name}' is already defined`, 'write `override kind` to replace an inherited one', [{ range: prev.nameRange, message: 'defined here' }]));
      return;
    }
    if (!prev && d.override) {
      this.ds.push(diag('PTE008', d.name.range, `'override kind ${name}' replaces nothing: no such kind is inherited`, 'drop `override`'));
    }
    const refs = this.resolveRefs(d);
    this.kinds.set(name, {
      name,
      format: d.format.name,
      when: d.when,
      ...(refs ? { refs } : {}),
      range: d.range,
      nameRange: d.name.range,
      formatRange: d.format.range,
      index: prev ? prev.index : this.kindCounter++,
    });
  }

  private resolveRefs(d: A.KindDecl): RefsDef | undefined {
    const r = d.refs;
    if (!r) return undefined;
    const t = r.target.name;
    if (t === 'page' && r.args.length === 1) return { target: 'page', pfn: r.args[0]!.name, range: r.range };
    if (t === 'pfn' && r.args.length === 1) return { target: 'pfn', pfn: r.args[0]!.name, range: r.range };
    if (t === 'slot' && r.args.length === 2) return { target: 'slot', type: r.args[0]!.name, offset: r.args[1]!.name, range: r.range };
    this.ds.push(diag('PTE038', r.range, `'refs ${t}(${r.args.map((a) => a.name).join(', ')})' is not a reference form`, 'write `refs page(PFN_FIELD)` (maps the page), `refs pfn(FIELD)` (names a page without mapping it) or `refs slot(TYPE_FIELD, OFFSET_FIELD)`'));
    return undefined;
  }

  // ------------------------------------------------------------------ behaviour
  private declareFn(d: A.FnDecl): void {
    const name = d.name.name;
    const prev = this.fns.get(name);
    if (prev && !d.override) {
      this.ds.push(diag('PTE008', d.name.range, `fn '${name}' is already defined`, 'write `override fn` to replace an inherited one', [{ range: prev.nameRange, message: 'defined here' }]));
      return;
    }
    if (!prev && d.override) this.ds.push(diag('PTE008', d.name.range, `'override fn ${name}' replaces nothing`, 'drop `override`'));
    const seen = new Set<string>();
    for (const p of d.params) {
      if (seen.has(p.name.name)) this.ds.push(diag('PTE003', p.name.range, `parameter '${p.name.name}' appears twice`));
      seen.add(p.name.name);
    }
    this.fns.set(name, {
      name,
      params: d.params.map((p) => ({ name: p.name.name, type: p.paramType.name, range: p.range })),
      body: d.body,
      range: d.range,
      nameRange: d.name.range,
    });
  }

  private declareDecision(d: A.DecisionDecl): void {
    const name = d.name.name;
    const prev = this.decisions.get(name);
    if (prev && !d.override) {
      this.ds.push(diag('PTE008', d.name.range, `decision '${name}' is already defined`, 'write `override decision` to replace an inherited one', [{ range: prev.nameRange, message: 'defined here' }]));
      return;
    }
    if (!prev && d.override) this.ds.push(diag('PTE008', d.name.range, `'override decision ${name}' replaces nothing`, 'drop `override`'));
    this.decisions.set(name, { name, body: d.body, range: d.range, nameRange: d.name.range });
  }

  private declarePath(d: A.PathDecl, spec: string): void {
    const name = d.name.name;
    let entry = this.paths.get(name);
    if (!entry) {
      entry = { def: { name, cases: [], range: d.range }, cases: [] };
      this.paths.set(name, entry);
    }
    const cases = entry.cases;
    const inherited = () => this.inheritedCount.get(name) ?? 0;
    for (const c of d.cases) {
      if (c.kinds.length === 0) {
        this.declareDefault(name, cases, c, spec);
        continue;
      }
      // one CaseDef per distinct kind (a repeated kind is PTE054, reported by checks/case-kind-lists.ts)
      const written = c.kinds.map((k) => ({ name: k.name, range: k.range }));
      const distinct = written.filter((k, i) => written.findIndex((x) => x.name === k.name) === i);
      const group = written.length > 1 ? { written, kinds: distinct.map((k) => k.name) } : undefined;
      const defs: CaseDef[] = distinct.map((k) => ({
        kind: k.name,
        kindRange: k.range,
        ...(group ? { group } : {}),
        ...(c.binding ? { binding: c.binding.name } : {}),
        ...(c.guard ? { guard: c.guard } : {}),
        body: c.body,
        range: c.range,
        headRange: c.headRange,
        origin: spec,
      }));
      const inheritedOf = (kind: string): number => cases.findIndex((x, i) => i < inherited() && x.kind === kind);
      if (c.mode === 'append') {
        cases.push(...defs);
        continue;
      }
      if (c.mode === 'remove') {
        // every inherited case of each kind goes (its entries fall to later cases or the default)
        for (const k of distinct) {
          if (inheritedOf(k.name) < 0) {
            this.ds.push(diag('PTE009', k.range, `'remove case ${k.name}': path '${name}' inherits no case for kind '${k.name}'`, knownHint('kinds with a case here', new Set(cases.slice(0, inherited()).flatMap((x) => x.kind ?? [])))));
            continue;
          }
          for (let i = inherited() - 1; i >= 0; i--) {
            if (cases[i]!.kind === k.name) {
              cases.splice(i, 1);
              this.inheritedCount.set(name, inherited() - 1);
            }
          }
        }
        continue;
      }
      const firsts = distinct.map((k) => inheritedOf(k.name));
      if (c.mode === 'before') {
        const at = Math.min(...firsts.filter((i) => i >= 0));
        if (!Number.isFinite(at)) {
          this.ds.push(diag('PTE008', c.headRange, `'before case ${distinct.map((k) => k.name).join(', ')}': path '${name}' inherits no case for ${distinct.length > 1 ? 'any of these kinds' : `kind '${distinct[0]!.name}'`}`, 'drop `before` to append the case'));
          cases.push(...defs);
        } else {
          cases.splice(at, 0, ...defs);
          this.inheritedCount.set(name, inherited() + defs.length);
        }
        continue;
      }
      // override: the new case stands where the first inherited case of its kinds stood; the others of its kinds go.
      distinct.forEach((k, j) => {
        if (firsts[j]! >= 0) return;
        const replacedHere = cases.findIndex((x, i) => i >= inherited() && x.kind === k.name && x.origin === spec);
        if (replacedHere < 0) {
          this.ds.push(diag('PTE008', distinct.length > 1 ? k.range : c.headRange, `'override case ${k.name}': path '${name}' inherits no case for kind '${k.name}'`, distinct.length > 1 ? `list '${k.name}' in a case of its own without \`override\`` : 'drop `override` to append the case'));
        }
      });
      const present = firsts.filter((i) => i >= 0);
      if (present.length === 0) {
        cases.push(...defs);
        continue;
      }
      const anchor = cases[Math.min(...present)]!;
      const kinds = new Set(distinct.map((k) => k.name));
      let removed = 0;
      for (let i = inherited() - 1; i >= 0; i--) {
        if (cases[i] !== anchor && cases[i]!.kind !== undefined && kinds.has(cases[i]!.kind!)) {
          cases.splice(i, 1);
          removed++;
        }
      }
      cases.splice(cases.indexOf(anchor), 1, ...defs);
      this.inheritedCount.set(name, inherited() - removed + defs.length - 1);
    }
  }

  /**
   * `default`, `override default`, `remove default`. A path has at most one default: a second one in the same file
   * never runs, and a delta that wants another replaces or removes the inherited one (PTE008 otherwise).
   */
  private declareDefault(name: string, cases: CaseDef[], c: A.CaseDecl, spec: string): void {
    const inherited = this.inheritedCount.get(name) ?? 0;
    const at = cases.findIndex((x) => x.kind === undefined);
    const isInherited = at >= 0 && at < inherited;
    const def: CaseDef = { body: c.body, range: c.range, headRange: c.headRange, origin: spec };
    switch (c.mode) {
      case 'append':
        if (at >= 0) {
          const hint = isInherited
            ? `write \`override default { ... }\` to replace the inherited default (or \`remove default\` to drop it)`
            : 'a path has one default: merge the two';
          this.ds.push(diag('PTE008', c.headRange, `path '${name}' already has a default${isInherited ? ` (from ${cases[at]!.origin})` : ''}`, hint, [{ range: cases[at]!.headRange, message: 'the default' }]));
          return;
        }
        cases.push(def);
        return;
      case 'before':
        this.ds.push(diag('PTE008', c.headRange, `'before default': a default takes what no case took, wherever it stands`, 'drop `before`'));
        return;
      case 'override':
        if (!isInherited) {
          this.ds.push(diag('PTE008', c.headRange, at >= 0 ? `'override default': the default of path '${name}' is this file's own` : `'override default': path '${name}' inherits no default`, at >= 0 ? 'edit that default instead' : 'drop `override` to add a default'));
          if (at < 0) cases.push(def);
          return;
        }
        cases[at] = def; // in place: a default runs only for kinds no case took, so its position does not matter
        return;
      case 'remove':
        if (!isInherited) {
          this.ds.push(diag('PTE009', c.headRange, `'remove default': path '${name}' inherits no default`, 'drop the line'));
          return;
        }
        cases.splice(at, 1);
        this.inheritedCount.set(name, inherited - 1);
        return;
    }
  }

  /** Formats named by predicates and kinds exist; refs name fields of the kind's format. */
  private checkPredicateAndKindRefs(): void {
    for (const p of this.predicates.values()) {
      if (!this.formats.has(p.format)) {
        this.ds.push(diag('PTE002', p.formatRange, `predicate '${p.name}' is on unknown format '${p.format}'`, knownHint('formats', this.formats.keys())));
      }
      for (const m of p.means) {
        if (!this.kinds.has(m.name)) this.ds.push(diag('PTE002', m.range, `'means' names unknown kind '${m.name}'`, knownHint('kinds', this.kinds.keys())));
      }
    }
    for (const k of this.kinds.values()) {
      const f = this.formats.get(k.format);
      if (!f) {
        this.ds.push(diag('PTE002', k.formatRange, `kind '${k.name}' has unknown format '${k.format}'`, knownHint('formats', this.formats.keys())));
        continue;
      }
      const r = k.refs;
      if (!r) continue;
      const names = r.target === 'slot' ? [r.type, r.offset] : [r.pfn];
      for (const n of names) {
        if (!f.fields.has(n)) this.ds.push(diag('PTE038', r.range, `'refs' names '${n}', which is not a field of format '${k.format}'`, knownHint('fields', f.fields.keys())));
      }
    }
  }
}

/** A constant whose value is meaningless because of an error reported elsewhere (no second diagnostic). */
class PoisonedConst extends Error {}

function startRange(f: A.SpecFile): Range {
  const p = { offset: 0, line: 1, column: 1 };
  return { file: f.file, start: p, end: { offset: 1, line: 1, column: 2 } };
}

/** "known formats: a, b, c" — a hint that names what is there (sorted, capped). */
export function knownHint(what: string, names: Iterable<string>): string {
  const list = [...names].sort();
  if (list.length === 0) return `no ${what} are declared`;
  const shown = list.slice(0, 12).join(', ');
  return `known ${what}: ${shown}${list.length > 12 ? ', ...' : ''}`;
}
