/**
 * site/libm.ts writes out Node's Math.exp, Math.log, Math.log1p, Math.cos and Math.sin, so that the live
 * site's worker computes what the command line computes. Checked against the
 * running Node, bit for bit: if a Node upgrade changes its exp or log, this
 * fails, and the site would no longer give the CLI's numbers.
 */
import { describe, expect, test } from 'vitest';
import { cos, exp, log, log1p, sin } from '../site/libm.ts';
import { mulberry32 } from '../src/nn/random.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Arguments from a few ranges, plus doubles made of random bits (every exponent, subnormals, NaN, ±∞). */
function argumentsFor(seed: number, scale: (u: number) => number, n = 100_000): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => scale(rng()));
}
function randomBits(seed: number, n = 200_000): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    u32[0] = Math.floor(rng() * 2 ** 32);
    u32[1] = Math.floor(rng() * 2 ** 32);
    return f64[0]!;
  });
}
const specials = [0, -0, 1, -1, 2, 0.5, Math.E, Infinity, -Infinity, NaN, 709.78, 709.79, 710, -745.1, -745.2, -746, 1e-300, 5e-324, -5e-324, 2 ** -28, 2 ** -1022, Number.MAX_VALUE];

function mismatches(f: (x: number) => number, g: (x: number) => number, xs: readonly number[]): string[] {
  return xs.filter((x) => !Object.is(f(x), g(x))).slice(0, 3).map((x) => `${x}: ${f(x)}, Node ${g(x)}`);
}

/** Multiples of π/2 and their neighbours a few ulps away, where the reduction needs its second and third terms. */
const nearHalfPis = Array.from({ length: 64 }, (_, n) => n + 1).flatMap((n) => [-3, -1, 0, 1, 3].flatMap((d) => {
  const x = (n * Math.PI) / 2 + d * n * 2 ** -44;
  return [x, -x];
}));

describe("site/libm.ts: Node's exp, log, log1p, cos and sin, bit for bit", () => {
  test.each([
    ['exp on (-750, 750)', exp, Math.exp, argumentsFor(1, (u) => (u - 0.5) * 1500)],
    ['exp on (-2, 2) (sigmoids of small z)', exp, Math.exp, argumentsFor(2, (u) => (u - 0.5) * 4)],
    ['exp of random bits', exp, Math.exp, randomBits(3)],
    ['exp of special values', exp, Math.exp, specials],
    ['log on (0, 1000)', log, Math.log, argumentsFor(4, (u) => u * 1000)],
    ['log near 1', log, Math.log, argumentsFor(5, (u) => 1 + (u - 0.5) * 0.1)],
    ['log of random bits', log, Math.log, randomBits(6)],
    ['log of special values', log, Math.log, specials],
    ['log1p on (-1, 1000)', log1p, Math.log1p, argumentsFor(7, (u) => -1 + u * 1001)],
    ['log1p of exp(-|z|) (softplus)', log1p, Math.log1p, argumentsFor(8, (u) => Math.exp(-u * 40))],
    ['log1p near 0', log1p, Math.log1p, argumentsFor(9, (u) => (u - 0.5) * 1e-6)],
    ['log1p of random bits', log1p, Math.log1p, randomBits(10)],
    ['log1p of special values', log1p, Math.log1p, specials],
    ['cos on [0, 2π) (normal draws: cos 2πu)', cos, Math.cos, argumentsFor(11, (u) => 2 * Math.PI * u)],
    ['cos on (-1000, 1000)', cos, Math.cos, argumentsFor(12, (u) => (u - 0.5) * 2000)],
    ['cos on (-8e5, 8e5) (the medium reduction)', cos, Math.cos, argumentsFor(13, (u) => (u - 0.5) * 1.6e6)],
    ['cos near multiples of π/2', cos, Math.cos, nearHalfPis],
    ['cos of random bits', cos, Math.cos, randomBits(14)],
    ['cos of special values', cos, Math.cos, specials],
    ['sin on (-20, 20) (datasets: sin πx, spirals)', sin, Math.sin, argumentsFor(15, (u) => (u - 0.5) * 40)],
    ['sin on (-8e5, 8e5) (the medium reduction)', sin, Math.sin, argumentsFor(16, (u) => (u - 0.5) * 1.6e6)],
    ['sin near multiples of π/2', sin, Math.sin, nearHalfPis],
    ['sin of random bits', sin, Math.sin, randomBits(17)],
    ['sin of special values', sin, Math.sin, specials],
  ] as const)('%s', (_, mine, node, xs) => {
    expect(mismatches(mine, node, xs)).toEqual([]);
  });
});
