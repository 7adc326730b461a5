/**
 * Numbers read from text, as every flag and field reads them: a literal, or a
 * constant expression such as pi/4; and the same with bounds. A bad number is
 * a one-line DownhillError naming the flag or field.
 *
 *   parseNumber('pi/4', '--at w')                                // 0.7853981633974483
 *   parseBounded('0', '--lr', { min: 0, exclusiveMin: true })    // DownhillError: --lr expects a number > 0, got 0
 */
import { DownhillError } from '../errors.ts';
import { parseExpression } from './parse.ts';
import { evaluateFinite } from './evaluate.ts';
import { symbolsOf } from './node.ts';

/** A number given as text: a literal or a constant expression such as pi/4. */
export function parseNumber(text: string, what: string): number {
  const t = text.trim();
  if (t === '') throw new DownhillError(`${what}: missing number`);
  const direct = Number(t);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    if (!Number.isFinite(direct)) throw new DownhillError(`${what}: ${t} is not a finite number`);
    return direct;
  }
  let node;
  try {
    node = parseExpression(t);
  } catch {
    throw new DownhillError(`${what}: "${t}" is not a number`);
  }
  const symbols = symbolsOf([node]);
  if (symbols.length > 0) throw new DownhillError(`${what}: "${t}" is not a number`);
  try {
    return evaluateFinite(node, new Map());
  } catch (e) {
    if (e instanceof DownhillError) throw new DownhillError(`${what}: ${e.message}`);
    throw e;
  }
}

/** Bounds of a number: min < v (exclusiveMin) or min ≤ v, v ≤ max (or v < max: exclusiveMax), a whole number (integer). */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}

/** A number with bounds: parseBounded('0.5', '--lr', { min: 0, exclusiveMin: true }). */
export function parseBounded(text: string, flag: string, bounds: NumberBounds = {}): number {
  const v = parseNumber(text, flag);
  const { min, max, integer, exclusiveMin, exclusiveMax } = bounds;
  if (integer && !Number.isInteger(v)) throw new DownhillError(`${flag} expects a whole number, got ${text}`);
  if (min !== undefined && (exclusiveMin ? v <= min : v < min)) throw new DownhillError(`${flag} expects a number ${exclusiveMin ? '>' : '≥'} ${min}, got ${text}`);
  if (max !== undefined && (exclusiveMax ? v >= max : v > max)) throw new DownhillError(`${flag} expects a number ${exclusiveMax ? '<' : '≤'} ${max}, got ${text}`);
  return v;
}
