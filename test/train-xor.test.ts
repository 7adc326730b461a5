import { describe, expect, test } from 'vitest';
import { compileGradient } from '../src/compile/compile.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { initParams } from '../src/nn/init.ts';
import { network, namedValues } from '../src/nn/network.ts';
import { modelLoss } from '../src/nn/network-loss.ts';
import { noisyRegression, xor } from '../src/nn/datasets.ts';
import { adam, gd, momentum } from '../src/train/optimizers.ts';
import { train } from '../src/train/train.ts';

describe('training a 2-2-1 sigmoid network on XOR (full batch, mean squared error)', () => {
  const net = network([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid' });
  const m = modelLoss(net, 'mse');
  const compiled = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });

  /** The mean squared error recomputed from the network's output graph, row by row. */
  const mseByHand = (p: Float64Array): number =>
    xor().rows.reduce((s, [x1, x2, y]) => s + (y! - evaluate(net.outputs[0]!, { ...namedValues(net.params, p), x1: x1!, x2: x2! })) ** 2, 0) / 4;

  test.each([
    ['gd(5), seed 1', gd(5), 1],
    ['momentum(1, 0.9), seed 1', momentum(1, 0.9), 1],
    ['adam(0.1), seed 1', adam(0.1), 1],
  ] as const)('%s reaches a loss under 0.01', (_name, optimizer, seed) => {
    const run = train({ loss: compiled, batch: xor().rows, init: initParams(net, { seed }), optimizer, steps: 3000, tolerance: 0.01, recordEvery: 50 });
    expect(run.stop.reason).toBe('loss-tolerance');
    expect(run.loss).toBeLessThan(0.01);
    expect(mseByHand(run.p)).toBeCloseTo(run.loss, 12);
    // and it has learned the table: every output on the right side of ½
    for (const [x1, x2, y] of xor().rows) {
      const out = evaluate(net.outputs[0]!, { ...namedValues(net.params, run.p), x1: x1!, x2: x2! });
      expect(Math.abs(out - y!)).toBeLessThan(0.3);
    }
  });

  test('the loss of the first record is the initial loss, and each record is one gd step from the last', () => {
    const p0 = initParams(net, { seed: 1 });
    const run = train({ loss: compiled, batch: xor().rows, init: p0, optimizer: gd(5), steps: 3 });
    expect(run.steps[0]!.loss).toBeCloseTo(mseByHand(p0), 14);
    for (let k = 0; k < 3; k++) {
      const r = run.steps[k]!, next = run.steps[k + 1]!;
      next.p.forEach((v, i) => expect(v).toBeCloseTo(r.p[i]! - 5 * r.gradient[i]!, 14));
    }
  });
});

describe('mini-batch training', () => {
  test('a 1-8-1 tanh network fits noisy sin(πx) with mini-batches of 8 (Adam)', () => {
    const net = network([1, 8, 1], { hidden: 'tanh' });
    const m = modelLoss(net, 'mse');
    const data = noisyRegression({ n: 40, seed: 2, noise: 0.05 });
    const compiled = compileGradient(m.loss, { params: m.params, data: m.data });
    const start = compiled.loss(initParams(net, { seed: 2, method: 'glorot' }), new Float64Array(data.rows.flat()));
    const run = train({ loss: compiled, batch: data.rows, init: initParams(net, { seed: 2, method: 'glorot' }), optimizer: adam(0.05), steps: 1500, batchSize: 8, seed: 3, recordEvery: 100 });
    const end = compiled.loss(run.p, new Float64Array(data.rows.flat()));
    expect(start).toBeGreaterThan(0.2);
    expect(end).toBeLessThan(0.02); // noise variance is 0.0025
  });
});
