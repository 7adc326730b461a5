/**
 * Finite differences over a vector of parameters, the independent answer
 * most tests compare with: src/diff/finite-difference.ts along each
 * coordinate (that routine is itself checked against closed forms in
 * test/finite-difference.test.ts).
 */
import { centralDifference as central, fourthOrderDifference, scaledStep } from '../../src/diff/finite-difference.ts';

export { relativeError } from '../../src/diff/finite-difference.ts';

/** f at x with coordinate k moved by d. */
function along(f: (x: Float64Array) => number, x: ArrayLike<number>, k: number): (d: number) => number {
  const p = Float64Array.from(x);
  return (d) => { p[k] = x[k]! + d; return f(p); };
}

/** (f(x + h) − f(x − h)) / 2h for each coordinate of x, with the step h·max(1, |x_k|). */
export function centralDifference(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  return Float64Array.from({ length: x.length }, (_, k) => central(along(f, x, k), scaledStep(x[k]!, h)));
}

/**
 * Fourth-order central difference of f at x along coordinate k:
 * (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h. Truncation error O(h⁴),
 * so with h = 1e-3 it is good to about 1e-12 on smooth functions, far
 * tighter than the two-point rule's 1e-10 floor.
 */
export function centralDifference4(f: (x: Float64Array) => number, x: ArrayLike<number>, k: number, h = 1e-3): number {
  return fourthOrderDifference(along(f, x, k), h);
}
