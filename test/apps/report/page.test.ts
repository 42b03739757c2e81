// The report's pages as HTML (compiler/report/render.ts, html.ts): the sections of a page and their order, links that
// stay inside the report, nothing loaded from the network at view time, and the same bytes from the same inputs.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../../apps/report/html.js';
import { buildReport, writeReport, type Report } from '../../../apps/report/report.js';
import { ids, KERNEL, PROPOSAL, PROPOSAL_BASE, removeAll, scripts, sectionIds, tempDir, urlAttributes } from './fixtures.js';

let report: Report;
const pageOf = (name: string): string => {
  const html = report.pages.get(name);
  if (html === undefined) throw new Error(`no page ${name} (have ${[...report.pages.keys()].join(', ')})`);
  return html;
};

beforeAll(async () => {
  // The proposal's base is in the same report: its page links to the base's.
  report = await buildReport([KERNEL, PROPOSAL, PROPOSAL_BASE], { exploreDepth: 2 });
}, 120_000);

afterAll(removeAll);

describe('pages', () => {
  it('one page per spec, named by the spec file, and an index', () => {
    expect([...report.pages.keys()].sort()).toEqual(['hugh-swap-marker.html', 'index.html', 'x86_64-v5.10.html', 'x86_64-v6.17.html']);
  });

  it('a kernel spec page: layout, diagnostics, swap budget, handlers, scenarios, explore, in that order', () => {
    expect(sectionIds(pageOf('x86_64-v6.17.html'))).toEqual(['layout', 'diagnostics', 'swap', 'handlers', 'scenarios', 'explore']);
  });

  it('a proposal page ends with the diff against its base, linked to the base page', () => {
    const html = pageOf('hugh-swap-marker.html');
    expect(sectionIds(html)).toEqual(['layout', 'diagnostics', 'swap', 'handlers', 'scenarios', 'explore', 'diff']);
    const diff = html.slice(html.indexOf('<section id="diff">'));
    expect(diff).toContain('<a href="x86_64-v5.10.html">its report</a>');
    // The diff's markdown is rendered: its tables became HTML tables.
    expect(diff).toMatch(/<table>\n<thead><tr><th>/);
    expect(diff).not.toMatch(/^\|/m);
  });

  it('the navigation lists exactly the sections of the page', () => {
    for (const name of ['x86_64-v6.17.html', 'hugh-swap-marker.html']) {
      const html = pageOf(name);
      const nav = /<nav>([\s\S]*?)<\/nav>/.exec(html)![1]!;
      expect([...nav.matchAll(/href="#([^"]*)"/g)].map((m) => m[1])).toEqual(sectionIds(html));
    }
  });

  it('the layout section holds the spec\'s diagram inline, and one per other level', () => {
    const html = pageOf('x86_64-v6.17.html');
    const spec = report.specs.find((s) => s.file === KERNEL)!;
    const layout = html.slice(html.indexOf('<section id="layout">'), html.indexOf('<section id="diagnostics">'));
    expect(layout).toContain(spec.svg!);
    expect(spec.levels?.map((l) => l.level)).toEqual(['pmd', 'huge_pte']);
    expect(layout).toContain(spec.levels![0]!.svg);
    expect(layout).toContain(spec.levels![1]!.svg);
    expect(layout).toContain('<h3>pmd level (4 formats, 9 kinds)</h3>');
    expect(layout).toMatch(/<h3>huge_pte level \(\d+ formats, 9 kinds\)<\/h3>/);
    expect((layout.match(/<svg[\s>]/g) ?? []).length).toBe(3);
  });

  it('handlers: every path has its table and every case its anchor and spec line', () => {
    const spec = report.specs.find((s) => s.file === PROPOSAL)!;
    const html = pageOf('hugh-swap-marker.html');
    const all = ids(html);
    for (const p of spec.paths!) {
      expect(all.has(`path-${p.name}`), p.name).toBe(true);
      for (const c of p.cases) {
        expect(all.has(`case-${p.name}-${c.index}`)).toBe(true);
        expect(html).toContain(`<td class="mono">${c.file}:${c.line}</td>`);
      }
    }
  });

  it('handlers of every page-table level: a group per level, each path its table, anchors that carry the level', () => {
    const spec = report.specs.find((s) => s.file === KERNEL)!;
    const html = pageOf('x86_64-v6.17.html');
    const handlers = html.slice(html.indexOf('<section id="handlers">'), html.indexOf('<section id="scenarios">'));
    const all = ids(html);
    const levels = [...new Set(spec.paths!.flatMap((p) => (p.level !== undefined ? [p.level] : [])))];
    expect(levels.length).toBeGreaterThan(0);
    expect(handlers).toContain('<h3 id="level-pte">PTE level');
    for (const level of levels) {
      expect(handlers).toContain(`<h3 id="level-${level}">${level} level`);
      const ps = spec.paths!.filter((p) => p.level === level);
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) {
        expect(all.has(`path-${level}-${p.name}`), `${level} ${p.name}`).toBe(true);
        for (const c of p.cases) expect(all.has(`case-${level}-${p.name}-${c.index}`), `${level} ${p.name} #${c.index}`).toBe(true);
      }
    }
    // ids stay unique when two levels name the same path (a PMD split and the PTE loop that follows it)
    const idList = [...handlers.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(idList).size).toBe(idList.length);
  });

  it('scenario and explore results: every scenario and world has a row, every counterexample its trace', () => {
    const spec = report.specs.find((s) => s.file === PROPOSAL)!;
    const html = pageOf('hugh-swap-marker.html');
    const scn = html.slice(html.indexOf('<section id="scenarios">'), html.indexOf('<section id="explore">'));
    if (!spec.scenarios.available) throw new Error('scenarios not run');
    const all = spec.scenarios.files.flatMap((f) => f.scenarios);
    expect((scn.match(/<span class="badge b-bad">FAIL<\/span>/g) ?? []).length).toBe(all.filter((s) => !s.ok).length);
    expect((scn.match(/<span class="badge b-ok">pass<\/span>/g) ?? []).length).toBe(all.filter((s) => s.ok).length);
    const ex = html.slice(html.indexOf('<section id="explore">'), html.indexOf('<section id="diff">'));
    if (!spec.explore.available) throw new Error('explore not run');
    const cxs = spec.explore.worlds.filter((w) => w.counterexample);
    expect(cxs.length).toBeGreaterThan(0);
    expect((ex.match(/<summary>trace \(\d+ steps\)<\/summary>/g) ?? []).length).toBe(cxs.length);
    expect((ex.match(/<span class="badge b-bad">counterexample<\/span>/g) ?? []).length).toBe(cxs.length);
  });

  it('the index links every page and summarises each spec', () => {
    const html = pageOf('index.html');
    const links = urlAttributes(html).filter((u) => u.endsWith('.html'));
    expect([...new Set(links)].sort()).toEqual(['hugh-swap-marker.html', 'x86_64-v5.10.html', 'x86_64-v6.17.html']);
    // The proposal's row links its base's page from the extends column.
    const row = html.split('\n').find((l) => l.includes('<a href="hugh-swap-marker.html">'))!;
    expect(row).toContain('<a href="x86_64-v5.10.html"><code>x86_64_v5_10</code></a>');
    for (const s of report.specs) expect(html).toContain(`<td class="mono small">${s.file}</td>`);
  });

  it('every in-page link has its target, every link to another page is a page of the report', () => {
    for (const [name, html] of report.pages) {
      const all = ids(html);
      for (const u of urlAttributes(html)) {
        if (u.startsWith('#')) expect(all.has(decodeURIComponent(u.slice(1))), `${name}: ${u}`).toBe(true);
        else expect(report.pages.has(decodeURIComponent(u)), `${name}: ${u}`).toBe(true);
      }
    }
  });
});

describe('self-contained', () => {
  it('no http(s) or protocol-relative URL in any src or href', () => {
    for (const [name, html] of report.pages) {
      const urls = urlAttributes(html);
      expect(urls.length, name).toBeGreaterThan(0);
      expect(urls.filter((u) => /^\s*(https?:)?\/\//i.test(u)), name).toEqual([]);
      // Nor in the style sheet (url(), @import).
      expect(html, name).not.toMatch(/url\(\s*['"]?\s*(https?:)?\/\//i);
      expect(html, name).not.toMatch(/@import/i);
    }
  });

  it('nothing that loads a resource: no <link>, <img>, <iframe>, <object>, <embed>, media or external script', () => {
    for (const [name, html] of report.pages) {
      expect(html, name).not.toMatch(/<(link|img|iframe|object|embed|audio|video|source|frame|base)\b/i);
      expect(html, name).not.toMatch(/<script\b[^>]*\bsrc\b/i);
      expect(scripts(html), name).toHaveLength(1);
    }
  });

  it('the Content-Security-Policy allows nothing from outside and exactly the page\'s own script', () => {
    for (const [name, html] of report.pages) {
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
      expect(meta, name).not.toBeNull();
      const policy = meta![1]!.replace(/&#39;/g, "'");
      expect(policy).toBe(CSP);
      expect(policy).toMatch(/(^|; )default-src 'none'(;|$)/);
      const hash = createHash('sha256').update(scripts(html)[0]!, 'utf8').digest('base64');
      expect(policy).toContain(`script-src 'sha256-${hash}'`);
    }
  });
});

describe('deterministic', () => {
  it('two builds of the same specs are equal byte for byte, and so are the files written', async () => {
    const again = await buildReport([KERNEL, PROPOSAL, PROPOSAL_BASE], { exploreDepth: 2 });
    expect([...again.pages.keys()]).toEqual([...report.pages.keys()]);
    for (const [name, html] of report.pages) expect(again.pages.get(name) === html, name).toBe(true);
    const a = tempDir('report-det-a');
    const b = tempDir('report-det-b');
    writeReport(a, report.pages);
    writeReport(b, again.pages);
    for (const name of report.pages.keys()) expect(fs.readFileSync(path.join(a, name)).equals(fs.readFileSync(path.join(b, name))), name).toBe(true);
  }, 120_000);

  it('no date, time or absolute path of this machine in a page', () => {
    const year = String(new Date().getFullYear());
    for (const [name, html] of report.pages) {
      expect(html, name).not.toContain(process.cwd());
      expect(html, name).not.toMatch(new RegExp(`${year}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d`));
    }
  });
});
