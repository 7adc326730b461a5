/**
 * The Markdown renderer of a lesson document (render/document.ts), for
 * GitHub and other Markdown viewers: `$…$` and `$$…$$` math, pipe tables,
 * notes as block quotes. Plots are SVG: given `plotFile`, each is linked as
 * an image at the path it returns (the caller writes the file); without it
 * the caption stands in.
 *
 *   documentMarkdown(doc)
 *   documentMarkdown(doc, { plotFile: (svg, k) => { write(`plot-${k}.svg`, svg); return `plot-${k}.svg`; } })
 */
import { githubTex, markdownText } from './github.ts';
import type { Block, Cell, Document } from './document.ts';
import { columnDigits, normalizeTex } from './document.ts';
import { thinSteps } from './table.ts';
import { formatCell } from '../expr/number.ts';

/** Options of `documentMarkdown`. */
export interface MarkdownOptions {
  /** Where the k-th plot's SVG goes: returns the image path to link. */
  readonly plotFile?: (svg: string, index: number) => string;
}

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
      case 'code': return `\`\`\`\n${b.text}\n\`\`\``;
      case 'note': return `> **Note:** ${markdownText(b.text)}`;
      case 'exercise': return `**Exercise:** ${markdownText(b.question)}\n\n*Check:* ${markdownText(b.check)}`;
    }
  };
  const parts = [`# ${doc.title}`];
  if (doc.subtitle !== undefined) parts.push(markdownText(doc.subtitle));
  for (const s of doc.sections) {
    if (s.heading !== undefined) parts.push(`## ${markdownText(s.heading)}`);
    for (const b of s.blocks) {
      const md = block(b);
      if (md !== '') parts.push(md);
    }
  }
  return `${parts.join('\n\n')}\n`;
}
