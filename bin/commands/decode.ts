// ptelab decode SPEC VALUE...|-: which kind each PTE value is, and its fields. `-` reads one value per line from
// stdin (blank lines and `#` comments skipped), so a thousand values cost one start-up, not a thousand. --json
// prints one JSON object per line (JSON lines), in input order.
import { classify, decodeFields } from '../../compiler/codec.js';
import { hex } from '../../compiler/describe.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec, parseValue, selectLevel } from './common.js';
import { bitRuler } from '../ruler.js';

export async function decodeCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  if (positionals.length < 2) throw new UsageError('decode needs SPEC and at least one VALUE (or - to read values from stdin)');
  const [file, ...texts] = positionals as [string, ...string[]];
  const values = await readValues(texts, io);
  const good = await loadGoodSpec(file, io);
  if (!good.ok) return good.error;
  const c = good.value;
  const { spec, sets, level } = selectLevel(c, flags.get('level'));
  const json = flags.has('json');
  for (const { text } of values) {
    if (parseValue(text, 'VALUE') >= 1n << BigInt(spec.word)) throw new UsageError(`VALUE ${text} does not fit in the ${spec.word}-bit word of spec ${spec.name}`);
  }
  let code = EXIT_OK;
  values.forEach(({ text }, i) => {
    const value = parseValue(text, 'VALUE');
    const kind = classify(spec, sets, value);
    if (!kind) code = EXIT_FINDINGS;
    if (json) {
      const fields = kind ? Object.fromEntries([...decodeFields(spec, kind, value)].map(([k, v]) => [k, '0x' + v.toString(16)])) : {};
      // The same shape at every level; `level` only when it is not the PTE's, so PTE output is as it always was.
      io.out(JSON.stringify({ spec: spec.name, ...(level !== 'pte' ? { level } : {}), value: '0x' + value.toString(16), kind: kind ?? null, fields }) + '\n');
      return;
    }
    if (i > 0) io.out('\n');
    if (!kind) {
      io.out(`${hex(value, spec.word)} classifies as no kind of spec ${spec.name}${level !== 'pte' ? ` at the ${level} level` : ''}\n`);
      return;
    }
    const format = spec.formats.get(spec.kinds.get(kind)!.format)!;
    io.out(`${hex(value, spec.word)} is kind '${kind}' (format ${format.name}) in spec ${spec.name}${level !== 'pte' ? `, ${level} level` : ''}\n`);
    io.out(bitRuler(spec, format, value));
  });
  return code;
}

/** The values as written, each checked to be a number before any spec is loaded. */
async function readValues(texts: readonly string[], io: CliIo): Promise<{ text: string }[]> {
  const out: { text: string }[] = [];
  for (const t of texts) {
    if (t !== '-') {
      parseValue(t, 'VALUE');
      out.push({ text: t });
      continue;
    }
    if (!io.stdin) throw new UsageError('- reads values from stdin, which this caller does not provide');
    const lines = (await io.stdin()).split(/\r?\n/);
    lines.forEach((line, i) => {
      const v = line.replace(/#.*/, '').trim();
      if (v === '') return;
      try {
        parseValue(v, 'VALUE');
      } catch (e) {
        throw new UsageError(`stdin line ${i + 1}: ${(e as Error).message}`);
      }
      out.push({ text: v });
    });
  }
  return out;
}
