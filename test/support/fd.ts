/** Central finite differences, the independent answer most tests compare with. */

/** (f(x + h) − f(x − h)) / 2h for each coordinate of x. */
export function centralDifference(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  const p = Float64Array.from(x);
  const out = new Float64Array(p.length);
  for (let k = 0; k < p.length; k++) {
    const keep = p[k]!;
    const step = h * Math.max(1, Math.abs(keep));
    p[k] = keep + step;
    const up = f(p);
    p[k] = keep - step;
    const down = f(p);
    p[k] = keep;
    out[k] = (up - down) / (2 * step);
  }
  return out;
}

/** |a − b| / max(|a|, |b|, floor): relative, but absolute near zero. */
export function relativeError(a: number, b: number, floor = 1): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/**
 * Fourth-order central difference of f at x along coordinate k:
 * (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h. Truncation error O(h⁴),
 * so with h = 1e-3 it is good to about 1e-12 on smooth functions, far
 * tighter than the two-point rule's 1e-10 floor.
 */
export function centralDifference4(f: (x: Float64Array) => number, x: ArrayLike<number>, k: number, h = 1e-3): number {
  const p = Float64Array.from(x);
  const at = (d: number): number => { p[k] = x[k]! + d; return f(p); };
  return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
}
