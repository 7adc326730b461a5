// Named steps (src/expr/program.ts): parsing, expansion, the values of every step.
import { describe, expect, test } from 'vitest';
import { evaluateProgram, isProgram, parseProgram } from '../src/expr/program.ts';
import { toText } from '../src/expr/print.ts';
import { evaluate } from '../src/expr/evaluate.ts';

describe('parseProgram', () => {
  test('the last definition is the function; earlier names are replaced in its expanded form', () => {
    const p = parseProgram('z = w1*x1 + w2*x2; h = sigmoid(z)\n L = (y - w3*h)^2');
    expect(p.steps.map((s) => s.name)).toEqual(['z', 'h', 'L']);
    expect(p.output.name).toBe('L');
    expect(toText(p.steps[2]!.node)).toBe('(y - w3 * h) ^ 2');
    expect(toText(p.expanded)).toBe('(y - w3 * sigmoid(w1 * x1 + w2 * x2)) ^ 2');
    expect([...p.inputs].sort()).toEqual(['w1', 'w2', 'w3', 'x1', 'x2', 'y']);
  });

  test('a lone expression is one step named f; a bare last step is named f too', () => {
    expect(parseProgram('x^2').output.name).toBe('f');
    expect(parseProgram('u = 2*x; u^2').output.name).toBe('f');
    expect(toText(parseProgram('u = 2*x; u^2').expanded)).toBe('(2 * x) ^ 2');
  });

  test('isProgram tells named steps from a plain expression', () => {
    expect(isProgram('x^2 + y')).toBe(false);
    expect(isProgram('x == y')).toBe(false);
    expect(isProgram('L = x^2')).toBe(true);
    expect(isProgram('u = x; u^2')).toBe(true);
  });

  test.each([
    ['u = x; v = 2; u*x', /v is defined but never used/],
    ['u = x; u = 2*x; u^2', /u is defined twice \(steps 1 and 2\)/],
    ['u = v + 1; v = x; L = u*v', /step 1 \(u\) uses v before it is defined \(step 2\)/],
    ['u = u + 1; L = u', /u is used in its own definition/],
    ['x + 1; L = x', /step 1 "x \+ 1" has no name/],
    ['sigmoid = x; L = sigmoid', /sigmoid is a function or constant/],
    ['u = x +; L = u', /^step 1 \(u\): /],
    [' ; ', /empty expression/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseProgram(text)).toThrow(message);
  });
});

describe('evaluateProgram', () => {
  test('every step\'s value, each from the ones before; the output equals the expanded function', () => {
    const p = parseProgram('z = w*x + b; h = tanh(z); L = (y - h)^2');
    const at = new Map([['w', 0.5], ['x', 2], ['b', -0.25], ['y', 1]]);
    const v = evaluateProgram(p, at);
    // By hand: z = 0.75, h = tanh(0.75), L = (1 - tanh(0.75))².
    expect(v.get('z')).toBe(0.75);
    expect(v.get('h')).toBe(Math.tanh(0.75));
    expect(v.get('L')).toBe((1 - Math.tanh(0.75)) ** 2);
    expect(v.get('L')).toBe(evaluate(p.expanded, at));
  });

  test('a step that is not a finite number is an error naming the step', () => {
    expect(() => evaluateProgram(parseProgram('u = log(x); L = u^2'), new Map([['x', -1]]))).toThrow(/^step u: log\(x\) is NaN/);
    expect(() => evaluateProgram(parseProgram('u = x; L = u*y'), new Map([['x', 1]]))).toThrow(/no value for y/);
  });
});
