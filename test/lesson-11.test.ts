// Lesson 11 (convolution) on tiny settings (the full run belongs to the
// lesson itself): the accuracy it prints against an independent count of the
// predictions it draws, the equations it prints with one batch's shapes, its
// narration swept over flags (including runs that diverge or do not move),
// and the bound of one call on its flags.
import { describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { settingsFor } from '../src/lesson/settings.ts';
import { loadDigits } from '../src/nn/digits.ts';
import type { Document } from '../src/render/document.ts';
import { formulas, lessonDoc, prose, table } from './support/lesson-doc.ts';

const notes = (doc: Document): string[] => doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'note' ? [b.text] : [])));
const plots = (doc: Document): { svg: string; caption: string }[] => doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'plot' ? [b] : [])));
/** A number as the lesson prints it: 3 significant digits, or 3 in exponent form below 0.001. */
const shown = (v: number): string => (Math.abs(v) >= 1e-3 ? v.toPrecision(3) : v.toExponential(2));
const pctOf = (cell: unknown): number => Number(String(cell).replace('%', '')) / 100;

/** The RGB bytes of each PNG in an SVG grid, decoded here (PNGs of stored, uncompressed deflate blocks, one filter byte per row). */
function gridImages(svg: string): Uint8Array[] {
  return [...svg.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => {
    const png = Buffer.from(m[1]!, 'base64');
    const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
    const idat = png.indexOf('IDAT');
    const length = png.readUInt32BE(idat - 4);
    const z = png.subarray(idat + 4, idat + 4 + length);
    const raw: number[] = [];
    for (let o = 2, last = 0; !last;) {
      last = z[o]! & 1;
      const len = z.readUInt16LE(o + 1);
      raw.push(...z.subarray(o + 5, o + 5 + len));
      o += 5 + len;
    }
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) rgb.set(raw.slice(y * (1 + 3 * width) + 1, (y + 1) * (1 + 3 * width)), y * 3 * width);
    return rgb;
  });
}

/** What a feature-map caption says about the drawing, checked against the decoded pictures: blank means white everywhere, a darkest value means some pixel is black. */
function checkMapCaption(plot: { svg: string; caption: string }): 'blank' | 'dark' {
  const images = gridImages(plot.svg);
  expect(images).toHaveLength(8);
  const white = images.map((rgb) => rgb.every((b) => b === 255));
  if (plot.caption.includes('every map is 0 at every position')) {
    expect(white.every(Boolean)).toBe(true);
    expect(plot.caption).not.toMatch(/dark/);
    return 'blank';
  }
  expect(plot.caption).toMatch(/dark where a filter answers \(relu of its sum\), on one scale whose darkest is \d/);
  expect(Number(/whose darkest is (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(plot.caption)![1])).toBeGreaterThan(0);
  expect(images.some((rgb) => rgb.some((b) => b === 0))).toBe(true);
  // the maps named blank are white everywhere
  const named = /maps? ([\d, and]+) (?:is|are) 0 at every position/.exec(plot.caption);
  for (const k of named ? named[1]!.split(/, | and /).map(Number) : []) expect(white[k - 1]).toBe(true);
  return 'dark';
}

describe('lesson 11: convolution', () => {
  test('on 100 digits for 1 epoch: the accuracy printed is the share of drawn predictions that match the labels, the equations carry the batch\'s shapes', async () => {
    const settings = { digits: 100, epochs: 1, batch: 20, seed: 3 };
    const doc = await lessonDoc('11', settings);
    const text = prose(doc).replace(/\s+/g, ' ');
    expect(text).toContain('shuffled with seed 3, 80 train the network and the next 20 test it');

    // The predictions drawn under the 20 test digits ("label → prediction"), their labels read independently.
    const grid = plots(doc).find((p) => p.caption.startsWith('The first 20 test digits, label → prediction'))!;
    const captions = [...grid.svg.matchAll(/>(\d) → (\d)<\/text>/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(captions).toHaveLength(20);
    const data = await loadDigits({ seed: 3, train: 80, test: 20 });
    expect(captions.map(([y]) => y)).toEqual([...data.test.labels]);
    const right = captions.filter(([y, p]) => y === p).length;
    const epochs = table(doc, 'test accuracy');
    const accuracy = pctOf(epochs.rows.at(-1)![3]);
    expect(accuracy).toBeCloseTo(Math.round(1000 * right / 20) / 1000, 10);
    expect(text).toContain(`${right} of the 20 test digits right`);
    expect(grid.caption).toContain(`(${20 - right} wrong, in red)`);
    // The comparison table quotes the same accuracy for the convolutional network.
    const compare = table(doc, 'parameters');
    expect(compare.rows[0]![1]).toBe('11,738');
    expect(compare.rows[1]![1]).toBe('23,860');
    expect(pctOf(compare.rows[0]![4])).toBe(accuracy);

    // The backward equations, derived by the engine: ∂L/∂K is a correlation of the input with δ, pooling routes δ to the argmax.
    const shapes = table(doc, 'shape (N = 20)');
    const shapeOf = (lhs: string): string => String(shapes.rows.find((r) => String(r[0]).startsWith(`${lhs} = `))![1]);
    expect(shapes.rows.map((r) => String(r[0]))).toContain('∂L/∂K⁽¹⁾ = Σₙ x ⋆ δ⁽¹⁾');
    expect(shapes.rows.map((r) => String(r[0]))).toContain('δa⁽¹⁾ = route_argmax a⁽¹⁾(δa⁽²⁾)');
    expect(shapeOf('∂L/∂K⁽¹⁾')).toBe('8×25');
    expect(shapeOf('δ⁽¹⁾')).toBe(`${8 * 24 * 24}×20`);
    expect(shapeOf('δa⁽²⁾')).toBe(`${8 * 12 * 12}×20`);
    expect(shapeOf('∂L/∂W⁽³⁾')).toBe('10×1152');
    expect(formulas(doc).some((f) => f.includes('\\star'))).toBe(true);
    // filters and feature maps, before and after training, with their captions
    for (const start of ['The 8 filters at their random start', 'The 8 feature maps a⁽¹⁾ of that digit at the start', 'The 8 filters after epoch 1', 'The feature maps of the same']) {
      expect(plots(doc).some((p) => p.caption.startsWith(start) && p.svg.includes('data:image/png;base64,')), start).toBe(true);
    }
  }, 120_000);

  // Tiny runs across the flags, a diverging one and one that cannot move among them: every sentence checked against the run's own tables.
  const grid = [
    { digits: 60, epochs: 2, batch: 10, lr: 0.01, seed: 1 },
    { digits: 50, epochs: 1, batch: 40, lr: 1e-9, seed: 2 },
    { digits: 50, epochs: 2, batch: 8, lr: 50, seed: 4 },
    { digits: 40, epochs: 1, batch: 100, lr: 0.003, seed: 5 },
  ];
  let detailed = 0;
  test.each(grid)('the narration follows the run\'s numbers at %o', async (settings) => {
    const doc = await lessonDoc('11', settings);
    const text = prose(doc).replace(/\s+/g, ' ');
    const nTrain = Math.round(0.8 * settings.digits), nTest = settings.digits - nTrain;
    const B = Math.min(settings.batch, nTrain);
    expect(text).toContain(`cuts them into ${Math.floor(nTrain / B)} batch`);
    // The step size falls linearly over epochs × batches per epoch steps, to η/steps at the last.
    const steps = settings.epochs * Math.floor(nTrain / B);
    // (a number in exponent form, as 1e-9, reaches the prose as TeX: $1 \times 10^{-9}$)
    const asProse = (v: string): string => v.replace(/^(\d+(?:\.\d+)?)e-(\d+)$/, '$$$1 \\times 10^{-$2}$$');
    const lrText = asProse(String(settings.lr));
    expect(text).toContain(steps === 1 ? `η = ${lrText} for its one step`
      : `falls in a straight line from ${lrText} at the first of the ${steps} steps to ${asProse(shown(settings.lr / steps))} at the last`);
    const diverged = notes(doc).some((n) => n.startsWith('Training diverged'));
    const epochs = (() => { try { return table(doc, 'test accuracy'); } catch { return undefined; } })();
    const finished = epochs ? epochs.rows.length - 1 : 0;
    // A run that stopped early says so; one that finished every epoch does not.
    expect(diverged).toBe(finished < settings.epochs);
    if (epochs && finished > 0) {
      detailed++;
      const start = epochs.rows[0]!, last = epochs.rows.at(-1)!;
      const [a0, a1] = [pctOf(start[3]), pctOf(last[3])];
      const [l0, l1] = [Number(start[2]), Number(last[2])];
      const trend = a1 === a0 ? 'was' : a1 > a0 ? 'rose' : 'fell';
      expect(text).toMatch(trend === 'was' ? /Test accuracy was [\d.]+% both before training/ : new RegExp(`Test accuracy ${trend} from`));
      expect(text).toContain(`The test loss ${l1 < l0 ? 'went down' : l1 > l0 ? 'went up' : 'stayed'} from`);
      expect(notes(doc).some((n) => n.startsWith('The test loss ended no lower'))).toBe(!(l1 < l0));
      expect(text).toContain(`of the ${nTest} test digits right`);
    } else {
      expect(text).not.toContain('Test accuracy rose');
    }
    // The comparison names the network that is right on more test digits, by the table's numbers.
    const compare = table(doc, 'parameters');
    const [cnn, dense] = [pctOf(compare.rows[0]![4]), pctOf(compare.rows[1]![4])];
    if (cnn === dense) expect(text).toContain('Both networks are right on');
    else if (cnn > dense) expect(text).toContain(`The convolutional network is right on more test digits (${compare.rows[0]![4]} against ${compare.rows[1]![4]})`);
    else expect(text).toContain(`Here the dense network is right on more test digits (${compare.rows[1]![4]} against ${compare.rows[0]![4]})`);
    expect(Number(compare.rows[0]![3])).toBe(finished);
    // The feature maps' captions say dark or blank as the drawn maps are.
    for (const plot of plots(doc).filter((p) => /^The (8 )?feature maps/.test(p.caption))) captions[checkMapCaption(plot)]++;
    // After training, the filters said to answer are the maps the caption does not call 0 everywhere, and every map drawn
    // with some ink is among them (a map too faint to show may answer and still be drawn white).
    const after = plots(doc).find((p) => p.caption.startsWith('The feature maps of the same'));
    if (after) {
      const inked = gridImages(after.svg).filter((rgb) => rgb.some((b) => b !== 255)).length;
      const said = /all 8 filters answer somewhere on this/.test(text) ? 8 : /no filter answers anywhere on this/.test(text) ? 0
        : Number(/(\d) of the 8 filters answer somewhere on this \d and the other (\d) nowhere/.exec(text)?.[1] ?? NaN);
      expect(said).toBeGreaterThanOrEqual(inked);
      const named = /maps? ([\d, and]+) (?:is|are) 0 at every position/.exec(after.caption);
      const blank = after.caption.includes('every map is 0 at every position') ? 8 : named ? named[1]!.split(/, | and /).length : 0;
      expect(said).toBe(8 - blank);
    } else expect(text).not.toContain('filters answer somewhere');
  }, 120_000);
  const captions = { blank: 0, dark: 0 };
  test('the grid above drew both maps that answer and maps that are zero everywhere, and their captions were checked', () => {
    expect(captions.dark).toBeGreaterThan(0);
    expect(captions.blank).toBeGreaterThan(0);
  });
  test('the grid above has runs that finished an epoch, so their narration was checked in detail', () => {
    expect(detailed).toBeGreaterThan(0);
  });

  test('takes the training flags, refuses others, and bounds the work of one call', async () => {
    const lesson = await findLesson('convolution');
    expect(settingsFor(lesson, {})).toMatchObject({ epochs: 3, lr: 0.01, batch: 16, seed: 1, digits: 10000 });
    expect(() => settingsFor(lesson, { hidden: 5 })).toThrow('lesson 11 (convolution) takes no --hidden');
    // the defaults (4.72·10⁹) fit like any other run; 4 epochs (6.21·10⁹) do not; 3 epochs of 9,000 digits (4.25·10⁹) do
    expect(settingsFor(lesson, { epochs: 2 })).toMatchObject({ epochs: 2 });
    expect(() => settingsFor(lesson, { epochs: 4 })).toThrow(/4 epochs × \(8,000 training digits × 155,188 multiply-adds per digit \+ 500 steps × 200,000\) \+ 6 evaluations × 2,000 test digits × 70,000 is 6\.21e\+9: at most 4\.8e\+9/);
    expect(settingsFor(lesson, { digits: 9000 })).toMatchObject({ digits: 9000 });
    expect(settingsFor(lesson, { epochs: 30, digits: 500 })).toMatchObject({ epochs: 30, digits: 500 });
    // the default's epochs and digits in batches of 1 are 8,000 steps an epoch (9.22·10⁹): refused
    expect(() => settingsFor(lesson, { batch: 1 })).toThrow(/3 epochs × \(8,000 training digits × 155,188 multiply-adds per digit \+ 8,000 steps × 200,000\) \+ 5 evaluations × 2,000 test digits × 70,000 is 9\.22e\+9/);
    // a batch is at most 256 digits (its values for the gradient), counted after the cut to the training digits
    expect(() => settingsFor(lesson, { batch: 257 })).toThrow(/^--batch 257: a batch of 257 digits keeps about 34 MB .* at most 256 digits a batch/);
    expect(settingsFor(lesson, { batch: 10_000, digits: 100 })).toMatchObject({ batch: 10_000, digits: 100 });
  });
});
