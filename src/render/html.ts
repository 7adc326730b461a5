/**
 * The HTML renderer of a lesson document (render/document.ts): a
 * self-contained page (page.ts) with KaTeX formulas that break over lines,
 * tables of numbers, inline SVG plots, pictures in files beside the page,
 * notes, check lines, links and exercises.
 *
 *   const html = documentHtml(doc, { nav: [{ href: 'index.html', text: 'all lessons' }] })
 */
import type { Block, Cell, Document } from './document.ts';
import { partialLine, partialTex } from './document.ts';
import { texToHtml } from './katex.ts';
import { breakableFormula, escapeHtml, figure, numericTable, pageSections, paragraph, preBlock, renderPage, textWithMath, type PageOptions, type PageSection, type Section, type TableCell } from './page-html.ts';
import { isPlaceholder, thinSteps } from './table.ts';
import { mountainFigure } from './mountain.ts';
import { stepThroughFigure } from './step-through.ts';

/** Options of `documentHtml`. */
export interface DocumentHtmlOptions {
  /** Links at the top (relative hrefs): all lessons, previous, next. */
  readonly nav?: readonly { readonly href: string; readonly text: string }[];
  /** Relative path from the page to the output root ('' or '../'…). */
  readonly root?: string;
  /** A live page's parts (render/page.ts): the settings form after the subtitle, its scripts, its style. */
  readonly live?: Pick<PageOptions, 'afterSubtitle' | 'headStart' | 'headEnd' | 'bodyEnd' | 'css'>;
}

const CSS = `
aside.note { border-left: 3px solid var(--accent); padding: .75rem 1rem .1rem; background: var(--code-bg); border-radius: 0 6px 6px 0; }
.formula.breakable { text-align: center; }
.formula.breakable > .katex { white-space: normal; }
nav.toc ul { margin: .25rem 0; padding-left: 0; list-style: none; }
.exercise p.check { color: var(--muted); margin-top: -.5rem; }
p.check { border-left: 3px solid var(--good); padding: .35rem .75rem; background: var(--good-bg); font-size: .95rem; }
figure img { max-width: 100%; height: auto; }
`.trim();

const cellHtml = (cell: Cell): TableCell => (typeof cell === 'number' || isPlaceholder(cell) ? cell : { html: textWithMath(cell) });

/** A partial derivative: its formula (KaTeX), and under it its line of text as code. */
function partialFormula(tex: string, line: string, wrt: string): string {
  return `<div class="formula breakable" data-wrt="${escapeHtml(wrt)}">${texToHtml(`\\displaystyle ${tex}`)}<p class="caption"><code class="dh-text">${escapeHtml(line)}</code></p></div>`;
}

/** One block as HTML. Tables longer than 300 rows keep the first 20, about 200 more, and the last. */
export function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph': return paragraph(block.text);
    case 'formula': return breakableFormula(block.tex, block.caption === undefined ? {} : { caption: block.caption });
    case 'table': {
      const n = block.rows.length;
      const rows = n > 300 ? thinSteps(n, { head: 20, tail: 1, every: Math.ceil(n / 200) }) : block.rows.map((_, i) => i);
      // A caption that ends with ':' leads into the table, as in the terminal; others sit under it.
      const leadIn = block.caption?.trimEnd().endsWith(':') === true;
      const table = numericTable(block.headers.map((h) => ({ html: textWithMath(h) })), rows.map((i) => block.rows[i]!.map(cellHtml)), {
        ...(block.digits === undefined ? {} : { digits: block.digits }),
        ...(block.caption === undefined || leadIn ? {} : { caption: block.caption }),
      });
      const thinned = rows.length < n ? `<p class="caption">${n} rows; ${rows.length} shown.</p>` : '';
      return `${leadIn ? paragraph(block.caption!) : ''}${table}${thinned}`;
    }
    case 'plot': return figure(block.svg, block.caption);
    case 'picture': return block.html;
    case 'mountain': return mountainFigure(block.data, block.caption);
    case 'stepThrough': return stepThroughFigure(block);
    case 'partial': return partialFormula(partialTex(block), partialLine(block), block.wrt);
    case 'code': return preBlock(block.text);
    case 'note': return `<aside class="note">${paragraph(block.text)}</aside>`;
    case 'exercise': return `<div class="exercise">${paragraph(`Exercise: ${block.question}`)}<p class="check">Check: ${textWithMath(block.check)}</p></div>`;
    case 'heading': return `<h3 id="${escapeHtml(block.id)}">${textWithMath(block.text)}</h3>`;
    case 'image':
      return `<figure><img src="${escapeHtml(block.file)}" alt="${escapeHtml(block.alt)}" width="${block.width}" height="${block.height}"><figcaption>${textWithMath(block.caption)}</figcaption></figure>`;
    case 'check': return `<p class="check">✔ ${textWithMath(block.text)}</p>`;
    case 'links': {
      const links = block.links.map((l) => `<a href="${escapeHtml(l.href)}">${textWithMath(l.text)}</a>`).join(' · ');
      return `<p class="links">${block.lead === undefined ? '' : `${textWithMath(block.lead)}: `}${links}</p>`;
    }
  }
}

/**
 * Blocks of text, formulas and tables rendered before, by their data (the
 * last few thousand): a live page reruns its lesson at every change, and
 * most of its blocks come out the same. Plots, pictures and mountains are
 * not kept here (their SVG is their renderer's to keep, and a key as long).
 */
const rendered = new Map<string, string>();
const MAX_RENDERED = 5000;

/** A block's data as exact text: numbers that JSON would write as null or 0 (±Infinity, NaN, −0) written as {"#": name}, which no block holds. */
const blockKey = (block: Block): string =>
  JSON.stringify(block, (_, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { '#': Object.is(v, -0) ? '-0' : String(v) } : v));

function blockHtmlOnce(block: Block): string {
  if (block.kind === 'plot' || block.kind === 'picture' || block.kind === 'mountain' || block.kind === 'stepThrough' || block.kind === 'image') return blockHtml(block);
  const key = blockKey(block);
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  const html = blockHtml(block);
  if (rendered.size >= MAX_RENDERED) rendered.clear();
  rendered.set(key, html);
  return html;
}

/** The document's sections as the page's sections (render/page.ts), blocks rendered. */
function sectionsOf(doc: Document): Section[] {
  const sections: Section[] = [];
  for (const s of doc.sections) {
    const html = s.blocks.map(blockHtmlOnce);
    if (s.heading === undefined && html.length === 0) continue;
    sections.push({ ...(s.heading === undefined ? {} : { heading: s.heading }), ...(s.id === undefined ? {} : { id: s.id }), html });
  }
  return sections;
}

/**
 * The document's body as parts with ids, as its page holds them: the
 * contents list (id 'contents'), then each section. A live page swaps these.
 *
 *   sectionsHtml(doc)   // [{ id: 'contents', html: '<nav class="toc" id="contents">…' }, { id: '1-the-network', html: '<section id="1-the-network">…' }, …]
 */
export function sectionsHtml(doc: Document): PageSection[] {
  return pageSections({ sections: sectionsOf(doc), toc: 'plain' });
}

/** The document as a whole HTML page, with a table of contents. */
export function documentHtml(doc: Document, options: DocumentHtmlOptions = {}): string {
  const live = options.live ?? {};
  return renderPage({
    title: doc.title,
    ...(doc.subtitle === undefined ? {} : { subtitle: doc.subtitle }),
    ...(options.nav === undefined ? {} : { nav: options.nav }),
    ...(options.root === undefined ? {} : { root: options.root }),
    sections: sectionsOf(doc),
    toc: 'plain',
    ...(doc.footer === undefined ? {} : { footer: doc.footer }),
    css: live.css === undefined ? CSS : `${CSS}\n${live.css}`,
    ...(live.afterSubtitle === undefined ? {} : { afterSubtitle: live.afterSubtitle }),
    ...(live.headStart === undefined ? {} : { headStart: live.headStart }),
    ...(live.headEnd === undefined ? {} : { headEnd: live.headEnd }),
    ...(live.bodyEnd === undefined ? {} : { bodyEnd: live.bodyEnd }),
  });
}
