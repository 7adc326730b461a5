/**
 * Self-contained HTML pages as strings: formulas rendered by KaTeX, plots
 * inlined as SVG, one small built-in style sheet. No file is read or written
 * here, so a browser bundle takes it as it is; page.ts writes pages (Node).
 *
 * Convention: helpers whose argument is *text* escape it; arguments named
 * `html` (and the strings the helpers return) are HTML and are used as is.
 */
import { DownhillError, ensure } from '../errors.ts';
import { texToHtml } from './katex.ts';
import { isPlaceholder } from './table.ts';
import { formatCell } from '../expr/number.ts';
import { columnDigits, type Digits } from './document.ts';
import { roleCss } from './palette.ts';
import { fnv1a } from '../hash.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and attribute values.
 *
 * Examples:
 *   escapeHtml('a < b & "c"')   // returns 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Escaped text with each command-line flag (`--lr`, with a bracket around it)
 * kept on one line: a browser may break a line after a hyphen, and "(--lr)"
 * must not end a line as "(-".
 *
 *   keepFlagsWhole('the rate (--lr)')   // 'the rate <span class="nb">(--lr)</span>'
 */
export function keepFlagsWhole(html: string): string {
  return html.replace(/\(?--[A-Za-z][\w-]*\)?/g, (flag) => `<span class="nb">${flag}</span>`);
}

/**
 * Text with inline math between dollar signs and code between backticks:
 * the math is rendered with KaTeX, the code set as <code>, the rest escaped. `\$` is a literal dollar sign; an unclosed `$`
 * throws a DownhillError.
 *
 * Examples:
 *   textWithMath('the slope $\\partial L/\\partial w$ is 0.5')
 *   // returns 'the slope <span class="katex">…</span> is 0.5'
 *   textWithMath('costs \\$5')   // returns 'costs $5'
 *
 * See also: paragraph, texToHtml
 */
export function textWithMath(text: string): string {
  const escape = (t: string): string => keepFlagsWhole(escapeHtml(t));
  let out = '';
  let i = 0;
  let plain = '';
  while (i < text.length) {
    const c = text[i];
    const close = c === '`' ? text.indexOf('`', i + 1) : -1;
    if (c === '\\' && text[i + 1] === '$') {
      plain += '$';
      i += 2;
    } else if (close > i) {
      out += `${escape(plain)}<code>${escape(text.slice(i + 1, close))}</code>`;
      plain = '';
      i = close + 1;
    } else if (c === '$') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '$' && text[j - 1] !== '\\')) j++;
      if (j >= text.length) throw new DownhillError(`unclosed $ at character ${i + 1} in "${text.length > 60 ? text.slice(0, 57) + '...' : text}"`);
      out += escape(plain) + texToHtml(text.slice(i + 1, j));
      plain = '';
      i = j + 1;
    } else {
      plain += c;
      i++;
    }
  }
  return out + escape(plain);
}

/** A paragraph of text with `$…$` inline math (see textWithMath). */
export function paragraph(text: string): string {
  return `<p>${textWithMath(text)}</p>`;
}

/**
 * A display formula block, like `$$…$$`, with an optional caption (text with
 * `$…$` math).
 *
 * Examples:
 *   formulaBlock('\\frac{\\partial L}{\\partial w} = 2(wx - y)x', { caption: 'the chain rule at work' })
 *   // returns '<div class="formula"><span class="katex-display">…</span><p class="caption">the chain rule at work</p></div>'
 *
 * See also: texToHtml
 */
export function formulaBlock(tex: string, options: { caption?: string } = {}): string {
  const caption = options.caption === undefined ? '' : `<p class="caption">${textWithMath(options.caption)}</p>`;
  return `<div class="formula">${texToHtml(tex, { display: true })}${caption}</div>`;
}

/**
 * A displayed formula that breaks over lines on a narrow page instead of
 * scrolling: KaTeX in text mode with \displaystyle, which may break after a
 * top-level relation (=) or operator (+, −). An aligned environment, already
 * cut into rows, stays a display block.
 *
 * Examples:
 *   breakableFormula('L = (y - \\hat{y})^{2} = 0.0331')
 *   // returns '<div class="formula breakable"><span class="katex">…</span></div>'
 */
export function breakableFormula(tex: string, options: { caption?: string } = {}): string {
  if (/\\begin\{/.test(tex)) return formulaBlock(tex, options);
  const caption = options.caption === undefined ? '' : `<p class="caption">${textWithMath(options.caption)}</p>`;
  return `<div class="formula breakable">${texToHtml(`\\displaystyle ${tex}`)}${caption}</div>`;
}

/** A table cell: a number (formatted, right-aligned), text (escaped), TeX, or trusted HTML. */
export type TableCell = number | string | { readonly tex: string } | { readonly html: string };

function cellHtml(cell: TableCell, digits: number): string {
  if (typeof cell === 'number') return escapeHtml(formatCell(cell, digits));
  if (typeof cell === 'string') return escapeHtml(cell);
  if ('tex' in cell) return texToHtml(cell.tex);
  return cell.html;
}

/**
 * A table of numbers: numeric columns (numbers, with '' or '—' for a
 * missing value) are right-aligned with tabular figures, numbers formatted with `digits` significant digits (one for the table or one per column); NaN and
 * ±Infinity are shown as words and highlighted. Headers may be text or
 * `{ tex }`.
 *
 * Examples:
 *   numericTable(['step', { tex: 'w' }, { tex: 'L(w)' }], [[0, 0.5, 1.25], [1, 0.9, 0.01]], { caption: 'descent' })
 *   // returns '<table class="numeric"><caption>descent</caption><thead>…'
 *
 * See also: alignTable (terminal)
 */
export function numericTable(
  headers: readonly TableCell[],
  rows: readonly (readonly TableCell[])[],
  options: { digits?: Digits; caption?: string } = {},
): string {
  const digits = (c: number): number => columnDigits(options.digits, c);
  ensure(headers.length > 0, 'numericTable: give at least one header');
  rows.forEach((row, r) =>
    ensure(row.length === headers.length, () => `numericTable: row ${r} has ${row.length} cells but there are ${headers.length} headers`),
  );
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((row) => {
    const cell = row[c];
    return typeof cell === 'number' || (typeof cell === 'string' && isPlaceholder(cell));
  }) && rows.some((row) => typeof row[c] === 'number'));
  const th = headers.map((h, c) => `<th${numeric[c] ? ' class="num"' : ''}>${cellHtml(h, digits(c))}</th>`).join('');
  const body = rows
    .map((row) => {
      const tds = row.map((cell, c) => {
        const classes = [numeric[c] ? 'num' : '', typeof cell === 'number' && !Number.isFinite(cell) ? 'nonfinite' : ''].filter(Boolean);
        return `<td${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}>${cellHtml(cell, digits(c))}</td>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  const caption = options.caption === undefined ? '' : `<caption>${textWithMath(options.caption)}</caption>`;
  return `<table class="numeric">${caption}<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/**
 * A figure: an inline SVG (from plot.ts) with a caption (text with `$…$` math).
 * An SVG that names itself (the plots, pictures, surfaces and pixel images
 * do) is inlined as it is; any other is put, as it is, into an image of the
 * figure's own (a div, role img) named by the caption, or "plot" without one:
 * a screen reader announces one image, not mark by mark, and the SVG's markup
 * is never edited.
 *
 * Examples:
 *   figure(await linePlot({ ... }), 'the loss falls by half every 7 steps')
 *   // returns '<figure><svg …>…</svg><figcaption>the loss falls …</figcaption></figure>'
 *   figure('<svg width="1"></svg>', 'a square')
 *   // returns '<figure><div role="img" aria-labelledby="fig-…"><svg width="1"></svg></div><figcaption id="fig-…">a square</figcaption></figure>'
 */
export function figure(svg: string, caption?: string): string {
  ensure(/^\s*<svg[\s>]/.test(svg), 'figure: expected an SVG string starting with <svg');
  const inline = svg.trim();
  if (namesItself(inline)) return `<figure>${inline}${caption === undefined ? '' : `<figcaption>${textWithMath(caption)}</figcaption>`}</figure>`;
  if (caption === undefined) return `<figure><div role="img" aria-label="plot">${inline}</div></figure>`;
  const id = figureId(svg, caption);
  return `<figure><div role="img" aria-labelledby="${id}">${inline}</div><figcaption id="${id}">${textWithMath(caption)}</figcaption></figure>`;
}

/** An id for a figure's caption, made from its content (the same figure twice on a page is the same figure). */
function figureId(svg: string, caption: string): string {
  return `fig-${fnv1a(`${caption}\n${svg.trim()}`).toString(36)}`;
}

/**
 * Whether an SVG names itself: a role on its root (the pictures, the
 * surfaces, the pixel images), or a plot's root group named by its spec
 * (plot.ts: vega writes `<g aria-label="plot of L against step" role="img">`
 * around every mark).
 */
function namesItself(svg: string): boolean {
  return /^<svg[^>]*\srole="/.test(svg) || /^<svg[^>]*>(?:<rect[^>]*\/>)?<g[^>]*><g class="mark-group role-frame root"[^>]*><g aria-label="[^"]+" role="img"/.test(svg);
}

/**
 * Preformatted text (terminal output, code), escaped.
 *
 * Examples:
 *   preBlock('step  loss\n   0   1.5')   // returns '<pre>step  loss\n   0   1.5</pre>'
 */
export function preBlock(text: string, options: { className?: string } = {}): string {
  const cls = options.className === undefined ? '' : ` class="${escapeHtml(options.className)}"`;
  return `<pre${cls}>${escapeHtml(text)}</pre>`;
}

/** A section of a page: a heading (text with `$…$` math) and its HTML blocks. */
export interface Section {
  readonly heading?: string;
  /** Anchor id (default: made from the heading). */
  readonly id?: string;
  readonly html: string | readonly string[];
}

/** Options of `renderPage`. Give `sections`, `bodyHtml`, or both (body first). */
export interface PageOptions {
  /** Page title (plain text: shown in the tab and as the top heading). */
  readonly title: string;
  /** A line under the title (text with `$…$` math). */
  readonly subtitle?: string;
  readonly sections?: readonly Section[];
  readonly bodyHtml?: string;
  /** A table of contents of the sections with headings (default false); 'plain' lists them without numbers (for headings that number themselves). */
  readonly toc?: boolean | 'plain';
  /** Relative path from the page to the output root, e.g. '../' for a page in a subfolder (default ''). */
  readonly root?: string;
  /** Links shown at the top, e.g. [{ href: 'index.html', text: 'all lessons' }]. Hrefs must be relative. */
  readonly nav?: readonly { readonly href: string; readonly text: string }[];
  /** A footer line (text with `$…$` math). */
  readonly footer?: string;
  /** More CSS appended to the built-in style sheet. */
  readonly css?: string;
  /** Language of the page (default 'en'). */
  readonly lang?: string;
  /** HTML right after the subtitle (a live page's settings form). */
  readonly afterSubtitle?: string;
  /** HTML in the head before the style sheets (a live page's script that starts its engine's worker at once). */
  readonly headStart?: string;
  /** HTML at the end of the head and of the body (a live page's scripts). */
  readonly headEnd?: string;
  readonly bodyEnd?: string;
}

/** One part of a page's body after its subtitle, with its id: the contents list ('contents') or a section. */
export interface PageSection {
  readonly id: string;
  readonly html: string;
}

const ROLES = roleCss();

/**
 * The built-in style sheet: one look for every page (the lessons, the
 * reference, the live site). A type scale of ratio 1.2 from a 17 px body, a
 * text column of about 70 characters with figures, tables and formulas on a
 * wider one (as in Distill's articles), spacing in steps of .5rem, the roles'
 * colours (palette.ts) as custom properties, and a dark scheme that follows
 * the reader's system (prefers-color-scheme); plots and pictures keep their
 * white paper in it. On a phone nothing is wider than the screen: tables and
 * displayed formulas scroll inside their own box.
 */
export const PAGE_CSS = `
:root { color-scheme: light dark;
  --fg: #1d1d1f; --muted: #5f6368; --rule: #e3e3e8; --bg: #ffffff; --code-bg: #f3f3f6; --accent: #0067A3; --bad: #b3261e; --good: #1e7b34; --good-bg: #f0f7f1;
  ${ROLES.light}
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --step--1: .875rem; --step-0: 1.0625rem; --step-1: 1.275rem; --step-2: 1.53rem; --step-3: 1.84rem;
  --measure: 42rem; --wide: 60rem; }
@media (prefers-color-scheme: dark) { :root {
  --fg: #e6e6e9; --muted: #a3a7ae; --rule: #34363d; --bg: #16171b; --code-bg: #23252b; --accent: #6cc0ee; --bad: #ff8a80; --good: #7fd18b; --good-bg: #1b271e;
  ${ROLES.dark} } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: var(--step-0)/1.65 var(--sans); }
main { max-width: var(--wide); margin: 0 auto; padding: 2.5rem 1.25rem 4rem; overflow-wrap: break-word; }
main > *, section > * { max-width: var(--measure); margin-left: auto; margin-right: auto; }
main > section { max-width: none; }
section > figure, section > .formula, section > table, section > .dh-steps, section > .dh-mountain, section > pre, section > div, main > div { max-width: none; }
h1, h2, h3 { line-height: 1.25; letter-spacing: -.01em; text-wrap: balance; }
h1 { font-size: var(--step-3); margin-top: 0; margin-bottom: .5rem; }
h2 { font-size: var(--step-2); margin-top: 3rem; margin-bottom: 1rem; }
h3 { font-size: var(--step-1); margin-top: 2rem; margin-bottom: .5rem; }
p { margin-top: 0; margin-bottom: 1rem; }
p.subtitle { color: var(--muted); font-size: var(--step-1); line-height: 1.45; margin-bottom: 2rem; }
a { color: var(--accent); text-underline-offset: .15em; }
nav.links, nav.toc { font-size: var(--step--1); margin-bottom: 1.5rem; }
nav.links a + a::before { content: "·"; color: var(--muted); margin: 0 .5em; }
nav.toc { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: .5rem 0; }
nav.toc ol { margin: .25rem 0; padding-left: 1.5rem; }
.nb { white-space: nowrap; }
.formula { margin-top: 1.5rem; margin-bottom: 1.5rem; max-width: 100%; overflow-x: auto; overflow-y: hidden; padding: .15rem 0; }
.formula .katex-display { margin: .5rem 0; }
.caption, figcaption, caption { color: var(--muted); font-size: var(--step--1); line-height: 1.5; }
.formula .caption { text-align: center; margin: 0; }
table.numeric { display: block; width: fit-content; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 1.5rem auto; font-size: .95rem; }
table.numeric caption { caption-side: bottom; padding-top: .5rem; }
table.numeric th, table.numeric td { padding: .3rem .75rem; border-bottom: 1px solid var(--rule); text-align: left; }
table.numeric thead th { border-bottom: 2px solid var(--fg); font-weight: 600; }
table.numeric .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.numeric td.nonfinite { color: var(--bad); font-weight: 600; }
figure { margin: 2rem auto; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { max-width: var(--measure); margin: .5rem auto 0; text-align: left; }
code { font: .88em var(--mono); background: var(--code-bg); padding: .05em .3em; border-radius: 3px; }
pre { background: var(--code-bg); padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; font: .88rem/1.45 var(--mono); }
footer { max-width: var(--measure); margin: 3rem auto 0; padding-top: 1rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: var(--step--1); }
button { font: inherit; font-size: var(--step--1); line-height: 1.4; padding: .3rem .8rem; margin: 0 .25rem .25rem 0; color: var(--fg); background: var(--code-bg); border: 1px solid var(--rule); border-radius: 6px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.role-param { color: var(--param); } .role-data { color: var(--data); } .role-grad { color: var(--grad); } .role-loss { color: var(--loss); }
@media (prefers-color-scheme: dark) {
  figure > svg, figure > div[role=img] > svg, figure > img, .dh-graph svg { background: #fff; border-radius: 6px; color-scheme: light; }
  table.numeric thead th { border-bottom-color: var(--muted); }
}
@media (max-width: 40rem) {
  body { font-size: 1rem; }
  main { padding: 1.5rem 1rem 3rem; }
  h2 { margin-top: 2.25rem; }
  table.numeric th, table.numeric td { padding: .25rem .5rem; }
}
@media print { main { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`.trim();

/** A URL-fragment id from a heading: lower case, letters and digits joined by '-'. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/\$[^$]*\$/g, ' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'section' : s;
}

function checkRelativeHref(href: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('/')) {
    throw new DownhillError(`link "${href}" is not relative: pages must work offline from any folder`);
  }
}

/**
 * Renders a whole HTML page as a string: UTF-8, the built-in style sheet
 * inline, and a link to `katex/katex.min.css` (relative to `root`) for the
 * formulas. No scripts, no external resources.
 *
 * Examples:
 *   renderPage({
 *     title: 'Lesson 1: one weight',
 *     sections: [{ heading: 'The loss', html: formulaBlock('L(w) = (wx - y)^2') }],
 *   })
 *   // returns '<!doctype html>\n<html lang="en">…'
 *
 * See also: writePages, formulaBlock, numericTable, figure, preBlock
 */
export function renderPage(options: PageOptions): string {
  const root = options.root ?? '';
  ensure(/^(\.\.\/)*$/.test(root), () => `renderPage: root must be '' or a run of '../', got "${root}"`);
  for (const link of options.nav ?? []) checkRelativeHref(link.href);

  const parts: string[] = [];
  if (options.nav !== undefined && options.nav.length > 0) {
    parts.push(`<nav class="links">${options.nav.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join('')}</nav>`);
  }
  parts.push(`<h1>${escapeHtml(options.title)}</h1>`);
  if (options.subtitle !== undefined) parts.push(`<p class="subtitle">${textWithMath(options.subtitle)}</p>`);
  if (options.afterSubtitle !== undefined) parts.push(options.afterSubtitle);
  const [contents, ...sections] = pageSections(options);
  if (contents!.html !== '') parts.push(contents!.html);
  if (options.bodyHtml !== undefined) parts.push(options.bodyHtml);
  parts.push(...sections.map((s) => s.html));
  if (options.footer !== undefined) parts.push(`<footer>${textWithMath(options.footer)}</footer>`);

  const css = options.css === undefined ? PAGE_CSS : `${PAGE_CSS}\n${options.css}`;
  ensure(!/<\/style/i.test(css), 'renderPage: css must not contain "</style"');
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    ...(options.headStart === undefined ? [] : [options.headStart]),
    `<link rel="stylesheet" href="${root}katex/katex.min.css">`,
    `<style>\n${css}\n</style>`,
    ...(options.headEnd === undefined ? [] : [options.headEnd]),
    '</head>',
    '<body>',
    '<main>',
    parts.join('\n'),
    '</main>',
    ...(options.bodyEnd === undefined ? [] : [options.bodyEnd]),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The parts of a page's body after its subtitle, each with its id: first the
 * contents list (id 'contents'; its html is '' when the page has none), then
 * one `<section>` per section, id from its heading (or given; 'part-N' for
 * one with neither). A live page swaps them by id.
 *
 *   pageSections({ sections: [{ heading: 'The loss', html: '<p>…</p>' }], toc: true })
 *   // [{ id: 'contents', html: '<nav class="toc">…' }, { id: 'the-loss', html: '<section id="the-loss">…' }]
 */
export function pageSections(options: Pick<PageOptions, 'sections' | 'toc'>): PageSection[] {
  const sections = options.sections ?? [];
  const ids = new Set<string>(['contents']);
  const sectionIds = sections.map((s, k) => {
    let id = s.id ?? (s.heading === undefined ? `part-${k + 1}` : slug(s.heading));
    ensure(/^[A-Za-z0-9_\-\p{L}]+$/u.test(id), () => `renderPage: section id "${id}" may hold only letters, digits, '-' and '_'`);
    if (ids.has(id)) {
      ensure(s.id === undefined, () => `renderPage: two sections have the id "${id}"`);
      let k = 2;
      while (ids.has(`${id}-${k}`)) k++;
      id = `${id}-${k}`;
    }
    ids.add(id);
    return id;
  });
  let contents = '';
  if (options.toc === true || options.toc === 'plain') {
    const items = sections
      .map((s, k) => (s.heading === undefined ? '' : `<li><a href="#${sectionIds[k]}">${textWithMath(s.heading)}</a></li>`))
      .filter((li) => li !== '');
    const list = options.toc === 'plain' ? 'ul' : 'ol';
    if (items.length > 0) contents = `<nav class="toc" id="contents"><${list}>${items.join('')}</${list}></nav>`;
  }
  return [{ id: 'contents', html: contents }, ...sections.map((s, k) => {
    const id = sectionIds[k]!;
    const body = typeof s.html === 'string' ? s.html : s.html.join('\n');
    const heading = s.heading === undefined ? '' : `<h2>${textWithMath(s.heading)}</h2>\n`;
    return { id, html: `<section id="${escapeHtml(id)}">\n${heading}${body}\n</section>` };
  })];
}
