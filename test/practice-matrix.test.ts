// Lesson 10's matrix answers against the engine: the keys of the practice
// set (δ⁽²⁾ … ∂L/∂b⁽¹⁾), evaluated on a small 5-4-3 network's weights and a
// batch of 6, equal the matrix engine's gradient of the mean softmax
// cross-entropy (compileMatrixGradient) at the same weights.
import { expect, test } from 'vitest';
import { findSet } from '../src/cli/practice.ts';
import { itemsOf } from '../src/practice/practice.ts';
import { matrixValue } from '../src/practice/matrix.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';
import { mulberry32 } from '../src/nn/random.ts';

test('the keys of ∂L/∂W⁽²⁾, ∂L/∂W⁽¹⁾ and ∂L/∂b⁽¹⁾ equal the matrix engine\'s gradient on a 5-4-3 network', async () => {
  const [d, h, c, N] = [5, 4, 3, 6];
  const net = matrixNetwork([{ in: d, out: h, activation: 'sigmoid', bias: true }, { in: h, out: c, activation: 'identity', bias: true }], 'softmax_ce');
  const rng = mulberry32(7);
  const p = Float64Array.from({ length: net.P }, () => 2 * rng() - 1);
  const X = Array.from({ length: d }, () => Array.from({ length: N }, () => rng()));
  const labels = Array.from({ length: N }, (_, n) => n % c);
  const Y = Array.from({ length: c }, (_, i) => labels.map((l) => (l === i ? 1 : 0)));
  // The batch, sample by sample: the inputs, then the one-hot label.
  const batch = Float64Array.from(Array.from({ length: N }, (_, n) => [...X.map((r) => r[n]!), ...Y.map((r) => r[n]!)]).flat());
  const g = new Float64Array(net.P);
  compileMatrixGradient(net).lossAndGradient(p, g, batch, N);

  const param = (name: string) => net.params.find((m) => m.kind === 'param' && m.name === name)!;
  const rows = (from: Float64Array, name: string): number[][] => {
    const m = param(name);
    const [r, cols] = m.shape as [number, number];
    const off = m.kind === 'param' ? m.offset : 0;
    return Array.from({ length: r }, (_, i) => Array.from(from.subarray(off + i * cols, off + (i + 1) * cols)));
  };
  const names = net.params.map((m) => (m.kind === 'param' ? m.name : ''));
  expect(names).toEqual(['W1', 'b1', 'W2', 'b2']);
  const given = { X, Y, W1: rows(p, 'W1'), b1: rows(p, 'b1'), W2: rows(p, 'W2'), b2: rows(p, 'b2') };
  const items = itemsOf(await findSet('10'));
  const key = (id: string) => {
    const item = items.find((i) => i.id === id)!;
    if (item.kind !== 'matrix') throw new Error(id);
    return matrixValue(item, item.formula, given);
  };
  const close = (a: number[][], b: number[][]) => {
    expect(a.length).toBe(b.length);
    a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, 12)));
  };
  close(key('dl-dw2'), rows(g, 'W2'));
  close(key('dl-dw1'), rows(g, 'W1'));
  close(key('dl-db1'), rows(g, 'b1'));
});
