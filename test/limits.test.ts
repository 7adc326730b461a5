// The limits of one lesson call (src/limits.ts): the work the flags of
// the digits lesson imply, computed before running, against hand counts.
// The figures behind MAX_TRAINING_WORK are measured outside the suite
// (a real worst case takes seconds): see the comment there.
import { describe, expect, test } from 'vitest';
import { checkTrainingWork, MAX_EVALUATION_WORK, MAX_TRAINING_WORK, STEP_WORK, trainingWork } from '../src/limits.ts';
import { DownhillError } from '../src/errors.ts';

const defaults = { epochs: 10, batch: 32, hidden: 30, digits: 10_000 };

describe('trainingWork: epochs × (training digits × P + steps × (P + STEP_WORK))', () => {
  test('the defaults, by hand: P = 784·30 + 30 + 30·10 + 10 = 23,860; 250 steps of 32', () => {
    expect(trainingWork(defaults)).toEqual({ work: 10 * (8000 * 23_860 + 250 * (23_860 + STEP_WORK)), evaluation: 11 * (8000 + 2 * 2000) * 23_860, train: 8000, P: 23_860, steps: 250 });
    expect(() => checkTrainingWork(defaults)).not.toThrow();
  });

  test('batch 1 and one hidden unit (P = 805): 60 epochs accepted, 61 refused; 310 (34.8 s of CPU before) refused, naming the flags', () => {
    const perEpoch = 8000 * 805 + 8000 * (805 + STEP_WORK);
    expect(Math.floor(MAX_TRAINING_WORK / perEpoch)).toBe(60);
    const at = (epochs: number) => ({ ...defaults, hidden: 1, batch: 1, epochs });
    expect(() => checkTrainingWork(at(60))).not.toThrow();
    expect(() => checkTrainingWork(at(61))).toThrow(DownhillError);
    expect(() => checkTrainingWork(at(310))).toThrow(/^--epochs 310 --batch 1 --hidden 1 --digits 10000: .* at most 2e\+9 in one call/);
  });

  test('a wide network on few digits is bound by its evaluations: --hidden 1024 --epochs 1 --digits 2900 (16 CPU s measured) refused', () => {
    // P = 784·1024 + 1024 + 1024·10 + 10 = 814,090; 2 evaluations × (2,320 + 2 × 580) digits.
    const wide = { epochs: 1, batch: 32, hidden: 1024, digits: 2900 };
    expect(trainingWork(wide).evaluation).toBe(2 * (2320 + 2 * 580) * 814_090);
    expect(trainingWork(wide).work).toBeLessThan(MAX_TRAINING_WORK);
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

  test('every combination of the flags\' extremes is either within the limit or refused', () => {
    for (const epochs of [1, 2, 10, 60, 1000]) for (const batch of [1, 32, 10_000]) for (const hidden of [1, 30, 1024]) for (const digits of [10, 2900, 10_000]) {
      const s = { epochs, batch, hidden, digits };
      const { work, evaluation } = trainingWork(s);
      if (work <= MAX_TRAINING_WORK && evaluation <= MAX_EVALUATION_WORK) expect(() => checkTrainingWork(s)).not.toThrow();
      else expect(() => checkTrainingWork(s)).toThrow(/in one call, to stay within the limits of one call \(10 s, 1 GB\)/);
    }
  });
});
