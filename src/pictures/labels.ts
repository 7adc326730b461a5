/**
 * Plain-text labels for pictures, where TeX cannot go: symbol names with
 * Unicode sub- and superscripts, numbers with a true minus sign, and the
 * escaping that DOT and SVG need (symbol names are user text).
 *
 *   unicodeName('w1')        // 'w₁'
 *   unicodeName('W1_2_1')    // 'W⁽¹⁾₂₁'
 *   dotString('say "hi" & <go>')   // '"say \\"hi\\" &amp; &lt;go&gt;"'
 */
import { optional, wholeNumber } from '../errors.ts';
import { GREEK_LETTERS, isGreek, symbolParts } from '../expr/symbols.ts';

/** The pictures' option `digits`: significant digits of the numbers shown, 1 to 17 (or nothing, for the default). */
export const DIGITS = optional(wholeNumber(1, 17), 'a whole number from 1 to 17');

const SUB: Readonly<Record<string, string>> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '-': '₋', '+': '₊',
};
const SUP: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '+': '⁺',
  '(': '⁽', ')': '⁾',
};

/** Digits (and signs) as Unicode subscripts: subscript('12') is '₁₂'. */
export function subscript(text: string): string {
  return [...text].map((c) => SUB[c] ?? c).join('');
}

/** Digits, signs and brackets as Unicode superscripts: superscript('(1)') is '⁽¹⁾'. */
export function superscript(text: string): string {
  return [...text].map((c) => SUP[c] ?? c).join('');
}

function base(name: string): string {
  return isGreek(name) ? GREEK_LETTERS[name]! : name;
}

/**
 * A symbol name as a picture shows it, following `symbolTex`:
 * w1 → w₁, x_12 → x₁₂, alpha → α, y_hat → ŷ, W1_2_1 → W⁽¹⁾₂₁ (layer 1,
 * row 2, column 1), b2_1 → b⁽²⁾₁. Other names are shown as they are.
 */
export function unicodeName(name: string): string {
  const s = symbolParts(name);
  switch (s.kind) {
    case 'layer': {
      const sep = s.indices.some((i) => i.length > 1) ? ',' : '';
      return `${base(s.base)}${superscript(`(${s.layer})`)}${s.indices.map(subscript).join(sep)}`;
    }
    case 'hat': return `${base(s.base)}\u0302`.normalize('NFC');
    case 'indexed': return `${base(s.base)}${subscript(s.index)}`;
    default: return base(name);
  }
}

/** A function's name in a picture: sigmoid → σ, the rest as they are. */
export function functionName(fn: string): string {
  return fn === 'sigmoid' ? 'σ' : fn;
}

/**
 * Mathjs text (from `toText`) made readable: '·' for '*', '−' for '-',
 * '²' for '^ 2', σ for sigmoid.
 */
export function prettyText(text: string): string {
  return text
    .replace(/ \* /g, ' · ')
    .replace(/ - /g, ' − ')
    .replace(/(^|[(\s,])-/g, '$1−')
    .replace(/ \^ (\d)(?![\d.])/g, (_, d: string) => superscript(d))
    .replace(/ \^ /g, '^')
    .replace(/\bsigmoid\(/g, 'σ(');
}

/** Cuts a label to at most `max` characters, ending in '…' when cut. */
export function shorten(text: string, max = 40): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A DOT double-quoted string holding plain text: backslashes and quotes
 * escaped for DOT, '&', '<', '>' as entities (Graphviz reads entities in
 * labels and writes them back to the SVG escaped), newlines in the text as
 * spaces. Lines of a multi-line label are joined with `dotLines`.
 */
export function dotString(text: string): string {
  return `"${escapeDotText(text)}"`;
}

function escapeDotText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');
}

/** A multi-line DOT label, each line escaped as `dotString` does: dotLines(['σ', '= 0.5']). */
export function dotLines(lines: readonly string[]): string {
  return `"${lines.map(escapeDotText).join('\\n')}"`;
}

/**
 * Lines for a DOT label, each in its own colour where `colourOf` gives one:
 * a plain label ("a\nb") when none has a colour, else an HTML-like label
 * whose coloured lines are <FONT COLOR> (Graphviz draws them in that fill),
 * so a picture's colours are in its DOT, not put into the SVG afterwards.
 *
 *   dotColouredLines(['v = 2', '∂L/∂v = 1'], (l) => (l.startsWith('∂') ? '#b45309' : undefined))
 *   // '<v = 2<BR/><FONT COLOR="#b45309">∂L/∂v = 1</FONT>>'
 */
export function dotColouredLines(lines: readonly string[], colourOf: (line: string) => string | undefined): string {
  const colours = lines.map(colourOf);
  if (colours.every((c) => c === undefined)) return dotLines(lines);
  return `<${lines.map((l, k) => (colours[k] === undefined ? escapeXml(l) : `<FONT COLOR="${escapeXml(colours[k]!)}">${escapeXml(l)}</FONT>`)).join('<BR/>')}>`;
}

/** Escapes text for an XML/SVG attribute value or text content. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}
