import { describe, expect, test } from 'vitest';
import { scaleModel } from '../bench/scale.ts';
import { handwrittenGrad } from '../bench/handwritten.ts';
import { referenceBatch } from '../src/nn/network-loss.ts';
import { specModel } from '../src/nn/spec.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';

describe('the scale models of the benchmark', () => {
  test('digits23860 has the numbers of specModel(784-30-10:sigmoid:softmax_ce, N = 32)', () => {
    const m = scaleModel('digits23860');
    const s = specModel('784-30-10:sigmoid:softmax_ce', { N: 32 });
    expect(m.P).toBe(23860);
    expect(m.p).toEqual(s.p);
    expect(referenceBatch(m)).toEqual(s.batch);
  });

  test.each(['digits23860', 'wide101770'])('%s: the naive loops and the matrix engine give the listed loss and the same gradient', (id) => {
    const m = scaleModel(id);
    const f = compileMatrixGradient(matrixNetwork(m.layers, m.loss));
    const g = new Float64Array(m.P), gh = new Float64Array(m.P);
    expect(f.lossAndGradient(m.p, g, referenceBatch(m))).toBe(m.initialLoss);
    expect(handwrittenGrad(m)(m.p, gh)).toBeCloseTo(m.initialLoss, 13);
    let scale = 0, worst = 0;
    for (const v of gh) scale = Math.max(scale, Math.abs(v));
    gh.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - g[k]!) / Math.max(Math.abs(v), 1e-6 * scale)); });
    expect(worst).toBeLessThan(1e-9);
  });

  test('an unknown id is refused with one line', () => {
    expect(() => scaleModel('mnist')).toThrow('unknown scale model "mnist" (known: digits23860, wide101770)');
  });
});
