import { describe, expect, test } from 'vitest';
import { evaluate } from '../src/expr/evaluate.ts';
import { toTex, toText } from '../src/expr/print.ts';
import { network, networkLayers, namedValues } from '../src/nn/network.ts';
import { activate, layerOffsets } from '../src/nn/dense.ts';
import { sym } from '../src/expr/node.ts';

describe('network(sizes, options)', () => {
  test('[2, 1, 1] without biases is the main lesson network ŷ = w3·σ(w1·x1 + w2·x2)', () => {
    const net = network([2, 1, 1], { hidden: 'sigmoid', output: 'identity', bias: false });
    expect(net.params).toEqual(['w1', 'w2', 'w3']);
    expect(toText(net.outputs[0]!)).toBe('w3 * sigmoid(w1 * x1 + w2 * x2)');
    const at = { w1: 0.5, w2: -1, w3: 2, x1: 1, x2: 0.5 };
    expect(evaluate(net.outputs[0]!, at)).toBe(2 * 0.5); // z = 0.5 − 0.5 = 0, σ(0) = ½
  });

  test('a 2-2-1 network with biases gets layer-indexed names, printed W^{(l)}_{ji} and b^{(l)}_{j}', () => {
    const net = network([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid' });
    expect(net.params).toEqual(['W1_1_1', 'W1_1_2', 'W1_2_1', 'W1_2_2', 'b1_1', 'b1_2', 'W2_1_1', 'W2_1_2', 'b2_1']);
    expect(toTex(sym(net.params[2]!))).toBe('W^{(1)}_{21}');
    expect(toTex(sym(net.params[8]!))).toBe('b^{(2)}_{1}');
  });

  test('its output is the forward pass computed by hand', () => {
    const net = network([2, 2, 1], { hidden: 'tanh', output: 'identity' });
    const p = [0.1, 0.2, -0.3, 0.4, 0.05, -0.05, 0.7, -0.6, 0.2];
    const x1 = 0.5, x2 = -1;
    const h1 = Math.tanh(0.05 + 0.1 * x1 + 0.2 * x2);
    const h2 = Math.tanh(-0.05 + -0.3 * x1 + 0.4 * x2);
    expect(evaluate(net.outputs[0]!, { ...namedValues(net.params, p), x1, x2 })).toBeCloseTo(0.2 + 0.7 * h1 - 0.6 * h2, 15);
  });

  test('naming can be forced, and input names given', () => {
    expect(network([2, 2, 1], { naming: 'short' }).params).toHaveLength(9);
    expect(network([2, 2, 1], { naming: 'short' }).params[8]).toBe('w9');
    expect(network([1, 1], { bias: false, naming: 'indexed', inputs: ['t'] }).params).toEqual(['W1_1_1']);
    expect(toText(network([1, 1], { bias: false, inputs: ['t'] }).outputs[0]!)).toBe('w1 * t');
  });

  test('networkLayers puts the hidden activation on every layer but the last', () => {
    expect(networkLayers([3, 4, 4, 2], { hidden: 'relu', output: 'sigmoid', bias: false }).map((l) => [l.in, l.out, l.activation])).toEqual([
      [3, 4, 'relu'], [4, 4, 'relu'], [4, 2, 'sigmoid'],
    ]);
  });

  test('bad widths and activations are refused in one line', () => {
    expect(() => network([2])).toThrow(/at least an input and an output width/);
    expect(() => network([2, 0, 1])).toThrow(/width 1 must be a positive whole number, got 0/);
    expect(() => network([2, 1], { output: 'gamma' })).toThrow(/unknown activation "gamma"/);
    expect(() => namedValues(['a'], [1, 2])).toThrow(/1 names but 2 values/);
  });

  test('activate fills in the default α of leaky_relu, as parsing does', () => {
    expect(toText(activate('leaky_relu', sym('z')))).toBe('leaky_relu(z, 0.01)');
  });
});

test('layerOffsets(layers) places W row by row, then b, layer after layer', () => {
  const layers = [
    { in: 2, out: 3, activation: 'sigmoid', bias: true },
    { in: 3, out: 1, activation: 'identity', bias: false },
  ] as const;
  // By hand: layer 1 W is 2·3 = 6 entries (0..5), b 3 entries (6..8); layer 2 W 3 entries (9..11).
  expect(layerOffsets(layers)).toEqual([{ weights: 0, bias: 6, end: 9 }, { weights: 9, bias: 12, end: 12 }]);
});
