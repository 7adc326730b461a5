import { describe, expect, test } from 'vitest';
import { sym, type Node } from '../src/expr/node.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { functionTable } from '../src/expr/functions.ts';
import { activate } from '../src/nn/dense.ts';
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, halfSquaredError, hinge, huberLoss,
  meanAbsoluteError, meanSquaredError, softmaxCrossEntropy, squaredError,
} from '../src/nn/losses.ts';
import { modelLoss, type LossName } from '../src/nn/network-loss.ts';
import { network } from '../src/nn/network.ts';
import { initParams } from '../src/nn/init.ts';
import { centralDifference, relativeError } from './support/fd.ts';

const a = sym('a'), b = sym('b'), c = sym('c');
const y = sym('y'), y1 = sym('y1'), y2 = sym('y2'), y3 = sym('y3');

/** Asserts that the compiled gradient of `loss` in `params` equals central differences at each point. */
function expectGradientMatchesFd(loss: Node, params: string[], data: string[], points: { p: number[]; x: number[] }[]): void {
  const f = compileGradient(loss, { params, data });
  for (const { p, x } of points) {
    const X = Float64Array.from(x);
    const g = new Float64Array(params.length);
    f.lossAndGradient(Float64Array.from(p), g, X, 1);
    const fd = centralDifference((q) => f.loss(q, X, 1), p);
    g.forEach((gk, k) => expect(relativeError(gk, fd[k]!, 1e-3), `∂/∂${params[k]} at p=${p} x=${x}`).toBeLessThan(1e-6));
  }
}

describe('each loss: gradient equals central finite differences', () => {
  const cases: [string, Node, string[], string[], { p: number[]; x: number[] }[]][] = [
    ['squaredError (y − ŷ)²', squaredError(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [-2], x: [0.5] }]],
    ['halfSquaredError ½(y − ŷ)²', halfSquaredError(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [4], x: [-1] }]],
    ['meanSquaredError over 2 outputs', meanSquaredError([a, b], [y1, y2]), ['a', 'b'], ['y1', 'y2'], [{ p: [0.3, -1], x: [1, 2] }]],
    ['absoluteError |y − ŷ|', absoluteError(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [2], x: [1] }]],
    ['meanAbsoluteError over 2 outputs', meanAbsoluteError([a, b], [y1, y2]), ['a', 'b'], ['y1', 'y2'], [{ p: [0.3, 3], x: [1, 2] }]],
    ['huberLoss, quadratic part', huberLoss(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }]],
    ['huberLoss, linear part', huberLoss(a, y), ['a'], ['y'], [{ p: [-2], x: [1] }, { p: [4], x: [1] }]],
    ['huberLoss with δ = 0.5', huberLoss(a, y, 0.5), ['a'], ['y'], [{ p: [0.8], x: [1] }, { p: [-2], x: [1] }]],
    ['binaryCrossEntropy', binaryCrossEntropy(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [0.9], x: [0] }, { p: [0.5], x: [0.25] }]],
    ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [-4], x: [0] }, { p: [30], x: [1] }]],
    ['softmaxCrossEntropy over 3 logits', softmaxCrossEntropy([a, b, c], [y1, y2, y3]), ['a', 'b', 'c'], ['y1', 'y2', 'y3'], [{ p: [0.3, -1, 2], x: [0, 1, 0] }, { p: [50, 0, -50], x: [0, 0, 1] }]],
    ['hinge, active part', hinge(a, y), ['a'], ['y'], [{ p: [0.3], x: [1] }, { p: [0.5], x: [-1] }]],
    ['hinge, flat part', hinge(a, y), ['a'], ['y'], [{ p: [2], x: [1] }]],
  ];
  test.each(cases)('%s', (_name, loss, params, data, points) => expectGradientMatchesFd(loss, params, data, points));
});

describe('each loss has the value of its formula', () => {
  const at = { a: 0.3, y: 1 };
  test.each([
    ['squaredError', squaredError(a, y), 0.49],
    ['halfSquaredError', halfSquaredError(a, y), 0.245],
    ['absoluteError', absoluteError(a, y), 0.7],
    ['huberLoss (|r| = 0.7 ≤ 1: r²/2)', huberLoss(a, y), 0.245],
    ['binaryCrossEntropy (y = 1: −log 0.3)', binaryCrossEntropy(a, y), -Math.log(0.3)],
    ['binaryCrossEntropyWithLogits (log(1 + e^0.3) − 0.3)', binaryCrossEntropyWithLogits(a, y), Math.log(1 + Math.exp(0.3)) - 0.3],
    ['hinge (1 − 0.3)', hinge(a, y), 0.7],
  ] as const)('%s', (_name, loss, value) => {
    expect(evaluate(loss, at)).toBeCloseTo(value, 14);
  });

  test('binary cross-entropy from logits equals the one on σ(z), and stays finite where σ(z) rounds to 1', () => {
    const z = 3;
    const p = 1 / (1 + Math.exp(-z));
    expect(evaluate(binaryCrossEntropyWithLogits(a, y), { a: z, y: 0 })).toBeCloseTo(-Math.log(1 - p), 12);
    expect(evaluate(binaryCrossEntropyWithLogits(a, y), { a: 800, y: 0 })).toBe(800);
  });

  test('softmax cross-entropy is −log softmax(z)_c, also for large logits', () => {
    const z = [1, 2, 0.5];
    const p2 = Math.exp(2) / z.reduce((s, v) => s + Math.exp(v), 0);
    expect(evaluate(softmaxCrossEntropy([a, b, c], [y1, y2, y3]), { a: 1, b: 2, c: 0.5, y1: 0, y2: 1, y3: 0 })).toBeCloseTo(-Math.log(p2), 14);
    expect(evaluate(softmaxCrossEntropy([a, b, c], [y1, y2, y3]), { a: 1001, b: 1002, c: 1000.5, y1: 0, y2: 1, y3: 0 })).toBeCloseTo(-Math.log(p2), 10);
  });

  test('meanSquaredError divides by the number of outputs', () => {
    expect(evaluate(meanSquaredError([a, b], [1, 2]), { a: 0, b: 0 })).toBe(2.5);
  });
});

describe('each activation: gradient equals central finite differences', () => {
  const activations = [...functionTable.values()].filter((r) => r.family === 'activation').map((r) => r.name);
  test('the table has the usual activations', () => {
    expect(activations).toEqual(expect.arrayContaining(['sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus']));
  });
  test.each(activations)('%s at −2.3, −0.4, 0.7, 3.1 (away from kinks)', (name) => {
    expectGradientMatchesFd(activate(name, sym('u')), ['u'], [], [-2.3, -0.4, 0.7, 3.1].map((u) => ({ p: [u], x: [] })));
  });
});

describe('modelLoss(network, kind): the whole network gradient equals finite differences', () => {
  const kinds: [LossName, number, string][] = [
    ['se', 1, 'identity'], ['half_se', 1, 'identity'], ['mse', 2, 'identity'], ['mae', 2, 'identity'], ['huber', 1, 'identity'],
    ['bce', 1, 'sigmoid'], ['bce_logits', 1, 'identity'], ['softmax_ce', 3, 'identity'], ['hinge', 1, 'identity'],
  ];
  test.each(kinds)('%s on a 2-3-%i network', (kind, outs, output) => {
    for (const hidden of ['sigmoid', 'tanh', 'softplus', 'leaky_relu', 'relu']) {
      const net = network([2, 3, outs], { hidden, output });
      const m = modelLoss(net, kind);
      const p = [...initParams(net, { seed: 3 })];
      const targets = kind === 'softmax_ce' ? [0, 0, 1] : kind === 'hinge' ? [-1] : kind === 'bce' || kind === 'bce_logits' ? [1] : Array.from({ length: outs }, (_, k) => 0.7 - k);
      expectGradientMatchesFd(m.loss, [...m.params], [...m.data], [{ p, x: [0.4, -0.9, ...targets] }]);
    }
  });

  test('a loss that needs one output refuses a wider network', () => {
    expect(() => modelLoss(network([2, 2]), 'bce')).toThrow(/bce needs exactly one output, the network has 2/);
    expect(() => modelLoss(network([2, 1]), 'softmax_ce')).toThrow(/softmax_ce needs at least 2 outputs/);
  });
});
