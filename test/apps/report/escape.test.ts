// A spec is untrusted data: its name, description and file name, and the scenarios' names and sources, reach a report
// page as text only. These tests build a report from hostile inputs and check that no markup of theirs survives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchor, esc, page, pageHref } from '../../../apps/report/html.js';
import { cells, inline, markdownToHtml } from '../../../apps/report/markdown.js';
import { buildReport, writeReport, type Report } from '../../../apps/report/report.js';
import { EVIL_DESCRIPTION, EVIL_FROM, EVIL_SCENARIO, removeAll, scripts, tempDir, writeEvilScenarioRoot, writeEvilSpecs } from './fixtures.js';

/** Every element the renderer writes (HTML and the layout SVG's); anything else in a page came from the data. */
const RENDERER_TAGS = new Set(
  ('html head meta title style body script header main footer nav section details summary h1 h2 h3 h4 h5 h6 p a code pre span div ' +
    'table colgroup col thead tbody tr th td dl dt dd ul li strong br button svg g defs pattern rect line path text tspan').split(' '),
);

function tags(html: string): Set<string> {
  return new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
}

function unescapeHtml(s: string): string {
  return s.replace(/&(lt|gt|quot|#39|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", amp: '&' })[e]!);
}

describe('esc', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(esc(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('turns control characters into U+FFFD and keeps tabs, newlines and other text', () => {
    expect(esc('a\u0000b\u001bc\u007fd\te\nf é 😀')).toBe('a\ufffdb\ufffdc\ufffdd\te\nf é 😀');
  });

  it('anchors and page links carry no markup whatever the name', () => {
    expect(anchor('case', '"><script>', 3)).toBe('case-___script_-3');
    expect(pageHref('<i>x"y')).toBe('%3Ci%3Ex%22y.html');
  });

  it('the page title is text', () => {
    const html = page('</title><script>alert(1)</script>', '<p>body</p>');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(scripts(html)).toHaveLength(1);
  });
});

describe('the diff markdown as HTML', () => {
  it('escapes text, code spans and table cells, keeping only its own markup', () => {
    expect(inline('<b>x</b> `<i>` **<u>**')).toBe('&lt;b&gt;x&lt;/b&gt; <code>&lt;i&gt;</code> <strong>&lt;u&gt;</strong>');
    expect(cells('| `a \\| b` | <c> |')).toEqual(['`a | b`', '<c>']);
    const html = markdownToHtml('# <h>\n\n| k | v |\n| --- | ---: |\n| `<x>` | <y> |\n\n```diff\n+<ins>\n-<del>\n```\n\n```<bad>\n```\n');
    expect(html).toContain('<h1>&lt;h&gt;</h1>');
    expect(html).toContain('<td><code>&lt;x&gt;</code></td><td class="num">&lt;y&gt;</td>');
    expect(html).toContain('<span class="add">+&lt;ins&gt;</span><span class="del">-&lt;del&gt;</span>');
    expect(tags(html)).toEqual(new Set(['h1', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'span', 'p']));
  });
});

describe('a report from hostile specs and scenarios', () => {
  let report: Report;
  let dir = '';
  let kernelFile = '';

  beforeAll(async () => {
    dir = tempDir('report-evil');
    const { kernel, proposal } = writeEvilSpecs(dir);
    kernelFile = kernel;
    const root = writeEvilScenarioRoot(tempDir('report-evil-root'));
    report = await buildReport([kernel, proposal], { exploreDepth: 0, root });
  }, 60_000);

  afterAll(removeAll);

  it('the hostile specs were read and their pages have every section', () => {
    expect(report.specs.map((s) => s.name)).toEqual(['x86', 'evil_proposal']);
    expect(report.specs.map((s) => s.description)).toEqual([EVIL_DESCRIPTION, EVIL_DESCRIPTION]);
    for (const s of report.specs) {
      expect(s.ok, s.diagnostics.map((d) => d.message).join('\n')).toBe(true);
      expect(s.scenarios.available && s.scenarios.files[0]!.scenarios[0]!.name).toBe(EVIL_SCENARIO);
      expect(s.scenarios.available && s.scenarios.files[0]!.scenarios[0]!.from).toBe(EVIL_FROM);
    }
    expect(report.specs[1]!.diff?.available).toBe(true);
  });

  it('no element in any page that the renderer does not write itself', () => {
    for (const [name, html] of report.pages) {
      const extra = [...tags(html)].filter((t) => !RENDERER_TAGS.has(t));
      expect(extra, name).toEqual([]);
      expect(scripts(html), name).toHaveLength(1);
      // No event-handler attribute inside any tag (the hostile text holds ` onerror=`, as text between tags).
      expect(html, name).not.toMatch(/<[a-zA-Z][^<>]*\son[a-z]+\s*=/);
      expect(html, name).not.toContain('https://example.invalid/"');
    }
  });

  it('the description reads back as the spec wrote it, in the header, the index and the diagram', () => {
    const html = report.pages.get('<i>x86.html')!;
    const desc = /<p class="desc">([^<]*)<\/p>/.exec(html)![1]!;
    expect(unescapeHtml(desc)).toBe(EVIL_DESCRIPTION);
    const svgDesc = [...html.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => unescapeHtml(m[1]!).trim());
    expect(svgDesc).toContain(EVIL_DESCRIPTION);
    const index = report.pages.get('index.html')!;
    expect([...index.matchAll(/<td class="small">([^<]*)<\/td>/g)].map((m) => unescapeHtml(m[1]!))).toEqual([EVIL_DESCRIPTION, EVIL_DESCRIPTION]);
  });

  it('scenario names and sources read back as written', () => {
    for (const s of report.specs) {
      const html = report.pages.get(`${s.page}.html`)!;
      const scn = html.slice(html.indexOf('<section id="scenarios">'), html.indexOf('<section id="explore">'));
      expect(scn).toContain(`<div>${esc(EVIL_SCENARIO)}</div>`);
      expect(scn).toContain(`<div class="small muted">from ${esc(EVIL_FROM)}</div>`);
    }
  });

  it('file names with markup: escaped in text, percent-encoded in links, written as named', () => {
    const index = report.pages.get('index.html')!;
    expect(index).toContain('<a href="%3Ci%3Ex86.html">x86</a>');
    expect(index).toContain(`<td class="mono small">${esc(kernelFile)}</td>`);
    const out = tempDir('report-evil-out');
    const written = writeReport(out, report.pages).map((f) => path.basename(f));
    expect(written).toEqual(['<i>proposal.html', '<i>x86.html', 'index.html']);
    expect(fs.readFileSync(path.join(out, '<i>x86.html'), 'utf8')).toBe(report.pages.get('<i>x86.html'));
  });

  it('an unreadable spec with markup in its name gets an escaped page', async () => {
    const r = await buildReport([path.join(dir, '<script>gone.pte')], { exploreDepth: 0 });
    const html = r.pages.get('<script>gone.html')!;
    expect(r.specs[0]!.ioError).toBeDefined();
    expect(scripts(html)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;gone.pte');
  });
});
