import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { checkGradient, compare } from '../src/check/gradient-check.ts';
import { kinksNear } from '../src/check/kinks.ts';
import { float32Evaluator, float32BatchLoss } from '../src/check/float32.ts';

describe('checkGradient', () => {
  test('checkGradient("x^2*y", {x: 3, y: 2}) gives the exact 2xy = 12 and x² = 9, with differences within tolerance', () => {
    const c = checkGradient('x^2*y', { x: 3, y: 2 });
    expect(c.value).toBe(18);
    expect(c.variables.map((v) => v.variable)).toEqual(['x', 'y']);
    const [x, y] = c.variables;
    expect(x!.exact).toBe(12);
    expect(y!.exact).toBe(9);
    // central difference of x²y in x: ((3+h)² − (3−h)²)·2/2h = 12 exactly in real arithmetic
    expect(Math.abs(x!.central - 12)).toBeLessThan(1e-7);
    // forward difference errs by h·y = 2e-6 (the second-order term)
    expect(x!.forward - 12).toBeCloseTo(2e-6, 8);
    expect(c.variables.every((v) => v.status === 'pass')).toBe(true);
    expect(c.pass).toBe(true);
    expect(c.h).toBe(1e-6);
    expect([c.atol, c.rtol, c.method]).toEqual([1e-5, 1e-3, 'central']);
  });

  test('the method option decides which difference is judged: forward with a large step fails where central passes', () => {
    const central = checkGradient('exp(x)', { x: 0 }, { h: 1e-2 });
    const forward = checkGradient('exp(x)', { x: 0 }, { h: 1e-2, method: 'forward' });
    // forward error ≈ h/2 = 5e-3 > 1e-5 + 1e-3; central error ≈ h²/6 ≈ 1.7e-5 < 1.01e-3
    expect(forward.variables[0]!.absError).toBeCloseTo(0.005016708, 8);
    expect(forward.pass).toBe(false);
    expect(forward.variables[0]!.status).toBe('fail');
    expect(central.pass).toBe(true);
  });

  test('--wrt limits the variables; a variable not in the expression or a missing value is a DownhillError', () => {
    expect(checkGradient('x*y', { x: 1, y: 2 }, { wrt: ['y'] }).variables.map((v) => v.variable)).toEqual(['y']);
    expect(() => checkGradient('x*y', { x: 1, y: 2 }, { wrt: ['z'] })).toThrow(/z is not in the expression/);
    expect(() => checkGradient('x*y', { x: 1 })).toThrow(/no value for y/);
    expect(() => checkGradient('x*y', { x: 1, y: 2, z: 3 })).toThrow(/z is not in the expression/);
    expect(() => checkGradient('log(x)', { x: -1 })).toThrow(DownhillError);
    expect(() => checkGradient('x', { x: 1 }, { h: 0 })).toThrow(/step h/);
  });

  test('an infinite exact derivative (sqrt at 0) is a DownhillError naming the variable', () => {
    expect(() => checkGradient('sqrt(x)', { x: 0 })).toThrow(/∂f\/∂x is Infinity/);
  });

  test('compare(e, n, atol, rtol) passes exactly when |n − e| ≤ atol + rtol·|e|', () => {
    expect(compare(100, 100.2, 0, 1e-3).pass).toBe(false);
    expect(compare(100, 100.05, 0, 1e-3).pass).toBe(true);
    expect(compare(0, 1e-6, 1e-5, 0)).toMatchObject({ pass: true, relError: Infinity });
    expect(compare(2, 2, 0, 0)).toMatchObject({ pass: true, absError: 0, relError: 0 });
    expect(compare(2, NaN, 1, 1).pass).toBe(false);
  });
});

describe('kinks', () => {
  test.each([
    ['relu(x)', 0, 0.5],
    ['abs(x)', 0, 0],
    ['relu(x - 1)', 1, 0.5],
  ])('checkGradient(%j) at x = %d warns of the kink instead of failing (central = %d)', (expr, x, central) => {
    const c = checkGradient(expr, { x });
    const v = c.variables[0]!;
    expect(v.central).toBeCloseTo(central, 9);
    expect(v.kinks.length).toBe(1);
    expect(v.kinks[0]!.distance).toBe(0);
    expect(c.pass).toBe(true);
    expect(v.status).toBe(central === 0 ? 'pass' : 'kink');
  });

  test.each([
    ['relu(x)', 0.5], ['relu(x)', -0.5], ['abs(x)', 1e-3], ['abs(x)', -2], ['max(x, 1)', 2], ['huber(x)', 0.5],
  ])('no kink warning for %s at x = %d, away from the kink', (expr, x) => {
    expect(checkGradient(expr, { x }).variables[0]!.kinks).toEqual([]);
  });

  test('a point within the step of the kink warns; one just outside does not (relu(x), h = 1e-6)', () => {
    expect(kinksNear(parseExpression('relu(x)'), { x: 5e-7 }, 'x', 1e-6).length).toBe(1);
    expect(kinksNear(parseExpression('relu(x)'), { x: -5e-7 }, 'x', 1e-6).length).toBe(1);
    expect(kinksNear(parseExpression('relu(x)'), { x: 2e-6 }, 'x', 1e-6)).toEqual([]);
  });

  test('the reach scales with the chain rule: relu(1000·x) at x = 1e-4 is within 1e-6 of its kink in x', () => {
    const [w] = kinksNear(parseExpression('relu(1000*x - 0.1)'), { x: 1e-4 }, 'x', 1e-6);
    expect(w).toMatchObject({ fn: 'relu', variable: 'x' });
    expect(w!.reach).toBeCloseTo(1e-3, 9);
  });

  test('max(x, y) at a tie warns for both x and y; a kink in y does not warn when moving x', () => {
    const c = checkGradient('max(x, y)', { x: 1, y: 1 });
    expect(c.variables.map((v) => v.kinks.length)).toEqual([1, 1]);
    expect(kinksNear(parseExpression('x + relu(y)'), { x: 1, y: 0 }, 'x', 1e-6)).toEqual([]);
  });

  test('huber(x) warns near |x| = δ = 1', () => {
    expect(kinksNear(parseExpression('huber(x)'), { x: 1 }, 'x', 1e-6)[0]!.fn).toBe('huber');
  });
});

describe('float32', () => {
  test('float32Evaluator rounds every value: 1 + 1e-8 is 1, and 0.1² is fround(fround(0.1)²)', () => {
    expect(float32Evaluator(parseExpression('1 + x'), ['x'])(Float64Array.of(1e-8))).toBe(1);
    const f = Math.fround(0.1);
    expect(float32Evaluator(parseExpression('x^2'), ['x'])(Float64Array.of(0.1))).toBe(Math.fround(f * f));
    expect(float32Evaluator(parseExpression('sin(x)'), ['x'])(Float64Array.of(1))).toBe(Math.fround(Math.sin(Math.fround(1))));
  });

  test('float32BatchLoss sums per-sample losses in float32 and divides by N', () => {
    const L = float32BatchLoss(parseExpression('(w*x - y)^2'), ['w'], ['x', 'y'], 'mean');
    const loss = L(Float64Array.of(0.5), Float64Array.of(1, 0, 2, 0), 2);
    expect(loss).toBe(Math.fround((0.25 + 1) / 2));
  });

  test('the float32 check of sin(x) at 1 errs by more than 1e-4, the float64 check by less than 1e-9', () => {
    const f64 = checkGradient('sin(x)', { x: 1 }).variables[0]!;
    const f32 = checkGradient('sin(x)', { x: 1 }, { precision: 'float32' }).variables[0]!;
    expect(f64.absError).toBeLessThan(1e-9);
    expect(f32.absError).toBeGreaterThan(1e-4);
    // the exact derivative is the same double either way
    expect(f32.exact).toBe(Math.cos(1));
  });
});
