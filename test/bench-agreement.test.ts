import { cpus } from 'node:os';
import { describe, expect, test } from 'vitest';
import { evaluate } from 'mathjs';
import { compileGradient } from '../src/compile/compile.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { handwrittenGrad } from '../bench/handwritten.ts';
import { batchLossText } from '../bench/batch-loss-text.ts';
import { busyMachineWarning, linearFit, maxRelativeDifference, median } from '../bench/stats.ts';
import { centralDifference4, relativeError } from './support/fd.ts';

describe.each(referenceIds.map((id) => [id]))('the benchmark model %s', (id) => {
  const m = referenceModel(id);
  const nl = networkLoss(m.layers, m.loss, 'indexed');
  const f = compileGradient(nl.loss, { params: nl.params, data: nl.data, reduce: nl.reduce });
  const X = referenceBatch(m);
  const g = new Float64Array(m.P);
  const loss = f.lossAndGradient(m.p, g, X);

  test('compiled gradient = hand-written backpropagation to 1e-9 relative, on every parameter', () => {
    const hand = new Float64Array(m.P);
    expect(handwrittenGrad(m)(m.p, hand)).toBeCloseTo(loss, 14);
    for (let k = 0; k < m.P; k++) {
      expect(relativeError(g[k]!, hand[k]!, 1e-12), `∂L/∂${nl.params[k]}: ${g[k]} vs ${hand[k]}`).toBeLessThanOrEqual(1e-9);
    }
  });

  test('compiled gradient = fourth-order central differences (every parameter up to P = 100, every 7th above)', () => {
    const stride = m.P > 100 ? 7 : 1;
    for (let k = 0; k < m.P; k += stride) {
      const fd = centralDifference4((q) => f.loss(q, X), m.p, k);
      expect(relativeError(g[k]!, fd, 1e-3), `∂L/∂${nl.params[k]}: ${g[k]} vs ${fd}`).toBeLessThanOrEqual(1e-7);
    }
  });

  test('gradient graph ≤ 4 × forward graph', () => {
    expect(f.gradientNodes).toBeLessThanOrEqual(4 * f.forwardNodes);
    expect(f.gradientNodes).toBeGreaterThan(f.forwardNodes);
  });
});

describe('batchLossText(m): the loss as one mathjs expression', () => {
  test.each(['seed3', 'xor9', 'iris67'].map((id) => [id]))('%s: mathjs evaluates it to the listed loss', (id) => {
    const m = referenceModel(id);
    const { text, params } = batchLossText(m);
    const scope = Object.fromEntries(params.map((w, k) => [w, m.p[k]!]));
    expect(evaluate(text, scope) as number).toBeCloseTo(m.initialLoss, 14);
    expect(params).toHaveLength(m.P);
  });
});

describe('bench/stats', () => {
  test('linearFit recovers a line exactly and r² < 1 off it', () => {
    expect(linearFit([1, 2, 3, 4], [3, 5, 7, 9])).toEqual({ slope: 2, intercept: 1, r2: 1 });
    // y = 0, 1, 0, 1 against x = 0..3: slope = Sxy/Sxx = 1/5 (by hand: Sxy = 1, Sxx = 5, Syy = 1), r² = 1²/(5·1) = 0.2
    const off = linearFit([0, 1, 2, 3], [0, 1, 0, 1]);
    expect(off.slope).toBeCloseTo(0.2, 15);
    expect(off.r2).toBeCloseTo(0.2, 15);
  });

  test('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('busyMachineWarning: a warning once less than one core is idle (load above cores − 1)', () => {
    const cores = cpus().length;
    expect(busyMachineWarning('bench', cores - 1)).toBeUndefined();
    expect(busyMachineWarning('bench', cores - 0.5)).toBe(`bench: warning: the machine is busy (load average ${(cores - 0.5).toFixed(2)} on ${cores} cores): timings can be several times off; run again on a quiet machine`);
  });

  test('maxRelativeDifference floors tiny entries at a fraction of the largest', () => {
    // entry 0: |1 − 1.01| / 1.01; entry 1: |1e-9 − 2e-9| / max(2e-9, 1e-6·1) = 1e-3 (not 0.5)
    expect(maxRelativeDifference([1, 1e-9], [1.01, 1e-9])).toBeCloseTo(0.01 / 1.01, 12);
    expect(maxRelativeDifference([1, 1e-9], [1, 2e-9])).toBeCloseTo(1e-3, 12);
  });
});
