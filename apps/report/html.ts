// HTML text for the report pages: escaping (the one way spec and scenario text gets into a page), the shared style
// sheet and script, and the page shell. A page is self-contained: inline CSS, one small inline script (expand and
// collapse sections), no fonts, images or links to the network; its Content-Security-Policy allows nothing else, so
// a browser refuses to load or run anything that is not in the page as written by ptelab.
import { createHash } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML character data and (quoted) attribute values; control characters become U+FFFD. */
export function esc(s: string | number): string {
  return String(s)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '\ufffd');
}

/** An id / fragment made of [A-Za-z0-9_-] only (names are identifiers already; anything else becomes `_`). */
export function anchor(...parts: readonly (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
}

/** A relative link to another page of the report (page names are file stems, which may hold any character). */
export function pageHref(page: string): string {
  return `${encodeURIComponent(page)}.html`;
}

export const STYLE = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg2: #f6f8fa; --ok: #1a7f37; --ok-bg: #dafbe1;
  --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; --info: #0969da; --info-bg: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); padding-bottom: 12px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
code { background: var(--bg2); padding: 0 3px; border-radius: 4px; overflow-wrap: break-word; }
pre { background: var(--bg2); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; margin: 6px 0; }
pre code { background: none; padding: 0; }
h1 { font-size: 24px; margin: 4px 0; }
h1 code { font-size: inherit; background: none; padding: 0; }
h2 { font-size: 19px; margin: 0; display: inline; }
h3 { font-size: 16px; margin: 18px 0 6px; }
h4 { font-size: 15px; margin: 16px 0 6px; padding-bottom: 2px; border-bottom: 1px solid var(--line); }
h5 { font-size: 14px; margin: 14px 0 6px; }
h6 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); }
a { color: var(--info); text-decoration: none; }
a:hover { text-decoration: underline; }
.crumbs { margin: 0; color: var(--muted); }
.desc { margin: 4px 0 8px; color: var(--muted); font-size: 15px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
nav ul, ul.badges { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.b-ok { color: var(--ok); background: var(--ok-bg); border-color: #aceebb; }
.b-bad { color: var(--bad); background: var(--bad-bg); border-color: #ffcecb; }
.b-warn { color: var(--warn); background: var(--warn-bg); border-color: #eed888; }
.b-info { color: var(--info); background: var(--info-bg); border-color: #b6e3ff; }
.b-muted { color: var(--muted); background: var(--bg2); border-color: var(--line); }
.tools { margin: 6px 0 0; }
button { font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); background: var(--bg2); border-radius: 6px; cursor: pointer; }
section { margin: 18px 0; }
section > details > summary { cursor: pointer; padding: 6px 0; border-bottom: 1px solid var(--line); margin-bottom: 8px; }
details > summary { cursor: pointer; }
details.inner > summary { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; margin: 6px 0 12px; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg2); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
/* Fixed layouts: a wide <pre> (a trace, a scenario, a handler body) scrolls inside its cell, not the page sideways. */
table.handlers, table.scenarios, table.explore { table-layout: fixed; }
table.explore col.c-world { width: 17%; }
table.explore col.c-verdict { width: 144px; }
table.explore col.c-states { width: 64px; }
table.explore col.c-transitions { width: 96px; }
table.explore col.c-levels { width: 84px; }
table.handlers col.c-index { width: 40px; }
table.handlers col.c-case { width: 30%; }
table.handlers col.c-line { width: 19%; }
table.handlers col.c-from { width: 12%; }
table.scenarios col.c-name { width: 32%; }
table.scenarios col.c-result { width: 72px; }
tr.fail > td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
tr.delta > td:first-child { box-shadow: inset 3px 0 0 var(--info); }
tr:target { background: #fff8c5; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
.svg { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
.svg svg { display: block; max-width: none; }
.unavailable { color: var(--muted); font-style: italic; }
pre.diff span { display: block; }
pre.diff .add { color: var(--ok); background: var(--ok-bg); }
pre.diff .del { color: var(--bad); background: var(--bad-bg); }
.sev-error { color: var(--bad); font-weight: 600; }
.sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--info); font-weight: 600; }
.hint { margin: 2px 0; }
footer { color: var(--muted); font-size: 12px; padding: 12px 24px 24px; border-top: 1px solid var(--line); }
@media print { details { display: block; } button { display: none; } }
`.trim();

/** Expand / collapse every section; open the sections around a #fragment target when following a link. */
export const SCRIPT = `
(function () {
  function openAround(el) { for (var d = el; d; d = d.parentElement) if (d.tagName === 'DETAILS') d.open = true; }
  function onHash() { var id = decodeURIComponent(location.hash.slice(1)); var el = id && document.getElementById(id); if (el) { openAround(el); el.scrollIntoView(); } }
  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button[data-details]') : null;
    if (!b) return;
    var open = b.getAttribute('data-details') === 'open';
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  });
  window.addEventListener('hashchange', onHash);
  if (location.hash) onHash();
})();
`.trim();

/** The exact text between <script> and </script>: the hash in the policy is over these bytes. */
const SCRIPT_ELEMENT_TEXT = `\n${SCRIPT}\n`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT_ELEMENT_TEXT, 'utf8').digest('base64');

/** Nothing from the network; inline style; only our own script (by hash); images only as data: URLs. */
export const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** A whole page: `title` is text (escaped here), `body` is HTML. */
export function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="generator" content="ptelab report">',
    `<title>${esc(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    body,
    `<script>${SCRIPT_ELEMENT_TEXT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
