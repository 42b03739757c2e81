// What the report tests share: temporary directories, the bundled specs they report on, hostile spec and scenario
// text (a spec is untrusted data: its strings must reach a page as text, never as markup), and page scanners.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/repo.js';
import { X86 } from '../../helpers.js';

/** A kernel spec and a proposal that extends another kernel spec (its page has a diff). */
export const KERNEL = 'examples/x86_64-v6.17.pte';
export const PROPOSAL = 'examples/proposals/hugh-swap-marker.pte';
/** What PROPOSAL extends (`spec hugh_swap_marker extends "../x86_64-v5.10.pte"`). */
export const PROPOSAL_BASE = 'examples/x86_64-v5.10.pte';

/** A fresh directory under the system temp dir; removeAll() deletes every one made. */
const made: string[] = [];
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `ptelab-${prefix}-`));
  made.push(d);
  return d;
}
export function removeAll(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Markup a hostile spec or scenario would like to get into the page. */
export const EVIL_DESCRIPTION = `<script>alert("desc")</script> </code><img src=x onerror=alert(1)> & 'single' "double"`;
export const EVIL_SCENARIO = '<script>alert("scenario")</script><b onmouseover=alert(2)>x</b>';
export const EVIL_FROM = '<iframe src="https://example.invalid/"></iframe>';

/** `text` (a spec starting with its header line) with its description replaced by `description`. */
function withDescription(text: string, description: string): string {
  const [head, ...rest] = text.split('\n');
  const m = /^spec (\w+)(?: extends "[^"]*")?/.exec(head!);
  if (!m) throw new Error(`not a spec header: ${head}`);
  return [`${m[0]} ${JSON.stringify(description)}`, ...rest].join('\n');
}

/**
 * Hostile files in `dir`: `<i>x86.pte` (the small X86 test spec with EVIL_DESCRIPTION, a file name with markup), and
 * `<i>proposal.pte`, a proposal that extends the bundled KERNEL by a relative path and carries the same description.
 */
export function writeEvilSpecs(dir: string): { kernel: string; proposal: string } {
  const kernel = path.join(dir, '<i>x86.pte');
  fs.writeFileSync(kernel, withDescription(X86, EVIL_DESCRIPTION));
  const proposal = path.join(dir, '<i>proposal.pte');
  const base = path.relative(dir, path.join(repoRoot, KERNEL)).split(path.sep).join('/');
  fs.writeFileSync(proposal, `spec evil_proposal extends ${JSON.stringify(base)} ${JSON.stringify(EVIL_DESCRIPTION)}\n`);
  return { kernel, proposal };
}

/** A scenario root (examples/scenarios/ under it) with one scenario whose name and source are hostile. */
export function writeEvilScenarioRoot(dir: string): string {
  const scenarios = path.join(dir, 'examples', 'scenarios');
  fs.mkdirSync(scenarios, { recursive: true });
  fs.writeFileSync(
    path.join(scenarios, 'evil.scn'),
    [
      `scenario ${JSON.stringify(EVIL_SCENARIO)} from ${JSON.stringify(EVIL_FROM)} {`,
      '  file F pages 1',
      '  mm A { map F shared at 0 }',
      '  A write 0 = 1',
      '  A read 0 -> 1',
      '  A exit',
      '}',
      '',
    ].join('\n'),
  );
  return dir;
}

/** Every value of a `src`, `href`, `xlink:href`, `srcset`, `action`, `poster` or `data` attribute in `html`. */
export function urlAttributes(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|xlink:href|srcset|action|poster|data|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map(
    (m) => m[2] ?? m[3] ?? m[4] ?? '',
  );
}

/** The ids of the page's top-level sections, in document order. */
export function sectionIds(html: string): string[] {
  return [...html.matchAll(/<section id="([^"]*)">/g)].map((m) => m[1]!);
}

/** Every `id="..."` in the page. */
export function ids(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!));
}

/** The text of every <script> element (the page should have exactly one, ours). */
export function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
}

export { repoRoot };
