import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { parseNetworkSpec, specModel } from '../src/nn/spec.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { centralDifference, relativeError } from './support/fd.ts';

describe('parseNetworkSpec', () => {
  test.each([
    ['2-3-1', [2, 3, 1], 'tanh', 'identity', 'mse', true],
    ['2-3-1:tanh:sigmoid:mse', [2, 3, 1], 'tanh', 'sigmoid', 'mse', true],
    ['4-8-8-3:relu:ce', [4, 8, 8, 3], 'relu', 'identity', 'softmax_ce', true],
    ['2-1:sigmoid:bce:nobias', [2, 1], 'tanh', 'sigmoid', 'bce', false],
    [' 3-2-1 : softplus : se ', [3, 2, 1], 'softplus', 'identity', 'se', true],
    ['2-1:mse:identity', [2, 1], 'tanh', 'identity', 'mse', true],
  ] as const)('parseNetworkSpec(%j) has sizes %j, hidden %s, output %s, loss %s, bias %s', (text, sizes, hidden, output, loss, bias) => {
    const s = parseNetworkSpec(text);
    expect(s.sizes).toEqual(sizes);
    expect(s.output).toBe(output);
    expect(s.loss).toBe(loss);
    expect(s.bias).toBe(bias);
    expect(s.layers.length).toBe(sizes.length - 1);
    s.layers.forEach((l, i) => {
      expect(l.in).toBe(sizes[i]);
      expect(l.out).toBe(sizes[i + 1]);
      expect(l.bias).toBe(bias);
      expect(l.activation).toBe(i === s.layers.length - 1 ? output : hidden);
    });
  });

  test.each([
    ['', /empty description/],
    ['2', /at least an input and an output/],
    ['2-x-1', /layer size "x" is not a whole number/],
    ['2-0-1', /layer 1 has 0 units/],
    ['2-3-1:tanh:sigmoid:relu', /too many activations/],
    ['2-1:tanh:sigmoid', /too many activations/],
    ['2-3-1:mse:mae', /two losses/],
    ['2-3-1:gamma', /"gamma" is neither an activation/],
    ['2-3-1:logsumexp', /"logsumexp" is neither/],
    ['2-3-1:ce', /softmax_ce needs at least 2 outputs/],
    ['2-3-2:bce', /bce needs exactly 1 output/],
    ['2-3-1:tanh::mse', /empty word/],
    ['2-2000-1', /1 to 1024 allowed/],
  ])('parseNetworkSpec(%j) throws a DownhillError matching %s', (text, message) => {
    expect(() => parseNetworkSpec(text)).toThrow(DownhillError);
    expect(() => parseNetworkSpec(text)).toThrow(message);
  });
});

describe('specModel', () => {
  test('specModel draws the weights first, p[k] = rng() − 0.5, then inputs 2·rng() − 1, from mulberry32(seed)', () => {
    const m = specModel('2-3-1:tanh:sigmoid:mse', { seed: 7, N: 2 });
    expect(m.params.length).toBe(13);
    const rng = mulberry32(7);
    const p = Array.from({ length: 13 }, () => rng() - 0.5);
    expect([...m.p]).toEqual(p);
    const x = [2 * rng() - 1, 2 * rng() - 1];
    expect(m.batch[0]).toBe(x[0]);
    expect(m.batch[1]).toBe(x[1]);
    expect(m.batch[2]).toBe(x[0]! * x[1]! + 0.5 * x[1]!);
    expect(m.batch.length).toBe(2 * 3);
  });

  test('a description of seed3 gives the same loss graph as the reference model seed3', () => {
    const ref = referenceModel('seed3');
    const fromRef = networkLoss(ref.layers, ref.loss);
    const fromSpec = specModel('2-1-1:sigmoid:identity:se:nobias', { N: 1 });
    expect(fromSpec.loss).toBe(fromRef.loss); // hash-consed: the same node
    expect(fromSpec.reduce).toBe('sum');
    const f = compileGradient(fromSpec.loss, { params: fromSpec.params, data: fromSpec.data, reduce: fromSpec.reduce });
    expect(f.loss(ref.p, referenceBatch(ref))).toBe(ref.initialLoss);
  });

  test('softmax_ce targets are one-hot at the largest of the first inputs', () => {
    const m = specModel('4-5-3:relu:ce', { seed: 3, N: 5 });
    for (let n = 0; n < 5; n++) {
      const row = m.batch.subarray(n * 7, n * 7 + 7);
      const x = [row[0]!, row[1]!, row[2]!];
      const c = x.indexOf(Math.max(...x));
      expect([...row.subarray(4)]).toEqual([0, 1, 2].map((k) => (k === c ? 1 : 0)));
    }
  });

  test.each(['2-3-1:tanh:sigmoid:bce', '3-4-2:softplus:mae', '2-3-1:hinge', '2-2-1:bce_logits', '2-3-2:sigmoid:huber'])(
    'the gradient of %s matches central differences of its loss', (text) => {
      const m = specModel(text, { seed: 11, N: 3 });
      const f = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
      const g = new Float64Array(m.p.length);
      f.lossAndGradient(m.p, g, m.batch);
      const fd = centralDifference((p) => f.loss(p, m.batch), m.p);
      g.forEach((v, k) => expect(relativeError(v, fd[k]!, 1e-3)).toBeLessThan(1e-5));
    });

  test('the mse loss of a one-sample batch equals (y − ŷ)² evaluated by hand', () => {
    const m = specModel('1-1:identity:mse', { seed: 5, N: 1 });
    const [w, b] = [m.p[0]!, m.p[1]!];
    const [x, y] = [m.batch[0]!, m.batch[1]!];
    const values = new Map([['w1', w], ['w2', b], ['x1', x], ['y', y]]);
    expect(evaluate(m.loss, values)).toBeCloseTo((y - (b + w * x)) ** 2, 14);
  });
});
