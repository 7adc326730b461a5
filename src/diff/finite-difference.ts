/**
 * Finite differences: the numeric derivative every check compares the exact
 * one with (the gradient checks, the formula reference, the tests).
 *
 * A difference is taken of a function of the displacement, `f(d)` = the
 * function at x + d along the direction being checked (one variable, one
 * parameter, or a unit direction), so one routine serves every caller:
 *
 *   const g = (d: number) => Math.exp(1 + d)
 *   forwardDifference(g, 1e-6)        // e + about 1e-6·e/2
 *   centralDifference(g, 1e-6)        // e + about 1e-12·e/6, before rounding
 *   fourthOrderDifference(g, 1e-3)    // e + about 1e-12·e/30
 *
 * Truncation error falls like h (forward), h² (central), h⁴ (fourth order);
 * rounding error grows like ε|f|/h, so each has a best step, about ε^(1/2),
 * ε^(1/3) and ε^(1/5) (`bestSteps`).
 */

import { checkArg, FINITE, FUNCTION } from '../errors.ts';

/** The function at x + d, for a displacement d. */
export type Shifted = (d: number) => number;

/** The checks of the three differences' arguments: f a function, h a finite number. */
function checkDifference(fn: string, f: unknown, h: unknown): void {
  checkArg(fn, 'f', f, FUNCTION);
  checkArg(fn, 'h', h, FINITE);
}

/** (f(h) − f(0)) / h; give f(0) when it is known already. */
export function forwardDifference(f: Shifted, h: number, f0?: number): number {
  checkDifference('forwardDifference', f, h);
  if (f0 === undefined) f0 = f(0);
  return (f(h) - f0) / h;
}

/** (f(h) − f(−h)) / 2h. */
export function centralDifference(f: Shifted, h: number): number {
  checkDifference('centralDifference', f, h);
  return (f(h) - f(-h)) / (2 * h);
}

/** Forward and central differences from one evaluation of f(h): three evaluations for both. */
export function forwardAndCentral(f: Shifted, h: number, f0: number = f(0)): { forward: number; central: number } {
  const up = f(h);
  const down = f(-h);
  return { forward: (up - f0) / h, central: (up - down) / (2 * h) };
}

/** (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h: truncation error O(h⁴). */
export function fourthOrderDifference(f: Shifted, h: number): number {
  checkDifference('fourthOrderDifference', f, h);
  return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
}

/** A step relative to the size of x, absolute near zero: h·max(1, |x|). */
export function scaledStep(x: number, h: number): number {
  return h * Math.max(1, Math.abs(x));
}

/**
 * The steps that balance truncation against rounding error for a relative
 * rounding error ε (2⁻⁵² in double, 2⁻²³ in single precision): √ε forward,
 * ∛ε central, ε^(1/5) fourth order.
 */
export function bestSteps(epsilon: number): { forward: number; central: number; fourth: number } {
  checkArg('bestSteps', 'epsilon', epsilon, FINITE);
  return { forward: Math.sqrt(epsilon), central: Math.cbrt(epsilon), fourth: epsilon ** 0.2 };
}

/** |a − b| / max(|a|, |b|, floor): relative, but absolute near zero. */
export function relativeError(a: number, b: number, floor = 1): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
