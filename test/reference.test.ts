import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { parameterCount } from '../src/nn/dense.ts';

// The spec's table: id, N, P, input size d, listed loss
const table = [
  ['seed3', 1, 3, 2, 0.5302533623777805],
  ['xor9', 4, 9, 2, 0.25708337712896895],
  ['iris67', 16, 67, 4, 1.2276851001165585],
  ['mlp321', 32, 321, 8, 0.8933096923162245],
  ['mlp1153', 32, 1153, 16, 2.1448280944924805],
  ['deep1249', 32, 1249, 8, 0.6542249622841408],
] as const;

describe('referenceModel', () => {
  test('referenceIds lists the six models, smallest first', () => {
    expect(referenceIds).toEqual(table.map((r) => r[0]));
  });

  test.each(table)('referenceModel(%j) has N = %i, P = %i, d = %i and initialLoss %d', (id, N, P, d, loss) => {
    const m = referenceModel(id);
    expect(m.id).toBe(id);
    expect(m.N).toBe(N);
    expect(m.P).toBe(P);
    expect(parameterCount(m.layers)).toBe(P);
    expect(m.p.length).toBe(P);
    expect(m.inputs.length).toBe(N);
    expect(m.targets.length).toBe(N);
    for (const x of m.inputs) expect(x.length).toBe(d);
    expect(m.initialLoss).toBe(loss);
    for (let k = 1; k < m.layers.length; k++) expect(m.layers[k]?.in).toBe(m.layers[k - 1]?.out);
  });

  test.each(table)('referenceModel(%j): weights are the first P draws of mulberry32(42) minus 0.5, inputs the next N·d as 2u − 1', (id) => {
    const m = referenceModel(id);
    const rng = mulberry32(42);
    for (const p of m.p) expect(p).toBe(rng() - 0.5);
    if (id === 'xor9') return;
    for (const x of m.inputs) for (const v of x) expect(v).toBe(2 * rng() - 1);
  });

  test.each(['seed3', 'mlp321', 'mlp1153', 'deep1249'])('referenceModel(%j) targets are y = x0·x1 + 0.5·x[d−1]', (id) => {
    const m = referenceModel(id);
    m.inputs.forEach((x, n) => {
      expect(m.targets[n]).toEqual(Float64Array.of(x[0]! * x[1]! + 0.5 * x[x.length - 1]!));
    });
  });

  test('seed3 has p = [w1, w2, w3], no biases, loss se', () => {
    const m = referenceModel('seed3');
    expect(m.layers).toEqual([
      { in: 2, out: 1, activation: 'sigmoid', bias: false },
      { in: 1, out: 1, activation: 'identity', bias: false },
    ]);
    expect(m.loss).toBe('se');
  });

  test('xor9 is the truth table (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0', () => {
    const m = referenceModel('xor9');
    expect(m.inputs.map((x) => [...x])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(m.targets.map((y) => [...y])).toEqual([[0], [1], [1], [0]]);
  });

  test('iris67 classes are the argmax of x0, x1, x2 with one-hot targets', () => {
    const m = referenceModel('iris67');
    expect(m.loss).toBe('softmax_ce');
    expect(m.classes?.length).toBe(16);
    m.inputs.forEach((x, n) => {
      const c = m.classes?.[n] ?? -1;
      const first3 = [x[0]!, x[1]!, x[2]!];
      expect(c).toBe(first3.indexOf(Math.max(...first3)));
      const onehot = [0, 0, 0];
      onehot[c] = 1;
      expect([...m.targets[n]!]).toEqual(onehot);
    });
  });

  test('referenceModel returns a fresh copy each call', () => {
    const a = referenceModel('xor9');
    a.p[0] = 99;
    expect(referenceModel('xor9').p[0]).not.toBe(99);
  });

  test('referenceModel("mnist") throws a DownhillError naming the known models', () => {
    expect(() => referenceModel('mnist')).toThrow(DownhillError);
    expect(() => referenceModel('mnist')).toThrow(/unknown reference model "mnist".*seed3, xor9, iris67, mlp321, mlp1153, deep1249/);
  });
});
