import { describe, expect, test } from 'vitest';
import { dataset, datasetNames, packBatch, mainExample, moons, noisyRegression, referenceData, xor } from '../src/nn/datasets.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { compileGradient } from '../src/compile/compile.ts';

describe('built-in data sets', () => {
  test('mainExample is one sample of two inputs and a target', () => {
    const ds = mainExample();
    expect(ds.inputs).toEqual(['x1', 'x2']);
    expect(ds.targets).toEqual(['y']);
    expect(ds.rows).toEqual([[1, 0.5, 0.8]]);
  });

  test('xor is the truth table', () => {
    expect(xor().rows.map(([a, b, y]) => (a! !== b! ? 1 : 0) === y)).toEqual([true, true, true, true]);
  });

  test('noisyRegression without noise is y = sin(πx) on an even grid of [−1, 1]', () => {
    const ds = noisyRegression({ n: 5, noise: 0 });
    expect(ds.rows.map((r) => r[0])).toEqual([-1, -0.5, 0, 0.5, 1]);
    ds.rows.forEach(([x, y]) => expect(y).toBeCloseTo(Math.sin(Math.PI * x!), 15));
  });

  test('noisyRegression noise has about the asked size, and the same seed gives the same data', () => {
    const ds = noisyRegression({ n: 2000, noise: 0.1, seed: 4 });
    const resid = ds.rows.map(([x, y]) => y! - Math.sin(Math.PI * x!));
    const sd = Math.sqrt(resid.reduce((s, r) => s + r * r, 0) / resid.length);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    expect(noisyRegression({ seed: 4 }).rows).toEqual(noisyRegression({ seed: 4 }).rows);
    expect(noisyRegression({ seed: 4 }).rows).not.toEqual(noisyRegression({ seed: 5 }).rows);
  });

  test('moons without noise lie on the two half circles, labels alternating', () => {
    const ds = moons({ n: 40, noise: 0 });
    expect(ds.rows).toHaveLength(40);
    for (const [x, y, label] of ds.rows) {
      const r = label === 0 ? Math.hypot(x!, y!) : Math.hypot(1 - x!, 0.5 - y!);
      expect(r).toBeCloseTo(1, 14);
      expect(label === 0 ? y! >= -1e-12 : y! <= 0.5 + 1e-12).toBe(true);
    }
    expect(ds.rows.map((r) => r[2])).toEqual(Array.from({ length: 40 }, (_, i) => i % 2));
  });

  test('referenceData gives the reference models\' batches: the listed initial loss comes out', () => {
    for (const id of ['xor9', 'iris67', 'mlp321']) {
      const m = referenceModel(id);
      const ds = referenceData(id);
      expect(packBatch(ds.rows)).toEqual(referenceBatch(m));
      const { loss, params, data, reduce } = networkLoss(m.layers, m.loss);
      expect(data).toEqual([...ds.inputs, ...ds.targets]);
      expect(compileGradient(loss, { params, data, reduce }).loss(m.p, packBatch(ds.rows))).toBe(m.initialLoss);
    }
  });

  test('dataset(name) knows every listed name and refuses others', () => {
    for (const name of datasetNames) expect(dataset(name).rows.length).toBeGreaterThan(0);
    expect(() => dataset('mnist')).toThrow(/unknown data set "mnist"/);
    expect(() => moons({ n: 0 })).toThrow(/n must be a whole number/);
  });
});
