/**
 * Seeded random numbers for reproducible weights and data.
 *
 * Every reference model (see src/nn/reference.ts) is built from a fresh
 * mulberry32 generator seeded with 42, so that figures measured on it can be
 * compared across versions and across systems.
 */
import { checkArg, FINITE, FUNCTION } from '../errors.ts';

/** A seed: any whole number (taken modulo 2³²). */
const SEED = { what: 'a whole number', test: (v: unknown): v is number => Number.isInteger(v) };

/**
 * mulberry32: a tiny 32-bit generator, returning floats in [0, 1).
 * Written exactly as in /work/shared/benchmark-models.md.
 *
 *   const rng = mulberry32(42);
 *   rng(); // returns 0.6011037519201636
 *   rng(); // returns 0.44829055899754167
 *   rng(); // returns 0.8524657934904099
 */
export function mulberry32(seed: number): () => number {
  checkArg('mulberry32', 'seed', seed, SEED);
  let a = seed | 0;
  return function () {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A draw uniform on [lo, hi): lo + (hi − lo)·u with u = rng().
 *
 *   uniform(mulberry32(42), -1, 1); // returns 0.20220750384032726
 */
export function uniform(rng: () => number, lo: number, hi: number): number {
  checkArg('uniform', 'rng', rng, FUNCTION);
  checkArg('uniform', 'lo', lo, FINITE);
  checkArg('uniform', 'hi', hi, FINITE);
  return draw(rng, lo, hi);
}

/** uniform(rng, lo, hi) unchecked, for the loops that fill a whole parameter vector. */
export function draw(rng: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/**
 * A standard normal draw by the Box–Muller transform:
 * z = √(−2 ln u₁) · cos(2π u₂), with u₁ = 1 − rng() in (0, 1] so the log is finite.
 * Uses two draws per call (the sine partner is discarded, keeping it stateless).
 */
export function normal(rng: () => number): number {
  checkArg('normal', 'rng', rng, FUNCTION);
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Xavier/Glorot uniform initialisation for a layer with `fanIn` inputs and
 * `fanOut` outputs: fanIn·fanOut draws uniform on [−L, L), L = √(6 / (fanIn + fanOut)),
 * in row-major (out × in) order, the order of W in a flat parameter vector.
 */
export function glorotUniform(rng: () => number, fanIn: number, fanOut: number): Float64Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float64Array(fanIn * fanOut);
  for (let k = 0; k < w.length; k++) w[k] = draw(rng, -limit, limit);
  return w;
}
