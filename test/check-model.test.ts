import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { handwrittenGrad } from '../bench/handwritten.ts';
import { checkModel } from '../src/check/model-check.ts';
import { compileModel } from '../src/matrix/path.ts';
import { loadModel } from '../src/nn/load.ts';
import { checkModelGradient, checkUserGradient } from '../src/check/user-gradient.ts';

describe('loadModel', () => {
  test('loadModel("xor9") holds the reference weights, batch and listed initial loss', () => {
    const m = loadModel('xor9');
    const ref = referenceModel('xor9');
    expect([...m.p]).toEqual([...ref.p]);
    expect(m.N).toBe(4);
    expect(compileModel(m).loss(m.p, m.batch, m.N)).toBe(ref.initialLoss);
  });

  test('loadModel of a description builds it with the seed and batch size given', () => {
    const m = loadModel('2-4-1:relu:mse', { seed: 3, N: 5 });
    expect(m.params.length).toBe(17);
    expect(m.N).toBe(5);
    expect(m.batch.length).toBe(15);
  });

  test('an unknown name is a DownhillError listing the reference models', () => {
    expect(() => loadModel('mnist')).toThrow(DownhillError);
    expect(() => loadModel('mnist')).toThrow(/seed3, xor9/);
  });
});

describe('checkModel', () => {
  test.each(['seed3', 'xor9', 'iris67'])('checkModel(%s) passes every parameter with errors below 1e-8', (id) => {
    const c = checkModel(loadModel(id));
    expect(c.mode).toBe('parameters');
    expect(c.summary.checked).toBe(c.P);
    expect(c.summary.failed).toBe(0);
    expect(c.summary.maxAbsError).toBeLessThan(1e-8);
    expect(c.pass).toBe(true);
    expect(c.worst.length).toBe(Math.min(10, c.P));
  });

  test('the exact column of checkModel equals the hand-written backprop gradient of the reference model', () => {
    const m = referenceModel('iris67');
    const g = new Float64Array(m.P);
    handwrittenGrad(m)(m.p, g);
    const c = checkModel(loadModel('iris67'));
    c.records.forEach((r, k) => expect(r.exact).toBeCloseTo(g[k]!, 12));
  });

  test('fast mode checks along k random unit directions: g·v against the central difference along v', () => {
    const m = loadModel('xor9');
    const c = checkModel(m, { directions: 3, seed: 5 });
    expect(c.mode).toBe('directions');
    expect(c.records.map((r) => r.label)).toEqual(['direction 1', 'direction 2', 'direction 3']);
    expect(c.pass).toBe(true);
    // |g·v| ≤ |g| for a unit v (Cauchy–Schwarz), an independent bound on the exact column
    const g = new Float64Array(9);
    compileModel(m).lossAndGradient(m.p, g, m.batch, m.N);
    const norm = Math.hypot(...g);
    for (const r of c.records) expect(Math.abs(r.exact)).toBeLessThanOrEqual(norm + 1e-15);
  });

  test('a relu network with a unit sitting on its kink reports a kink warning, not a failure', () => {
    // 1-1-1 relu with no bias and a zero weight: the hidden unit relu(w1·x1) sits on its kink
    const m = { ...loadModel('1-1-1:relu:mse:nobias', { N: 1 }) };
    const p = Float64Array.of(0, 0.5);
    const c = checkModel({ ...m, p });
    const w1 = c.records[0]!;
    // the exact derivative takes relu'(0) = 0; the central difference sees slope ½ on average
    expect(w1.exact).toBe(0);
    expect(Math.abs(w1.numeric)).toBeGreaterThan(1e-3);
    expect(w1.status).toBe('kink');
    expect(w1.kinks[0]!.fn).toBe('relu');
    expect(c.pass).toBe(true);
  });

  test('in float32 the same model shows errors above 1e-4 that double precision does not have', () => {
    const m = loadModel('xor9');
    const c64 = checkModel(m);
    const c32 = checkModel(m, { precision: 'float32' });
    expect(c64.summary.maxAbsError).toBeLessThan(1e-9);
    expect(c32.summary.maxAbsError).toBeGreaterThan(1e-4);
  });
});

describe('checking your own gradient', () => {
  test('checkUserGradient accepts a right gradient given by name or as an array', () => {
    expect(checkUserGradient('x^2*y', ({ x, y }) => ({ x: 2 * x! * y!, y: x! * x! }), { x: 3, y: 2 }).pass).toBe(true);
    expect(checkUserGradient('x^2*y', ({ x, y }) => [2 * x! * y!, x! * x!], { x: 3, y: 2 }).pass).toBe(true);
  });

  test('checkUserGradient finds the wrong partial and says by how much', () => {
    const r = checkUserGradient('sin(x)*y', ({ x }) => ({ x: Math.sin(x!), y: Math.sin(x!) }), { x: 1, y: 2 });
    expect(r.pass).toBe(false);
    expect(r.failures.map((f) => f.variable)).toEqual(['x']);
    expect(r.failures[0]!.engine).toBeCloseTo(2 * Math.cos(1), 14);
    expect(r.failures[0]!.absError).toBeCloseTo(Math.abs(Math.sin(1) - 2 * Math.cos(1)), 14);
  });

  test('a gradient of the wrong length is a DownhillError', () => {
    expect(() => checkUserGradient('x*y', () => [1], { x: 1, y: 2 })).toThrow(/1 numbers for 2 variables/);
  });

  test('checkUserGradient where the exact derivative does not exist (sqrt at 0) is a DownhillError, not a NaN comparison', () => {
    expect(() => checkUserGradient('sqrt(x)', () => [Infinity], { x: 0 })).toThrow(DownhillError);
    expect(() => checkUserGradient('sqrt(x)', () => [Infinity], { x: 0 })).toThrow(/∂f\/∂x is Infinity at the point/);
  });

  test('checkModelGradient passes the hand-written backprop of xor9 and catches it with a bias gradient dropped', () => {
    const ref = referenceModel('xor9');
    const hand = handwrittenGrad(ref);
    const mine = (p: Float64Array): Float64Array => { const g = new Float64Array(9); hand(p, g); return g; };
    const m = loadModel('xor9');
    expect(checkModelGradient(m, mine).pass).toBe(true);
    const buggy = (p: Float64Array): Float64Array => { const g = mine(p); g[8] = 0; return g; };
    const r = checkModelGradient(m, buggy);
    expect(r.failures.map((f) => f.variable)).toEqual([m.params[8]]);
  });
});
