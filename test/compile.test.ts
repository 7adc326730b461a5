import { describe, expect, test } from 'vitest';
import { compileGradient, assertSafeSource } from '../src/compile/compile.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { mathjsEvaluator } from '../src/expr/mathjs.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { DownhillError } from '../src/errors.ts';
import { centralDifference4, relativeError } from './support/fd.ts';

describe('compileGradient(loss, { params, data })', () => {
  const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2');
  const spec = { params: ['w1', 'w2', 'w3'], data: ['x1', 'x2', 'y'] };

  test('loss and gradient of one sample match a hand computation', () => {
    // z = 0.1·1 − 0.2·0.5 = 0, h = σ(0) = 0.5, ŷ = 0.15, L = 0.55² = 0.3025
    // ∂L/∂w3 = −2·0.55·0.5 = −0.55; ∂L/∂w1 = −2·0.55·0.3·0.25·1 = −0.0825
    const f = compileGradient(L, spec);
    const g = new Float64Array(3);
    const loss = f.lossAndGradient(new Float64Array([0.1, -0.2, 0.3]), g, packBatch([[1, 0.5, 0.7]]));
    expect(loss).toBeCloseTo(0.3025, 15);
    expect(g[0]).toBeCloseTo(-0.0825, 15);
    expect(g[1]).toBeCloseTo(-0.04125, 15);
    expect(g[2]).toBeCloseTo(-0.55, 15);
  });

  test('a batch reduces by mean (default) or sum', () => {
    const rows = [[1, 0.5, 0.7], [-1, 2, 0.1], [0.3, 0.3, 1]];
    const p = new Float64Array([0.4, -0.7, 1.1]);
    const each = rows.map(([x1, x2, y]) => evaluate(L, { w1: 0.4, w2: -0.7, w3: 1.1, x1: x1!, x2: x2!, y: y! }));
    const total = each.reduce((a, b) => a + b, 0);
    expect(compileGradient(L, spec).loss(p, packBatch(rows))).toBeCloseTo(total / 3, 15);
    expect(compileGradient(L, { ...spec, reduce: 'sum' }).loss(p, packBatch(rows))).toBeCloseTo(total, 14);
  });

  test('cutting the code into small chunks gives the same numbers', () => {
    const m = referenceModel('iris67');
    const { loss, params, data } = networkLoss(m.layers, m.loss);
    const whole = compileGradient(loss, { params, data, chunkSize: 1_000_000 });
    const cut = compileGradient(loss, { params, data, chunkSize: 7 });
    expect(cut.source.gradient).toMatch(/chunk12\(/);
    const X = referenceBatch(m);
    const g1 = new Float64Array(m.P), g2 = new Float64Array(m.P);
    expect(cut.lossAndGradient(m.p, g2, X)).toBe(whole.lossAndGradient(m.p, g1, X));
    expect([...g2]).toEqual([...g1]);
  });

  test('a batch of several blocks (70 rows) sums samples in order, whatever the chunk size', () => {
    const rows = Array.from({ length: 70 }, (_, n) => [Math.sin(n), Math.cos(3 * n), n / 70]);
    const p = new Float64Array([0.4, -0.7, 1.1]);
    const values = (r: number[]) => ({ w1: 0.4, w2: -0.7, w3: 1.1, x1: r[0]!, x2: r[1]!, y: r[2]! });
    const byHand = rows.reduce((acc, r) => acc + evaluate(L, values(r)), 0) / 70;
    const X = packBatch(rows);
    const g1 = new Float64Array(3), g2 = new Float64Array(3);
    const whole = compileGradient(L, { ...spec, chunkSize: 1_000_000 }).lossAndGradient(p, g1, X);
    const cut = compileGradient(L, { ...spec, chunkSize: 3 }).lossAndGradient(p, g2, X);
    expect(whole).toBeCloseTo(byHand, 14);
    expect(cut).toBe(whole);
    expect([...g2]).toEqual([...g1]);
    // ∂L/∂w3 = mean of −2(y − ŷ)·h, computed by hand
    const dw3 = rows.reduce((acc, r) => {
      const h = 1 / (1 + Math.exp(-(0.4 * r[0]! - 0.7 * r[1]!)));
      return acc - 2 * (r[2]! - 1.1 * h) * h;
    }, 0) / 70;
    expect(g1[2]).toBeCloseTo(dw3, 14);
  });

  test('partials that are a data symbol, a parameter or a constant are summed per sample', () => {
    // L = w·x + 3v + u·w: ∂L/∂w = x + u, ∂L/∂v = 3, ∂L/∂u = w
    const f = compileGradient(parseExpression('w*x + 3*v + u*w'), { params: ['w', 'v', 'u'], data: ['x'], reduce: 'sum' });
    const g = new Float64Array(3);
    const loss = f.lossAndGradient(new Float64Array([2, 5, 7]), g, packBatch([[1], [4], [-2]]));
    expect(loss).toBe(2 * 3 + 3 * 5 * 3 + 7 * 2 * 3);
    expect([...g]).toEqual([3 + 3 * 7, 9, 6]);
  });

  test('the mathjs compile().evaluate() path gives the same loss', () => {
    const at = [0.1, -0.2, 0.3, 1, 0.5, 0.7];
    const viaMathjs = mathjsEvaluator(L, [...spec.params, ...spec.data])(at);
    expect(viaMathjs).toBeCloseTo(compileGradient(L, spec).loss(new Float64Array(at.slice(0, 3)), new Float64Array(at.slice(3))), 15);
  });

  test('a symbol that is neither a parameter nor data is refused by name', () => {
    expect(() => compileGradient(L, { params: ['w1', 'w2', 'w3'], data: ['x1', 'x2'] })).toThrow(/symbol "y" has no value/);
  });

  test('wrong array sizes are refused', () => {
    const f = compileGradient(L, spec);
    expect(() => f.loss(new Float64Array(2), new Float64Array(3))).toThrow(DownhillError);
    expect(() => f.lossAndGradient(new Float64Array(3), new Float64Array(1), new Float64Array(3))).toThrow(DownhillError);
  });
});

describe('the reference models (shared/benchmark-models.md)', () => {
  test.each(referenceIds.map((id) => [id]))('%s: loss at the initial weights equals the listed value; gradient = (fourth-order) central differences to 1e-7', (id) => {
    const m = referenceModel(id);
    const nl = networkLoss(m.layers, m.loss, 'indexed');
    const f = compileGradient(nl.loss, { params: nl.params, data: nl.data, reduce: nl.reduce });
    const X = referenceBatch(m);
    const g = new Float64Array(m.P);
    expect(f.lossAndGradient(m.p, g, X)).toBe(m.initialLoss);
    expect(f.loss(m.p, X)).toBe(m.initialLoss);
    // Central differences on every parameter of the small models, every 10th on the large.
    const stride = m.P > 100 ? 10 : 1;
    for (let k = 0; k < m.P; k += stride) {
      const fd = centralDifference4((q) => f.loss(q, X), m.p, k);
      expect(relativeError(g[k]!, fd, 1e-3), `∂L/∂${nl.params[k]}: ${g[k]} vs ${fd}`).toBeLessThanOrEqual(1e-7);
    }
  });
});

describe('assertSafeSource', () => {
  test('passes generated code and refuses anything else', () => {
    const f = compileGradient(parseExpression('constructor*__proto__ + toString^2 + process/require'), {
      params: ['constructor', '__proto__', 'toString', 'process', 'require'],
    });
    expect(() => assertSafeSource(f.source.gradient)).not.toThrow();
    expect(f.source.gradient).not.toMatch(/constructor|__proto__|toString|process|require/);
    expect(f.lossAndGradient(new Float64Array([2, 3, 4, 8, 2]), new Float64Array(5))).toBe(2 * 3 + 16 + 4);
    expect(() => assertSafeSource('return process.exit(1)')).toThrow(/process/);
    expect(() => assertSafeSource('const v1 = "x";')).toThrow(DownhillError);
  });
});
