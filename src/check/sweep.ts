/**
 * The error of finite differences as the step shrinks: the V-shape.
 *
 * Taylor: f(x+h) = f + h f' + h²/2 f'' + h³/6 f''' + …, so the forward
 * difference (f(x+h) − f(x))/h errs by about h/2·|f''| (slope 1 in a log-log
 * plot) and the central difference (f(x+h) − f(x−h))/2h by about
 * h²/6·|f'''| (slope 2). Rounding adds about ε|f|/h (slope −1), ε = 2⁻⁵² in
 * double. The sum is smallest near h ≈ √ε ≈ 1e-8 (forward) and
 * h ≈ ∛ε ≈ 6e-6 (central), times the scale of f.
 *
 *   const s = stepSweep('sin(x)', { x: 1 }, 'x')
 *   s.best.central.h   // 1e-5 or so
 *   s.rows[0]          // { h: 0.1, forward: 0.497..., central: 0.539..., forwardError: 0.0429..., centralError: 9.0e-4 }
 */
import { checkArg, DownhillError, NUMBERS, TEXT } from '../errors.ts';
import type { Node } from '../expr/node.ts';
import { evaluateFinite, valueMap, type Values } from '../expr/evaluate.ts';
import { gradient } from '../diff/gradient.ts';
import { bestSteps, forwardAndCentral } from '../diff/finite-difference.ts';
import { asExpression, checkArguments, checkPoint, shiftedEvaluator, type Precision } from './gradient-check.ts';

/** The steps of a sweep by default: 1e-1, 1e-2, …, 1e-12. */
export const SWEEP_STEPS: readonly number[] = Array.from({ length: 12 }, (_, k) => Number(`1e-${k + 1}`));

export interface SweepRow {
  readonly h: number;
  readonly forward: number;
  readonly central: number;
  /** |forward − exact| and |central − exact|. */
  readonly forwardError: number;
  readonly centralError: number;
}

export interface StepSweep {
  readonly expression: string;
  readonly variable: string;
  readonly point: Readonly<Record<string, number>>;
  readonly precision: Precision;
  readonly exact: number;
  readonly rows: readonly SweepRow[];
  /** The step with the smallest error (the largest such step on a tie). */
  readonly best: { readonly forward: { readonly h: number; readonly error: number }; readonly central: { readonly h: number; readonly error: number } };
  /** The rule-of-thumb best steps: √ε for forward, ∛ε for central (ε the precision's unit roundoff). */
  readonly theory: { readonly epsilon: number; readonly forward: number; readonly central: number };
}

/** Options of `stepSweep`. */
export interface SweepOptions {
  /** Steps to try, largest first (default SWEEP_STEPS). */
  readonly steps?: readonly number[];
  readonly precision?: Precision;
}

function bestOf(rows: readonly SweepRow[], key: 'forwardError' | 'centralError'): { h: number; error: number } {
  // A step whose difference is not a finite number (f undefined at x ± h) is never the best.
  let best = { h: rows[0]!.h, error: Infinity };
  for (const r of rows) if (r[key] < best.error) best = { h: r.h, error: r[key] };
  return best;
}

/**
 * Forward and central differences of ∂expr/∂variable at the point, for
 * each step, with their errors against the exact derivative.
 *
 *   stepSweep('exp(x)', { x: 0 }, 'x', { steps: [1e-2, 1e-4] }).rows.map((r) => r.centralError)
 *   // [1.6667e-5, 1.6667e-9] (h²/6: the central error falls 100-fold per 10-fold step)
 */
export function stepSweep(expr: Node | string, at: Values, variable: string, options: SweepOptions = {}): StepSweep {
  checkArguments('stepSweep', expr, at, options, ['steps', 'precision']);
  checkArg('stepSweep', 'variable', variable, TEXT);
  if (options.steps !== undefined) checkArg('stepSweep', 'steps', options.steps, NUMBERS);
  const { node, text } = asExpression(expr);
  const point = new Map(valueMap(at));
  checkPoint(node, point, [variable]);
  const steps = options.steps ?? SWEEP_STEPS;
  if (steps.length === 0 || steps.length > 200) throw new DownhillError(`sweep: give 1 to 200 steps, got ${steps.length}`);
  for (const h of steps) if (!(h > 0 && h < 1e3)) throw new DownhillError(`sweep: step ${h} is not a number between 0 and 1000`);
  const precision = options.precision ?? 'float64';
  evaluateFinite(node, point);
  const partial = gradient(node, [variable]).partials[0]!;
  const exact = evaluateFinite(partial, point);
  const f = shiftedEvaluator(node, point, precision);
  const f0 = f(variable, 0);
  const rows = steps.map((h): SweepRow => {
    const { forward, central } = forwardAndCentral((d) => f(variable, d), h, f0);
    return { h, forward, central, forwardError: Math.abs(forward - exact), centralError: Math.abs(central - exact) };
  });
  const epsilon = precision === 'float32' ? 2 ** -23 : 2 ** -52;
  const theory = bestSteps(epsilon);
  return {
    expression: text, variable, point: Object.fromEntries(point), precision, exact, rows,
    best: { forward: bestOf(rows, 'forwardError'), central: bestOf(rows, 'centralError') },
    theory: { epsilon, forward: theory.forward, central: theory.central },
  };
}
