// ptelab decode SPEC VALUE: which kind a PTE value is, and its fields.
import { classify, decodeFields } from '../../compiler/codec.js';
import { hex } from '../../compiler/describe.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, type CliIo } from '../io.js';
import { loadGoodSpec, parseValue } from './common.js';
import { bitRuler } from '../ruler.js';

export const decodeUsage = 'ptelab decode [--json] SPEC VALUE';

export function decodeCommand(argv: readonly string[], io: CliIo): number {
  const { flags, positionals } = parseArgs(argv, [], ['json']);
  if (positionals.length !== 2) throw new UsageError('decode needs SPEC and VALUE');
  const [file, text] = positionals as [string, string];
  const value = parseValue(text, 'VALUE');
  const c = loadGoodSpec(file, io);
  if (typeof c === 'number') return c;
  const { spec, sets } = c;
  if (value >= 1n << BigInt(spec.word)) {
    io.err(`ptelab: VALUE ${text} does not fit in the ${spec.word}-bit word\n`);
    return EXIT_USAGE;
  }
  const kind = classify(spec, sets, value);
  if (flags.has('json')) {
    const fields = kind ? Object.fromEntries([...decodeFields(spec, kind, value)].map(([k, v]) => [k, '0x' + v.toString(16)])) : {};
    io.out(JSON.stringify({ spec: spec.name, value: '0x' + value.toString(16), kind: kind ?? null, fields }, null, 2) + '\n');
    return kind ? EXIT_OK : EXIT_FINDINGS;
  }
  if (!kind) {
    io.out(`${hex(value, spec.word)} classifies as no kind of spec ${spec.name}\n`);
    return EXIT_FINDINGS;
  }
  const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
  io.out(`${hex(value, spec.word)} is kind '${kind}' (format ${format.name}) in spec ${spec.name}\n`);
  io.out(bitRuler(spec, format, value));
  return EXIT_OK;
}
