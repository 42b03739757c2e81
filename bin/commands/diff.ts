// ptelab diff [--format text|markdown|json] [--behaviour] A B: two designs compared exactly, section by section
// (docs/diff.md). Exit 0: no differences; 1: differences (or a spec with errors); 2: usage or I/O error.
import { behaviourDiff } from '../../apps/diff/behaviour.js';
import { diffSpecs } from '../../apps/diff/diff.js';
import { renderDiffJson } from '../../apps/diff/render-json.js';
import { renderDiffMarkdown } from '../../apps/diff/render-markdown.js';
import { renderDiffText } from '../../apps/diff/render-text.js';
import { diffSide } from '../../apps/diff/side.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, colorOn, type CliIo, type CommandArgs } from '../io.js';
import { loadGoodSpec } from './common.js';


const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export async function diffCommand({ flags, positionals }: CommandArgs, io: CliIo): Promise<number> {
  const format = (flags.get('format') ?? 'text') as string;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (positionals.length !== 2) throw new UsageError(`diff needs exactly two specs, A and B (got ${positionals.length})`);
  const [fileA, fileB] = positionals as [string, string];
  // Both specs are loaded (and both sets of diagnostics shown) before giving up on either.
  const ca = await loadGoodSpec(fileA, io);
  const cb = await loadGoodSpec(fileB, io);
  if (!ca.ok || !cb.ok) return Math.max(ca.ok ? 0 : ca.error, cb.ok ? 0 : cb.error);
  const a = diffSide(ca.value);
  const b = diffSide(cb.value);
  const behaviour = flags.has('behaviour') ? { requested: true as const, ...(await withResult(behaviourDiff(a, b))) } : undefined;
  const d = diffSpecs(a, b, behaviour ? { behaviour } : {});
  const render: Record<Format, () => string> = {
    text: () => renderDiffText(d, { color: colorOn(io, 'out') }),
    markdown: () => renderDiffMarkdown(d),
    json: () => renderDiffJson(d),
  };
  io.out(render[format as Format]());
  return d.differs ? EXIT_FINDINGS : EXIT_OK;
}

async function withResult<T>(p: Promise<T | undefined>): Promise<{ result?: T }> {
  const r = await p;
  return r === undefined ? {} : { result: r };
}
