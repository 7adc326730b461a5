import { describe, expect, test } from 'vitest';
import { add, call, constant, div, mul, neg, nodeCount, pow, sub, sym, substitute, topoOrder, symbolsOf } from '../src/expr/node.ts';

describe('hash-consing', () => {
  test('building the same expression twice returns the same node', () => {
    const a = add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2')));
    const b = add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2')));
    expect(a).toBe(b);
    expect(call('sigmoid', a)).toBe(call('sigmoid', b));
  });

  test('a shared subexpression is one node: σ(z)·(1 − σ(z)) has 9 distinct nodes', () => {
    const z = add(mul(sym('w1'), sym('x1')), sym('b'));
    const s = call('sigmoid', z);
    const e = mul(s, sub(1, s));
    // w1, x1, w1·x1, b, z, σ(z), 1, 1 − σ(z), product = 9
    expect(nodeCount([e])).toBe(9);
  });

  test('-0 and 0 are different constants, 2 and 2.0 the same', () => {
    expect(constant(-0)).not.toBe(constant(0));
    expect(constant(2)).toBe(constant(2.0));
  });
});

describe('builders fold only what needs no judgement', () => {
  const x = sym('x');
  test.each([
    ['x + 0', add(x, 0), x],
    ['0 + x', add(0, x), x],
    ['x - 0', sub(x, 0), x],
    ['x * 1', mul(x, 1), x],
    ['1 * x', mul(1, x), x],
    ['x * 0', mul(x, 0), constant(0)],
    ['x / 1', div(x, 1), x],
    ['x ^ 1', pow(x, 1), x],
    ['x ^ 0', pow(x, 0), constant(1)],
    ['-(-x)', neg(neg(x)), x],
    ['2 * 3', mul(2, 3), constant(6)],
    ['x * -1', mul(x, -1), neg(x)],
    ['x + (-y)', add(x, neg(sym('y'))), sub(x, sym('y'))],
  ])('%s', (_, got, want) => {
    expect(got).toBe(want);
  });

  test('x + y is not folded', () => {
    expect(add(sym('x'), sym('y')).kind).toBe('add');
  });
});

describe('traversal', () => {
  test('topoOrder puts children before parents and visits each node once', () => {
    const x = sym('x');
    const e = mul(add(x, 1), add(x, 1));
    const order = topoOrder([e]);
    expect(order.length).toBe(4); // x, 1, x + 1, product
    const position = new Map(order.map((n, i) => [n.id, i]));
    for (const n of order) {
      if ('args' in n) for (const k of n.args) expect(position.get(k.id)!).toBeLessThan(position.get(n.id)!);
    }
  });

  test('topoOrder handles a chain 100 000 deep without overflowing the stack', () => {
    let e = sym('x');
    for (let i = 0; i < 100_000; i++) e = add(e, sym('x'));
    expect(topoOrder([e]).length).toBe(100_001);
  });

  test('symbolsOf lists symbols in order of first appearance', () => {
    expect(symbolsOf([add(mul(sym('w1'), sym('x1')), sym('w1'))])).toEqual(['w1', 'x1']);
  });

  test('substitute replaces symbols and folds', () => {
    const e = add(mul(sym('a'), sym('x')), sym('b'));
    expect(substitute(e, new Map([['a', 0], ['b', 3]]))).toBe(constant(3));
  });
});
