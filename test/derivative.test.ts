import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { derivative, derivativesOf } from '../src/diff/derivative.ts';
import { arbitraryGraph, VARIABLES } from './support/random-graph.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { call, sym } from '../src/expr/node.ts';

describe('derivative(expr, wrt): closed form for reading', () => {
  test('∂L/∂w1 of the three-weight loss reads as the textbook chain rule', () => {
    const d = derivative('(y - w3*sigmoid(w1*x1 + w2*x2))^2', 'w1');
    expect(d.text).toBe('-2 * (y - w3 * sigmoid(w1 * x1 + w2 * x2)) * w3 * sigmoid(w1 * x1 + w2 * x2) * (1 - sigmoid(w1 * x1 + w2 * x2)) * x1');
    expect(d.tex).toBe(
      '-2 \\left(y - w_{3} \\sigma\\left(w_{1} x_{1} + w_{2} x_{2}\\right)\\right) w_{3} \\sigma\\left(w_{1} x_{1} + w_{2} x_{2}\\right) \\left(1 - \\sigma\\left(w_{1} x_{1} + w_{2} x_{2}\\right)\\right) x_{1}',
    );
  });

  test.each([
    ['x^3', '3 * x ^ 2'],
    ['x^2 + 0*y', '2 * x'],
    ['sin(x)*1', 'cos(x)'],
    ['exp(2*x)', '2 * exp(2 * x)'],
    ['tanh(x)', '1 - tanh(x) ^ 2'],
    ['sigmoid(x)', 'sigmoid(x) * (1 - sigmoid(x))'],
    ['softplus(x)', 'sigmoid(x)'],
    ['relu(x)', 'heaviside(x)'],
    ['log(x)', '1 / x'],
    ['x^y', 'y * x ^ (y - 1)'],
    ['x^(1/3)', 'x ^ (-2 / 3) / 3'],
    ['cbrt(x)', '1 / (3 * cbrt(x) ^ 2)'],
    ['2*x/3', '2 / 3'],
  ])('d/dx %s = %s (tidy: no x·1, no +0, no ^(2-1))', (f, want) => {
    expect(derivative(f, 'x').text).toBe(want);
  });

  test('a call built without its optional argument uses the default (leaky_relu α = 0.01)', () => {
    const d = derivative(call('leaky_relu', sym('x')), 'x');
    expect(evaluate(d.node, { x: -2 })).toBeCloseTo(0.01, 15);
    expect(evaluate(d.node, { x: 2 })).toBe(1);
  });

  test('a derivative too large to write out is refused with a DownhillError, quickly', () => {
    // d/dx of x^x^...^x (2,000 levels) is a small graph but an astronomically large tree.
    const tower = parseExpression(Array(2001).fill('x').join('^'));
    expect(() => derivative(tower, 'x')).toThrow(/formula too large to print/);
    // Its value is still there, through the graph.
    expect(evaluate(derivative(parseExpression('x^x'), 'x').node, { x: 2 })).toBeCloseTo(4 * (Math.log(2) + 1), 12);
  });

  test('tidying keeps the value of the raw chain-rule result', () => {
    const f = parseExpression('x^3*log(x, 2) + sqrt(x)/abs(x) - 3*cos(x)^2/x');
    for (const x of [0.3, 1.7, 4.2]) {
      const d = derivative(f, 'x');
      expect(evaluate(d.node, { x })).toBeCloseTo(evaluate(d.raw, { x }), 12);
    }
  });
});

describe('derivativesOf(expr, wrt): every partial from one reverse sweep', () => {
  test('gives, variable by variable, the very nodes derivative gives (random graphs)', () => {
    fc.assert(fc.property(arbitraryGraph(), (f) => {
      const all = derivativesOf(f, VARIABLES);
      VARIABLES.forEach((w, i) => {
        const one = derivative(f, w);
        expect(all[i]!.wrt).toBe(w);
        expect(all[i]!.raw).toBe(one.raw);
        expect(all[i]!.node).toBe(one.node);
        expect(all[i]!.text).toBe(one.text);
      });
    }), { numRuns: 100 });
  });

  test('on the three-weight loss: the textbook partials', () => {
    const [w1, w3] = derivativesOf('(y - w3*sigmoid(w1*x1))^2', ['w1', 'w3']);
    expect(w1!.text).toBe('-2 * (y - w3 * sigmoid(w1 * x1)) * w3 * sigmoid(w1 * x1) * (1 - sigmoid(w1 * x1)) * x1');
    expect(w3!.text).toBe('-2 * (y - w3 * sigmoid(w1 * x1)) * sigmoid(w1 * x1)');
  });
});

describe('tidy', () => {
  test.each([
    ['x^2 + x^2', 'x', '4 * x'],
    ['x*y + y*x', 'x', '2 * y'],
    ['w - eta*(0.5*w^2 + 2*w^2 + 4.5*w^2 + 8*w^2)', 'w', '1 - 30 * eta * w'],
    ['x - x', 'x', '0'],
    ['exp(-x) - x', 'x', '-1 - exp(-x)'],
  ])('like terms of d/d%2$s (%1$s) are added up: %3$s', (f, v, want) => {
    expect(derivative(f, v).text).toBe(want);
  });

  test.each([
    ['(w*x)^2', 'w', '2 * w * x ^ 2'],
    ['(w*x)^2', 'x', '2 * w ^ 2 * x'],
    ['w*x*w*x*y', 'y', 'w ^ 2 * x ^ 2'],
    ['x/(y*y)', 'x', '1 / y ^ 2'],
    ['x^2 * x^3', 'x', '5 * x ^ 4'],
    ['x^0.5 * x^0.5 * y', 'y', 'x ^ 0.5 * x ^ 0.5'],
    ['x^-1 * x * y', 'y', 'x ^ (-1) * x'],
    ['x^9007199254740992 * x * y', 'y', 'x ^ 9007199254740992 * x'],
    ['x^1e308 * x^1e308 * y', 'y', 'x ^ 1e+308 * x ^ 1e+308'],
  ])('a repeated factor of d/d%2$s (%1$s) becomes a power, whole positive exponents adding up: %3$s, with the same value', (f, v, want) => {
    const d = derivative(f, v);
    expect(d.text).toBe(want);
    for (const at of [{ w: 0.7, x: -1.3, y: 2.1 }, { w: 0.7, x: 0, y: 2.1 }, { w: 0.7, x: -1, y: 2.1 }]) {
      const [tidyValue, rawValue] = [evaluate(d.node, at), evaluate(d.raw, at)];
      if (Number.isNaN(rawValue)) expect(tidyValue).toBeNaN();
      else expect(tidyValue).toBeCloseTo(rawValue, 14);
    }
  });
});
