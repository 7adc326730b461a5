/**
 * The document a lesson writes on: every block goes to the terminal at once
 * (plain text, formulas as Unicode) and is kept for the HTML page (formulas
 * rendered by KaTeX on the server, plots as inline SVG).
 *
 *   doc.section('The loss')
 *   doc.text('The loss measures how far $\\hat{y}$ is from $y$.')
 *   doc.expression(L, { label: 'L' })
 *   doc.table(['step', 'w', 'loss'], rows)
 *   doc.plot(linePlot({ ... }), 'the loss by step')
 */
import type { Node } from '../expr/node.ts';
import { toTex, toText } from '../expr/print.ts';
import { texToHtml } from '../render/katex.ts';
import { figure, formulaBlock, numericTable, paragraph, preBlock, renderPage, type Section, type TableCell } from '../render/page.ts';
import { alignTable, thinSteps, type Cell } from '../render/table.ts';
import { texToUnicode } from '../render/unicode.ts';

type Block = string | Promise<string>;

export interface LessonDoc {
  /** Starts a new section with a heading (text with $tex$). */
  section(heading: string): void;
  /** A paragraph of prose; $...$ is inline TeX. */
  text(prose: string): void;
  /** A displayed formula; `text` is its terminal form (default: the TeX as Unicode). */
  formula(tex: string, options?: { text?: string; caption?: string }): void;
  /** An expression graph as a displayed formula, `label = expression`. */
  expression(node: Node, options?: { label?: string; labelText?: string; digits?: number; caption?: string }): void;
  /** A table of numbers; long tables show the first rows, every k-th, and the last in the terminal. */
  table(headers: readonly string[], rows: readonly (readonly Cell[])[], options?: { caption?: string; digits?: number }): void;
  /** A plot (SVG, or a promise of one) with a caption; the terminal gets the caption only. */
  plot(svg: string | Promise<string>, caption: string): void;
  /** Preformatted text, shown as is in both. */
  code(text: string): void;
  /** An aside: a hint, a warning, a remark. */
  note(text: string): void;
  /** Raw HTML for the page only (e.g. an interactive picture), with an optional terminal line. */
  html(html: string | Promise<string>, terminal?: string): void;
  /** The page, once every plot has been drawn. */
  toHtml(options: { title: string; subtitle?: string; nav?: readonly { href: string; text: string }[]; root?: string }): Promise<string>;
}

export interface DocOptions {
  /** Where terminal output goes (default: process.stdout); null for none. */
  readonly out?: { write(text: string): unknown } | null;
  /** Significant digits in tables (default 6). */
  readonly digits?: number;
}

/** A new, empty lesson document. */
export function createDoc(options: DocOptions = {}): LessonDoc {
  const out = options.out === undefined ? process.stdout : options.out;
  const say = (text: string): void => {
    out?.write(`${text}\n`);
  };
  const sections: { heading?: string; blocks: Block[] }[] = [{ blocks: [] }];
  const add = (block: Block): void => {
    sections[sections.length - 1]!.blocks.push(block);
  };
  const proseToTerminal = (prose: string): string => prose.replace(/(?<!\\)\$([^$]+)\$/g, (_, tex: string) => texToUnicode(tex)).replace(/\\\$/g, '$');
  const digits = options.digits ?? 6;

  const doc: LessonDoc = {
    section(heading) {
      say(`\n${proseToTerminal(heading)}\n${'─'.repeat(Math.min(72, [...proseToTerminal(heading)].length))}`);
      sections.push({ heading, blocks: [] });
    },
    text(prose) {
      say(wrap(proseToTerminal(prose), 78));
      add(paragraph(prose));
    },
    formula(tex, opts = {}) {
      say(`    ${opts.text ?? texToUnicode(tex)}`);
      texToHtml(tex, { display: true }); // bad TeX fails here, where the lesson wrote it
      add(formulaBlock(tex, opts.caption === undefined ? {} : { caption: opts.caption }));
    },
    expression(node, opts = {}) {
      const printOptions = opts.digits === undefined ? {} : { digits: opts.digits };
      const tex = toTex(node, printOptions);
      const labelText = opts.labelText ?? (opts.label === undefined ? undefined : texToUnicode(opts.label));
      doc.formula(opts.label === undefined ? tex : `${opts.label} = ${tex}`, {
        text: labelText === undefined ? toText(node, printOptions) : `${labelText} = ${toText(node, printOptions)}`,
        ...(opts.caption === undefined ? {} : { caption: opts.caption }),
      });
    },
    table(headers, rows, opts = {}) {
      const d = opts.digits ?? digits;
      const shown = rows.length > 25 ? thinSteps(rows.length, { head: 5, tail: 1, every: Math.max(1, Math.ceil(rows.length / 15)) }) : rows.map((_, i) => i);
      if (opts.caption !== undefined) say(proseToTerminal(opts.caption));
      say(indent(alignTable(headers, shown.map((i) => rows[i]!), { digits: d })));
      if (shown.length < rows.length) say(`    (${rows.length} rows; ${shown.length} shown)`);
      const pageRows = rows.length > 300 ? thinSteps(rows.length, { head: 20, tail: 1, every: Math.ceil(rows.length / 200) }) : rows.map((_, i) => i);
      // A caption that ends with ':' leads into the table, as in the terminal; others sit under it.
      const leadIn = opts.caption?.trimEnd().endsWith(':') === true;
      if (leadIn) add(paragraph(opts.caption!));
      add(numericTable(headers, pageRows.map((i) => rows[i]! as readonly TableCell[]), { digits: d, ...(opts.caption === undefined || leadIn ? {} : { caption: opts.caption }) }));
    },
    plot(svg, caption) {
      say(`    [plot: ${proseToTerminal(caption)} — in the HTML page]`);
      add(Promise.resolve(svg).then((s) => figure(s, caption)));
    },
    code(text) {
      say(indent(text));
      add(preBlock(text));
    },
    note(text) {
      say(wrap(`Note: ${proseToTerminal(text)}`, 78));
      add(`<aside class="note">${paragraph(text)}</aside>`);
    },
    html(html, terminal) {
      if (terminal !== undefined) say(terminal);
      add(html);
    },
    async toHtml(page) {
      const built: Section[] = [];
      for (const s of sections) {
        const html = await Promise.all(s.blocks);
        if (s.heading === undefined && html.length === 0) continue;
        built.push(s.heading === undefined ? { html } : { heading: s.heading, html });
      }
      return renderPage({
        title: page.title,
        ...(page.subtitle === undefined ? {} : { subtitle: page.subtitle }),
        ...(page.nav === undefined ? {} : { nav: page.nav }),
        ...(page.root === undefined ? {} : { root: page.root }),
        sections: built,
        toc: true,
        css: 'aside.note { border-left: 3px solid var(--accent); padding: 0.1rem 1rem; background: var(--code-bg); }',
      });
    },
  };
  return doc;
}

const indent = (text: string): string => text.split('\n').map((l) => `    ${l}`).join('\n');

/** Wraps prose at `width` columns, keeping existing line breaks. */
function wrap(text: string, width: number): string {
  return text.split('\n').map((line) => {
    const words = line.split(' ');
    const lines: string[] = [];
    let current = '';
    for (const w of words) {
      if (current !== '' && [...current].length + 1 + [...w].length > width) {
        lines.push(current);
        current = w;
      } else current = current === '' ? w : `${current} ${w}`;
    }
    lines.push(current);
    return lines.join('\n');
  }).join('\n');
}
