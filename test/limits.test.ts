// The limits of one lesson call (src/limits.ts): the work the flags of
// the digits lesson imply, computed before running, against hand counts and
// against the README's table ("Limits and safety"), written out here on its
// own: no expected figure is taken from src/limits.ts. The figures behind
// the limits are measured outside the suite (a real worst case takes
// seconds): see the comments there.
import { describe, expect, test } from 'vitest';
import {
  checkAttentionTrainingWork, checkConvolutionTrainingWork, checkTrainingWork, CONVOLUTION_EVALUATION_WORK, CONVOLUTION_STEP_WORK, convolutionTrainingWork, MAX_ATTENTION_TRAINING_WORK,
  MAX_CONVOLUTION_BATCH, MAX_CONVOLUTION_TRAINING_WORK, MAX_EVALUATION_WORK, MAX_TRAINING_WORK, STEP_WORK, trainingWork,
} from '../src/limits.ts';
import { DownhillError } from '../src/errors.ts';

const defaults = { epochs: 10, batch: 32, hidden: 30, digits: 10_000 };

/**
 * The README's rows for lesson 10, as it states them: training is epochs ×
 * (training digits × parameters + steps × (parameters + 2,500)), steps =
 * training digits / --batch (whole steps, at least one), at most 2·10⁹; the
 * evaluations are (epochs + 1) × (training + 2 × test digits) × parameters,
 * at most 4·10⁹. Training digits are 80 % of --digits; a 784-h-10 network
 * with biases has 784h + h + 10h + 10 parameters.
 */
function readmeAccepts(s: { epochs: number; batch: number; hidden: number; digits: number }): boolean {
  const train = Math.round(0.8 * s.digits);
  const test = s.digits - train;
  const P = 795 * s.hidden + 10;
  const steps = Math.max(1, Math.floor(train / s.batch));
  return s.epochs * (train * P + steps * (P + 2500)) <= 2e9 && (s.epochs + 1) * (train + 2 * test) * P <= 4e9;
}

test('the limits are the README\'s figures: 2·10⁹ and 4·10⁹ multiply-adds, 2,500 a step', () => {
  expect([MAX_TRAINING_WORK, MAX_EVALUATION_WORK, STEP_WORK]).toEqual([2e9, 4e9, 2500]);
});

describe('trainingWork: epochs × (training digits × P + steps × (P + STEP_WORK))', () => {
  test('the defaults, by hand: P = 784·30 + 30 + 30·10 + 10 = 23,860; 250 steps of 32', () => {
    // 10 × (8,000 × 23,860 + 250 × (23,860 + 2,500)) = 10 × (190,880,000 + 6,590,000); 11 × 12,000 × 23,860.
    expect(trainingWork(defaults)).toEqual({ work: 1_974_700_000, evaluation: 3_149_520_000, train: 8000, P: 23_860, steps: 250 });
    expect(() => checkTrainingWork(defaults)).not.toThrow();
  });

  test('batch 1 and one hidden unit (P = 805): 60 epochs accepted, 61 refused; 310 (34.8 s of CPU before) refused, naming the flags', () => {
    // An epoch: 8,000 × 805 + 8,000 steps × (805 + 2,500) = 6,440,000 + 26,440,000 = 32,880,000; 60 of them are
    // 1.97·10⁹, 61 are 2.006·10⁹.
    const at = (epochs: number) => ({ ...defaults, hidden: 1, batch: 1, epochs });
    expect(trainingWork(at(60)).work).toBe(60 * 32_880_000);
    expect(() => checkTrainingWork(at(60))).not.toThrow();
    expect(() => checkTrainingWork(at(61))).toThrow(DownhillError);
    expect(() => checkTrainingWork(at(310))).toThrow(/^--epochs 310 --batch 1 --hidden 1 --digits 10000: .* at most 2e\+9 in one call/);
  });

  test('a wide network on few digits is bound by its evaluations: --hidden 1024 --epochs 1 --digits 2900 (16 CPU s measured) refused', () => {
    // P = 784·1024 + 1024 + 1024·10 + 10 = 814,090; 2 evaluations × (2,320 + 2 × 580) digits.
    const wide = { epochs: 1, batch: 32, hidden: 1024, digits: 2900 };
    expect(trainingWork(wide).evaluation).toBe(2 * (2320 + 2 * 580) * 814_090);
    expect(trainingWork(wide).work).toBeLessThan(2e9);
    expect(() => checkTrainingWork(wide)).toThrow(/^--epochs 1 --hidden 1024 --digits 2900: evaluating 2 times .* at most 4\.0e\+9 in one call/);
    expect(() => checkTrainingWork({ ...wide, digits: 1000 })).not.toThrow();
  });

  test('the work grows with every flag that adds work and shrinks with a larger batch', () => {
    const w = (change: Partial<typeof defaults>) => trainingWork({ ...defaults, ...change }).work;
    const base = w({});
    expect(w({ epochs: 11 })).toBeGreaterThan(base);
    expect(w({ hidden: 31 })).toBeGreaterThan(base);
    expect(w({ digits: 10_000 - 1000 })).toBeLessThan(base);
    expect(w({ batch: 16 })).toBeGreaterThan(base);
    expect(w({ batch: 64 })).toBeLessThan(base);
    // A batch larger than the training digits is one step per epoch.
    expect(trainingWork({ ...defaults, digits: 10, batch: 10_000 }).steps).toBe(1);
  });

  test('every combination of the flags\' extremes is accepted or refused as the README\'s formulas say', () => {
    let accepted = 0, refused = 0;
    for (const epochs of [1, 2, 10, 60, 1000]) for (const batch of [1, 32, 10_000]) for (const hidden of [1, 30, 1024]) for (const digits of [10, 2900, 10_000]) {
      const s = { epochs, batch, hidden, digits };
      if (readmeAccepts(s)) {
        expect(() => checkTrainingWork(s), JSON.stringify(s)).not.toThrow();
        accepted++;
      } else {
        expect(() => checkTrainingWork(s), JSON.stringify(s)).toThrow(/in one call, to stay within the limits of one call \(10 s, 1 GB\)/);
        refused++;
      }
    }
    // Both sides are exercised (135 combinations in all).
    expect(accepted + refused).toBe(135);
    expect(Math.min(accepted, refused)).toBeGreaterThan(20);
  });
});

describe('lesson 11: epochs × (training digits × 155,188 + steps × 2·10⁵) + (epochs + 2) × test digits × 7·10⁴ ≤ 4.8·10⁹, batches of at most 256', () => {
  /**
   * The README's row for lesson 11, as it states it: 4.8·10⁹ with no exception, the multiply-adds per digit being
   * 131,328 for the convolutional network and 23,860 for the dense one (155,188), steps = training digits / --batch
   * (whole, at least one), 2·10⁵ a step, and (epochs + 2) evaluations of the test digits (a fifth of --digits, the
   * rest training) at 7·10⁴ each; a batch (cut to the training digits) of at most 256.
   */
  function readmeAccepts(s: { epochs: number; batch: number; digits: number }): boolean {
    const train = Math.round(0.8 * s.digits), test = s.digits - train;
    const batch = Math.min(s.batch, train);
    if (batch > 256) return false;
    return s.epochs * (train * (131_328 + 23_860) + Math.floor(train / batch) * 200_000) + (s.epochs + 2) * test * 70_000 <= 4.8e9;
  }

  test('the figures are the README\'s, and the default by hand: 3 × (8,000 × 155,188 + 500 × 2·10⁵) + 5 × 2,000 × 7·10⁴ = 4.72·10⁹, accepted as any other run', () => {
    expect([MAX_CONVOLUTION_TRAINING_WORK, CONVOLUTION_STEP_WORK, CONVOLUTION_EVALUATION_WORK, MAX_CONVOLUTION_BATCH]).toEqual([4.8e9, 2e5, 7e4, 256]);
    expect(convolutionTrainingWork({ epochs: 3, digits: 10_000, batch: 16 })).toEqual({ work: 4_724_512_000, train: 8000, test: 2000, perDigit: 155_188, steps: 500, batch: 16 });
    expect(readmeAccepts({ epochs: 3, digits: 10_000, batch: 16 })).toBe(true);
    expect(() => checkConvolutionTrainingWork({ epochs: 3, digits: 10_000, batch: 16 })).not.toThrow();
    // one epoch more is refused, with every term of the sum named
    expect(() => checkConvolutionTrainingWork({ epochs: 4, digits: 10_000, batch: 16 })).toThrow(/^4 epochs × \(8,000 training digits × 155,188 multiply-adds per digit \+ 500 steps × 200,000\) \+ 6 evaluations × 2,000 test digits × 70,000 is 6\.21e\+9: at most 4\.8e\+9 in one call, to stay within the limits of one call \(10 s, 1 GB\); use fewer --epochs or --digits, or a larger --batch$/);
    // batch 1: one epoch of the defaults' digits (3.26·10⁹), not two (6.52·10⁹)
    expect(() => checkConvolutionTrainingWork({ epochs: 1, digits: 10_000, batch: 1 })).not.toThrow();
    expect(() => checkConvolutionTrainingWork({ epochs: 2, digits: 10_000, batch: 1 })).toThrow(DownhillError);
  });

  test('every combination of the flags\' extremes is accepted or refused as the README\'s formula says', () => {
    let accepted = 0, refused = 0;
    for (const epochs of [1, 2, 3, 30, 1000]) for (const batch of [1, 16, 256, 257, 10_000]) for (const digits of [10, 500, 9000, 10_000]) {
      const s = { epochs, batch, digits };
      if (readmeAccepts(s)) {
        expect(() => checkConvolutionTrainingWork(s), JSON.stringify(s)).not.toThrow();
        accepted++;
      } else {
        expect(() => checkConvolutionTrainingWork(s), JSON.stringify(s)).toThrow(/to stay within the limits of one call \(10 s, 1 GB\)/);
        refused++;
      }
    }
    expect(accepted + refused).toBe(100);
    expect(Math.min(accepted, refused)).toBeGreaterThan(20);
  });
});

describe('lesson 12: epochs × (training + held-out sequences) ≤ 4·10⁵, the README\'s row', () => {
  // The README's formula, written out: held-out sequences are as many as the training ones, at most 1,000.
  const readme = (epochs: number, sequences: number): boolean => epochs * (sequences + Math.min(1000, sequences)) <= 4e5;

  test('the defaults (40 × 5,000 = 2·10⁵) and 80 epochs of them are accepted; 81 epochs, and --epochs 1000 --sequences 10000, refused naming the flags', () => {
    expect(MAX_ATTENTION_TRAINING_WORK).toBe(4e5);
    expect(() => checkAttentionTrainingWork({ epochs: 40, sequences: 4000 })).not.toThrow();
    expect(() => checkAttentionTrainingWork({ epochs: 80, sequences: 4000 })).not.toThrow();
    expect(() => checkAttentionTrainingWork({ epochs: 81, sequences: 4000 })).toThrow(/^--epochs 81 --sequences 4000: 81 epochs × \(4,000 training \+ 1,000 held-out sequences\) is 4\.1e\+5 sequence passes: at most 4e\+5 in one call, to stay within the limits of one call \(10 s, 1 GB\); use fewer --epochs or --sequences$/);
    expect(() => checkAttentionTrainingWork({ epochs: 1000, sequences: 10_000 })).toThrow(DownhillError);
  });

  test('every combination of the flags\' extremes is accepted or refused as the README\'s formula says; a bad value is refused by name', () => {
    for (const epochs of [1, 40, 80, 400, 1000]) for (const sequences of [10, 200, 1000, 4000, 10_000]) {
      if (readme(epochs, sequences)) expect(() => checkAttentionTrainingWork({ epochs, sequences }), `${epochs} × ${sequences}`).not.toThrow();
      else expect(() => checkAttentionTrainingWork({ epochs, sequences }), `${epochs} × ${sequences}`).toThrow(/in one call/);
    }
    expect(() => checkAttentionTrainingWork({ epochs: 1.5, sequences: 10 })).toThrow(/^checkAttentionTrainingWork: epochs/);
  });
});
