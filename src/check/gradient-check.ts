/**
 * Exact versus finite-difference gradients of an expression at a point.
 *
 * For each variable: the exact partial derivative (reverse mode), the
 * central difference (f(x+h) − f(x−h)) / 2h and the forward difference
 * (f(x+h) − f(x)) / h, their errors, and pass or fail under
 * |numeric − exact| ≤ atol + rtol·|exact| (PyTorch gradcheck's test, with its
 * defaults: h = 1e-6, atol = 1e-5, rtol = 1e-3, central differences).
 *
 *   const c = checkGradient('x^2*y', { x: 3, y: 2 })
 *   c.variables[0]   // { variable: 'x', exact: 12, central: 12.000000000..., pass: true, ... }
 *   c.pass           // true
 */
import { checkArg, checkOneOf, checkOptions, DownhillError, NAMES } from '../errors.ts';
import { symbolsOf, type Node } from '../expr/node.ts';
import { parseExpression } from '../expr/parse.ts';
import { evaluate, evaluateAll, evaluateFinite, POINT, valueMap, type Values } from '../expr/evaluate.ts';
import { toTex, toText } from '../expr/print.ts';
import { roundedNumber } from '../expr/number.ts';
import { derivativesOf, EXPRESSION, type Derivative } from '../diff/derivative.ts';
import { forwardAndCentral } from '../diff/finite-difference.ts';
import { float32Evaluator } from './float32.ts';
import { kinksNear, type KinkWarning } from './kinks.ts';

/** Which finite difference decides pass or fail. */
export type Method = 'central' | 'forward';
/** The arithmetic of the finite differences: double, or single (float32) to show its larger error. */
export type Precision = 'float64' | 'float32';

/** Tolerances and step of a check; every field optional. */
export interface CheckOptions {
  /** Variables to check (default: every symbol of the expression). */
  readonly wrt?: readonly string[];
  /** Finite-difference step (default 1e-6). */
  readonly h?: number;
  /** Absolute tolerance (default 1e-5). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-3). */
  readonly rtol?: number;
  /** Default 'central'. */
  readonly method?: Method;
  /** Default 'float64'. */
  readonly precision?: Precision;
}

export const DEFAULT_H = 1e-6;
export const DEFAULT_ATOL = 1e-5;
export const DEFAULT_RTOL = 1e-3;

/** 'pass'; 'fail'; or 'kink': out of tolerance, but the step straddles a kink, so only a warning. */
export type Status = 'pass' | 'fail' | 'kink';

/** The check of one partial derivative. */
export interface VariableCheck {
  readonly variable: string;
  /** ∂f/∂variable in closed form. */
  readonly derivative: { readonly text: string; readonly tex: string };
  readonly exact: number;
  readonly central: number;
  readonly forward: number;
  /** The difference chosen by `method`, and its errors against the exact value. */
  readonly numeric: number;
  readonly absError: number;
  /** absError / |exact| (0 when both are 0, Infinity when only exact is 0). */
  readonly relError: number;
  /** atol + rtol·|exact|. */
  readonly tolerance: number;
  readonly pass: boolean;
  readonly status: Status;
  readonly kinks: readonly KinkWarning[];
}

/** The check of a whole expression at a point. */
export interface GradientCheck {
  readonly expression: string;
  readonly tex: string;
  readonly point: Readonly<Record<string, number>>;
  readonly value: number;
  readonly h: number;
  readonly atol: number;
  readonly rtol: number;
  readonly method: Method;
  readonly precision: Precision;
  readonly variables: readonly VariableCheck[];
  /** No variable failed ('kink' is a warning, not a failure). */
  readonly pass: boolean;
}

/** |numeric − exact| ≤ atol + rtol·|exact|, and its parts. */
export function compare(exact: number, numeric: number, atol: number, rtol: number): { absError: number; relError: number; tolerance: number; pass: boolean } {
  const absError = Math.abs(numeric - exact);
  const relError = absError === 0 ? 0 : exact === 0 ? Infinity : absError / Math.abs(exact);
  const tolerance = atol + rtol * Math.abs(exact);
  return { absError, relError, tolerance, pass: Number.isFinite(numeric) && absError <= tolerance };
}

/** Checks the step and tolerances, filling in the defaults. */
export function resolveOptions(options: CheckOptions): { h: number; atol: number; rtol: number; method: Method; precision: Precision } {
  const h = options.h ?? DEFAULT_H;
  const atol = options.atol ?? DEFAULT_ATOL;
  const rtol = options.rtol ?? DEFAULT_RTOL;
  if (!(h > 0 && h < 1e3)) throw new DownhillError(`step h must be a number between 0 and 1000, got ${h}`);
  if (!(atol >= 0 && Number.isFinite(atol))) throw new DownhillError(`atol must be a finite number ≥ 0, got ${atol}`);
  if (!(rtol >= 0 && Number.isFinite(rtol))) throw new DownhillError(`rtol must be a finite number ≥ 0, got ${rtol}`);
  return { h, atol, rtol, method: options.method ?? 'central', precision: options.precision ?? 'float64' };
}

/**
 * Refuses a step too small to move the point: when x ± h rounds to
 * something other than a step of about h (x + 1e-320 is x), the finite
 * difference measures rounding, not the slope, and a right gradient would
 * look wrong.
 *
 *   checkStep(1e-320, [['x', 1]])   // throws: the step is lost in rounding at x = 1
 */
export function checkStep(h: number, coordinates: Iterable<readonly [string, number]>, precision: Precision = 'float64'): void {
  const round = precision === 'float32' ? Math.fround : (v: number): number => v;
  for (const [name, x] of coordinates) {
    const up = round(round(x) + h) - round(x);
    const down = round(x) - round(round(x) - h);
    if (!(Math.abs(up - h) <= h / 2 && Math.abs(down - h) <= h / 2)) {
      const unit = precision === 'float32' ? 2 ** -23 : Number.EPSILON;
      const least = Math.max(Math.abs(x), 1e-300) * unit * 4;
      throw new DownhillError(`step h = ${h} is too small to mean anything at ${name} = ${x}: ${name} ± h rounds to a step of ${up} in ${precision === 'float32' ? 'single' : 'double'} precision, so the difference would measure rounding, not the slope (use h ≥ ${roundedNumber(least, 2)})`);
    }
  }
}

/**
 * Checks that a point gives every symbol a value and names nothing else,
 * and that the variables are symbols of the expression; returns the variables.
 */
export function checkPoint(expr: Node, point: ReadonlyMap<string, number>, wrt: readonly string[] | undefined, flag = 'the point'): string[] {
  const symbols = symbolsOf([expr]);
  const vars = wrt === undefined ? symbols : [...wrt];
  if (vars.length === 0) throw new DownhillError('the expression has no variables to check');
  if (new Set(vars).size !== vars.length) throw new DownhillError('a variable is listed twice');
  const notIn = vars.filter((v) => !symbols.includes(v));
  if (notIn.length > 0) throw new DownhillError(`${notIn.join(', ')} ${notIn.length === 1 ? 'is' : 'are'} not in the expression (its symbols: ${symbols.join(', ') || 'none'})`);
  checkValues(expr, point, flag);
  return vars;
}

/**
 * Checks that a point gives a value to every symbol of the expression (and
 * to each name of `also`), names nothing else, and holds finite numbers.
 */
export function checkValues(expr: Node, point: ReadonlyMap<string, number>, flag = 'the point', also: readonly string[] = []): void {
  const names = [...new Set([...symbolsOf([expr]), ...also])];
  const missing = names.filter((s) => !point.has(s));
  if (missing.length > 0) throw new DownhillError(`${flag}: no value for ${missing.join(', ')} (every symbol needs one)`);
  const extra = [...point.keys()].filter((s) => !names.includes(s));
  if (extra.length > 0) throw new DownhillError(`${flag}: ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in the expression`);
  for (const [k, v] of point) if (!Number.isFinite(v)) throw new DownhillError(`${flag}: ${k} = ${v} is not a finite number`);
}

/**
 * The door of checkGradient and stepSweep: the expression, the point, the
 * options (known keys; method and precision one of theirs; the numbers are
 * checked by resolveOptions and the sweep, where they are read).
 */
export function checkArguments(fn: string, expr: unknown, at: unknown, options: unknown, known: readonly string[]): asserts options is { method?: unknown; precision?: unknown } {
  checkArg(fn, 'expr', expr, EXPRESSION);
  checkArg(fn, 'at', at, POINT);
  checkOptions(fn, options, known);
  const o = options as { method?: unknown; precision?: unknown };
  if (o.method !== undefined) checkOneOf(fn, 'method', o.method, ['central', 'forward']);
  if (o.precision !== undefined) checkOneOf(fn, 'precision', o.precision, ['float64', 'float32']);
}

/** An expression given as text or as a graph, with its text. */
export function asExpression(expr: Node | string): { node: Node; text: string } {
  return typeof expr === 'string' ? { node: parseExpression(expr), text: expr } : { node: expr, text: toText(expr) };
}

/** f at the point with one variable moved, in the chosen precision. */
export function shiftedEvaluator(node: Node, point: ReadonlyMap<string, number>, precision: Precision): (variable: string, d: number) => number {
  const names = [...point.keys()];
  const base = Float64Array.from(names, (n) => point.get(n)!);
  const f32 = precision === 'float32' ? float32Evaluator(node, names) : undefined;
  return (variable, d) => {
    if (f32) {
      const x = Float64Array.from(base);
      const k = names.indexOf(variable);
      x[k] = x[k]! + d;
      return f32(x);
    }
    return evaluate(node, new Map([...point, [variable, point.get(variable)! + d]]));
  };
}

/**
 * Checks every partial derivative of `expr` at `point` against finite differences.
 *
 *   checkGradient('relu(x)', { x: 0 }).variables[0].status   // 'kink' (the step straddles relu's kink)
 *   checkGradient('sin(x)', { x: 1 }, { precision: 'float32' }).variables[0].absError  // about 0.01, against 1e-10 in double
 */
export function checkGradient(expr: Node | string, at: Values, options: CheckOptions = {}): GradientCheck {
  checkArguments('checkGradient', expr, at, options, ['wrt', 'h', 'atol', 'rtol', 'method', 'precision']);
  if (options.wrt !== undefined) checkArg('checkGradient', 'wrt', options.wrt, NAMES);
  const { node, text } = asExpression(expr);
  return checkPartials(node, at, options, (wrt) => derivativesOf(node, wrt), () => ({ text, tex: toTex(node) }));
}

/**
 * checkGradient with the closed forms of the partials from `partialsOf` (one
 * per variable, in order: e.g. those a report has already written) and the
 * function's text and TeX from `printed`: the playground checks named steps
 * whose function, written out, would be too large to print.
 */
export function checkPartials(
  node: Node, at: Values, options: CheckOptions,
  partialsOf: (wrt: readonly string[]) => readonly Derivative[], printed: () => { readonly text: string; readonly tex: string },
): GradientCheck {
  const point = new Map(valueMap(at));
  const { h, atol, rtol, method, precision } = resolveOptions(options);
  const wrt = checkPoint(node, point, options.wrt);
  checkStep(h, wrt.map((v) => [v, point.get(v)!] as const), precision);
  const value = evaluateFinite(node, point);
  const forms = partialsOf(wrt);
  const partials = forms.map((d) => d.raw);
  const exactValues = evaluateAll(partials, point);
  const f = shiftedEvaluator(node, point, precision);
  const f0 = precision === 'float32' ? f(wrt[0]!, 0) : value;
  const variables = wrt.map((variable, i): VariableCheck => {
    const exact = exactValues.get(partials[i]!.id)!;
    if (!Number.isFinite(exact)) {
      throw new DownhillError(`∂f/∂${variable} is ${exact} at the point: the derivative does not exist there (${toText(partials[i]!)})`);
    }
    const { forward, central } = forwardAndCentral((d) => f(variable, d), h, f0);
    const numeric = method === 'central' ? central : forward;
    const cmp = compare(exact, numeric, atol, rtol);
    const kinks = kinksNear(node, point, variable, h);
    const status: Status = cmp.pass ? 'pass' : kinks.length > 0 ? 'kink' : 'fail';
    const d = forms[i]!;
    return { variable, derivative: { text: d.text, tex: d.tex }, exact, central, forward, numeric, ...cmp, status, kinks };
  });
  const { text, tex } = printed();
  return {
    expression: text, tex, point: Object.fromEntries(point), value, h, atol, rtol, method, precision,
    variables, pass: variables.every((v) => v.status !== 'fail'),
  };
}
