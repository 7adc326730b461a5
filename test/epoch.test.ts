import { describe, expect, test } from 'vitest';
import { sgdEpoch } from '../src/train/epoch.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { mulberry32 } from '../src/nn/random.ts';

describe('sgdEpoch: one epoch of mini-batch gradient descent', () => {
  // L = mean of (w·x − y)² over the batch; ∂L/∂w = mean of 2x(w·x − y)
  const f = compileGradient(parseExpression('(w*x - y)^2'), { params: ['w'], data: ['x', 'y'] });
  const rows = packBatch([[1, 2], [2, 4], [3, 6], [4, 8]]);

  test('with the whole data as one batch it is one gradient-descent step, computed by hand', () => {
    const p = Float64Array.of(0.5);
    const r = sgdEpoch(f, p, rows, { batch: 4, lr: 0.01, rng: mulberry32(1) });
    // at w = 0.5: residuals −1.5x, loss mean 2.25x² = 2.25·7.5, gradient mean −3x² = −22.5
    expect(r).toEqual({ ok: true, meanLoss: 2.25 * 7.5, batches: 1 });
    expect(p[0]).toBeCloseTo(0.5 + 0.01 * 22.5, 14);
  });

  test('batches of 3 out of 4 rows: one step a epoch, one row left for the next shuffle; it converges to w = 2', () => {
    const p = Float64Array.of(0);
    const rng = mulberry32(2);
    let r = sgdEpoch(f, p, rows, { batch: 3, lr: 0.02, rng });
    expect(r.ok && r.batches).toBe(1);
    for (let e = 0; e < 200; e++) r = sgdEpoch(f, p, rows, { batch: 3, lr: 0.02, rng });
    expect(p[0]).toBeCloseTo(2, 10);
  });

  test('stops at the first batch whose loss is not finite, and refuses bad options', () => {
    const p = Float64Array.of(1e200);
    expect(sgdEpoch(f, p, rows, { batch: 2, lr: 0.1, rng: mulberry32(1) })).toEqual({ ok: false, batch: 1, loss: Infinity });
    expect(() => sgdEpoch(f, p, rows, { batch: 5, lr: 0.1, rng: mulberry32(1) })).toThrow('epoch: the batch size must be a whole number from 1 to 4, got 5');
    expect(() => sgdEpoch(f, p, rows, { batch: 2, lr: -1, rng: mulberry32(1) })).toThrow('epoch: the learning rate must be a positive number, got -1');
  });
});
