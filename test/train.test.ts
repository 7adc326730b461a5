import { describe, expect, test } from 'vitest';
import { parseExpression } from '../src/expr/parse.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { DownhillError } from '../src/errors.ts';
import { adam, createStepper, gd, momentum, updateRule } from '../src/train/optimizers.ts';
import { formulaText } from '../src/render/terminal.ts';
import { assertConverged, MAX_RECORDS, stopMessage, train } from '../src/train/train.ts';

const parabola = parseExpression('(w - 3)^2');

describe('optimizers', () => {
  test('gd(lr) gives Δ = −η g', () => {
    const step = createStepper(gd(0.5), 3);
    const d = new Float64Array(3);
    step(new Float64Array([0.2, -0.4, 1]), d);
    expect([...d]).toEqual([-0.1, 0.2, -0.5]);
  });

  test('momentum(lr, β) accumulates v ← βv − ηg', () => {
    const step = createStepper(momentum(0.1, 0.5), 1);
    const d = new Float64Array(1);
    step(new Float64Array([1]), d);
    expect(d[0]).toBeCloseTo(-0.1, 15);
    step(new Float64Array([2]), d);
    expect(d[0]).toBeCloseTo(0.5 * -0.1 - 0.2, 15);
  });

  test('adam(lr) takes a first step of size η against the gradient sign (bias correction)', () => {
    const step = createStepper(adam(0.01), 2);
    const d = new Float64Array(2);
    step(new Float64Array([3, -0.002]), d);
    // m̂ = g, v̂ = g², so Δ = −η g / (|g| + ε)
    expect(d[0]).toBeCloseTo(-0.01 * 3 / (3 + 1e-8), 14);
    expect(d[1]).toBeCloseTo(0.01 * 0.002 / (0.002 + 1e-8), 14);
  });

  test('bad settings are refused with the name of the setting', () => {
    expect(() => gd(0)).toThrow(/learning rate must be a positive number, got 0/);
    expect(() => momentum(0.1, 1)).toThrow(/beta must be in \[0, 1\)/);
    expect(() => adam(0.1, { epsilon: -1 })).toThrow(/epsilon/);
  });

  test('updateRule(gd) is w ← w − η ∂L/∂w, read by the terminal from its TeX', () => {
    expect(updateRule(gd(1)).tex).toBe('w \\leftarrow w - \\eta \\, \\frac{\\partial L}{\\partial w}');
    expect(formulaText(updateRule(gd(1)).tex)).toMatch(/^w ← w − η ?∂L\/∂w$/);
  });
});

describe('train({ loss, params, init, optimizer, steps })', () => {
  test('gradient descent on (w − 3)² takes the hand-computed steps', () => {
    // g = 2(w − 3); with η = 0.25, w ← w − 0.5(w − 3): 0, 1.5, 2.25, 2.625
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.25), steps: 3 });
    expect(run.steps.map((r) => r.p[0])).toEqual([0, 1.5, 2.25, 2.625]);
    expect(run.steps.map((r) => r.loss)).toEqual([9, 2.25, 0.5625, 0.140625]);
    expect(run.steps.map((r) => r.gradient[0])).toEqual([-6, -3, -1.5, -0.75]);
    expect(run.steps[0]!.update![0]).toBe(1.5);
    expect(run.steps[3]!.update).toBeNull();
    expect(run.stop).toEqual({ reason: 'steps', step: 3 });
    expect(run.p[0]).toBe(2.625);
  });

  test('the same loss graph, names and reduction compile once across calls; anything else compiles anew', () => {
    const loss = parseExpression('(y - w*x)^2');
    const rows = [[1, 2], [2, 3]];
    const base = { params: ['w'], data: ['x', 'y'], batch: rows, init: [0], optimizer: gd(0.1), steps: 4 };
    const first = train({ ...base, loss });
    const again = train({ ...base, loss: parseExpression('(y - w*x)^2'), optimizer: gd(0.05) });
    expect(again.compiled).toBe(first.compiled);
    expect(train({ ...base, loss, reduce: 'sum' }).compiled).not.toBe(first.compiled);
    // the reused gradient gives what a fresh compile gives: η = 0.05 from w = 0,
    // g = mean of −2x(y − wx) = −(2 + 6) at w = 0, so w₁ = 0.05 · 8 = 0.4
    expect(again.steps[1]!.p[0]).toBeCloseTo(0.4, 15);
    const fresh = train({ ...base, loss: compileGradient(loss, { params: ['w'], data: ['x', 'y'] }), optimizer: gd(0.05) });
    expect(again.steps.map((r) => r.loss)).toEqual(fresh.steps.map((r) => r.loss));
  });

  test('stops when the loss falls under the tolerance', () => {
    // the error e = w − 3 halves each step: loss 9/4^k ≤ 1e-4 first at k = 9 (k = 8: 1.4e-4; k = 9: 3.4e-5)
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.25), steps: 100, tolerance: 1e-4 });
    const k = 9;
    expect(run.stop).toMatchObject({ reason: 'loss-tolerance', step: k });
    expect(run.steps).toHaveLength(k + 1);
    expect(stopMessage(run.stop)).toMatch(new RegExp(`^converged at step ${k}`));
  });

  test('stops when every gradient component falls under the tolerance', () => {
    // |g| = 6/2^k ≤ 0.01 first at k = 10
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.25), steps: 100, tolerance: { gradient: 0.01 } });
    expect(run.stop).toMatchObject({ reason: 'gradient-tolerance', step: 10 });
  });

  test('init can be given by name, and a compiled gradient is reused as is', () => {
    const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2');
    const compiled = compileGradient(L, { params: ['w1', 'w2', 'w3'], data: ['x1', 'x2', 'y'] });
    const run = train({ loss: compiled, batch: [[1, 0.5, 0.7]], init: { w3: 0.3, w1: 0.1, w2: -0.2 }, optimizer: gd(1), steps: 1 });
    // from test/compile.test.ts: g = [−0.0825, −0.04125, −0.55] at this point
    expect([...run.steps[1]!.p].map((v) => +v.toFixed(12))).toEqual([0.1825, -0.15875, 0.85]);
    expect(run.compiled).toBe(compiled);
  });

  test('mini-batches visit every row once per epoch', () => {
    // loss (w − y)²: the gradient 2(w − y) reveals which row was used
    const run = train({
      loss: parseExpression('(w - y)^2'), params: ['w'], data: ['y'], batch: [[1], [5], [9]],
      init: [0], optimizer: gd(0.1), steps: 5, batchSize: 1, seed: 7,
    });
    const rows = run.steps.map((r) => Math.round(r.p[0]! - r.gradient[0]! / 2));
    expect([...rows.slice(0, 3)].sort()).toEqual([1, 5, 9]);
    expect([...rows.slice(3, 6)].sort()).toEqual([1, 5, 9]);
  });

  test('recordEvery keeps the first, every k-th and the last record', () => {
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.1), steps: 10, recordEvery: 4 });
    expect(run.steps.map((r) => r.step)).toEqual([0, 4, 8, 10]);
  });

  test('a run that overflows right after a thinned step keeps that step, with its own numbers, and ends on it', () => {
    // L = w², w ← w − 1.5·2w = −2w from w₀ = 1: w_k = (−2)^k, L_k = 4^k, exact in binary until 4^512 = 2^1024 overflows at step 512.
    const run = train({ loss: parseExpression('w^2'), params: ['w'], init: [1], optimizer: gd(1.5), steps: 10_000, recordEvery: 1000, divergence: { factor: Number.MAX_VALUE } });
    expect(run.stop).toMatchObject({ reason: 'diverged', step: 512, cause: 'not-finite' });
    expect(run.steps.map((r) => r.step)).toEqual([0, 511]);
    const last = run.steps[1]!;
    expect([...last.p]).toEqual([-(2 ** 511)]);
    expect(last.loss).toBe(2 ** 1022);
    expect([...last.gradient]).toEqual([-(2 ** 512)]);
    expect([...last.update!]).toEqual([1.5 * 2 ** 512]);
    expect([...run.p]).toEqual([-(2 ** 511)]);
    expect(run.loss).toBe(2 ** 1022);
  });

  test('a long run keeps its memory bounded: at most maxRecords records, step 0, every recordStride-th step and the last', () => {
    // w ← w − 0.1·2(w − 3): w_k = 3 − 3·0.8^k, so every kept record can be checked against the closed form.
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.1), steps: 1000, maxRecords: 100 });
    const steps = run.steps.map((r) => r.step);
    expect(run.recordStride).toBe(16); // 1000 steps / 16 = 62.5 ≤ 100 < 1000 / 8
    expect(steps.length).toBeLessThanOrEqual(101);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(1000);
    expect(steps.slice(0, -1)).toEqual(Array.from({ length: 63 }, (_, i) => 16 * i));
    for (const r of run.steps) expect(r.p[0]).toBeCloseTo(3 - 3 * 0.8 ** r.step, 12);
  });

  test('with the default limit, a million steps keep at most MAX_RECORDS + 1 records', () => {
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(1e-7), steps: 1_000_000 });
    expect(run.steps.length).toBeLessThanOrEqual(MAX_RECORDS + 1);
    expect(run.steps.length).toBeGreaterThan(MAX_RECORDS / 2);
    expect(run.steps.at(-1)!.step).toBe(1_000_000);
    expect(run.steps.every((r, i) => i === run.steps.length - 1 || r.step % run.recordStride === 0)).toBe(true);
  });

  test('a run of up to maxRecords steps keeps every one (stride 1)', () => {
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(0.1), steps: 99, maxRecords: 100 });
    expect(run.recordStride).toBe(1);
    expect(run.steps.map((r) => r.step)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test('bad options are refused in one line', () => {
    expect(() => train({ loss: parabola, params: ['w'], init: [0, 1], optimizer: gd(0.1), steps: 1 })).toThrow(/init has 2 values for 1 parameters/);
    expect(() => train({ loss: parabola, params: ['w'], init: { v: 1 }, optimizer: gd(0.1), steps: 1 })).toThrow(/no value for parameter "w"/);
    expect(() => train({ loss: parabola, params: ['w'], init: [NaN], optimizer: gd(0.1), steps: 1 })).toThrow(DownhillError);
  });
});

describe('divergence', () => {
  test('a loss that grows 10⁴-fold is reported at its step with the learning rate', () => {
    // η = 1.5: e ← −2e, so the loss is 9·4^k; 4^7 = 16384 > 10⁴ first at k = 7
    const run = train({ loss: parabola, params: ['w'], init: [0], optimizer: gd(1.5), steps: 100 });
    expect(run.stop).toMatchObject({ reason: 'diverged', cause: 'grew', step: 7, lr: 1.5 });
    expect(run.steps).toHaveLength(8);
    expect(run.steps.every((r) => Number.isFinite(r.loss))).toBe(true);
    const message = stopMessage(run.stop);
    expect(message).toMatch(/^diverged at step 7 with learning rate 1.5 .*try a smaller learning rate, e.g. 0.15 \(10 times smaller\), and smaller again if that diverges too$/);
    // The loss at the stop in the shared prose style, at the step it is named with: 9·4⁷ = 147456.
    expect(message).toContain(`the loss grew from 9 at step 0 to ${Number((9 * 4 ** 7).toPrecision(4))} at step 7`);
    expect(message).not.toMatch(/or less/); // a smaller rate is suggested, never promised
    expect(message).not.toMatch(/NaN|Infinity/);
    expect(() => assertConverged(run)).toThrow(DownhillError);
  });

  test('the hint\'s smaller learning rate is rounded, not 0.06999999999999999', () => {
    // η = 0.7 on (w − 3)²·10: e ← (1 − 14)e = −13e, the loss grows 169-fold a step
    const run = train({ loss: parseExpression('10*(w - 3)^2'), params: ['w'], init: [0], optimizer: gd(0.7), steps: 100 });
    expect(run.stop).toMatchObject({ reason: 'diverged', cause: 'grew', step: 2 });
    expect(stopMessage(run.stop)).toMatch(/e\.g\. 0\.07 \(10 times smaller\)/);
  });

  test('a loss that overflows is reported as not finite, and no NaN is recorded', () => {
    // w⁴ with η = 10 from w = 1: w ← w − 40w³ gives −39, then ≈ 2.4e6, ... until w⁴ overflows
    const blow = train({ loss: parseExpression('w^4'), params: ['w'], init: [1], optimizer: gd(10), steps: 100, divergence: { factor: 1e300 } });
    expect(blow.stop).toMatchObject({ reason: 'diverged', cause: 'not-finite', lr: 10 });
    expect(blow.steps.every((r) => Number.isFinite(r.loss) && r.gradient.every(Number.isFinite))).toBe(true);
    expect(stopMessage(blow.stop)).toMatch(/the loss is no longer a finite number; try a smaller learning rate, e.g. 1 \(10 times smaller\)/);
    expect(stopMessage(blow.stop)).not.toMatch(/NaN|Infinity/);
  });
});
