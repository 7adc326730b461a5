import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGradient } from '../src/compile/compile.ts';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { specModel } from '../src/nn/spec.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';

/** Largest |a − b| over max(|a|, |b|, floor), the floor a millionth of the largest |a|. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]!));
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / Math.max(Math.abs(a[k]!), Math.abs(b[k]!), 1e-6 * scale, 1e-300));
  return worst;
}

/** Central differences of f, parameter by parameter. */
function finiteDifferences(f: (p: Float64Array) => number, p: Float64Array, h = 1e-6): Float64Array {
  const q = Float64Array.from(p);
  return Float64Array.from(p, (v, k) => centralDifference((d) => { q[k] = v + d; const value = f(q); q[k] = v; return value; }, h));
}

describe('the matrix-level gradient agrees with the scalar engine and with finite differences', () => {
  for (const id of referenceIds) {
    it(`${id}: loss equals the listed value bit for bit, gradient equals the scalar engine's to 1e-12`, () => {
      const m = referenceModel(id);
      const X = referenceBatch(m);
      const scalarNet = networkLoss(m.layers, m.loss, 'indexed');
      const scalar = compileGradient(scalarNet.loss, { params: scalarNet.params, data: scalarNet.data, reduce: scalarNet.reduce });
      const matrix = compileMatrixGradient(matrixNetwork(m.layers, m.loss));
      expect(matrix.params).toEqual(scalar.params);
      expect(matrix.data).toEqual(scalar.data);
      const gs = new Float64Array(m.P), gm = new Float64Array(m.P);
      scalar.lossAndGradient(m.p, gs, X);
      expect(matrix.lossAndGradient(m.p, gm, X)).toBe(m.initialLoss);
      expect(matrix.loss(m.p, X)).toBe(m.initialLoss);
      expect(maxRel(gs, gm)).toBeLessThan(1e-12);
      if (m.P <= 400) expect(maxRel(finiteDifferences((q) => matrix.loss(q, X), m.p), gm)).toBeLessThan(1e-5);
    });
  }

  it('digits23860 and wide101770: the listed losses at the initial weights', () => {
    const digits = specModel('784-30-10:sigmoid:softmax_ce', { N: 32 });
    const wide = specModel('784-128-10:tanh:softmax_ce', { N: 32 });
    for (const [m, listed] of [[digits, 3.0046244342453963], [wide, 5.476097456169787]] as const) {
      const f = compileMatrixGradient(matrixNetwork(m.spec.layers, m.spec.loss));
      expect(f.loss(m.p, m.batch)).toBe(listed);
      expect(f.lossAndGradient(m.p, new Float64Array(m.p.length), m.batch)).toBe(listed);
    }
  });

  it('on random small networks (property): equal to the scalar engine to 1e-12 and to finite differences', () => {
    const activation = fc.constantFrom('sigmoid', 'tanh', 'identity', 'softplus', 'relu', 'leaky_relu');
    const loss = fc.constantFrom('mse', 'se', 'softmax_ce', 'hinge', 'bce_logits', 'huber', 'mae');
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), activation, activation, loss,
      fc.boolean(), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 7 }),
      (sizes, hidden, output, kind, bias, seed, N) => {
        const out = kind === 'softmax_ce' ? Math.max(2, sizes.at(-1)!) : kind === 'bce_logits' || kind === 'hinge' ? 1 : sizes.at(-1)!;
        const text = `${[...sizes.slice(0, -1), out].join('-')}:${sizes.length > 2 ? `${hidden}:` : ''}${output}:${kind}${bias ? '' : ':nobias'}`;
        const m = specModel(text, { seed, N });
        const scalar = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
        const matrix = compileMatrixGradient(matrixNetwork(m.spec.layers, m.spec.loss), { naming: 'short' });
        expect(matrix.params).toEqual(scalar.params);
        const gs = new Float64Array(m.p.length), gm = new Float64Array(m.p.length);
        const Ls = scalar.lossAndGradient(m.p, gs, m.batch);
        const Lm = matrix.lossAndGradient(m.p, gm, m.batch);
        expect(Math.abs(Ls - Lm)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(Ls)));
        expect(maxRel(gs, gm)).toBeLessThan(1e-12);
        const fd = finiteDifferences((q) => matrix.loss(q, m.batch), m.p);
        // relu, leaky_relu, mae and huber have kinks: a step may straddle one
        const smooth = ![hidden, output].some((a) => a === 'relu' || a === 'leaky_relu') && !['mae', 'huber', 'hinge'].includes(kind);
        if (smooth) expect(maxRel(fd, gm)).toBeLessThan(1e-4);
      },
    ), { numRuns: 60, seed: 12 });
  });

  it('takes a batch of any size, and refuses wrong arguments with one line', () => {
    const m = specModel('3-4-2:tanh:softmax_ce', { N: 9 });
    const f = compileMatrixGradient(matrixNetwork(m.spec.layers, m.spec.loss), { naming: 'short' });
    const s = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
    for (const N of [1, 3, 4, 5, 9]) {
      const rows = m.batch.subarray(0, N * m.data.length);
      expect(f.loss(m.p, rows, N)).toBe(s.loss(m.p, rows, N));
    }
    expect(() => f.loss(m.p, m.batch, 4)).toThrow('batch has 45 numbers, expected 4 rows of 5 (20 numbers)');
    expect(() => f.loss(new Float64Array(3), m.batch)).toThrow('expected 26 parameters, got 3');
    expect(() => f.lossAndGradient(m.p, new Float64Array(2), m.batch)).toThrow('gradient array has length 2, expected 26');
  });
});
