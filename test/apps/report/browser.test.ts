// The report as a reader sees it: every page of a report opened from disk (file://) in headless Chromium, driven over
// the DevTools protocol (chromium.ts). No console errors or exceptions, no request that leaves the report, every
// layout diagram laid out at its full size, the sections in order, the page's own script allowed by its policy and
// working, hostile spec text shown as text. A screenshot per page goes to test/artifacts/ (git-ignored).
//
// Needs Chromium: `npm run setup:browser` installs Debian's package. Without one the suite is skipped and says how to
// install it, unless PTELAB_REQUIRE_BROWSER=1 (then it fails: for CI, where a skip would hide the missing browser).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, writeReport, type Report } from '../../../apps/report/report.js';
import { Chromium, findChromium, INSTALL_HINT, type PageSession } from './chromium.js';
import { EVIL_DESCRIPTION, KERNEL, PROPOSAL, PROPOSAL_BASE, removeAll, repoRoot, tempDir, writeEvilScenarioRoot, writeEvilSpecs } from './fixtures.js';

const executable = findChromium();
const required = process.env['PTELAB_REQUIRE_BROWSER'] === '1';
const run = executable !== undefined || required;
if (!run) console.warn(`test/apps/report/browser.test.ts skipped: ${INSTALL_HINT}`);

export const ARTIFACTS = path.join(repoRoot, 'test', 'artifacts');

interface Box {
  readonly width: number;
  readonly height: number;
}

interface Diagram {
  /** getBoundingClientRect() of the <svg>. */
  readonly box: Box;
  /** Its width and height attributes: the size the layout back end drew it at. */
  readonly drawn: Box;
  readonly texts: number;
  /** getBBox() of its first <text>: the font rendered. */
  readonly firstText: Box;
}

const DIAGRAMS = `[...document.querySelectorAll('svg')].map((s) => {
  const r = s.getBoundingClientRect();
  const t = s.querySelector('text');
  const b = t ? t.getBBox() : { width: 0, height: 0 };
  return { box: { width: r.width, height: r.height }, drawn: { width: s.width.baseVal.value, height: s.height.baseVal.value },
    texts: s.querySelectorAll('text').length, firstText: { width: b.width, height: b.height } };
})`;

/** Each top-level section: its id and whether its heading is laid out (non-zero box). */
const SECTIONS = `[...document.querySelectorAll('main > section')].map((s) => {
  const h = s.querySelector('summary h2').getBoundingClientRect();
  return { id: s.id, title: s.querySelector('summary h2').textContent, visible: h.width > 0 && h.height > 0 };
})`;

const DETAILS_OPEN = `[...document.querySelectorAll('details')].map((d) => d.open)`;

/** Badges that stick out of their table cell (a column too narrow for them). */
const CLIPPED_BADGES = `[...document.querySelectorAll('td .badge')].filter((b) => {
  const c = b.closest('td').getBoundingClientRect();
  const r = b.getBoundingClientRect();
  return r.width > 0 && (r.right > c.right + 0.5 || r.left < c.left - 0.5);
}).map((b) => b.textContent)`;

/** How far the page scrolls sideways (0: everything fits the viewport's width; wide content scrolls in its own box). */
const SIDEWAYS = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

describe.skipIf(!run)(executable !== undefined || required ? 'the report in headless Chromium' : `the report in headless Chromium: SKIPPED, ${INSTALL_HINT}`, () => {
  let browser: Chromium;
  let report: Report;
  let dir = '';
  const url = (page: string) => pathToFileURL(path.join(dir, page)).href;

  /** Open `page`, check what every page must satisfy, hand it to `more`, close it. */
  async function withPage(page: string, more: (p: PageSession) => Promise<void>): Promise<void> {
    const p = await browser.open(url(page));
    try {
      await more(p);
      expect(p.errors, `${page}: console errors`).toEqual([]);
      expect(p.dialogs, `${page}: dialogs`).toEqual([]);
    } finally {
      await browser.closePage(p);
    }
  }

  beforeAll(async () => {
    if (executable === undefined) throw new Error(`PTELAB_REQUIRE_BROWSER=1 but ${INSTALL_HINT}`);
    dir = tempDir('report-browser');
    // Depth 2: the proposal's page has counterexamples and their traces, the kernel's clean worlds.
    report = await buildReport([KERNEL, PROPOSAL, PROPOSAL_BASE], { exploreDepth: 2 });
    writeReport(dir, report.pages);
    browser = await Chromium.launch(executable);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    removeAll();
  });

  it('every spec page: no errors, no request outside the report, every diagram at full size, sections in order', async () => {
    for (const s of report.specs) {
      const name = `${s.page}.html`;
      await withPage(name, async (p) => {
        expect(p.requests.length, name).toBeGreaterThan(0);
        expect(p.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), `${name}: requests`).toEqual([]);
        expect(p.requests).toContain(url(name));

        const diagrams = await browser.evaluate<Diagram[]>(p, DIAGRAMS);
        // the spec's layout, and one per other page-table level (`level pmd`)
        expect(diagrams, name).toHaveLength(1 + (s.levels?.length ?? 0));
        for (const d of diagrams) {
          expect(d.box.width, name).toBeGreaterThan(0);
          expect(d.box.height, name).toBeGreaterThan(0);
          // Not squeezed by the page's CSS: drawn at the size the back end gave it (it scrolls sideways if need be).
          expect(Math.round(d.box.width), name).toBe(Math.round(d.drawn.width));
          expect(Math.round(d.box.height), name).toBe(Math.round(d.drawn.height));
          expect(d.texts, name).toBeGreaterThan(10);
          expect(d.firstText.width, `${name}: text in the diagram is rendered`).toBeGreaterThan(0);
        }

        const sections = await browser.evaluate<{ id: string; title: string; visible: boolean }[]>(p, SECTIONS);
        const want = ['layout', 'diagnostics', 'swap', 'handlers', 'scenarios', 'explore', ...(s.diff ? ['diff'] : [])];
        expect(sections.map((x) => x.id), name).toEqual(want);
        for (const x of sections) expect(x.visible, `${name}: heading of ${x.id}`).toBe(true);
        expect(await browser.evaluate<string[]>(p, CLIPPED_BADGES), `${name}: badges wider than their column`).toEqual([]);
        expect(await browser.evaluate<number>(p, SIDEWAYS), `${name}: the page scrolls sideways`).toBeLessThanOrEqual(0);
        expect(await browser.evaluate<string>(p, 'document.title')).toBe(`ptelab report: ${s.name}`);

        await browser.screenshot(p, path.join(ARTIFACTS, `report-${s.page}.png`));
      });
    }
  }, 120_000);

  it('the page script runs under the page\'s own policy: collapse all, expand all', async () => {
    await withPage(`${report.specs[1]!.page}.html`, async (p) => {
      const before = await browser.evaluate<boolean[]>(p, DETAILS_OPEN);
      expect(before.length).toBeGreaterThan(10);
      await browser.evaluate(p, `document.querySelector('button[data-details="close"]').click()`);
      expect(await browser.evaluate<boolean[]>(p, DETAILS_OPEN)).toEqual(before.map(() => false));
      // Collapsed, the page is its header and one line per section: the overview screenshot.
      await browser.screenshot(p, path.join(ARTIFACTS, `report-${report.specs[1]!.page}-sections.png`));
      await browser.evaluate(p, `document.querySelector('button[data-details="open"]').click()`);
      expect(await browser.evaluate<boolean[]>(p, DETAILS_OPEN)).toEqual(before.map(() => true));
      // Everything open (traces, scenarios, handler bodies): wide content still scrolls inside its cell, not the page.
      expect(await browser.evaluate<number>(p, SIDEWAYS)).toBeLessThanOrEqual(0);
      expect(await browser.evaluate<string[]>(p, CLIPPED_BADGES)).toEqual([]);
    });
  }, 60_000);

  it('following a link to a handler case opens the collapsed section around it and scrolls to it', async () => {
    const s = report.specs[1]!;
    const target = `case-${s.paths![0]!.name}-0`;
    await withPage(`${s.page}.html`, async (p) => {
      await browser.evaluate(p, `document.querySelector('button[data-details="close"]').click()`);
      const where = `(() => { const e = document.getElementById(${JSON.stringify(target)}); const r = e.getBoundingClientRect();
        return { open: e.closest('details').open, top: r.top, bottom: r.bottom, height: window.innerHeight }; })()`;
      const before = await browser.evaluate<{ open: boolean; top: number; bottom: number; height: number }>(p, where);
      expect(before.open).toBe(false);
      await browser.evaluate(p, `(location.hash = ${JSON.stringify(`#${target}`)}, new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`);
      const after = await browser.evaluate<{ open: boolean; top: number; bottom: number; height: number }>(p, where);
      expect(after.open).toBe(true);
      expect(after.bottom).toBeGreaterThan(0);
      expect(after.top).toBeLessThan(after.height);
    });
  }, 60_000);

  it('the index: no errors, a link to every page', async () => {
    await withPage('index.html', async (p) => {
      const links = await browser.evaluate<string[]>(p, `[...document.querySelectorAll('a')].map((a) => a.getAttribute('href'))`);
      expect([...new Set(links)].sort()).toEqual(report.specs.map((s) => `${s.page}.html`).sort());
      expect(await browser.evaluate<number>(p, `document.querySelectorAll('svg').length`)).toBe(0);
      await browser.screenshot(p, path.join(ARTIFACTS, 'report-index.png'));
    });
  }, 60_000);

  it('hostile spec text is shown as text: no script of its own runs, no element of its own appears', async () => {
    const evil = tempDir('report-browser-evil');
    const { kernel, proposal } = writeEvilSpecs(evil);
    const r = await buildReport([kernel, proposal], { exploreDepth: 0, root: writeEvilScenarioRoot(tempDir('report-browser-evil-root')) });
    const out = tempDir('report-browser-evil-out');
    writeReport(out, r.pages);
    for (const s of r.specs) {
      const p = await browser.open(pathToFileURL(path.join(out, `${s.page}.html`)).href);
      try {
        expect(await browser.evaluate<string>(p, `document.querySelector('p.desc').textContent`)).toBe(EVIL_DESCRIPTION);
        expect(await browser.evaluate<number>(p, 'document.scripts.length')).toBe(1);
        expect(await browser.evaluate<number>(p, `document.querySelectorAll('img, iframe, b, [onerror], [onmouseover]').length`)).toBe(0);
        expect(p.dialogs).toEqual([]);
        expect(p.errors).toEqual([]);
      } finally {
        await browser.closePage(p);
      }
    }
  }, 60_000);

  it('the error check is live: a page whose script does not match its policy is reported', async () => {
    // Change the script by one character: the hash in the page's policy no longer matches and Chromium refuses it.
    const name = `${report.specs[0]!.page}.html`;
    const tampered = report.pages.get(name)!.replace("d.tagName === 'DETAILS'", "d.tagName === 'DETAILS' ");
    expect(tampered).not.toBe(report.pages.get(name));
    fs.writeFileSync(path.join(dir, 'tampered.html'), tampered);
    const p = await browser.open(url('tampered.html'));
    try {
      expect(p.errors.some((e) => /Content Security Policy/i.test(e)), p.errors.join('\n')).toBe(true);
    } finally {
      await browser.closePage(p);
    }
  }, 60_000);
});
