import { describe, expect, test } from 'vitest';
import { glorotUniform, mulberry32, normal, uniform } from '../src/nn/random.ts';

describe('mulberry32', () => {
  test('mulberry32(42) draws 0.6011037519201636, 0.44829055899754167, 0.8524657934904099 first (the spec)', () => {
    const rng = mulberry32(42);
    expect([rng(), rng(), rng()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  test('mulberry32(seed) is reproducible and stays in [0, 1)', () => {
    const a = mulberry32(7), b = mulberry32(7);
    for (let k = 0; k < 1000; k++) {
      const u = a();
      expect(u).toBe(b());
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});

describe('uniform, normal, glorotUniform', () => {
  test('uniform(rng, lo, hi) = lo + (hi − lo)·rng()', () => {
    expect(uniform(mulberry32(42), -1, 1)).toBe(-1 + 2 * 0.6011037519201636);
  });

  test('normal(rng) has mean ≈ 0 and variance ≈ 1 over 20000 draws', () => {
    const rng = mulberry32(1);
    const n = 20000;
    let s = 0, s2 = 0;
    for (let k = 0; k < n; k++) {
      const z = normal(rng);
      expect(Number.isFinite(z)).toBe(true);
      s += z;
      s2 += z * z;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(0.05);
  });

  test('glorotUniform(rng, fanIn, fanOut) gives fanIn·fanOut draws within ±√(6/(fanIn + fanOut))', () => {
    const w = glorotUniform(mulberry32(3), 4, 8);
    const limit = Math.sqrt(6 / 12);
    expect(w.length).toBe(32);
    for (const v of w) expect(Math.abs(v)).toBeLessThanOrEqual(limit);
    expect(Math.max(...w) - Math.min(...w)).toBeGreaterThan(limit); // actually spread out
  });
});
