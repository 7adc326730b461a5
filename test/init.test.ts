import { describe, expect, test } from 'vitest';
import { initParams } from '../src/nn/init.ts';
import { network } from '../src/nn/network.ts';
import { mulberry32 } from '../src/nn/random.ts';

describe('initParams(target, { seed, method })', () => {
  test('uniform draws are 2·u − 1 from mulberry32(seed), in order', () => {
    // mulberry32(42) draws 0.6011037519201636, 0.44829055899754167 first (the spec)
    expect([...initParams(2, { seed: 42 })]).toEqual([2 * 0.6011037519201636 - 1, 2 * 0.44829055899754167 - 1]);
  });

  test('the same seed gives the same numbers; another seed others', () => {
    const net = network([2, 3, 1]);
    expect([...initParams(net, { seed: 5 })]).toEqual([...initParams(net, { seed: 5 })]);
    expect([...initParams(net, { seed: 5 })]).not.toEqual([...initParams(net, { seed: 6 })]);
  });

  test('uniform on [low, high) stays in the range', () => {
    const p = initParams(1000, { seed: 1, low: -0.1, high: 0.3 });
    expect(Math.min(...p)).toBeGreaterThanOrEqual(-0.1);
    expect(Math.max(...p)).toBeLessThan(0.3);
  });

  test('glorot: weights within ±√(6/(fan_in + fan_out)) layer by layer, biases 0', () => {
    const net = network([4, 8, 2]);
    const p = initParams(net, { seed: 3, method: 'glorot' });
    const l1 = Math.sqrt(6 / 12), l2 = Math.sqrt(6 / 10);
    const W1 = p.subarray(0, 32), b1 = p.subarray(32, 40), W2 = p.subarray(40, 56), b2 = p.subarray(56, 58);
    expect(W1.every((w) => Math.abs(w) <= l1)).toBe(true);
    expect(Math.max(...W1.map(Math.abs))).toBeGreaterThan(l1 / 2);
    expect(W2.every((w) => Math.abs(w) <= l2)).toBe(true);
    expect([...b1, ...b2]).toEqual(new Array(10).fill(0));
    // the first weight is the first draw: −L + 2L·u
    expect(W1[0]).toBe(-l1 + 2 * l1 * mulberry32(3)());
  });

  test('bad settings are refused', () => {
    expect(() => initParams(3, { seed: 1, method: 'glorot' })).toThrow(/glorot needs the network/);
    expect(() => initParams(3, { seed: 1.5 })).toThrow(/seed must be a whole number/);
    expect(() => initParams(3, { seed: 1, low: 1, high: 0 })).toThrow(/low < high/);
  });
});
