/**
 * The Markdown renderer of a lesson document (render/document.ts), for
 * GitHub and other Markdown viewers: `$…$` and `$$…$$` math (made safe for
 * GitHub by githubTex), pipe tables, notes and check lines as block quotes,
 * anchors as `<a id>`, link text without math. Plots are SVG: given `plotFile`, each is linked as
 * an image at the path it returns (the caller writes the file); without it
 * the caption stands in.
 *
 *   documentMarkdown(doc)
 *   documentMarkdown(doc, { plotFile: (svg, k) => { write(`plot-${k}.svg`, svg); return `plot-${k}.svg`; } })
 */
import { escapeMarkdown, githubTex, markdownText } from './github.ts';
import { texToUnicode } from './unicode.ts';
import { mountainLine, stepThroughLine } from './terminal.ts';
import type { Block, Cell, Document } from './document.ts';
import { columnDigits, normalizeTex, partialLine, partialTex } from './document.ts';
import { thinSteps } from './table.ts';
import { formatCell } from '../expr/number.ts';

/** Options of `documentMarkdown`. */
export interface MarkdownOptions {
  /** Where the k-th plot's SVG goes: returns the image path to link. */
  readonly plotFile?: (svg: string, index: number) => string;
  /** Links under the title; one without href is the current page, shown in bold. */
  readonly nav?: readonly { readonly href?: string; readonly text: string }[];
}

/**
 * Link text: GitHub renders no math inside a link, so `$…$` becomes its
 * Unicode reading there: [squaredError(ŷ, y)](#squared-error).
 */
export function markdownLinkText(text: string): string {
  return text
    .split(/(`[^`]*`|\$[^$]*\$)/)
    .map((part) => (part.startsWith('$') && part.length > 1 ? escapeMarkdown(texToUnicode(part.slice(1, -1))) : part.startsWith('`') ? part : escapeMarkdown(part)))
    .join('');
}

const anchor = (id: string): string => `<a id="${id.replace(/[^\p{L}\p{N}_-]/gu, '')}"></a>`;

const cellMarkdown = (cell: Cell, digits: number): string => {
  if (typeof cell === 'string') return markdownText(cell);
  const s = formatCell(cell, digits);
  return /e/.test(s) ? `$${githubTex(normalizeTex(s))}$` : s;
};

/** The document as Markdown. */
export function documentMarkdown(doc: Document, options: MarkdownOptions = {}): string {
  let plots = 0;
  const block = (b: Block): string => {
    switch (b.kind) {
      case 'paragraph': return markdownText(b.text);
      case 'formula': return `$$\n${githubTex(b.tex)}\n$$${b.caption === undefined ? '' : `\n\n*${markdownText(b.caption)}*`}`;
      case 'table': {
        const n = b.rows.length;
        const shown = n > 300 ? thinSteps(n, { head: 20, tail: 1, every: Math.ceil(n / 200) }) : b.rows.map((_, i) => i);
        const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
        const numeric = b.headers.map((_, c) => b.rows.every((r) => typeof r[c] === 'number'));
        const table = [
          line(b.headers.map(markdownText)),
          line(numeric.map((isNum) => (isNum ? '---:' : '---'))),
          ...shown.map((i) => line(b.rows[i]!.map((c, k) => cellMarkdown(c, columnDigits(b.digits, k))))),
        ].join('\n');
        const caption = b.caption === undefined ? '' : markdownText(b.caption);
        const thinned = shown.length < n ? `\n\n*${n} rows; ${shown.length} shown.*` : '';
        return caption.trimEnd().endsWith(':') ? `${caption}\n\n${table}${thinned}` : `${table}${thinned}${caption === '' ? '' : `\n\n*${caption}*`}`;
      }
      case 'plot': {
        const k = plots++;
        return options.plotFile === undefined
          ? `*Plot: ${markdownText(b.caption)}* (drawn in the HTML page)`
          : `![${markdownText(b.caption).replace(/[[\]]/g, '')}](${options.plotFile(b.svg, k)})\n\n*${markdownText(b.caption)}*`;
      }
      case 'picture': return b.terminal === undefined ? '' : `*${markdownText(b.terminal.trim().replace(/^\[|\]$/g, ''))}*`;
      case 'mountain': return `*${markdownText(mountainLine(b.data).trim().replace(/^\[|\]$/g, ''))}*`;
      case 'stepThrough': return `*${markdownText(stepThroughLine(b).trim().replace(/^\[|\]$/g, ''))}*`;
      case 'partial': return `${block({ kind: 'formula', tex: partialTex(b) })}\n\n\`\`\`\n${partialLine(b)}\n\`\`\``;
      case 'code': return `\`\`\`\n${b.text}\n\`\`\``;
      case 'note': return `> **Note:** ${markdownText(b.text)}`;
      case 'exercise': return `**Exercise:** ${markdownText(b.question)}\n\n*Check:* ${markdownText(b.check)}`;
      case 'heading': return `${anchor(b.id)}\n\n### ${markdownText(b.text)}`;
      case 'image': return `![${markdownLinkText(b.alt).replace(/[[\]]/g, '')}](${b.file})\n\n*${markdownText(b.caption)}*`;
      case 'check': return `> ✔ ${markdownText(b.text)}`;
      case 'links': return `${b.lead === undefined ? '' : `${markdownText(b.lead)}: `}${b.links.map((l) => `[${markdownLinkText(l.text)}](${l.href})`).join(' · ')}`;
    }
  };
  const parts = [`# ${doc.title}`];
  if (doc.subtitle !== undefined) parts.push(markdownText(doc.subtitle));
  if (options.nav !== undefined && options.nav.length > 0) {
    parts.push(options.nav.map((l) => (l.href === undefined ? `**${markdownLinkText(l.text)}**` : `[${markdownLinkText(l.text)}](${l.href})`)).join(' · '));
  }
  for (const s of doc.sections) {
    if (s.id !== undefined) parts.push(anchor(s.id));
    if (s.heading !== undefined) parts.push(`## ${markdownText(s.heading)}`);
    for (const b of s.blocks) {
      const md = block(b);
      if (md !== '') parts.push(md);
    }
  }
  if (doc.footer !== undefined) parts.push('---', markdownText(doc.footer));
  return `${parts.join('\n\n')}\n`;
}
