/**
 * Terminal output helpers: aligned tables, and which steps of a long run to
 * print. Numbers are formatted by expr/number.ts.
 */
import { DownhillError, ensure } from '../errors.ts';
import { formatCell } from '../expr/number.ts';

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
