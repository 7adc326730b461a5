// The lesson series: each lesson runs to completion, and the numbers it
// prints agree with answers computed here independently (by hand, by a
// closed form, or by a plain loop).
import { describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { readSetting, settingsFor } from '../src/lesson/settings.ts';
import { DownhillError } from '../src/errors.ts';
import { formulas, lessonDoc, numberAfter, prose, row, table } from './support/lesson-doc.ts';

// The data of lessons 1–3: y ≈ 1.5·x.
const xs = [1, 2, 3, 4];
const ys = [1.5, 2.9, 4.8, 6.1];
const wStar = 46.1 / 30; // Σxy / Σx² = (1.5 + 5.8 + 14.4 + 24.4) / (1 + 4 + 9 + 16)

describe('lesson 1: the loss function', () => {
  test('the loss at w = 1 is the mean squared error by hand, and the best w is Σxy/Σx²', async () => {
    const doc = await lessonDoc('1');
    // (0.5² + 0.9² + 1.8² + 2.1²) / 4 = (0.25 + 0.81 + 3.24 + 4.41) / 4
    expect(numberAfter(prose(doc), /L\(1\) = (\d+(?:\.\d+)?)/)).toBeCloseTo(8.71 / 4, 10);
    expect(numberAfter(formulas(doc).join('\n'), /^w\^\{\*\} = .* = ([\d.]+)$/m)).toBeCloseTo(wStar, 5);
    const lossAtBest = ys.reduce((s, y, i) => s + (y - wStar * xs[i]!) ** 2, 0) / 4;
    expect(numberAfter(prose(doc), /There the loss is \$?(\d+(?:\.\d+)?)/)).toBeCloseTo(lossAtBest, 6);
    const html = await lessonPage(await findLesson('1'));
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
  });

  test('--guess at or below 0: its line runs under the plot (y from 0 to 8), so it is not drawn and the caption says so', async () => {
    const plotOf = async (guess: number) => (await lessonDoc('1', { guess })).sections.flatMap((s) => s.blocks).find((b) => b.kind === 'plot' && b.caption.startsWith('The data and'));
    const under = await plotOf(-1);
    expect(under?.kind === 'plot' && under.caption).toMatch(/^The data and two lines .*The line of \$w = -1\$ runs along or below \$y = 0\$/);
    const tiny = await plotOf(1e-300); // rises 4.5 × 10⁻³⁰⁰ over the plot: along its floor
    expect(tiny?.kind === 'plot' && tiny.caption).toMatch(/^The data and two lines .*The line of \$w = 1 \\times 10\^\{-300\}\$ runs along or below \$y = 0\$/);
    const drawn = await plotOf(1.5);
    expect(drawn?.kind === 'plot' && drawn.caption).toMatch(/^The data and three lines [^.]*\.$/);
  });

  test('a lesson refuses the flags it does not take', async () => {
    const lesson = await findLesson('1');
    expect(() => settingsFor(lesson, { lr: 0.1 })).toThrow(DownhillError);
    expect(() => settingsFor(lesson, { lr: 0.1 })).toThrow('lesson 1 (loss) takes no --lr (it takes --guess)');
    expect(settingsFor(await findLesson('8'), { seed: 7 })).toEqual({ lr: 2, steps: 2000, seed: 7, init: 'random' });
  });
});

describe('lesson 2: the derivative is the slope', () => {
  test('--point off the default range: the curve is drawn out to the tangent\'s point, so the tangent touches it; beyond ±10 is refused', async () => {
    const doc = await lessonDoc('2', { point: -3 });
    const plot = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'plot');
    const texts = [...(plot?.kind === 'plot' ? await plot.svg : '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    // The w axis's tick labels come before its title "w": the curve spans w from −3.5 (the point − 0.5) to 3.
    const wTicks = texts.slice(0, texts.indexOf('w')).map((t) => Number(t.replace('−', '-')));
    expect([Math.min(...wTicks), Math.max(...wTicks)]).toEqual([-3.5, 3]);
    expect(() => readSetting('point', '11')).toThrow('--point expects a number ≤ 10, got 11');
    expect(readSetting('point', '-10')).toBe(-10);
  });

  test("the slopes at the tangent points are L'(w) = (2/N) Σ x (w x − y), and the slope is zero at Σxy/Σx²", async () => {
    const doc = await lessonDoc('2');
    const slope = (w: number): number => (2 / 4) * xs.reduce((s, x, i) => s + x * (w * x - ys[i]!), 0);
    const tangents = table(doc, 'the way down');
    for (const w of [0.5, 1, 2, 2.5]) {
      const cells = row(tangents, w);
      expect(cells[2] as number).toBeCloseTo(slope(w), 10);
      expect(cells[3]).toBe(slope(w) < 0 ? 'increase $w$' : 'decrease $w$');
    }
    expect(numberAfter(formulas(doc).join('\n'), /^w\^\{\*\} = .* = ([\d.]+)$/m)).toBeCloseTo(wStar, 5);
  });
});

describe('lesson 3: gradient descent and the learning rate', () => {
  test('derives the bound 2/L″ = 2/15, and each rate ends where w_k = w* + (w₀ − w*)(1 − 15η)^k puts it', async () => {
    const doc = await lessonDoc('3');
    expect(formulas(doc)).toContain("L''(w) = 15");
    expect(numberAfter(formulas(doc).join('\n'), /\\frac\{2\}\{15\} = ([\d.]+)/)).toBeCloseTo(2 / 15, 6);
    const after15 = (eta: number): number => wStar + (0 - wStar) * (1 - 15 * eta) ** 15;
    const rates = table(doc, 'the run');
    // What each run did, from its own numbers: 0.25^15 puts η = 0.05 within 10⁻⁸ of the bottom; 0.925^15 does not.
    // Where each rate lies comes from its factor alone; what its run did, from the run.
    for (const [eta, where, did] of [[0.005, "under $1/L''$", 'went down, still creeping'], [0.05, "under $1/L''$", 'reached the bottom'], [0.12, "between $1/L''$ and $2/L''$", 'overshoots, the jumps shrinking'], [0.14, "beyond the bound $2/L''$", 'diverged from step 0']] as const) {
      const cells = row(rates, eta);
      expect(cells[1]).toBe(where);
      expect(cells[2] as number).toBeCloseTo(1 - 15 * eta, 12);
      expect(cells[4]).toBe(did);
      expect(cells[5] as number).toBeCloseTo(after15(eta), 4);
    }
    // The diverging rate is farther from the bottom after 15 steps than at the start.
    expect(Math.abs(after15(0.14) - wStar)).toBeGreaterThan(wStar);
  });

  test('--steps 500: every rate under the bound reached the bottom, and no row calls it too small or too large', async () => {
    const rates = table(await lessonDoc('3', { steps: 500 }), 'the run');
    for (const eta of [0.005, 0.05, 0.12]) expect(row(rates, eta)[4]).toBe('reached the bottom');
    expect(JSON.stringify(rates.rows)).not.toMatch(/too (small|large)/);
  });

  test('--lr 0.005 --steps 40: what comes next is the run continued, and it matches the closed form w_k = w*(1 − 0.925^k)', async () => {
    const said = prose(await lessonDoc('3', { lr: 0.005, steps: 40 })).split('\n').find((p) => p.includes('The run of'))!;
    // Independently: the first k with L(w_k) − L* = (Σx²/4)(w_k − w*)² within 10⁻⁸ × (L(0) − L*) of the bottom.
    const gap = (k: number): number => 7.5 * (wStar * 0.925 ** k) ** 2;
    let k = 0;
    while (gap(k) > 1e-8 * gap(0)) k++;
    expect(said).toContain(`after ${k - 40} more steps`);
    expect(said).not.toMatch(/about \d/);
  });

  test('--lr 0.2 --steps 100 diverges and says so, without failing', async () => {
    const said = prose(await lessonDoc('3', { lr: 0.2, steps: 100 }));
    expect(said).toMatch(/factor is \$1 - 15 \\cdot 0\.2 = -2\$: at each step the distance to the bottom flips sign and grows/);
    expect(said).toMatch(/diverged from step 0: the loss grew/);
    expect(said).toMatch(/Training diverged at step \d+ with learning rate 0\.2/);
  });

  test('exactly at the bound, η = 2/15, w bounces between 0 and 2w* forever: a cycle, not a divergence', async () => {
    const said = prose(await lessonDoc('3', { lr: 2 / 15, steps: 15 })).split('\n').find((p) => p.includes('The run of'))!;
    expect(said).toContain('bounces between two points');
    expect(said).toMatch(/oscillates in a cycle of 2 steps: w keeps coming back to .*, \$3\.073\$/);
    expect(said).not.toMatch(/diverge/);
  });
});

describe('lesson 5: the loss landscape', () => {
  test('every descent path ends at the least-squares line (the normal equations)', async () => {
    const doc = await lessonDoc('5');
    const paths = table(doc, 'start $w$');
    const data = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]] as const;
    const n = data.length;
    const sx = data.reduce((s, [x]) => s + x, 0);
    const sy = data.reduce((s, [, y]) => s + y, 0);
    const sxx = data.reduce((s, [x]) => s + x * x, 0);
    const sxy = data.reduce((s, [x, y]) => s + x * y, 0);
    const w = (n * sxy - sx * sy) / (n * sxx - sx * sx); // 1.19429
    const b = (sy - w * sx) / n; // −0.473333
    for (let k = 1; k <= 4; k++) {
      const cells = row(paths, `start ${k}`);
      expect(cells[3] as number).toBeCloseTo(w, 4);
      expect(cells[4] as number).toBeCloseTo(b, 4);
    }
  });
});

describe('lesson 6: symbolic versus numeric gradients', () => {
  test('the central difference is most accurate near h = 1e-5, the forward difference near 1e-8', async () => {
    const best = table(await lessonDoc('6'), 'best $h$');
    const central = row(best, 'central')[1] as number;
    const forward = row(best, 'forward')[1] as number;
    expect(central).toBeGreaterThanOrEqual(1e-6);
    expect(central).toBeLessThanOrEqual(1e-4);
    expect(forward).toBeGreaterThanOrEqual(1e-9);
    expect(forward).toBeLessThanOrEqual(1e-7);
    expect(row(best, 'central')[2] as number).toBeLessThan(1e-10);
  });
});

describe('lesson 6 --h: the step\'s verdict follows from the two errors as printed', () => {
  // h = 10³: both errors print as 3.11 × 10⁻¹ (they differ by about 5e-5), so neither may be called the closer.
  test.each([1e-5, 1e-2, 1e3])('h = %s', async (h) => {
    const said = prose(await lessonDoc('6', { h })).replace(/\s+/g, ' ').match(/With the step .*?off by \$(.+?)\$, and the central .*?off by \$(.+?)\$: (.+?)\./);
    expect(said, 'the sentence about the step').not.toBeNull();
    const [, forward, central, verdict] = said!;
    if (forward === central) expect(verdict).toMatch(/^both are/);
    else expect(verdict).toMatch(/^the (central|forward) difference is the closer$/);
    if (h === 1e3) expect(forward).toBe(central);
  });
});

describe('lesson 7: a zoo of losses', () => {
  test("the engine's derivative of cross-entropy after a sigmoid equals (σ(wx) − y)·x at every point shown", async () => {
    const doc = await lessonDoc('7');
    expect(formulas(doc)).toContain('\\frac{\\partial L}{\\partial \\hat{y}} = -2 \\left(y - \\hat{y}\\right)');
    expect(formulas(doc)).toContain('\\frac{\\partial L}{\\partial z} = \\sigma\\left(z\\right) - y');
    const agree = table(doc, 'relative difference');
    const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
    for (const [w, x, y] of [[0.5, 2, 1], [-1.2, 0.7, 0], [1.3, 0.4, 0.3]] as const) {
      expect(row(agree, w)[3] as number).toBeCloseTo((sigma(w * x) - y) * x, 10);
    }
    expect(Math.max(...agree.rows.map((r) => r[5] as number))).toBeLessThan(1e-12);
  });
});

describe('lesson 8: training XOR', () => {
  test('the 2-2-1 network learns all four rows, and the closed form outgrows the backprop graph', async () => {
    const doc = await lessonDoc('8');
    const predictions = table(doc, 'predicted class');
    expect(predictions.rows.filter((r) => r[2] === r[4])).toHaveLength(4);
    expect(prose(doc)).toContain('4 of 4 rows classified correctly');
    expect(numberAfter(prose(doc), /Final loss \$?([\d.]+)/)).toBeLessThan(0.02);
    const sizes = table(doc, 'backprop graph: nodes');
    const small = row(sizes, '2-2-1') as number[];
    const deep = row(sizes, '2-2-2-2-2-2-2-1') as number[];
    expect(small[2]).toBe(9);
    expect(deep[2]).toBe(39);
    expect(deep[3]! / small[3]!).toBeGreaterThan(4 ** 4); // about ×4 per layer
    expect(deep[5]!).toBeLessThan(5 * small[5]!); // linear: five more layers, less than five times the nodes
  });
});

describe('lesson 9: optimizers', () => {
  test('on Rosenbrock from (−1.2, 1), momentum and Adam reach (1, 1) in 1000 steps, plain descent does not', async () => {
    const race = table(await lessonDoc('9'), 'distance to $(1, 1)$');
    const distance = (name: string): number => row(race, name)[3] as number;
    expect(distance('gradient descent')).toBeGreaterThan(0.5);
    expect(distance('momentum')).toBeLessThan(0.05);
    expect(distance('Adam')).toBeLessThan(0.05);
  });
});
