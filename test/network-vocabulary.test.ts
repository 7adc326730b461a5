// One network vocabulary for both engines: the layer checks, the activation
// lookup, the loss table (terms, which outputs fit, sum or mean) and the
// parameter names are written once (nn/dense.ts, nn/network-loss.ts); the
// scalar engine (modelLoss of denseNetwork) and the matrix engine
// (matrixNetwork) build from them, so they accept, refuse and compute alike.
import { describe, expect, test } from 'vitest';
import { compileGradient } from '../src/compile/compile.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { sym } from '../src/expr/node.ts';
import { activate, denseNetwork, isActivation, parameterNames, type LayerSpec } from '../src/nn/dense.ts';
import { checkLossOutputs, LOSS_NAMES, LOSS_TERMS, lossReduction, modelLoss, type LossName } from '../src/nn/network-loss.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { parseNetworkSpec } from '../src/nn/spec.ts';
import { activateMatrix, matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';
import { mdata } from '../src/matrix/node.ts';

const layers = (outputs: number): LayerSpec[] => [
  { in: 2, out: 3, activation: 'tanh', bias: true },
  { in: 3, out: outputs, activation: 'sigmoid', bias: true },
];

/** What building throws, or undefined. */
const refusal = (build: () => unknown): string | undefined => {
  try {
    build();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the loss table', () => {
  test('each term at a point, by hand', () => {
    const at = (kind: Exclude<LossName, 'softmax_ce'>, yhat: number, y: number): number => evaluate(LOSS_TERMS[kind](sym('p'), sym('t')), { p: yhat, t: y });
    expect(at('se', 0.5, 2)).toBe(2.25); // (2 − 0.5)²
    expect(at('mse', 0.5, 2)).toBe(2.25);
    expect(at('half_se', 0.5, 2)).toBe(1.125);
    expect(at('mae', 0.5, 2)).toBe(1.5);
    expect(at('huber', 0.5, 2)).toBe(1); // δ(|u| − δ/2) with u = 1.5, δ = 1
    expect(at('bce', 0.5, 1)).toBeCloseTo(Math.LN2, 15);
    expect(at('bce_logits', 0, 1)).toBeCloseTo(Math.LN2, 15); // softplus(0) − 0
    expect(at('hinge', 0.25, 1)).toBe(0.75);
    expect(LOSS_NAMES.map(lossReduction)).toEqual(LOSS_NAMES.map((k) => (k === 'se' ? 'sum' : 'mean')));
  });

  test('both engines accept and refuse the same outputs with the same line, and compute the same batch loss', () => {
    const rng = mulberry32(7);
    let compared = 0;
    for (const kind of LOSS_NAMES) {
      for (const outputs of [1, 2, 3]) {
        const own = refusal(() => checkLossOutputs(kind, outputs));
        const scalar = refusal(() => modelLoss(denseNetwork(layers(outputs), { naming: 'indexed' }), kind));
        const matrix = refusal(() => matrixNetwork(layers(outputs), kind));
        expect(scalar, `${kind} ${outputs}`).toBe(own);
        expect(matrix, `${kind} ${outputs}`).toBe(own);
        // By hand: bce, bce_logits and hinge take one output, softmax_ce at least 2.
        const fits = ['bce', 'bce_logits', 'hinge'].includes(kind) ? outputs === 1 : kind === 'softmax_ce' ? outputs >= 2 : true;
        expect(own === undefined, `${kind} ${outputs}`).toBe(fits);
        if (!fits) continue;
        const s = modelLoss(denseNetwork(layers(outputs), { naming: 'indexed' }), kind);
        const net = matrixNetwork(layers(outputs), kind);
        expect(net.reduce).toBe(s.reduce);
        const f = compileGradient(s.loss, { params: s.params, data: s.data, reduce: s.reduce });
        const g = compileMatrixGradient(net);
        expect(g.params).toEqual(s.params);
        const p = Float64Array.from(s.params, () => rng() - 0.5);
        const X = packBatch(Array.from({ length: 3 }, () => Array.from(s.data, () => rng())));
        expect(Math.abs(g.loss(p, X) - f.loss(p, X))).toBeLessThan(1e-12 * Math.max(1, Math.abs(f.loss(p, X))));
        compared++;
      }
    }
    expect(compared).toBe(5 * 3 + 3 + 2); // five kinds take any outputs, three take one, softmax_ce two of the three
  });
});

describe('the parameter names and the activations', () => {
  test('names in the order of p, by hand; the matrix engine compiles under the same names', () => {
    const small = layers(1);
    expect(parameterNames(small, 'indexed')).toEqual([
      'W1_1_1', 'W1_1_2', 'W1_2_1', 'W1_2_2', 'W1_3_1', 'W1_3_2', 'b1_1', 'b1_2', 'b1_3', 'W2_1_1', 'W2_1_2', 'W2_1_3', 'b2_1',
    ]);
    expect(parameterNames(small, 'short')).toEqual(Array.from({ length: 13 }, (_, k) => `w${k + 1}`));
    for (const naming of ['short', 'indexed'] as const) {
      expect(denseNetwork(small, { naming }).params).toEqual(parameterNames(small, naming));
      expect(compileMatrixGradient(matrixNetwork(small, 'mse'), { naming }).params).toEqual(parameterNames(small, naming));
    }
  });

  test('one rule for an activation: the descriptions, the scalar and the matrix engines refuse a loss function (huber, logsumexp) alike', () => {
    expect(['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus'].filter(isActivation)).toHaveLength(6);
    expect(['huber', 'logsumexp', 'max', 'nope'].filter(isActivation)).toEqual([]);
    const line = 'unknown activation "huber" (use identity or a one-argument function such as sigmoid, tanh, relu)';
    expect(() => activate('huber', sym('z'))).toThrow(line);
    expect(() => activateMatrix('huber', mdata('x', [2, 'N'], 0))).toThrow(line);
    // In a description huber is the loss's word; logsumexp is refused as an activation there too.
    expect(parseNetworkSpec('2-1:huber').loss).toBe('huber');
    expect(() => parseNetworkSpec('2-1:logsumexp')).toThrow(/logsumexp/);
    expect(() => activate('logsumexp', sym('z'))).toThrow('unknown activation "logsumexp"');
    expect(activate('leaky_relu', sym('z'))).toBe(activate('leaky_relu', sym('z')));
    expect(evaluate(activate('leaky_relu', sym('z')), { z: -2 })).toBeCloseTo(-0.02, 15); // the table's default slope 0.01
  });
});
