/**
 * Numbers as text: the one home of every number formatter, in named styles.
 *
 *   exact   formatNumber(0.1)           '0.1'       all digits; formulas and their text (toText)
 *           formatNumber(Math.PI, 4)    '3.142'     or `digits` significant digits
 *   table   formatCell(Math.PI)         '3.14159'   6 significant digits, exponent form below 1e-4 or from 1e6
 *   tex     texNumber(2.2e-16)          '2.2 \times 10^{-16}'   the table style as TeX (pages, prose)
 *           numberTex(1e-7)             '1 \times 10^{-7}'      the exact style as TeX (formulas)
 *   label   displayNumber(-0.5)         '−0.5'      4 significant digits, − for minus (pictures)
 *   rounded roundedNumber(1/3, 6)       '0.333333'  rounded to `digits` significant digits, printed as JavaScript prints
 *                                                   that number (1e-7, 1e+21): run messages, factors, hints
 *   text    proseTextNumber(3.98e7)     '3.98 × 10⁷'  the prose style as plain Unicode text (messages outside TeX)
 *   prose   proseNumber(1.5e-7)         '1.5 \times 10^{-7}'  4 significant digits, 3 as a power of ten below 1e-3 or from 1e6 (TeX, in run diagnoses)
 *
 * (The terminal style, numberText in render/terminal.ts, is the tex style
 * read by the terminal's TeX reader: 2.2 × 10⁻¹⁶.)
 *
 * NaN and ±Infinity come out as words (NaN, Infinity, -Infinity), or
 * \infty in TeX: never silently as a number.
 */
import { checkArg, checkWhole, ensure, NUMBER } from '../errors.ts';

/** A number as text: exact by default, or with `digits` significant digits. */
export function formatNumber(v: number, digits?: number): string {
  checkArg('formatNumber', 'v', v, NUMBER);
  if (digits !== undefined) checkWhole('formatNumber', 'digits', digits, 1, 100);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (digits === undefined || Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const s = v.toPrecision(digits);
  // Drop trailing zeros of the mantissa: 0.5000 → 0.5, 1.200e-7 → 1.2e-7
  return s.includes('e')
    ? s.replace(/\.?0+e/, 'e').replace('e+', 'e')
    : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Formats a number with `digits` significant digits, trailing zeros removed,
 * switching to exponent notation for very small or very large magnitudes.
 * NaN and ±Infinity come out as the words `NaN`, `Infinity`, `-Infinity`:
 * never silently as a number, so a caller that must not show them checks
 * `Number.isFinite` first.
 *
 * Syntax:
 *   formatCell(x)
 *   formatCell(x, digits)
 *
 * Examples:
 *   formatCell(0.1 + 0.2)        // returns '0.3'
 *   formatCell(Math.PI, 3)       // returns '3.14'
 *   formatCell(1234567.8, 4)     // returns '1.235e+6'
 *   formatCell(0.0000123456, 3)  // returns '1.23e-5'
 *   formatCell(-0)               // returns '0'
 *   formatCell(NaN)              // returns 'NaN'
 *
 * See also: alignTable (render/table.ts)
 *
 * For tables: 6 significant digits unless told otherwise. `formatNumber`
 * prints numbers inside formulas, exactly by default.
 */
export function formatCell(x: number, digits = 6): string {
  ensure(Number.isInteger(digits) && digits >= 1 && digits <= 21, () => `formatCell: digits must be an integer from 1 to 21, got ${digits}`);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 10 ** Math.max(digits, 6)) {
    const fixed = x.toPrecision(digits);
    if (!fixed.includes('e')) return stripZeros(fixed);
    // toPrecision chose exponent notation (integer part longer than `digits`): round instead.
    const rounded = Math.round(Number(fixed));
    if (Math.abs(rounded) < 1e6) return String(rounded);
  }
  const [mantissa = '', exponent = ''] = x.toExponential(digits - 1).split('e');
  return `${stripZeros(mantissa)}e${exponent}`;
}

/** '1.2300' → '1.23', '2.000' → '2', '120' → '120'. */
function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A formatted number as TeX: 2.2e-16 and 1e+21 as powers of ten, ±Infinity as ±\infty; other text unchanged. */
function asTex(s: string): string {
  const m = /^(-?[\d.]+)e([+-]?)(\d+)$/.exec(s);
  if (m !== null) return `${m[1]} \\times 10^{${m[2] === '-' ? '-' : ''}${Number(m[3])}}`;
  return s.replace(/^(-?)Infinity$/, '$1\\infty');
}

/** A number as TeX, `digits` significant digits: 0.25 → '0.25', 2.2e-16 → '2.2 \times 10^{-16}'. */
export function texNumber(v: number, digits = 6): string {
  checkArg('texNumber', 'v', v, NUMBER);
  checkWhole('texNumber', 'digits', digits, 1, 21);
  return asTex(formatCell(v, digits));
}

/** A number in a formula, as TeX: exact by default (formatNumber), 1e-7 → '1 \times 10^{-7}'. */
export function numberTex(v: number, digits?: number): string {
  return asTex(formatNumber(v, digits));
}

/** A number for a label: 4 significant digits by default, '−' for minus. */
export function displayNumber(v: number, digits = 4): string {
  return formatNumber(v, digits).replace(/^-/, '−').replace('e-', 'e−');
}

/**
 * A number rounded to `digits` significant digits, printed as JavaScript
 * prints the rounded number: 0.1234567 → '0.123457', 2.5e-7 → '2.5e-7',
 * 1.5e21 → '1.5e+21', 1234567 → '1234570' (digits 6). NaN and ±Infinity as words.
 */
export function roundedNumber(v: number, digits: number): string {
  return String(Number(v.toPrecision(digits)));
}

/** A number for a sentence: 4 significant digits, × 10ⁿ in TeX for very small or large. */
export function proseNumber(v: number): string {
  checkArg('proseNumber', 'v', v, NUMBER);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return roundedNumber(v, 4);
  const [m, e] = v.toExponential(2).split('e');
  return `${Number(m)} \\times 10^{${Number(e)}}`;
}

const superscript: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** The prose style as plain text: 4 significant digits, 3.98 × 10⁷ for very small or large (messages that are not TeX). */
export function proseTextNumber(v: number): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  return proseNumber(v).replace(/ \\times 10\^\{(-?\d+)\}/, (_, e: string) => ` × 10${[...e].map((c) => superscript[c]).join('')}`);
}
