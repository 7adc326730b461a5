/**
 * The document a lesson writes: plain data, the seam between teaching and
 * rendering. A lesson never formats text for one medium; three renderers
 * turn the same document into terminal text (render/terminal.ts), an HTML
 * page (render/html.ts) and Markdown (render/markdown.ts), and
 * `downhill lesson N --json` prints it as JSON for tests, tools and browsers.
 *
 *   {
 *     title: 'Lesson 3: Gradient descent and the learning rate',
 *     sections: [{ heading: 'Step against the slope', blocks: [
 *       { kind: 'paragraph', text: 'Move $w$ against the slope …' },
 *       { kind: 'formula', tex: "w_{k+1} = w_{k} - \\eta \\, L'(w_{k})" },
 *       { kind: 'table', headers: ['step', '$w$'], rows: [[0, 0], [1, 0.3]] },
 *     ] }],
 *   }
 *
 * Text (paragraphs, headings, captions, notes, table headers and text cells)
 * is prose with inline TeX between dollar signs (`\$` is a dollar sign) and
 * inline code between backticks.
 * A formula is TeX only: its terminal form is derived from it
 * (texToUnicode), so the two cannot drift apart. Numbers in scientific
 * notation are written once, as TeX (2.22 \times 10^{-16}): `normalizeTex`
 * and `normalizeProse` rewrite 2.22e-16 that way when a block is added.
 */
import { arrayOf, checkArg, objectWith, type Accepts } from '../errors.ts';
import { symbolTex } from '../expr/print.ts';
import type { MountainData } from './mountain.ts';
import type { StepThroughData } from './step-through.ts';

/** A table cell: a number (kept exact; renderers format it) or text with inline $TeX$. */
export type Cell = number | string;

export type Block =
  /** Prose with inline $TeX$. */
  | { readonly kind: 'paragraph'; readonly text: string }
  /** A displayed formula, TeX only. */
  | { readonly kind: 'formula'; readonly tex: string; readonly caption?: string }
  /**
   * A table of numbers. Every row is kept (a renderer may thin long ones).
   * `caption` ending in ':' leads into the table; otherwise it sits under it.
   * `digits`: significant digits of the number cells (default 6), one for
   * the table or one per column (e.g. 2 for error columns).
   */
  | { readonly kind: 'table'; readonly headers: readonly string[]; readonly rows: readonly (readonly Cell[])[]; readonly caption?: string; readonly digits?: Digits }
  /** A plot as SVG, with its caption (the terminal shows the caption). */
  | { readonly kind: 'plot'; readonly svg: string; readonly caption: string }
  /** A picture for the page (HTML), with the line the terminal shows instead. */
  | { readonly kind: 'picture'; readonly html: string; readonly terminal?: string }
  /**
   * A live mountain: the loss over two parameters, which the live page turns
   * in 3-D and descends from a start the learner clicks (render/mountain.ts);
   * a static page keeps it hidden, the terminal names it.
   */
  | { readonly kind: 'mountain'; readonly data: MountainData; readonly caption: string }
  /** Backpropagation step by step on a computational graph (render/step-through.ts); the terminal names it. */
  | ({ readonly kind: 'stepThrough' } & StepThroughData)
  /**
   * A partial derivative ∂of/∂wrt in closed form (`downhill grad`'s report):
   * its TeX, shown as a formula on a page, and its text (mathjs syntax, a
   * line of code); the terminal prints the text, then the TeX to copy.
   */
  | { readonly kind: 'partial'; readonly of: string; readonly wrt: string; readonly text: string; readonly tex: string }
  /** Preformatted text, shown as is. */
  | { readonly kind: 'code'; readonly text: string }
  /** An aside: a hint, a warning, a remark (prose with $TeX$). */
  | { readonly kind: 'note'; readonly text: string }
  /** Exercises: questions, each with a way to check the answer (a command line, prose with $TeX$). */
  | { readonly kind: 'exercise'; readonly question: string; readonly check: string }
  /** A heading inside a section with its own anchor id, e.g. one entry of a reference page. */
  | { readonly kind: 'heading'; readonly text: string; readonly id: string }
  /** A picture in a file beside the page: `file` is its relative path, `svg` its content (the caller writes it), shown at width × height. */
  | { readonly kind: 'image'; readonly file: string; readonly svg: string; readonly alt: string; readonly caption: string; readonly width: number; readonly height: number }
  /** A check that passed (prose with $TeX$), shown after a ✔. */
  | { readonly kind: 'check'; readonly text: string }
  /** A line of links (relative hrefs), after an optional lead-in. Link text is prose; Markdown shows its math in Unicode, since GitHub renders none inside a link. */
  | { readonly kind: 'links'; readonly lead?: string; readonly links: readonly Link[] };

/** A relative link: its target and its text (prose with $TeX$). */
export interface Link {
  readonly href: string;
  readonly text: string;
}

/** A partial derivative block as a line of text: '∂f/∂w = 2 * w' (every face shows this line). */
export function partialLine(block: { readonly of: string; readonly wrt: string; readonly text: string }): string {
  return `∂${block.of}/∂${block.wrt} = ${block.text}`;
}

/** A partial derivative block as a formula: '\\frac{\\partial f}{\\partial w} = 2 w'. */
export function partialTex(block: { readonly of: string; readonly wrt: string; readonly tex: string }): string {
  return `\\frac{\\partial ${symbolTex(block.of)}}{\\partial ${symbolTex(block.wrt)}} = ${block.tex}`;
}

/** Significant digits: one for a whole table, or one per column. */
export type Digits = number | readonly number[];

/** The digits of column `c` (default 6). */
export const columnDigits = (digits: Digits | undefined, c: number): number =>
  (typeof digits === 'number' ? digits : digits?.[c]) ?? 6;

export interface Section {
  /** The heading (prose with $TeX$); none for the blocks before the first heading. */
  readonly heading?: string;
  /** Anchor id (HTML: default made from the heading; Markdown: written only when given). */
  readonly id?: string;
  readonly blocks: readonly Block[];
}

/** A lesson (or any page) as data. */
export interface Document {
  readonly title: string;
  /** A line under the title (prose with $TeX$). */
  readonly subtitle?: string;
  readonly sections: readonly Section[];
  /** A line at the end (prose with $TeX$). */
  readonly footer?: string;
}

// A number in exponent notation as JavaScript prints it: 2.22e-16, 1e+21, -3.5e-7.
const SCI = /(?<![\w.\\])(-?\d+(?:\.\d+)?)e([+-]?)(\d+)(?!\w|\.\d)/g;

/** Scientific notation as TeX: 2.22e-16 → 2.22 \times 10^{-16}. Other TeX is unchanged. */
export function normalizeTex(tex: string): string {
  return tex.replace(SCI, (_, m: string, sign: string, e: string) => `${m} \\times 10^{${sign === '-' ? '-' : ''}${Number(e)}}`);
}

/**
 * Prose with numbers in scientific notation written once, as inline TeX:
 * 'a loss of 1e-10' → 'a loss of $1 \times 10^{-10}$'; inside $…$ as in normalizeTex.
 */
export function normalizeProse(text: string): string {
  return splitMath(text).map((part) => (part.math ? `$${normalizeTex(part.text)}$` : part.text.replace(SCI, (s) => `$${normalizeTex(s)}$`))).join('');
}

/** Prose cut into plain and $math$ parts (the dollars dropped); `\$` stays in the plain text. */
export function splitMath(text: string): { readonly text: string; readonly math: boolean }[] {
  const parts: { text: string; math: boolean }[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && text[i + 1] === '$') {
      plain += '\\$';
      i += 2;
    } else if (text[i] === '$') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '$' && text[j - 1] !== '\\')) j++;
      if (j >= text.length) {
        plain += text.slice(i); // an unclosed $ stays text; the HTML renderer reports it
        break;
      }
      if (plain !== '') parts.push({ text: plain, math: false });
      plain = '';
      parts.push({ text: text.slice(i + 1, j), math: true });
      i = j + 1;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain !== '') parts.push({ text: plain, math: false });
  return parts;
}

/** The document as JSON: numbers that are not finite (never expected in a lesson) become the strings 'NaN', 'Infinity', '-Infinity'. */
export function documentJson(doc: Document, space?: number): string {
  return JSON.stringify(doc, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space);
}

/** What tablesOf and proseOf take: a document, each section with its blocks, each block with its kind. */
const DOCUMENT: Accepts<Document> = {
  what: "a document ({ title, sections: [{ blocks }] }, a lesson's run)",
  test: (v): v is Document => objectWith('title', 'sections').test(v)
    && arrayOf({ what: '', test: (s): s is Section => objectWith('blocks').test(s) && Array.isArray(s.blocks) && s.blocks.every((b) => objectWith('kind').test(b)) }).test(v.sections),
};

/** Every table of a document, with the heading of its section: for tests and tools. */
export function tablesOf(doc: Document): (Extract<Block, { kind: 'table' }> & { readonly section?: string })[] {
  checkArg('tablesOf', 'doc', doc, DOCUMENT);
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' ? [{ ...b, ...(s.heading === undefined ? {} : { section: s.heading }) }] : [])));
}

/** All the prose of a document (paragraphs, notes, captions, headings), one string per block: for tests and tools. */
export function proseOf(doc: Document): string[] {
  checkArg('proseOf', 'doc', doc, DOCUMENT);
  const out: string[] = [];
  for (const s of doc.sections) {
    if (s.heading !== undefined) out.push(s.heading);
    for (const b of s.blocks) {
      if (b.kind === 'paragraph' || b.kind === 'note' || b.kind === 'check' || b.kind === 'heading') out.push(b.text);
      else if (b.kind === 'image') out.push(b.caption);
      else if (b.kind === 'plot' || b.kind === 'mountain') out.push(b.caption);
      else if (b.kind === 'formula' && b.caption !== undefined) out.push(b.caption);
      else if (b.kind === 'table') {
        if (b.caption !== undefined) out.push(b.caption);
        out.push(...b.rows.flatMap((r) => r.filter((c): c is string => typeof c === 'string')));
      }
      else if (b.kind === 'exercise') out.push(b.question);
    }
  }
  return out;
}
