import { describe, expect, test } from 'vitest';
import { stepSweep, SWEEP_STEPS } from '../src/check/sweep.ts';
import { asciiPlot } from '../src/check/ascii-plot.ts';

/** Least-squares slope of log10(error) against log10(h). */
function logSlope(points: readonly (readonly [number, number])[]): number {
  const xs = points.map(([h]) => Math.log10(h));
  const ys = points.map(([, e]) => Math.log10(e));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => { num += (x - mx) * (ys[i]! - my); den += (x - mx) ** 2; });
  return num / den;
}

const smooth = [
  ['sin(x)', { x: 1 }, 'x'],
  ['exp(x)', { x: 0.3 }, 'x'],
  ['log(x) * y', { x: 2, y: 1.5 }, 'x'],
  ['sigmoid(w*x)', { w: 0.8, x: 1.3 }, 'w'],
  ['tanh(x)^3 + x^4', { x: 0.6 }, 'x'],
] as const;

describe('stepSweep', () => {
  test('the default steps are 1e-1 … 1e-12', () => {
    expect(SWEEP_STEPS).toEqual([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12]);
  });

  test.each(smooth)('for %s the best central step lies between 1e-7 and 1e-3', (expr, at, v) => {
    const s = stepSweep(expr, at, v);
    expect(s.best.central.h).toBeGreaterThanOrEqual(1e-7);
    expect(s.best.central.h).toBeLessThanOrEqual(1e-3);
    expect(s.best.forward.h).toBeLessThan(s.best.central.h * 1.0001 + 1e-3);
  });

  test.each(smooth)('for %s the truncation side has slope ≈ 2 (central) and ≈ 1 (forward) in log-log', (expr, at, v) => {
    const s = stepSweep(expr, at, v, { steps: [1e-1, 3e-2, 1e-2, 3e-3, 1e-3] });
    const central = logSlope(s.rows.map((r) => [r.h, r.centralError] as const));
    const forward = logSlope(s.rows.map((r) => [r.h, r.forwardError] as const));
    expect(central).toBeGreaterThan(1.8);
    expect(central).toBeLessThan(2.2);
    expect(forward).toBeGreaterThan(0.9);
    expect(forward).toBeLessThan(1.1);
  });

  test('the central error of exp at 0 is h²/6 on the truncation side (Taylor: f‴(0)/6 = 1/6)', () => {
    const s = stepSweep('exp(x)', { x: 0 }, 'x', { steps: [1e-2, 1e-3] });
    expect(s.rows[0]!.centralError / (1e-4 / 6)).toBeCloseTo(1, 3);
    expect(s.rows[1]!.centralError / (1e-6 / 6)).toBeCloseTo(1, 2);
    // forward: h/2·f″(0) = h/2
    expect(s.rows[1]!.forwardError / 5e-4).toBeCloseTo(1, 2);
  });

  test('on the rounding side the error grows as h shrinks: at 1e-12 it exceeds the best error by 100×', () => {
    const s = stepSweep('sin(x)', { x: 1 }, 'x');
    const last = s.rows[s.rows.length - 1]!;
    expect(last.centralError).toBeGreaterThan(100 * s.best.central.error);
    expect(s.theory.central).toBeCloseTo(Math.cbrt(2 ** -52), 12);
  });

  test('a step where f is undefined at x ± h (NaN error) is never the best step', () => {
    // log(x) at x = 0.05: x − 0.1 < 0, so the first row's differences are NaN
    const s = stepSweep('log(x)', { x: 0.05 }, 'x', { steps: [1e-1, 1e-3, 1e-5] });
    expect(Number.isNaN(s.rows[0]!.centralError)).toBe(true);
    expect(s.best.central.h).toBe(1e-5);
    // the central error at h = 1e-5 is about h²/6·|f‴| = h²/6·2/x³ = 2.7e-7
    expect(s.best.central.error).toBeCloseTo(1e-10 / 6 * 2 / 0.05 ** 3, 8);
  });

  test('in float32 the best central step is larger (≥ 1e-4) and its error larger (> 1e-7) than in double', () => {
    const s = stepSweep('sin(x)', { x: 1 }, 'x', { precision: 'float32' });
    expect(s.best.central.h).toBeGreaterThanOrEqual(1e-4);
    expect(s.best.central.error).toBeGreaterThan(1e-7);
    expect(s.theory.epsilon).toBe(2 ** -23);
  });
});

describe('asciiPlot', () => {
  test('asciiPlot puts each marker at its log-log position: the largest x at the right edge, the largest y on the top row', () => {
    const out = asciiPlot([{ name: 'central', marker: 'c', points: [[1e-1, 1e-3], [1e-2, 1e-5]] }], { xLabel: 'h', yLabel: 'error', width: 20, height: 5 });
    const lines = out.split('\n');
    expect(lines[0]).toBe('error');
    expect(lines[1]).toBe('1e-3 |                   c');
    expect(lines[5]).toBe('1e-5 |c');
    expect(lines[6]).toBe('     +--------------------');
    expect(lines[7]).toMatch(/^ {6}1e-2 +1e-1 +h$/);
    expect(lines[8]).toBe('      c central');
  });

  test('two series on one cell draw *, and points ≤ 0 are left out and counted', () => {
    const out = asciiPlot([
      { name: 'a', marker: 'a', points: [[1, 1], [10, 10], [100, 0]] },
      { name: 'b', marker: 'b', points: [[1, 1]] },
    ], { xLabel: 'x', yLabel: 'y', width: 10, height: 4 });
    expect(out.split('\n')[4]).toBe('1e0 |*');
    expect(out).toContain('(1 points ≤ 0 left out)');
  });
});
