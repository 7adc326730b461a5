import { describe, expect, test } from 'vitest';
import { handwrittenGrad, handwrittenLoss } from '../bench/handwritten.ts';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';

describe('handwrittenLoss and handwrittenGrad', () => {
  test.each(referenceIds)('handwrittenLoss(%s)(params) equals the listed initial loss (bit for bit)', (id) => {
    const m = referenceModel(id);
    const loss = handwrittenLoss(m)(m.p);
    expect(Math.abs(loss - m.initialLoss)).toBeLessThanOrEqual(1e-12 * Math.abs(m.initialLoss));
    expect(loss).toBe(m.initialLoss);
  });

  test.each(referenceIds)('handwrittenGrad(%s)(params, g) returns the same loss and overwrites g', (id) => {
    const m = referenceModel(id);
    const g = new Float64Array(m.P).fill(123);
    const grad = handwrittenGrad(m);
    expect(grad(m.p, g)).toBe(m.initialLoss);
    const again = new Float64Array(m.P);
    grad(m.p, again);
    expect(again).toEqual(g); // stale values in g do not leak into the result
  });

  test.each(referenceIds)('handwrittenGrad(%s) agrees with central finite differences', (id) => {
    const m = referenceModel(id);
    const loss = handwrittenLoss(m);
    const g = new Float64Array(m.P);
    handwrittenGrad(m)(m.p, g);
    // every parameter on small models, a random subset of 50 on large ones
    const rng = mulberry32(7);
    const ks = m.P <= 100 ? Array.from({ length: m.P }, (_, k) => k) : Array.from({ length: 50 }, () => Math.floor(rng() * m.P));
    const p = Float64Array.from(m.p);
    const h = 1e-6;
    for (const k of ks) {
      const pk = p[k]!;
      const fd = centralDifference((d) => { p[k] = pk + d; const value = loss(p); p[k] = pk; return value; }, h);
      const gk = g[k]!;
      expect(Math.abs(gk - fd), `∂L/∂p[${k}]: backprop ${gk}, finite difference ${fd}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(gk)));
    }
  });

  test('handwrittenGrad handles relu layers (agrees with finite differences)', () => {
    const m = referenceModel('mlp321');
    m.layers[0] = { ...m.layers[0]!, activation: 'relu' };
    const loss = handwrittenLoss(m);
    const g = new Float64Array(m.P);
    const l = handwrittenGrad(m)(m.p, g);
    expect(l).toBe(loss(m.p));
    const p = Float64Array.from(m.p);
    for (let k = 0; k < m.P; k += 7) {
      const pk = p[k]!;
      p[k] = pk + 1e-6;
      const up = loss(p);
      p[k] = pk - 1e-6;
      const down = loss(p);
      p[k] = pk;
      expect(Math.abs(g[k]! - (up - down) / 2e-6)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(g[k]!)));
    }
  });
});
