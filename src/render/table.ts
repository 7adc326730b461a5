/**
 * Terminal output helpers: numbers, aligned tables, and which steps of a long
 * run to print.
 */
import { DownhillError, ensure } from '../errors.ts';

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
 * See also: alignTable
 *
 * For tables: 6 significant digits unless told otherwise. `formatNumber` of
 * expr/print.ts prints numbers inside formulas, exactly by default.
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

/** A table cell: numbers are formatted with formatCell; strings are shown as given. */
export type Cell = string | number;

/** Options of `alignTable`. */
export interface AlignOptions {
  /** Significant digits for number cells (default 6). */
  readonly digits?: number;
  /** Text between columns (default two spaces). */
  readonly gap?: string;
}

/** Width of a string in terminal columns (code points; good enough for ∂, σ, η, ∇). */
function width(s: string): number {
  return [...s].length;
}

// Numbers as formatCell writes them, or as the terminal does (2.22 × 10⁻¹⁶).
const NUMERIC = /^[-+−]?(\d+\.?\d*|\.\d+)(e[-+]?\d+| × 10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?%?$|^[-−]?Infinity$|^NaN$/i;

/** An empty cell or '—' (no value, e.g. after training diverged): it does not make a numeric column text. */
export const isPlaceholder = (cell: string): boolean => cell === '' || cell === '—';

/**
 * Lays out a table for the terminal: a header line, a rule of `-`, then the
 * rows. Number cells are formatted with formatCell; a column whose cells
 * are all numbers (or numeric strings, '' or '—') is right-aligned, any
 * other column is left-aligned. Every row must have as many cells as there are headers.
 *
 * Syntax:
 *   alignTable(headers, rows)
 *   alignTable(headers, rows, { digits: 4, gap: ' | ' })
 *
 * Examples:
 *   alignTable(['step', 'loss'], [[0, 1.5], [10, 0.25]])
 *   // returns
 *   // step  loss
 *   // ----  ----
 *   //    0   1.5
 *   //   10  0.25
 *
 * See also: formatCell, thinSteps
 */
export function alignTable(headers: readonly string[], rows: readonly (readonly Cell[])[], options: AlignOptions = {}): string {
  const digits = options.digits ?? 6;
  const gap = options.gap ?? '  ';
  ensure(headers.length > 0, 'alignTable: give at least one header');
  const text = rows.map((row, r) => {
    if (row.length !== headers.length) {
      throw new DownhillError(`alignTable: row ${r} has ${row.length} cells but there are ${headers.length} headers`);
    }
    return row.map((cell) => (typeof cell === 'number' ? formatCell(cell, digits) : cell));
  });
  const numeric = headers.map((_, c) =>
    rows.length > 0 && rows.every((row) => {
      const cell = row[c];
      return typeof cell === 'number' || (typeof cell === 'string' && (isPlaceholder(cell) || NUMERIC.test(cell.trim())));
    }),
  );
  const widths = headers.map((h, c) => Math.max(width(h), ...text.map((row) => width(row[c] ?? ''))));
  const pad = (s: string, c: number): string => {
    const fill = ' '.repeat((widths[c] ?? 0) - width(s));
    return numeric[c] ? fill + s : s + fill;
  };
  const line = (cells: readonly string[]): string => cells.map(pad).join(gap).trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

/** Options of `thinSteps`. */
export interface ThinOptions {
  /** Show every one of the first `head` steps (default 5). */
  readonly head?: number;
  /** After the head, show every `every`-th step (default: about 20 rows in all). */
  readonly every?: number;
  /** Show every one of the last `tail` steps (default 1: the final step). */
  readonly tail?: number;
}

/**
 * Chooses which of `n` steps (indices 0 … n−1) to print in a long run: every
 * step of the first `head`, then every `every`-th (indices divisible by
 * `every`), then the last `tail`. Returns sorted, distinct indices.
 *
 * Syntax:
 *   thinSteps(n)
 *   thinSteps(n, { head, every, tail })
 *
 * Examples:
 *   thinSteps(4)                                  // returns [0, 1, 2, 3]
 *   thinSteps(100, { head: 3, every: 25, tail: 2 }) // returns [0, 1, 2, 25, 50, 75, 98, 99]
 *
 * See also: alignTable
 */
export function thinSteps(n: number, options: ThinOptions = {}): number[] {
  ensure(Number.isInteger(n) && n >= 0, () => `thinSteps: n must be a non-negative integer, got ${n}`);
  const head = options.head ?? 5;
  const tail = options.tail ?? 1;
  const every = options.every ?? Math.max(1, Math.ceil(n / 20));
  ensure(Number.isInteger(head) && head >= 0, () => `thinSteps: head must be a non-negative integer, got ${head}`);
  ensure(Number.isInteger(tail) && tail >= 0, () => `thinSteps: tail must be a non-negative integer, got ${tail}`);
  ensure(Number.isInteger(every) && every >= 1, () => `thinSteps: every must be a positive integer, got ${every}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i < head || i % every === 0 || i >= n - tail) out.push(i);
  }
  return out;
}
