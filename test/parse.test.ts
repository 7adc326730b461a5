import { describe, expect, test } from 'vitest';
import { parseExpression, parseWithSymbols } from '../src/expr/parse.ts';
import { add, call, constant, mul, pow, sub, sym } from '../src/expr/node.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { DownhillError } from '../src/errors.ts';

describe('parseExpression(text)', () => {
  test('gives the same graph as the builders', () => {
    const built = pow(sub(sym('y'), mul(sym('w3'), call('sigmoid', add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2')))))), 2);
    expect(parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2')).toBe(built);
  });

  test('mathjs unit names are ordinary symbols', () => {
    const e = parseExpression('b*m + s*g - h/L + A*N*W*K');
    expect(evaluate(e, { b: 2, m: 3, s: 5, g: 7, h: 4, L: 2, A: 1, N: 2, W: 3, K: 4 })).toBe(2 * 3 + 5 * 7 - 4 / 2 + 1 * 2 * 3 * 4);
  });

  test('pi and e are the constants', () => {
    expect(parseExpression('pi')).toBe(constant(Math.PI));
    expect(parseExpression('e^x')).toBe(pow(constant(Math.E), sym('x')));
  });

  test('omitted optional arguments get their defaults', () => {
    expect(parseExpression('leaky_relu(x)')).toBe(call('leaky_relu', sym('x'), 0.01));
    expect(parseExpression('huber(x)')).toBe(call('huber', sym('x'), 1));
  });

  test('implicit multiplication works as in mathjs: 2x y', () => {
    expect(evaluate(parseExpression('2x y'), { x: 3, y: 5 })).toBe(30);
  });

  test.each([
    ['', /empty expression/],
    ['(x + 1', /unbalanced parentheses/],
    ['x + * y', /column 5/],
    ['gamma(x)', /unknown function "gamma" at column 1/],
    ['x + foo(2)', /unknown function "foo" at column 5/],
    ['f(x) = x^2', /function definition/],
    ['a = 2', /assignment/],
    ['[1, 2]', /matrix/],
    ['x > 0 ? x : 0', /conditional/],
    ['"text"', /strings/],
    ['x!', /factorial/],
    ['x mod 2', /modulo/],
    ['x == 2', /comparison/],
    ['5 cm to inch', /unit conversion/],
    ['sigmoid(x, y)', /takes 1 argument, got 2/],
    ['Infinity * x', /not a finite number/],
    ['x + 1e999', /the number Infinity is not a finite number at column 5/],
    ['x'.repeat(30_000), /too long/],
    ['('.repeat(5000) + 'x' + ')'.repeat(5000), /nested too deeply/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseExpression(text)).toThrow(DownhillError);
    expect(() => parseExpression(text)).toThrow(message);
  });

  test('a long chain of unary minus is refused or parsed, never a stack overflow', () => {
    const text = '-'.repeat(15_000) + 'x';
    let result: unknown;
    try {
      result = evaluate(parseExpression(text), { x: 2 });
    } catch (e) {
      result = e;
    }
    expect(result === 2 || result instanceof DownhillError).toBe(true);
  });
});

describe('parseWithSymbols(text)', () => {
  test.each([
    ['0*x + y', ['y', 'x']],
    ['0*b + 0*a', ['b', 'a']],
    ['sin(w)*pi + e', ['w']],
    ['α*β', ['α', 'β']],
  ])('%s names %j (folded-away symbols last, in text order)', (text, symbols) => {
    expect(parseWithSymbols(text).symbols).toEqual(symbols);
    expect(parseWithSymbols(text).node).toBe(parseExpression(text));
  });
});
