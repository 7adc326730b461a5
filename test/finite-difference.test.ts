import { describe, expect, test } from 'vitest';
import {
  bestSteps, centralDifference, forwardAndCentral, forwardDifference, fourthOrderDifference, relativeError, scaledStep,
} from '../src/diff/finite-difference.ts';

// With h a power of two and small integers, every operation below is exact,
// so each rule must give its closed-form truncation error to the last bit.
const h = 2 ** -4;
const x = 3;

describe('finite differences against their closed-form truncation errors', () => {
  test('forward on x²: 2x + h', () => {
    expect(forwardDifference((d) => (x + d) ** 2, h)).toBe(2 * x + h);
    expect(forwardDifference((d) => (x + d) ** 2, h, 9)).toBe(2 * x + h);
  });

  test('central on x³: 3x² + h²; exact on x²', () => {
    expect(centralDifference((d) => (x + d) ** 3, h)).toBe(3 * x * x + h * h);
    expect(centralDifference((d) => (x + d) ** 2, h)).toBe(2 * x);
  });

  test('fourth order on x⁵: 5x⁴ − 4h⁴ (the −h⁴/30·f⁽⁵⁾ term); exact on x⁴', () => {
    expect(fourthOrderDifference((d) => (x + d) ** 5, h)).toBe(5 * x ** 4 - 4 * h ** 4);
    expect(fourthOrderDifference((d) => (x + d) ** 4, h)).toBe(4 * x ** 3);
  });

  test('on exp at 1, halving h halves the forward error, quarters the central one, divides the fourth-order one by 16', () => {
    const f = (d: number): number => Math.exp(1 + d);
    const ratio = (rule: (f: (d: number) => number, h: number) => number, h: number): number =>
      Math.abs(rule(f, h) - Math.E) / Math.abs(rule(f, h / 2) - Math.E);
    expect(ratio(forwardDifference, 1e-3)).toBeCloseTo(2, 2);
    expect(ratio(centralDifference, 1e-2)).toBeCloseTo(4, 2);
    expect(ratio(fourthOrderDifference, 1e-1)).toBeCloseTo(16, 1);
  });

  test('forwardAndCentral: both differences from three evaluations, equal to the separate rules', () => {
    let calls = 0;
    const f = (d: number): number => { calls++; return Math.sin(0.7 + d); };
    const both = forwardAndCentral(f, 1e-5);
    expect(calls).toBe(3);
    expect(both.forward).toBe(forwardDifference(f, 1e-5));
    expect(both.central).toBe(centralDifference(f, 1e-5));
    calls = 0;
    forwardAndCentral(f, 1e-5, Math.sin(0.7));
    expect(calls).toBe(2);
  });
});

describe('steps and errors', () => {
  test('scaledStep: h·max(1, |x|)', () => {
    expect(scaledStep(0.5, 1e-6)).toBe(1e-6);
    expect(scaledStep(-4, 2 ** -20)).toBe(2 ** -18);
  });

  test('bestSteps: √ε, ∛ε, ε^(1/5); in double 2⁻²⁶, about 6.1e-6 and 7.4e-4', () => {
    const s = bestSteps(2 ** -52);
    expect(s.forward).toBe(2 ** -26);
    expect(s.central).toBeCloseTo(2 ** (-52 / 3), 20);
    expect(s.fourth).toBeCloseTo(2 ** (-52 / 5), 18);
  });

  test('the best central step beats steps ten times larger and smaller on exp at 1', () => {
    const f = (d: number): number => Math.exp(1 + d);
    const err = (h: number): number => Math.abs(centralDifference(f, h) - Math.E);
    const best = bestSteps(2 ** -52).central;
    expect(err(best)).toBeLessThan(err(best * 10));
    expect(err(best)).toBeLessThan(err(best / 10));
  });

  test('relativeError: relative, absolute below the floor', () => {
    expect(relativeError(100, 101)).toBeCloseTo(1 / 101, 15);
    expect(relativeError(1e-9, 2e-9)).toBeCloseTo(1e-9, 20);
    expect(relativeError(1e-9, 2e-9, 1e-9)).toBe(0.5);
  });
});
