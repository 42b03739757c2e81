// ptelab encode SPEC KIND FIELD=VALUE...: the PTE value of a kind with the given fields. Naming a kind or field the
// spec does not have, or a value wider than its field, is a usage error (2); fields no value of the kind can have
// together are a finding (1).
import { encode } from '../../compiler/codec.js';
import { hex } from '../../compiler/describe.js';
import { knownHint } from '../../compiler/resolve.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec, parseValue, selectLevel } from './common.js';
import { bitRuler } from '../ruler.js';

export async function encodeCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length < 2) throw new UsageError('encode needs SPEC and KIND');
  const [file, kind, ...assignments] = positionals as [string, string, ...string[]];
  const fields = new Map<string, bigint>();
  for (const a of assignments) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a);
    if (!m) throw new UsageError(`'${a}' is not FIELD=VALUE`);
    fields.set(m[1]!, parseValue(m[2]!, m[1]!));
  }
  const good = await loadGoodSpec(file, io);
  if (!good.ok) return good.error;
  const c = good.value;
  const { spec, sets, level } = selectLevel(c, flags.get('level'));
  if (!spec.kinds.has(kind)) {
    io.err(`ptelab: spec ${spec.name} has no kind '${kind}'${level !== 'pte' ? ` at the ${level} level` : ''} (${knownHint('kinds', spec.kinds.keys())})\n`);
    return EXIT_USAGE;
  }
  const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
  for (const [name, v] of fields) {
    const f = format.fields.get(name);
    if (!f) {
      io.err(`ptelab: kind '${kind}' (format ${format.name}) has no field '${name}' (${knownHint('fields', format.fields.keys())})\n`);
      return EXIT_USAGE;
    }
    if (v >= 1n << BigInt(f.width)) {
      io.err(`ptelab: ${name} = 0x${v.toString(16)} does not fit in its ${f.width} bit(s)\n`);
      return EXIT_USAGE;
    }
  }
  const r = encode(spec, sets, kind, fields);
  if (!r.ok) {
    io.err(`ptelab: ${r.error}\n`);
    return EXIT_FINDINGS;
  }
  if (flags.has('json')) {
    io.out(JSON.stringify({ value: '0x' + r.value.toString(16) }) + '\n');
    return EXIT_OK;
  }
  io.out(`${hex(r.value, spec.word)}  kind '${kind}' (format ${format.name})\n`);
  io.out(bitRuler(spec, format, r.value));
  return EXIT_OK;
}
