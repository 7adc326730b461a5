/**
 * The terminal renderer of a lesson document (render/document.ts): plain
 * text, formulas derived from their TeX (texToUnicode), tables aligned and
 * thinned, plots and pictures as one line pointing to the page (or file),
 * links as their text.
 *
 *   process.stdout.write(documentText(doc))
 *   blockText({ kind: 'formula', tex: '\\hat{y} = w x' })   // '    ŷ = wx'
 */
import type { Block, Cell, Document } from './document.ts';
import type { MountainData } from './mountain.ts';
import type { StepThroughData } from './step-through.ts';
import { columnDigits, partialLine, splitMath } from './document.ts';
import { alignTable, thinSteps } from './table.ts';
import { formatCell, texNumber } from '../expr/number.ts';
import { texToUnicode } from './unicode.ts';
import { displayWidth, terminalWidth } from './width.ts';

/** The width prose and tables are laid out to: the terminal's, less 2 (78 when piped: 80 columns). */
export const textWidth = (): number => terminalWidth() - 2;

/** Prose with $TeX$ as terminal text: the math as Unicode, `\$` as a dollar sign. */
export function proseText(prose: string): string {
  return splitMath(prose).map((p) => (p.math ? texToUnicode(p.text) : p.text.replace(/\\\$/g, '$'))).join('');
}

/**
 * A formula as terminal text: one line, or one line per row of an aligned
 * (or cases) environment, the rows lined up at their `&`.
 */
export function formulaText(tex: string): string {
  const cases = /^([\s\S]*?)\\begin\{cases\}([\s\S]*?)\\end\{cases\}([\s\S]*)$/.exec(tex);
  if (cases !== null && !/^\s*\\begin\{aligned\}/.test(tex)) {
    const prefix = texToUnicode(cases[1]!);
    const rows = cases[2]!.split(/\\\\/).map((row) => row.split('&').map((part) => texToUnicode(part)));
    const width = Math.max(...rows.map((r) => [...(r[0] ?? '')].length));
    const pad = ' '.repeat([...prefix].length);
    return rows.map((r, k) => `${k === 0 ? prefix : pad} { ${(r[0] ?? '').padEnd(width)}${r[1] === undefined ? '' : `  if ${r[1]}`}`.trimEnd())
      .join('\n') + (cases[3]!.trim() === '' ? '' : ` ${texToUnicode(cases[3]!)}`);
  }
  const env = /^\s*\\begin\{(aligned|cases|gathered|split)\}([\s\S]*)\\end\{\1\}\s*$/.exec(tex);
  if (env === null) return texToUnicode(tex);
  const rows = env[2]!.split(/\\\\/).map((row) => {
    const at = row.indexOf('&');
    return at < 0 || env[1] === 'cases' ? { left: '', right: texToUnicode(row) } : { left: texToUnicode(row.slice(0, at)), right: texToUnicode(row.slice(at + 1)) };
  });
  const width = Math.max(...rows.map((r) => [...r.left].length));
  return rows.map((r) => (width === 0 ? r.right : `${r.left.padStart(width)} ${r.right}`).trimEnd()).join('\n');
}

/** A number as the terminal shows it everywhere: 6 significant digits, − for minus, 2.22 × 10⁻¹⁶ for very small or large ones. */
export function numberText(v: number, digits = 6): string {
  return Number.isFinite(v) ? texToUnicode(texNumber(v, digits)) : formatCell(v, digits).replace(/^-/, '−');
}

const indent = (text: string): string => text.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');

/** Wraps prose at `width` columns (display width), keeping existing line breaks. */
export function wrap(text: string, width = textWidth()): string {
  return text.split('\n').map((line) => {
    const lines: string[] = [];
    let current = '';
    // current's display width, kept as words are added (a width is the sum of its parts': no sequence spans a space).
    let columns = 0;
    for (const w of line.split(' ')) {
      const wide = displayWidth(w);
      if (current !== '' && columns + 1 + wide > width) {
        lines.push(current);
        current = w;
        columns = wide;
      } else {
        columns = current === '' ? wide : columns + 1 + wide;
        current = current === '' ? w : `${current} ${w}`;
      }
    }
    lines.push(current);
    return lines.join('\n');
  }).join('\n');
}

const wrapAt = (text: string, width: number): string => wrap(text, width);

const cellText = (cell: Cell, digits: number): string => (typeof cell === 'number' ? numberText(cell, digits) : proseText(cell));

/** A heading and its rule. */
export function headingText(heading: string): string {
  const h = proseText(heading);
  return `\n${h}\n${'─'.repeat(Math.min(72, displayWidth(h)))}`;
}

/**
 * One block as terminal text (no trailing newline), laid out to `width`
 * columns. Long tables show the first rows, every k-th, and the last; wide
 * ones are cut into narrower tables (alignTable's maxWidth).
 */
export function blockText(block: Block, width = textWidth()): string {
  const wrap = (text: string): string => wrapAt(text, width);
  switch (block.kind) {
    case 'paragraph': return wrap(proseText(block.text));
    case 'formula': {
      const caption = block.caption === undefined ? '' : `\n${wrap(`    (${proseText(block.caption)})`)}`;
      return indent(formulaText(block.tex)) + caption;
    }
    case 'table': {
      const n = block.rows.length;
      const shown = n > 25 ? thinSteps(n, { head: 5, tail: 1, every: Math.max(1, Math.ceil(n / 15)) }) : block.rows.map((_, i) => i);
      const lines: string[] = [];
      if (block.caption !== undefined) lines.push(wrap(proseText(block.caption)));
      lines.push(indent(alignTable(block.headers.map(proseText), shown.map((i) => block.rows[i]!.map((c, k) => cellText(c, columnDigits(block.digits, k)))), { maxWidth: width - 4 })));
      if (shown.length < n) lines.push(`    (${n} rows; ${shown.length} shown)`);
      return lines.join('\n');
    }
    case 'plot': return wrap(`    [plot: ${proseText(block.caption)} — in the HTML page]`);
    case 'picture': return block.terminal ?? '';
    case 'mountain': return mountainLine(block.data);
    case 'stepThrough': return stepThroughLine(block);
    case 'partial': return indent(`${partialLine(block)}\n   TeX: ${block.tex}`);
    case 'code': return indent(block.text);
    case 'note': return wrap(`Note: ${proseText(block.text)}`);
    case 'exercise': return `${wrap(`Exercise: ${proseText(block.question)}`)}\n${wrap(`    Check: ${proseText(block.check)}`)}`;
    case 'heading': return `\n${proseText(block.text)}`;
    case 'image': return wrap(`    [picture: ${proseText(block.caption)} — ${block.file}]`);
    case 'check': return wrap(`✔ ${proseText(block.text)}`);
    case 'links': return wrap(`${block.lead === undefined ? '' : `${proseText(block.lead)}: `}${block.links.map((l) => proseText(l.text)).join(' · ')}`);
  }
}

/** The whole document as terminal text, laid out to `width` columns. */
export function documentText(doc: Document, width = textWidth()): string {
  const out: string[] = [doc.title];
  if (doc.subtitle !== undefined) out.push(wrap(proseText(doc.subtitle), width));
  for (const s of doc.sections) {
    if (s.heading !== undefined) out.push(headingText(s.heading));
    for (const b of s.blocks) {
      const text = blockText(b, width);
      if (text !== '') out.push(text);
    }
  }
  if (doc.footer !== undefined) out.push(`\n${wrap(proseText(doc.footer), width)}`);
  return `${out.join('\n')}\n`;
}

/** The line a terminal (or Markdown) shows for a mountain. */
export function mountainLine(data: MountainData): string {
  const held = Object.keys(data.fixed);
  return `    [mountain: the loss over ${data.params[0]} and ${data.params[1]}${held.length === 0 ? '' : ` (${held.join(', ')} held)`}, to turn in 3-D and descend from a start you pick — on the live page]`;
}
/** The line a terminal (or Markdown) shows for a step-through. */
export function stepThroughLine(data: StepThroughData): string {
  return `    [picture: the computational graph of ${data.lossName}, step by step: values forward, then adjoints backward — in the HTML page]`;
}
