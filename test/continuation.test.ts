// A run continued from its end (train's `from`, trainOn, continuation) against the same run trained
// from the start in one go: equal bit for bit. Gradient descent is deterministic and its step keeps no
// state, so the only thing a continuation must carry over is the loss at step 0, which the divergence
// check measures against (shown on a parabola whose divergence step is known by hand).
import { describe, expect, test } from 'vitest';
import { parseExpression } from '../src/expr/parse.ts';
import { gd, momentum } from '../src/train/optimizers.ts';
import { train, trainOn, type StepRecord, type TrainOptions, type TrainResult } from '../src/train/train.ts';
import { continuation } from '../src/train/diagnose.ts';
import { denseNetwork } from '../src/nn/dense.ts';
import { binaryCrossEntropyWithLogits } from '../src/nn/losses.ts';
import { xor } from '../src/nn/datasets.ts';
import { mulberry32, uniform } from '../src/nn/random.ts';
import { sym } from '../src/expr/node.ts';

/** The bits of numbers: equal bit for bit (−0 and 0 apart, NaN equal to itself). */
const bits = (v: ArrayLike<number> | null): string => (v === null ? 'null' : Buffer.from(Float64Array.from(v).buffer).toString('hex'));
const record = (r: StepRecord) => ({ step: r.step, p: bits(r.p), loss: bits([r.loss]), gradient: bits(r.gradient), update: bits(r.update) });
const end = (r: TrainResult) => ({ stop: r.stop, p: bits(r.p), loss: bits([r.loss]) });

/** Lesson 8's run: the 2-2-1 network on XOR from seed 1's start, η = 2. */
function xorOptions(steps: number, lr = 2): TrainOptions {
  const net = denseNetwork([
    { in: 2, out: 2, activation: 'sigmoid', bias: true },
    { in: 2, out: 1, activation: 'identity', bias: true },
  ], { naming: 'indexed' });
  const data = xor();
  const rng = mulberry32(1);
  return {
    loss: binaryCrossEntropyWithLogits(net.outputs[0]!, sym('y')), params: net.params, data: [...data.inputs, ...data.targets],
    batch: data.rows, init: net.params.map(() => uniform(rng, -1, 1)), optimizer: gd(lr), steps,
  };
}

describe('train({ from: { step, startLoss } })', () => {
  // f(w) = w² with η = 1.1: each step multiplies w by 1 − 2η = −1.2, so the loss is 1.44ᵏ times its start, above
  // 10⁴ times it first at k = ⌈ln 10⁴ / ln 1.44⌉ = ⌈25.3⌉ = 26: training stops there, diverged.
  const options = { loss: parseExpression('w^2'), params: ['w'], init: [1], optimizer: gd(1.1), steps: 100 };
  test('continued from step 10 with the loss at step 0, it diverges at step 26 as the run from the start does', () => {
    const whole = train(options);
    expect(whole.stop).toMatchObject({ reason: 'diverged', step: 26, cause: 'grew' });
    const first = train({ ...options, steps: 10 });
    const rest = train({ ...options, init: first.p, from: { step: 10, startLoss: first.steps[0]!.loss } });
    expect(end(rest)).toEqual(end(whole));
    expect(rest.steps.map(record)).toEqual(whole.steps.slice(10).map(record));
    // Measured against its own loss at step 10 instead (1.44¹⁰ times the start), it would run 16 steps further.
    const wrong = train({ ...options, init: first.p, from: { step: 10, startLoss: first.loss } });
    expect(wrong.stop.step).toBe(10 + 26);
  });

  test('refuses an optimizer with state, and a start that is not a step of the run', () => {
    expect(() => train({ ...options, optimizer: momentum(0.1, 0.9), from: { step: 3, startLoss: 1 } })).toThrow(/^train: from continues only gradient descent, whose step keeps no state \(momentum, β = 0\.9 keeps its own\)$/);
    expect(() => train({ ...options, from: { step: 101, startLoss: 1 } })).toThrow(/^train: from\.step must be a whole number from 0 to steps \(100\), got 101$/);
    expect(() => train({ ...options, from: { step: 3, startLoss: Number.NaN } })).toThrow(/^train: from\.startLoss must be a finite number/);
  });
});

describe('trainOn(run, options)', () => {
  test('lesson 8\'s run of 2000 steps, trained as 250, then on to 500, 1000 and 2000: every record bit for bit the one-go run\'s', () => {
    const whole = train(xorOptions(2000));
    let run = train(xorOptions(250));
    for (const steps of [500, 1000, 2000]) {
      run = trainOn(run, xorOptions(steps));
      expect(run.steps.length).toBe(steps + 1);
    }
    expect(end(run)).toEqual(end(whole));
    expect(run.steps.map(record)).toEqual(whole.steps.map(record));
  });

  test('up to maxRecords steps (no record thinned: the steps\' records then the last), the pieces are the one-go run record for record; past it, the one-go run itself', () => {
    const options = (steps: number): TrainOptions => ({ ...xorOptions(steps), maxRecords: 10 });
    const whole = train(options(10));
    expect(whole.recordStride).toBe(1);
    expect(trainOn(train(options(4)), options(10)).steps.map(record)).toEqual(whole.steps.map(record));
    // 11 steps with at most 10 records: the one-go run thins them (every 2nd step), and so does trainOn's answer.
    const thinned = train(options(11));
    expect(thinned.recordStride).toBe(2);
    expect(trainOn(train(options(4)), options(11)).steps.map(record)).toEqual(thinned.steps.map(record));
  });

  test('a run that is not of these options (another batch) is not continued: the result is the run from the start', () => {
    const other = train({ ...xorOptions(100), batch: [[0, 0, 1], [0, 1, 1], [1, 0, 0], [1, 1, 0]] });
    const result = trainOn(other, xorOptions(200));
    expect(result.steps.map(record)).toEqual(train(xorOptions(200)).steps.map(record));
  });

  // (w − x)² from w = 0 on the batches {−1, 3} and {1, 3}: both have the mean loss (1 + 9)/2 = 5 at step 0, but the
  // gradients −(x₁ + x₂) differ (−2 and −4): a run of one is not a shorter run of the other (the review's case).
  const parabola = (batch: number[][], more: Partial<TrainOptions> = {}): TrainOptions => ({
    loss: parseExpression('(w - x)^2'), params: ['w'], data: ['x'], batch, init: [0], optimizer: gd(0.1), steps: 40, ...more,
  });

  test('a run of another batch with the same loss at step 0, or another divergence factor, is not continued', () => {
    const other = train(parabola([[-1], [3]], { steps: 10 }));
    expect(other.steps[0]!.loss).toBe(5);
    expect(trainOn(other, parabola([[1], [3]])).steps.map(record)).toEqual(train(parabola([[1], [3]])).steps.map(record));
    const looser = train(parabola([[1], [3]], { steps: 10, divergence: { factor: 1e6 } }));
    expect(trainOn(looser, parabola([[1], [3]])).steps.map(record)).toEqual(train(parabola([[1], [3]])).steps.map(record));
  });

  test('a run trained without the tolerance that would have stopped it is not the longer run: trainOn stops where train does', () => {
    // On {1, 3} the mean loss is 1 + (w − 2)² and each step multiplies w − 2 by 1 − 2·0.1 = 0.8: the loss 1 + 4·0.64ⁿ is
    // under 1.5 first at n = ⌈ln 0.125 / ln 0.64⌉ = ⌈4.66⌉ = 5.
    const untolerant = parabola([[1], [3]]);
    const options = { ...untolerant, tolerance: 1.5 };
    const whole = train(options);
    expect(whole.stop).toMatchObject({ reason: 'loss-tolerance', step: 5 });
    const result = trainOn(train({ ...untolerant, steps: 10 }), options);
    expect(end(result)).toEqual(end(whole));
    expect(result.steps.map(record)).toEqual(whole.steps.map(record));
  });
});

describe('continuation(options)(steps, lossAtMost, run)', () => {
  const tol = 1e-8;
  const fromStart = (options: TrainOptions, steps: number, lossAtMost: number): TrainResult => train({ ...options, steps, tolerance: { loss: lossAtMost } });

  test('lesson 8\'s continuation to 12,000 steps from its run\'s end at 2000 ends bit for bit as the run of 12,000 from the start', () => {
    const options = xorOptions(2000, 2.5);
    const run = train(options);
    const continued = continuation(options)(12_000, tol, run);
    expect(continued.steps[0]!.step).toBe(2000); // computed from the run's end, not from step 0
    expect(end(continued)).toEqual(end(fromStart(options, 12_000, tol)));
  });

  test('a continuation of the same run with more steps goes on from where the last one got to (10,250), equal to the run from the start', () => {
    const short = xorOptions(250, 2.25);
    continuation(short)(10_250, tol, train(short));
    const options = xorOptions(2000, 2.25);
    const continued = continuation(options)(12_000, tol, train(options));
    expect(continued.steps[0]!.step).toBe(10_250);
    expect(end(continued)).toEqual(end(fromStart(options, 12_000, tol)));
  });

  test('one that reaches the loss it stops at, from a run\'s end: the same step and bits as from the start; asked again for more steps, the same end', () => {
    // (w − 3)² from 0 with η = 0.05: the loss 9·0.81ⁿ is first under 10⁻⁶ at n = ⌈ln(10⁻⁶/9)/ln 0.81⌉ = 76.
    const options = { loss: parseExpression('(w - 3)^2 + 0*v'), params: ['w', 'v'], init: [0, 0], optimizer: gd(0.05), steps: 20 };
    const continued = continuation(options)(1000, 1e-6, train(options));
    expect(continued.stop).toMatchObject({ reason: 'loss-tolerance', step: 76 });
    expect(end(continued)).toEqual(end(fromStart(options, 1000, 1e-6)));
    expect(continuation(options)(5000, 1e-6)).toBe(continued);
  });

  test('a run whose own records reach the loss asked for is not continued from its end: the longer run stopped before it', () => {
    const options = { loss: parseExpression('(w - 3)^2 + 0*u'), params: ['w', 'u'], init: [0, 0], optimizer: gd(0.05), steps: 100 };
    const continued = continuation(options)(1000, 1e-6, train(options));
    expect(continued.stop).toMatchObject({ reason: 'loss-tolerance', step: 76 });
    expect(continued.steps[0]!.step).toBe(0);
  });

  test('a diagnosed run of another batch with the same loss at step 0 is not continued from: the end is the run from the start\'s', () => {
    const options = { loss: parseExpression('(w - x)^2'), params: ['w'], data: ['x'], batch: [[1], [3]], init: [0], optimizer: gd(0.01), steps: 10 };
    const continued = continuation(options)(400, 1.0001, train({ ...options, batch: [[-1], [3]] }));
    expect(continued.steps[0]!.step).toBe(0);
    expect(end(continued)).toEqual(end(fromStart(options, 400, 1.0001)));
  });

  test('momentum (a step with state) is continued from the start, and ends as the run from the start', () => {
    const options = { ...xorOptions(300), optimizer: momentum(0.5, 0.9) };
    const continued = continuation(options)(1300, tol, train(options));
    expect(continued.steps[0]!.step).toBe(0);
    expect(end(continued)).toEqual(end(fromStart(options, 1300, tol)));
    // Asked again for more steps: from the start again, not from the last continuation's end (momentum's velocity is not in it).
    const longer = continuation(options)(1400, tol, train(options));
    expect(longer.steps[0]!.step).toBe(0);
    expect(end(longer)).toEqual(end(fromStart(options, 1400, tol)));
  });
});
