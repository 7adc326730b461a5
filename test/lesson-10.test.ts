// Lesson 10 on a small subset of the digits (the full run belongs to the
// lesson itself): its numbers against answers computed here independently.
import { describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { settingsFor } from '../src/lesson/settings.ts';
import { loadDigits, DIGIT_PIXELS } from '../src/nn/digits.ts';
import { mulberry32, normal } from '../src/nn/random.ts';

describe('lesson 10: handwritten digits', () => {
  test('on 500 digits for 2 epochs: the first batch, the epochs and the mistakes agree with independent sums', async () => {
    let text = '';
    const settings = { digits: 500, epochs: 2, hidden: 10, batch: 20, lr: 1, seed: 3 };
    const html = await lessonPage(await findLesson('10'), settings, { write: (s: string) => { text += s; } });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Shuffled with seed 3, 400 of them train the network and the next 100 test it');
    expect(text).toContain('δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ′(z⁽¹⁾)');

    // The first batch's loss at the initial weights, by a plain loop: the
    // weights are normal/√inputs from mulberry32(seed), W¹ then W² (biases 0).
    const data = await loadDigits({ seed: 3, train: 400, test: 100 });
    const rng = mulberry32(3);
    const W1 = Float64Array.from({ length: 10 * DIGIT_PIXELS }, () => normal(rng) / Math.sqrt(DIGIT_PIXELS));
    const W2 = Float64Array.from({ length: 100 }, () => normal(rng) / Math.sqrt(10));
    let loss = 0, d2 = 0;
    for (let n = 0; n < 20; n++) {
      const x = data.train.batch.subarray(n * 794, n * 794 + DIGIT_PIXELS);
      const a = Array.from({ length: 10 }, (_, j) => { let z = 0; for (let i = 0; i < DIGIT_PIXELS; i++) z += W1[j * DIGIT_PIXELS + i]! * x[i]!; return 1 / (1 + Math.exp(-z)); });
      const z2 = Array.from({ length: 10 }, (_, c) => a.reduce((s, v, j) => s + W2[c * 10 + j]! * v, 0));
      const m = Math.max(...z2), sum = z2.reduce((s, v) => s + Math.exp(v - m), 0);
      const y = data.train.labels[n]!;
      loss += m + Math.log(sum) - z2[y]!;
      z2.forEach((v, c) => { d2 += ((Math.exp(v - m) / sum - (c === y ? 1 : 0)) / 20) ** 2; });
    }
    expect(Number(/its loss is ([\d.]+)/.exec(flat)![1])).toBeCloseTo(loss / 20, 2);
    // The shapes and the sizes may be one table or, cut to the terminal's width, two: the size is the row's last number.
    expect(text.split('\n').some((l) => l.trim().startsWith('δ⁽²⁾ = ') && l.includes('10×20'))).toBe(true);
    const row = text.split('\n').find((l) => l.trim().startsWith('δ⁽²⁾ = ') && /\d$/.test(l.trim()) && !l.trim().endsWith('×20'))!;
    expect(Number(row.trim().split(/\s+/).at(-1))).toBeCloseTo(Math.sqrt(d2 / 200), 4);

    // Two epoch rows; the sentences quote the last one.
    const epochRows = text.split('\n').filter((l) => /^\s+[12]\s{2,}/.test(l)).map((l) => l.trim().split(/\s{2,}/))
      .filter((r) => r.length >= 4); // a table cut to the terminal's width repeats the epoch in its second part (the seconds)
    expect(epochRows).toHaveLength(2);
    const lastAcc = Number(epochRows[1]![3]!.replace('%', '')) / 100;
    expect(flat).toContain(`to ${(100 * lastAcc).toFixed(1)}% after 2 epochs`);
    // the sentence about fitting follows the two losses it quotes
    const [, trainLoss, testLoss] = /loss over all 400 training digits is ([\d.e-]+) and over the test digits ([\d.e-]+)/.exec(flat)!;
    expect(flat.includes('fits the digits it has seen better than new ones')).toBe(Number(testLoss) > Number(trainLoss));
    expect(Number(testLoss)).toBeCloseTo(Number(epochRows[1]![2]), 10);
    const quoted = /In all, (\d+) of 100 test digits are wrong/.exec(flat)?.[1];
    const wrong = quoted !== undefined ? Number(quoted) : flat.includes('It makes no mistakes') ? 0 : NaN;
    expect(wrong).toBe(Math.round((1 - lastAcc) * 100));
    // pictures: first digits, two curves, confusion matrix, test digits, hidden units
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).toContain('data:image/png;base64,');
  }, 60_000);

  test('takes the training flags and refuses others', async () => {
    const lesson = await findLesson('digits');
    expect(settingsFor(lesson, { epochs: 3 })).toMatchObject({ epochs: 3, lr: 1, batch: 32, hidden: 30, seed: 1, digits: 10000 });
    expect(() => settingsFor(lesson, { steps: 5 })).toThrow('lesson 10 (digits) takes no --steps');
  });
});
