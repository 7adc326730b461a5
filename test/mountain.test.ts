import { describe, expect, test } from 'vitest';
import { evaluate } from '../src/expr/evaluate.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { mountainHtml, type MountainData } from '../src/render/mountain.ts';

const spec = {
  loss: parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2'), params: ['w1', 'w3'] as const, data: ['x1', 'x2', 'y'],
  batch: [[1, 0.5, 0.8]], fixed: { w2: -0.25 }, x: [-4, 4] as const, y: [-3, 3] as const, start: [0.25, 0.05] as const, lr: 0.5, steps: 200,
  caption: 'the loss over $w_{1}$ and $w_{3}$',
};

/** The spec a page carries, read back as the site's script reads it. */
function carried(html: string): MountainData {
  const attr = /data-spec="([^"]*)"/.exec(html)![1]!;
  return JSON.parse(attr.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as MountainData;
}

describe('mountainHtml', () => {
  test('the page carries a loss that reads back to the same function, and every number of the spec', () => {
    const data = carried(mountainHtml(spec));
    const at = { w1: 0.3, w2: -0.25, w3: 1.7, x1: 1, x2: 0.5, y: 0.8 };
    // By hand: z = 0.3 − 0.125 = 0.175, σ(z) = 1/(1 + e^−0.175), L = (0.8 − 1.7σ)²
    const byHand = (0.8 - 1.7 / (1 + Math.exp(-0.175))) ** 2;
    expect(evaluate(parseExpression(data.loss), at)).toBe(evaluate(spec.loss, at));
    expect(evaluate(parseExpression(data.loss), at)).toBeCloseTo(byHand, 15);
    expect(data).toMatchObject({ params: ['w1', 'w3'], data: ['x1', 'x2', 'y'], batch: [[1, 0.5, 0.8]], fixed: { w2: -0.25 }, start: [0.25, 0.05], lr: 0.5, steps: 200 });
  });

  test('stays out of a static page: hidden, its caption in a template', () => {
    const html = mountainHtml(spec);
    expect(html).toMatch(/^<figure class="dh-mountain" hidden /);
    expect(html).toMatch(/<template><figcaption>the loss over <span class="katex">/);
  });

  test('refuses a spec with a number that is not finite', () => {
    expect(() => mountainHtml({ ...spec, lr: Infinity })).toThrow(/every number of the spec must be finite/);
    expect(() => mountainHtml({ ...spec, batch: [[1, NaN, 0.8]] })).toThrow(/must be finite/);
  });
});
