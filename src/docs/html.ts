/**
 * The HTML form of the formula reference: KaTeX rendered on the server
 * (throwOnError, so bad TeX fails the generation), plots as SVG files beside
 * the page, no scripts.
 *
 *   pageHtml(page, pages)   // '<!doctype html>\n<html lang="en">…'
 */
import { escapeHtml, formulaBlock, renderPage, textWithMath } from '../render/page.ts';
import { GENERATED_NOTE } from './markdown.ts';
import type { Block, DocEntry, DocPage } from './model.ts';

/** Prose with `$…$` math and `` `…` `` code, as HTML. */
export function htmlText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.length > 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : textWithMath(part)))
    .join('');
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'text': return `<p>${htmlText(b.text)}</p>`;
    case 'formula': return formulaBlock(b.tex);
    case 'code': return `<p>${htmlText(b.label)} <code>${escapeHtml(b.code)}</code></p>`;
    case 'image':
      return `<figure><img src="${escapeHtml(b.file)}" alt="${escapeHtml(b.alt)}" width="${b.width}" height="${b.height}"><figcaption>${htmlText(b.caption)}</figcaption></figure>`;
    case 'check': return `<p class="check">✔ ${htmlText(b.text)}</p>`;
  }
}

function entryHtml(e: DocEntry): string {
  return `<article id="${escapeHtml(e.id)}">\n<h3>${htmlText(e.heading)}</h3>\n${e.blocks.map(blockHtml).join('\n')}\n</article>`;
}

/** Extra style: the check line, plots at their natural size. */
export const DOCS_CSS = `
p.check { border-left: 3px solid #2e7d32; padding: .35rem .75rem; background: #f3f8f3; font-size: .95rem; }
figure img { max-width: 100%; height: auto; }
article { margin-bottom: 2.5rem; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: #f5f5f7; padding: .05em .3em; border-radius: 3px; }
`.trim();

/** Links between the pages. */
export function htmlNav(pages: readonly DocPage[]): { href: string; text: string }[] {
  return [{ href: 'index.html', text: 'Index' }, ...pages.map((p) => ({ href: `${p.name}.html`, text: p.title }))];
}

/** One page of the reference as a whole HTML document. */
export function pageHtml(page: DocPage, pages: readonly DocPage[]): string {
  return renderPage({
    title: page.title,
    subtitle: page.summary,
    nav: htmlNav(pages),
    toc: true,
    sections: page.groups.map((g) => ({
      heading: g.heading,
      id: g.id,
      html: [...(g.intro === undefined ? [] : [`<p>${htmlText(g.intro)}</p>`]), ...g.entries.map(entryHtml)],
    })),
    footer: GENERATED_NOTE.replace(/`/g, ''),
    css: DOCS_CSS,
  });
}
